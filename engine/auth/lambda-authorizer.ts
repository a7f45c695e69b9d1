/**
 * Lambda authorizers, transport-neutral: shared by REST (TOKEN / REQUEST), HTTP (REQUEST,
 * payload 1.0 or 2.0) and the WebSocket `$connect` authorizer. The caller builds the event its
 * gateway type sends and resolves the identity-source values; this module invokes the
 * function (or answers from the cache), parses its answer and returns a typed decision.
 *
 * Responses (reference A3, aws-rest.md):
 *  - simple responses (HTTP, payload 2.0, enableSimpleResponses): `{ isAuthorized, context }`;
 *  - otherwise an IAM policy: `{ principalId, policyDocument, context, usageIdentifierKey }`,
 *    evaluated against the request's ARN: an explicit Deny, or no Allow covering it, denies.
 *  - payload 1.0 / policy `context` values must be strings, numbers or booleans: a nested
 *    value is a 500 (learner-pain "authorizer context must be flat"). Payload 2.0 allows any JSON.
 *  - the function throwing `Unauthorized` is its way to say 401 (REST); any other failure, a
 *    malformed answer or a timeout is an authorizer error (500).
 *
 * Caching: the parsed answer is cached by the identity-source values for the TTL. A cached
 * policy is evaluated again against each new request's ARN, which is why a policy naming only
 * the first route denies the next one until the entry expires (learner-pain #6).
 */
import type { HostServices } from '../backends/lambda/sandbox';
import { LambdaError, type LambdaService } from '../backends/lambda/service';
import type { AuthorizerCache } from './authorizer-cache';
import { PolicyError, evaluatePolicy, statementsOf } from './policy';

export type AuthorizerPayloadFormat = '1.0' | '2.0';

/** What the function answered, parsed. This is what the cache keeps. */
export type AuthorizerAnswer =
  | { readonly kind: 'simple'; readonly isAuthorized: boolean; readonly context: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'policy';
      readonly principalId?: string;
      readonly policyDocument: unknown;
      readonly context: Readonly<Record<string, unknown>>;
      readonly usageIdentifierKey?: string;
    };

export type LambdaAuthorizerDecision =
  | {
      readonly effect: 'allow';
      readonly principalId?: string;
      readonly context: Readonly<Record<string, unknown>>;
      readonly usageIdentifierKey?: string;
      readonly why: string;
    }
  /** 403: `isAuthorized: false`, an explicit Deny, or no Allow covering the resource. */
  | { readonly effect: 'deny'; readonly why: string; readonly context?: Readonly<Record<string, unknown>> }
  /** The function threw "Unauthorized" (REST maps it to 401). */
  | { readonly effect: 'unauthorized'; readonly why: string }
  /** 500: the function failed, timed out, could not be invoked, or answered in a shape AWS rejects. */
  | { readonly effect: 'error'; readonly why: string };

export interface LambdaAuthorizerRequest {
  /** Names the cache namespace, e.g. `prod/myAuthorizer`. */
  readonly authorizerKey: string;
  readonly functionName: string;
  readonly event: Readonly<Record<string, unknown>>;
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
  /** AWS waits this long for an authorizer (10 s for HTTP APIs). */
  readonly timeoutMs?: number;
}

export interface LambdaAuthorizerDeps {
  readonly lambda: LambdaService;
  readonly cache: AuthorizerCache<AuthorizerAnswer>;
  readonly hostServices?: HostServices;
}

export interface AuthorizerInvocation {
  readonly requestId?: string;
  readonly durationMs: number;
  readonly coldStart: boolean;
  readonly initDurationMs?: number;
  readonly logs: readonly string[];
  /** The function's raw result (JSON text), or its error. */
  readonly payload?: string;
  readonly functionError?: { readonly errorType?: string; readonly errorMessage: string };
}

export interface LambdaAuthorizerOutcome {
  readonly decision: LambdaAuthorizerDecision;
  readonly fromCache: boolean;
  /** The cache key used (the identity values joined), when caching applies. */
  readonly cacheKey?: string;
  readonly answer?: AuthorizerAnswer;
  readonly invocation?: AuthorizerInvocation;
  /** Simulated time spent (0 on a cache hit). */
  readonly durationMs: number;
}

export const AUTHORIZER_TIMEOUT_MS = 10_000;
/** Time API Gateway spends reaching Lambda, on the virtual clock (?). */
const INVOKE_OVERHEAD_MS = 3;

export class AuthorizerAnswerError extends Error {}

