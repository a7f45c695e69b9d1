/**
 * Authorization for REST methods: Lambda TOKEN and REQUEST authorizers, Cognito user pools and
 * IAM. Why a request gets 401, 403 or 500 (learner-pain #4):
 *  - the identity source is missing or fails identityValidationExpression → 401, no invocation;
 *  - the function throws exactly "Unauthorized" → 401;
 *  - the policy denies, or does not cover this method's ARN → 403 (capital-M "Message");
 *  - anything else (other errors, malformed output) → 500 with {"message":null}.
 * Results are cached by the identity-source values for authorizerResultTtlInSeconds, and one
 * cached policy serves every method: a policy naming only the first method's ARN then denies
 * the next one (learner-pain #6).
 */
import { getHeader, getHeaderValues, parseQuery, lastValues } from '../../core/http';
import { decide, invokeAuthorizer, type AuthorizerOutput } from '../../auth/lambda-authorizer';
import { verifyJwt } from '../../auth/jwt-verify';
import type { JwksClient } from '../../auth/jwks';
import type { AuthorizerCache } from '../../auth/authorizer-cache';
import { lambdaFunctionFromUri, type Authorizer } from '../../model/rest';
import { type GatewayError, type LogEntry, type Step, type StepResult, next, reject, skip } from '../../pipeline/types';
import { type RestInvocation, methodArn } from '../context';
import type { RestDeps } from '../deps';
import { maskSecret } from '../java-format';
import { canonicalHeaders } from '../proxy-event';
import { substituteStageVariables } from '../parameter-mapping';
import { requestContextV1 } from '../proxy-event';

export interface AuthorizerDeps {
  readonly rest: RestDeps;
  readonly cache: AuthorizerCache<AuthorizerOutput>;
  readonly jwks: JwksClient;
}

const UNAUTHORIZED: GatewayError = { type: 'UNAUTHORIZED', message: 'Unauthorized' };
const EXPLICIT_DENY = 'User is not authorized to access this resource with an explicit deny';
const IMPLICIT_DENY = 'User is not authorized to access this resource';

export function authorizerStep(deps: AuthorizerDeps): Step<RestInvocation> {
  return {
    id: 'authorizer',
    phase: 'authorization',
    overheadMs: 1,
    // Not async: a method without an authorizer answers at once (no promise, no await).
    run(ctx, env) {
      const method = ctx.route!.method;
      if (method.authorizationType === 'NONE') return skip('This method has no authorization (NONE): anyone may call it.');
      if (ctx.testInvoke) return skip('The console Test skips authorizers, as AWS does.');
      if (method.authorizationType === 'AWS_IAM') return iam(ctx);
      const authorizer = ctx.api!.authorizers[method.authorizerId ?? ''];
      if (!authorizer) {
        return reject(ctx, { type: 'AUTHORIZER_CONFIGURATION_ERROR', message: null }, `The method refers to authorizer "${method.authorizerId}", which does not exist: 500.`);
      }
      if (authorizer.type === 'COGNITO_USER_POOLS') return cognito(ctx, authorizer, deps, env.now);
      return lambdaAuthorizer(ctx, authorizer, deps, env.now);
    },
  };
}

