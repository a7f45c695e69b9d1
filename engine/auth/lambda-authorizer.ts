/**
 * Lambda authorizers, the parts every gateway type shares: invoking the function (sandboxed,
 * like any Lambda) and reading what it returned. REST uses TOKEN and REQUEST authorizers with
 * IAM policies; HTTP APIs add payload 2.0 and simple responses; WebSocket APIs authorize
 * `$connect`. The gateway-specific steps build the event and turn the decision into a status.
 */
import type { HostServices } from '../backends/lambda/sandbox';
import type { LambdaInvokeResult, LambdaService } from '../backends/lambda/service';
import { LambdaError } from '../backends/lambda/service';
import type { AuthorizerCache } from './authorizer-cache';
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

// ---------------------------------------------------------------------------------------------
// Cached runs with a typed decision (HTTP APIs; usable by any gateway type): the cache lookup
// by identity-source values, the invocation, the policy (or simple response) applied to this
// request's ARN. A cached policy is evaluated again for each new ARN, which is why a policy
// naming only the first route denies the next one until the entry expires (learner-pain #6).
// ---------------------------------------------------------------------------------------------

export type AuthorizerPayloadFormat = '1.0' | '2.0';

export type LambdaAuthorizerDecision =
  | {
      readonly effect: 'allow';
      readonly principalId?: string;
      readonly context: Readonly<Record<string, unknown>>;
      readonly usageIdentifierKey?: string;
      readonly why: string;
    }
  /** 403: `isAuthorized: false`, an explicit Deny, or no Allow covering the resource. */
  | { readonly effect: 'deny'; readonly why: string }
  /** The function threw "Unauthorized" (REST maps it to 401). */
  | { readonly effect: 'unauthorized'; readonly why: string }
  /** 500: the function failed, timed out, could not be invoked, or answered in a shape AWS rejects. */
  | { readonly effect: 'error'; readonly why: string };

export interface LambdaAuthorizerRequest {
  /** Names the cache namespace, e.g. `{apiId}/prod/myAuthorizer`. */
  readonly authorizerKey: string;
  readonly functionName: string;
  readonly event: unknown;
  /** Resolved identity-source values in configured order: the cache key. */
  readonly identityValues: readonly string[];
  readonly format: AuthorizerPayloadFormat;
  readonly simpleResponses: boolean;
  /** 0 disables caching. */
  readonly ttlSeconds: number;
  /** The ARN a policy is evaluated against (`routeArn` / `methodArn`). */
  readonly resourceArn: string;
  /** Start of the invocation on the engine clock. */
  readonly now: number;
  /** AWS waits this long for an authorizer (10 s). */
  readonly timeoutMs?: number;
}

export interface LambdaAuthorizerDeps {
  readonly lambda: LambdaService;
  readonly cache: AuthorizerCache<AuthorizerOutput>;
  readonly hostServices?: HostServices;
}

export interface LambdaAuthorizerOutcome {
  readonly decision: LambdaAuthorizerDecision;
  readonly fromCache: boolean;
  /** The cache key used (the identity values joined), when caching applies. */
  readonly cacheKey?: string;
  readonly output?: AuthorizerOutput;
  /** The invocation, when the function ran. */
  readonly lambda?: LambdaInvokeResult;
  /** Simulated time spent (0 on a cache hit). */
  readonly durationMs: number;
}

/** Time API Gateway spends reaching Lambda, on the virtual clock (?). */
const INVOKE_OVERHEAD_MS = 3;

/** Apply an answer to one request's ARN, saying why. */
export function decisionFor(output: AuthorizerOutput, resourceArn: string): LambdaAuthorizerDecision {
  if (output.isAuthorized !== undefined) {
    return output.isAuthorized
      ? { effect: 'allow', context: output.context, why: 'the authorizer answered isAuthorized: true' }
      : { effect: 'deny', why: 'the authorizer answered isAuthorized: false' };
  }
  const verdict = decide(output, resourceArn);
  if (verdict.effect === 'Allow') {
    return {
      effect: 'allow',
      ...(output.principalId !== undefined ? { principalId: output.principalId } : {}),
      context: output.context,
      ...(output.usageIdentifierKey ? { usageIdentifierKey: output.usageIdentifierKey } : {}),
      why: `policy statement ${verdict.statement} allows execute-api:Invoke on ${resourceArn}`,
    };
  }
  if (verdict.effect === 'Deny') return { effect: 'deny', why: `policy statement ${verdict.statement} explicitly denies ${resourceArn}` };
  return { effect: 'deny', why: `no statement of the policy allows ${resourceArn} (implicit deny)` };
}

export async function runLambdaAuthorizer(req: LambdaAuthorizerRequest, deps: LambdaAuthorizerDeps): Promise<LambdaAuthorizerOutcome> {
  const caching = req.ttlSeconds > 0 && req.identityValues.length > 0;
  const cacheKey = caching ? req.identityValues.join(',') : undefined;
  const keyed = cacheKey !== undefined ? { cacheKey } : {};
  if (cacheKey !== undefined) {
    const hit = deps.cache.get(req.authorizerKey, cacheKey, req.now);
    if (hit) return { decision: decisionFor(hit.value, req.resourceArn), fromCache: true, cacheKey, output: hit.value, durationMs: 0 };
  }
  const inv = await invokeAuthorizer(deps.lambda, req.functionName, req.event, {
    now: req.now + INVOKE_OVERHEAD_MS,
    ...(deps.hostServices ? { hostServices: deps.hostServices } : {}),
    ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
    simpleResponses: req.simpleResponses,
    // Payload 1.0 keeps REST's rule: context values are scalars, passed on as strings (?).
    stringifyContext: req.format === '1.0',
  });
  const durationMs = INVOKE_OVERHEAD_MS + inv.latencyMs;
  const ran = inv.lambda ? { lambda: inv.lambda } : {};
  if (inv.kind === 'unauthorized') return { decision: { effect: 'unauthorized', why: 'the authorizer threw "Unauthorized"' }, fromCache: false, ...keyed, ...ran, durationMs };
  if (inv.kind === 'error') {
    const why = inv.message === 'Authorizer timed out' ? `the authorizer took longer than the ${req.timeoutMs ?? 10_000} ms API Gateway waits` : `the authorizer failed: ${inv.message}`;
    return { decision: { effect: 'error', why }, fromCache: false, ...keyed, ...ran, durationMs };
  }
  if (cacheKey !== undefined) deps.cache.put(req.authorizerKey, cacheKey, inv.output, req.now, req.ttlSeconds);
  return { decision: decisionFor(inv.output, req.resourceArn), fromCache: false, ...keyed, output: inv.output, lambda: inv.lambda, durationMs };
}
