/**
 * Authorization of the matched route: JWT (reference A2), a Lambda authorizer (A3), or IAM.
 *  - JWT: 401 with `www-authenticate` for a missing or invalid token, 403 for missing scopes;
 *  - Lambda: a missing identity source is 401 without invoking the function; a deny is 403;
 *    a failing or malformed authorizer is 500 {"message":"Internal Server Error"};
 *  - AWS_IAM: SigV4 is not verified by the simulator: an unsigned request is 403 (?).
 */
import { authorizeJwt } from '../../auth/jwt-authorizer';
import { runLambdaAuthorizer } from '../../auth/lambda-authorizer';
import { getHeader } from '../../core/http';
import { lambdaFunctionFromUri } from '../../model/rest';
import { type Step, next, reject, skip } from '../../pipeline/types';
import { type HttpInvocation, routeArn } from '../context';
import { httpContextVariables } from '../context-variables';
import type { HttpDeps } from '../deps';
import { httpError } from '../errors';
import { resolveIdentitySources } from '../identity-source';
import { buildAuthorizerEventV1, buildAuthorizerEventV2 } from '../lambda-event';

export function authorizerStep(deps: HttpDeps): Step<HttpInvocation> {
  return {
    id: 'authorizer',
    phase: 'authorization',
    async run(ctx, env) {
      const route = ctx.route?.route;
      if (!route) return skip('No route matched, so there is no authorizer to run.');
      if (route.authorizationType === 'NONE') return skip(`Route "${route.routeKey}" has no authorizer.`);

      if (route.authorizationType === 'AWS_IAM') {
        const auth = getHeader(ctx.request.headers, 'authorization') ?? '';
        if (!auth.startsWith('AWS4-HMAC-SHA256')) {
          return reject(ctx, httpError('FORBIDDEN'), `Route "${route.routeKey}" uses IAM authorization and the request is not SigV4-signed: 403 Forbidden.`);
        }
        return next(ctx, 'IAM authorization: the request carries a SigV4 signature. The simulator does not verify signatures; it lets the request through.', {
          detail: { type: 'AWS_IAM', verified: false },
        });
      }

      const authorizer = ctx.api!.authorizers[route.authorizerId!]!;
      const vars = httpContextVariables(ctx, env.now);
      const identity = resolveIdentitySources(authorizer.identitySource, ctx, vars);

      if (authorizer.authorizerType === 'JWT') {
        const source = authorizer.identitySource[0]!;
        const decision = await authorizeJwt(identity.values[0], authorizer.jwtConfiguration!, route.authorizationScopes, { jwks: deps.jwks, now: env.now });
        const base = { type: 'JWT', authorizer: authorizer.name, issuer: authorizer.jwtConfiguration!.issuer, audience: authorizer.jwtConfiguration!.audience, requiredScopes: route.authorizationScopes, keyLookup: decision.steps };
        if (!decision.ok) {
          const failed = { ...ctx, authorizerError: decision.description };
          const error = httpError(decision.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', decision.wwwAuthenticate ? { 'www-authenticate': decision.wwwAuthenticate } : undefined);
          const why =
            decision.reason === 'missing'
              ? `the identity source ${source} is missing, so there is no token to check`
              : decision.reason === 'scope'
                ? `the token is valid but has none of the route's scopes (${route.authorizationScopes.join(', ')})`
                : `the token is rejected: ${decision.description}`;
          return reject(failed, error, `JWT authorizer ${authorizer.name}: ${keysNote(decision.steps)}${why}. ${decision.status} {"message":"${decision.status === 401 ? 'Unauthorized' : 'Forbidden'}"}${decision.wwwAuthenticate ? ' with a www-authenticate header saying why' : ''}.`, {
            detail: { ...base, reason: decision.reason, description: decision.description, ...(decision.wwwAuthenticate ? { wwwAuthenticate: decision.wwwAuthenticate } : {}), ...(decision.rawClaims ? { claims: decision.rawClaims } : {}) },
          });
        }
        const scopes = route.authorizationScopes.length > 0 ? decision.tokenScopes : null;
        return next(
          { ...ctx, authorization: { kind: 'jwt', claims: decision.claims, scopes: scopes ? [...scopes] : null } },
          `JWT authorizer ${authorizer.name}: ${keysNote(decision.steps)}the token's signature, issuer, audience and lifetime check out${route.authorizationScopes.length ? ` and it has a required scope` : ''}; its claims go to the integration as strings.`,
          { detail: { ...base, claims: decision.claims } },
        );
      }

      // A Lambda (REQUEST) authorizer.
      if (identity.missing.length > 0) {
        return reject(
          { ...ctx, authorizerError: `missing identity source ${identity.missing.join(', ')}` },
          httpError('UNAUTHORIZED'),
          `Lambda authorizer ${authorizer.name}: the identity source ${identity.missing.join(', ')} is missing, so API Gateway answers 401 without invoking the function.`,
          { detail: { type: 'REQUEST', authorizer: authorizer.name, identitySource: authorizer.identitySource, missing: identity.missing } },
        );
      }
      const fn = lambdaFunctionFromUri(authorizer.authorizerUri) ?? '';
      const format = authorizer.authorizerPayloadFormatVersion ?? '2.0';
      const event = format === '2.0' ? buildAuthorizerEventV2(ctx, identity.values) : buildAuthorizerEventV1(ctx, identity.values);
      const outcome = await runLambdaAuthorizer(
        {
          authorizerKey: `${ctx.apiId}/${ctx.stage!.name}/${authorizer.name}`,
          functionName: fn,
          event,
          identityValues: identity.values,
          format,
          simpleResponses: authorizer.enableSimpleResponses,
          ttlSeconds: authorizer.authorizerResultTtlInSeconds,
          resourceArn: routeArn(ctx),
          now: env.now,
        },
        { lambda: deps.lambda, cache: deps.authorizerCache, ...(deps.hostServices ? { hostServices: deps.hostServices } : {}) },
      );
      const inv = outcome.lambda;
      const detail = {
        type: 'REQUEST',
        authorizer: authorizer.name,
        functionName: fn,
        payloadFormatVersion: format,
        simpleResponses: authorizer.enableSimpleResponses,
        identityValues: identity.values,
        ttlSeconds: authorizer.authorizerResultTtlInSeconds,
        cacheKey: outcome.cacheKey ?? null,
        fromCache: outcome.fromCache,
        ...(outcome.fromCache ? {} : { event }),
        ...(outcome.output ? { answer: outcome.output } : {}),
        decision: outcome.decision,
        ...(inv ? { lambdaRequestId: inv.requestId, coldStart: inv.coldStart, functionDurationMs: inv.durationMs, functionLogs: inv.logs } : {}),
      };
      const how = outcome.fromCache
        ? `answered from the authorizer cache (key "${outcome.cacheKey}")`
        : `invoked ${fn}${inv?.coldStart ? ' (cold start)' : ''}${outcome.cacheKey && outcome.output ? `; the answer is cached for ${authorizer.authorizerResultTtlInSeconds} s under "${outcome.cacheKey}"` : ''}`;
      const d = outcome.decision;
      if (d.effect === 'allow') {
        return next(
          {
            ...ctx,
            authorization: {
              kind: 'lambda',
              context: d.context,
              ...(d.principalId !== undefined ? { principalId: d.principalId } : {}),
              integrationLatency: outcome.fromCache ? 0 : Math.round(outcome.durationMs),
            },
          },
          `Lambda authorizer ${authorizer.name} ${how}: allowed, because ${d.why}.`,
          { durationMs: outcome.durationMs, detail },
        );
      }
      if (d.effect === 'deny') {
        return reject(ctx, httpError('FORBIDDEN'), `Lambda authorizer ${authorizer.name} ${how}: denied, because ${d.why}. 403 {"message":"Forbidden"}.`, { durationMs: outcome.durationMs, detail });
      }
      // (?) HTTP APIs answer 500 for any authorizer failure, "Unauthorized" included; REST maps a thrown "Unauthorized" to 401.
      const extra = d.effect === 'unauthorized' ? ' (a REST API would answer 401 for a thrown "Unauthorized"; an HTTP API says 500)' : '';
      return reject(
        { ...ctx, authorizerError: d.why },
        httpError('INTERNAL_SERVER_ERROR'),
        `Lambda authorizer ${authorizer.name} ${how}: ${d.why}. 500 {"message":"Internal Server Error"}${extra}; the cause is in $context.authorizer.error.`,
        { durationMs: outcome.durationMs, detail },
      );
    },
  };
}

/** How the signing key was found (discovery and JWKS fetches, or the cache), for the summary. */
function keysNote(steps: readonly string[]): string {
  return steps.length ? `${steps.join('; ')}; ` : '';
}
