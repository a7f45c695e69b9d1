/**
 * Lambda authorizers, the parts every gateway type shares: invoking the function (sandboxed,
 * like any Lambda) and reading what it returned. REST uses TOKEN and REQUEST authorizers with
 * IAM policies; HTTP APIs add payload 2.0 and simple responses; WebSocket APIs authorize
 * `$connect`. The gateway-specific steps build the event and turn the decision into a status.
 */
import type { HostServices } from '../backends/lambda/sandbox';
import type { LambdaInvokeResult, LambdaService } from '../backends/lambda/service';
import { LambdaError } from '../backends/lambda/service';
import { type PolicyDecision, PolicyError, evaluatePolicy } from './policy';

/** What an authorizer function said, once parsed. */
export interface AuthorizerOutput {
  readonly principalId?: string;
  /** The IAM policy (REST, HTTP payload 1.0 and 2.0 without simple responses, WebSocket). */
  readonly policyDocument?: unknown;
  /** HTTP simple responses (payload 2.0). */
  readonly isAuthorized?: boolean;
  /** Context values; for REST every value is stringified. */
  readonly context: Readonly<Record<string, unknown>>;
  readonly usageIdentifierKey?: string;
}

export type AuthorizerInvocation =
  | { readonly kind: 'output'; readonly output: AuthorizerOutput; readonly raw: string; readonly lambda: LambdaInvokeResult; readonly latencyMs: number }
  /** The function failed with the exact message `Unauthorized`: API Gateway answers 401. */
  | { readonly kind: 'unauthorized'; readonly raw: string; readonly lambda: LambdaInvokeResult; readonly latencyMs: number }
  /** Any other function error, a malformed result or an invoke failure: 500. */
  | { readonly kind: 'error'; readonly message: string; readonly raw?: string; readonly lambda?: LambdaInvokeResult; readonly latencyMs: number };

export interface ParseOptions {
  /** HTTP payload 2.0 with enableSimpleResponses: `{ isAuthorized, context }`. */
  readonly simpleResponses?: boolean;
  /** REST: context values must be scalars and are stringified (`1` → `"1"`). */
  readonly stringifyContext?: boolean;
}

export async function invokeAuthorizer(
  lambda: LambdaService,
  functionName: string,
  event: unknown,
  options: { readonly now: number; readonly hostServices?: HostServices; readonly timeoutMs?: number } & ParseOptions,
): Promise<AuthorizerInvocation> {
  let result: LambdaInvokeResult;
  try {
    result = await lambda.invoke(functionName, JSON.stringify(event), {
      now: options.now,
      ...(options.hostServices ? { hostServices: options.hostServices } : {}),
    });
  } catch (err) {
    const message = err instanceof LambdaError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
    return { kind: 'error', message, latencyMs: 0 };
  }
  const latencyMs = result.durationMs;
  // Lambda authorizers time out at 10 seconds at most (reference A3).
  if (latencyMs > (options.timeoutMs ?? 10_000)) {
    return { kind: 'error', message: 'Authorizer timed out', raw: result.payload, lambda: result, latencyMs: options.timeoutMs ?? 10_000 };
  }
  if (result.error) {
    if (result.error.errorMessage === 'Unauthorized') return { kind: 'unauthorized', raw: result.payload, lambda: result, latencyMs };
    return { kind: 'error', message: `${result.error.errorType}: ${result.error.errorMessage}`, raw: result.payload, lambda: result, latencyMs };
  }
  const parsed = parseAuthorizerOutput(result.payload, options);
  if ('error' in parsed) return { kind: 'error', message: parsed.error, raw: result.payload, lambda: result, latencyMs };
  return { kind: 'output', output: parsed, raw: result.payload, lambda: result, latencyMs };
}

export function parseAuthorizerOutput(payload: string, options: ParseOptions = {}): AuthorizerOutput | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { error: 'Invalid JSON in response: the authorizer did not return JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'Invalid JSON in response: the authorizer must return an object' };
  }
  const o = value as Record<string, unknown>;
  const context: Record<string, unknown> = {};
  if (o.context !== undefined && o.context !== null) {
    if (typeof o.context !== 'object' || Array.isArray(o.context)) return { error: 'Invalid JSON in response: context must be an object' };
    for (const [k, v] of Object.entries(o.context)) {
      if (options.stringifyContext) {
        // REST: only strings, numbers and booleans; nested values make the response invalid.
        if (v !== null && typeof v === 'object') return { error: `Invalid JSON in response: context.${k} is ${Array.isArray(v) ? 'an array' : 'an object'}; values must be strings, numbers or booleans` };
        context[k] = v === null ? 'null' : String(v);
      } else {
        context[k] = v;
      }
    }
  }
  if (options.simpleResponses) {
    if (typeof o.isAuthorized !== 'boolean') return { error: 'Invalid JSON in response: isAuthorized must be a boolean' };
    return { isAuthorized: o.isAuthorized, context };
  }
  if (o.policyDocument === undefined) return { error: 'Invalid JSON in response: policyDocument is missing' };
  try {
    evaluatePolicy(o.policyDocument, 'arn:aws:execute-api:check');
  } catch (err) {
    return { error: `Invalid JSON in response: ${err instanceof PolicyError ? err.message : String(err)}` };
  }
  return {
    ...(o.principalId !== undefined && o.principalId !== null ? { principalId: String(o.principalId) } : {}),
    policyDocument: o.policyDocument,
    context,
    ...(typeof o.usageIdentifierKey === 'string' ? { usageIdentifierKey: o.usageIdentifierKey } : {}),
  };
}

/** Apply a returned (or cached) policy to the method being called. */
export function decide(output: AuthorizerOutput, arn: string): PolicyDecision {
  if (output.isAuthorized !== undefined) return output.isAuthorized ? { effect: 'Allow', statement: 0 } : { effect: 'Deny', statement: 0 };
  return evaluatePolicy(output.policyDocument, arn);
}