function isFlatValue(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/** Parse a function result into an answer; throws AuthorizerAnswerError saying what AWS would reject. */
export function parseAuthorizerAnswer(payload: string, format: AuthorizerPayloadFormat, simpleResponses: boolean): AuthorizerAnswer {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    throw new AuthorizerAnswerError('the authorizer did not return JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AuthorizerAnswerError(`the authorizer returned ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a bare ${typeof value}`} instead of an object`);
  }
  const o = value as Record<string, unknown>;
  const ctxValue = o.context;
  if (ctxValue !== undefined && ctxValue !== null && (typeof ctxValue !== 'object' || Array.isArray(ctxValue))) {
    throw new AuthorizerAnswerError('context must be an object');
  }
  const context = (ctxValue ?? {}) as Record<string, unknown>;
  if (simpleResponses) {
    if (typeof o.isAuthorized !== 'boolean') throw new AuthorizerAnswerError('a simple response needs a boolean isAuthorized');
    return { kind: 'simple', isAuthorized: o.isAuthorized, context };
  }
  if (format === '1.0') {
    const nested = Object.entries(context).find(([, v]) => !isFlatValue(v));
    if (nested) {
      throw new AuthorizerAnswerError(`context.${nested[0]} is ${Array.isArray(nested[1]) ? 'an array' : 'an object'}: context values must be strings, numbers or booleans`);
    }
  }
  try {
    statementsOf(o.policyDocument);
  } catch (err) {
    if (err instanceof PolicyError) throw new AuthorizerAnswerError(`invalid policy: ${err.message}`);
    throw err;
  }
  return {
    kind: 'policy',
    ...(o.principalId !== undefined && o.principalId !== null ? { principalId: String(o.principalId) } : {}),
    policyDocument: o.policyDocument,
    context,
    ...(typeof o.usageIdentifierKey === 'string' ? { usageIdentifierKey: o.usageIdentifierKey } : {}),
  };
}

/** Decide with an answer for one request's resource ARN. */
export function decide(answer: AuthorizerAnswer, resourceArn: string): LambdaAuthorizerDecision {
  if (answer.kind === 'simple') {
    return answer.isAuthorized
      ? { effect: 'allow', context: answer.context, why: 'the authorizer answered isAuthorized: true' }
      : { effect: 'deny', context: answer.context, why: 'the authorizer answered isAuthorized: false' };
  }
  const verdict = evaluatePolicy(answer.policyDocument, resourceArn);
  if (verdict.effect === 'Allow') {
    return {
      effect: 'allow',
      ...(answer.principalId !== undefined ? { principalId: answer.principalId } : {}),
      context: answer.context,
      ...(answer.usageIdentifierKey ? { usageIdentifierKey: answer.usageIdentifierKey } : {}),
      why: `policy statement ${verdict.statement} allows execute-api:Invoke on ${resourceArn}`,
    };
  }
  if (verdict.effect === 'Deny') return { effect: 'deny', why: `policy statement ${verdict.statement} explicitly denies ${resourceArn}` };
  return { effect: 'deny', why: `no statement of the policy allows ${resourceArn} (implicit deny)` };
}

export async function runLambdaAuthorizer(req: LambdaAuthorizerRequest, deps: LambdaAuthorizerDeps): Promise<LambdaAuthorizerOutcome> {
  const caching = req.ttlSeconds > 0 && req.identityValues.length > 0;
  const cacheKey = caching ? req.identityValues.join(',') : undefined;
  if (cacheKey !== undefined) {
    const hit = deps.cache.get(req.authorizerKey, cacheKey, req.now);
    if (hit) return { decision: decide(hit.value, req.resourceArn), fromCache: true, cacheKey, answer: hit.value, durationMs: 0 };
  }
  const timeoutMs = req.timeoutMs ?? AUTHORIZER_TIMEOUT_MS;
  let result;
  try {
    result = await deps.lambda.invoke(req.functionName, JSON.stringify(req.event), {
      now: req.now + INVOKE_OVERHEAD_MS,
      ...(deps.hostServices ? { hostServices: deps.hostServices } : {}),
    });
  } catch (err) {
    if (err instanceof LambdaError) {
      return { decision: { effect: 'error', why: `the authorizer function could not be invoked (${err.code}: ${err.message})` }, fromCache: false, ...(cacheKey ? { cacheKey } : {}), durationMs: INVOKE_OVERHEAD_MS };
    }
    throw err;
  }
  const durationMs = INVOKE_OVERHEAD_MS + result.durationMs;
  const invocation: AuthorizerInvocation = {
    requestId: result.requestId,
    durationMs: result.durationMs,
    coldStart: result.coldStart,
    ...(result.initDurationMs !== undefined ? { initDurationMs: result.initDurationMs } : {}),
    logs: result.logs,
    payload: result.payload,
    ...(result.error ? { functionError: { errorMessage: result.error.errorMessage, ...(result.error.errorType ? { errorType: result.error.errorType } : {}) } } : {}),
  };
  const base = { fromCache: false, ...(cacheKey ? { cacheKey } : {}), invocation };
  if (durationMs > timeoutMs) {
    return { ...base, decision: { effect: 'error', why: `the authorizer took ${Math.round(durationMs)} ms; API Gateway waits ${timeoutMs} ms` }, durationMs: timeoutMs };
  }
  if (result.error) {
    if (result.error.errorMessage === 'Unauthorized') {
      return { ...base, decision: { effect: 'unauthorized', why: 'the authorizer threw "Unauthorized"' }, durationMs };
    }
    return { ...base, decision: { effect: 'error', why: `the authorizer failed: ${result.error.errorType ?? 'Error'}: ${result.error.errorMessage}` }, durationMs };
  }
  let answer: AuthorizerAnswer;
  try {
    answer = parseAuthorizerAnswer(result.payload, req.format, req.simpleResponses);
  } catch (err) {
    if (err instanceof AuthorizerAnswerError) return { ...base, decision: { effect: 'error', why: `the authorizer's answer is invalid: ${err.message}` }, durationMs };
    throw err;
  }
  if (cacheKey !== undefined) deps.cache.put(req.authorizerKey, cacheKey, answer, req.now, req.ttlSeconds);
  return { ...base, decision: decide(answer, req.resourceArn), answer, durationMs };
}