/** IAM: the simulator does not verify SigV4 signatures; it only tells signed from unsigned. (?) */
function iam(ctx: RestInvocation): StepResult<RestInvocation> {
  const auth = getHeader(ctx.request.headers, 'authorization') ?? '';
  if (!auth.startsWith('AWS4-HMAC-SHA256 ')) {
    return reject(ctx, { type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' }, 'This method uses IAM authorization and the request is not signed with SigV4: 403 Missing Authentication Token.');
  }
  return next(ctx, 'The request carries a SigV4 signature (the simulator accepts it without checking the signature).');
}

function identityValues(ctx: RestInvocation, authorizer: Authorizer): { name: string; value: string | undefined }[] {
  const sources = authorizer.identitySource.split(',').map((s) => s.trim()).filter(Boolean);
  const query = parseQuery(ctx.request.rawQuery);
  return sources.map((source) => {
    let m = /^method\.request\.header\.(.+)$/.exec(source);
    if (m) return { name: source, value: getHeader(ctx.request.headers, m[1]!) };
    m = /^method\.request\.querystring\.(.+)$/.exec(source);
    if (m) return { name: source, value: query[m[1]!]?.at(-1) };
    m = /^stageVariables\.(.+)$/.exec(source);
    if (m) return { name: source, value: ctx.stage?.variables[m[1]!] };
    m = /^context\.(.+)$/.exec(source);
    if (m) {
      const v = ({ httpMethod: ctx.route?.httpMethod, stage: ctx.stage?.name, resourcePath: ctx.route?.resource.path, requestId: ctx.requestId, path: ctx.request.path } as Record<string, string | undefined>)[m[1]!];
      return { name: source, value: v };
    }
    return { name: source, value: undefined };
  });
}

async function lambdaAuthorizer(ctx: RestInvocation, authorizer: Authorizer, deps: AuthorizerDeps, now: number): Promise<StepResult<RestInvocation>> {
  const arn = methodArn(ctx);
  const ids = identityValues(ctx, authorizer);
  const missing = ids.filter((i) => i.value === undefined || i.value.trim() === '');
  const log: LogEntry[] = [];
  if (missing.length > 0) {
    return reject(ctx, UNAUTHORIZED, `The identity source ${missing.map((m) => m.name).join(', ')} is missing, so API Gateway answers 401 without invoking the authorizer.`, {
      log: [`Unauthorized request: ${ctx.requestId}`],
      detail: { authorizer: authorizer.name, type: authorizer.type, identitySources: ids.map((i) => i.name), invoked: false },
    });
  }
  const token = ids[0]!.value!;
  if (authorizer.type === 'TOKEN' && authorizer.identityValidationExpression) {
    let matches = false;
    try {
      matches = new RegExp(`^(?:${authorizer.identityValidationExpression})$`).test(token);
    } catch {
      matches = false;
    }
    if (!matches) {
      return reject(ctx, UNAUTHORIZED, `The token does not match identityValidationExpression /${authorizer.identityValidationExpression}/, so API Gateway answers 401 without invoking the authorizer.`, {
        log: [`Unauthorized request: ${ctx.requestId}`],
        detail: { authorizer: authorizer.name, invoked: false, identityValidationExpression: authorizer.identityValidationExpression },
      });
    }
  }

  const cacheKey = ids.map((i) => i.value).join(',');
  const ttl = authorizer.authorizerResultTtlInSeconds;
  const detailBase = { authorizer: authorizer.name, type: authorizer.type, methodArn: arn, ttlSeconds: ttl };
  let output: AuthorizerOutput;
  let latencyMs = 0;
  let cached = false;
  // One cache per stage and authorizer (FlushStageAuthorizersCache flushes a stage's); a TTL of 0
  // means no caching at all, whatever an earlier deployment cached. Entries survive a redeploy (?).
  const cacheName = `${ctx.stage?.name ?? ''}/${authorizer.name}`;
  const hit = ttl > 0 ? deps.cache.get(cacheName, cacheKey, now) : undefined;
  if (hit) {
    output = hit.value;
    cached = true;
    log.push(`Using cached authorizer result for identity: ${maskSecret(cacheKey)} (cached ${Math.round((now - hit.storedAt) / 1000)} s ago)`);
  } else {
    const fn = substituteStageVariables(lambdaFunctionFromUri(authorizer.authorizerUri) ?? '', ctx.stage?.variables ?? {});
    const event = authorizer.type === 'TOKEN' ? { type: 'TOKEN', methodArn: arn, authorizationToken: token } : requestEvent(ctx, arn);
    log.push(`Starting authorizer: ${authorizer.name} for request: ${ctx.requestId}`, `Incoming identity: ${maskSecret(cacheKey)}`);
    log.push(`Endpoint request body after transformations: ${JSON.stringify(event)}`);
    const inv = await invokeAuthorizer(deps.rest.lambda, fn, event, {
      now,
      stringifyContext: true,
      ...(deps.rest.hostServices ? { hostServices: deps.rest.hostServices } : {}),
    });
    latencyMs = inv.latencyMs;
    const detail = { ...detailBase, invoked: true, functionName: fn, event, ...(inv.lambda ? { functionLogs: inv.lambda.logs } : {}) };
    if (inv.kind === 'unauthorized') {
      return reject(ctx, UNAUTHORIZED, 'The authorizer rejected the token by failing with "Unauthorized": 401.', {
        durationMs: latencyMs,
        log: [...log, { message: `Authorizer result body before parsing: ${inv.raw}`, offsetMs: latencyMs }, { message: `Unauthorized request: ${ctx.requestId}`, offsetMs: latencyMs }],
        detail,
      });
    }
    if (inv.kind === 'error') {
      return reject(ctx, { type: 'AUTHORIZER_CONFIGURATION_ERROR', message: null }, `The authorizer failed (${inv.message}): API Gateway answers 500 with {"message":null}.`, {
        durationMs: latencyMs,
        log: [...log, ...(inv.raw ? [{ message: `Authorizer result body before parsing: ${inv.raw}`, offsetMs: latencyMs }] : []), { message: `Execution failed due to configuration error: Authorizer error`, offsetMs: latencyMs }],
        detail: { ...detail, error: inv.message },
      });
    }
    output = inv.output;
    log.push({ message: `Authorizer result body before parsing: ${inv.raw}`, offsetMs: latencyMs });
    deps.cache.put(cacheName, cacheKey, output, now, ttl);
    Object.assign(detailBase, detail);
  }

  const decision = decide(output, arn);
  const detail = { ...detailBase, cached, principalId: output.principalId, policy: output.policyDocument, context: output.context, decision: decision.effect };
  if (decision.effect !== 'Allow') {
    const explicit = decision.effect === 'Deny';
    const message = explicit ? EXPLICIT_DENY : IMPLICIT_DENY;
    const why = explicit
      ? 'The policy explicitly denies this method'
      : cached
        ? `The cached policy (from an earlier request with the same identity) does not cover ${arn}`
        : `The policy does not allow ${arn}`;
    return reject(ctx, { type: 'ACCESS_DENIED', message, body: JSON.stringify({ Message: message }) }, `${why}: 403.`, {
      durationMs: latencyMs,
      log: [...log, { message: `The client is not authorized to perform this operation.`, offsetMs: latencyMs }],
      detail,
    });
  }
  log.push(
    { message: `Using valid authorizer policy for principal: ${maskSecret(output.principalId ?? '')}`, offsetMs: latencyMs },
    { message: 'Successfully completed authorizer execution', offsetMs: latencyMs },
  );
  return next(
    {
      ...ctx,
      authorizer: {
        ...(output.principalId !== undefined ? { principalId: output.principalId } : {}),
        context: output.context as Record<string, string>,
        integrationLatency: latencyMs,
        ...(output.usageIdentifierKey ? { usageIdentifierKey: output.usageIdentifierKey } : {}),
      },
    },
    `${cached ? 'Cached' : 'Fresh'} policy for principal "${output.principalId ?? ''}" allows ${arn}.`,
    { durationMs: latencyMs, log, detail },
  );
}

/** The REQUEST authorizer event (reference §1.3). */
function requestEvent(ctx: RestInvocation, arn: string): Record<string, unknown> {
  const headers = canonicalHeaders(ctx.request.headers);
  const query = parseQuery(ctx.request.rawQuery);
  const route = ctx.route!;
  return {
    type: 'REQUEST',
    methodArn: arn,
    resource: route.resource.path,
    path: route.path,
    httpMethod: route.httpMethod,
    headers: lastValues(headers),
    multiValueHeaders: headers,
    queryStringParameters: lastValues(query),
    multiValueQueryStringParameters: query,
    pathParameters: { ...route.pathParameters },
    stageVariables: { ...(ctx.stage?.variables ?? {}) },
    requestContext: requestContextV1(ctx),
  };
}

/**
 * Cognito user pools: the token is verified against the pool's JWKS. Without
 * authorizationScopes on the method it must be an ID token; with scopes, an access token
 * carrying one of them — so the access token gets 401 where the ID token works.
 */
async function cognito(ctx: RestInvocation, authorizer: Authorizer, deps: AuthorizerDeps, now: number): Promise<StepResult<RestInvocation>> {
  const header = authorizer.identitySource.replace(/^method\.request\.header\./, '') || 'Authorization';
  const raw = getHeaderValues(ctx.request.headers, header)[0];
  if (!raw) return reject(ctx, UNAUTHORIZED, `No ${header} header: 401 without checking anything else.`, { detail: { authorizer: authorizer.name, type: 'COGNITO_USER_POOLS' } });
  // (?) AWS documents the bare token; a "Bearer " prefix is accepted here too.
  const token = raw.replace(/^Bearer\s+/i, '');
  const issuer = issuerOf(authorizer.providerARNs?.[0] ?? '');
  const v = await verifyJwt(token, { issuer, jwks: deps.jwks, now });
  const base = { authorizer: authorizer.name, type: 'COGNITO_USER_POOLS', issuer, jwks: v.steps };
  if (!v.ok) {
    if (v.reason === 'expired') {
      return reject(ctx, { type: 'UNAUTHORIZED', message: 'The incoming token has expired' }, 'The token has expired: 401 "The incoming token has expired".', { detail: { ...base, reason: v.description } });
    }
    return reject(ctx, UNAUTHORIZED, `The token is not valid for this user pool (${v.description}): 401.`, { detail: { ...base, reason: v.description, claims: v.claims } });
  }
  const claims = v.claims;
  const scopes = ctx.route!.method.authorizationScopes ?? [];
  if (scopes.length === 0) {
    if (claims.token_use !== undefined && claims.token_use !== 'id') {
      return reject(ctx, UNAUTHORIZED, 'This method has no authorization scopes, so Cognito expects an ID token; this is an access token: 401.', { detail: { ...base, claims, expected: 'id token' } });
    }
  } else {
    const granted = String(claims.scope ?? '').split(' ').filter(Boolean);
    if (claims.token_use === 'id' || !scopes.some((s) => granted.includes(s))) {
      return reject(
        ctx,
        UNAUTHORIZED,
        claims.token_use === 'id'
          ? 'This method has authorization scopes, so Cognito expects an access token carrying one; this is an ID token: 401.'
          : `The access token's scopes (${granted.join(' ') || 'none'}) include none of ${scopes.join(', ')}: 401.`,
        { detail: { ...base, claims, requiredScopes: scopes } },
      );
    }
  }
  const stringClaims = Object.fromEntries(Object.entries(claims).map(([k, val]) => [k, Array.isArray(val) ? `[${val.join(' ')}]` : String(val)]));
  return next(
    { ...ctx, authorizer: { claims: stringClaims, context: {} } },
    `The ${claims.token_use ?? ''} token of ${String(claims['cognito:username'] ?? claims.username ?? claims.sub)} is valid for this user pool.`,
    { detail: { ...base, claims: stringClaims, ...(scopes.length ? { requiredScopes: scopes } : {}) } },
  );
}

/** `arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}` → the pool's issuer URL. An issuer URL is taken as is. */
export function issuerOf(providerArn: string): string {
  const m = /^arn:aws:cognito-idp:([^:]+):[^:]*:userpool\/(.+)$/.exec(providerArn);
  return m ? `https://cognito-idp.${m[1]}.amazonaws.com/${m[2]}` : providerArn;
}
