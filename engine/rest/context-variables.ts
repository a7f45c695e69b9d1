/**
 * `$context` as mapping templates, gateway responses and access logs see it (reference §2.4).
 *
 * Mapping templates see only what AWS puts in the map, in AWS's order (recorded by iterating
 * `$context.keySet()` in a request template): no `error`, no `authorizer` unless an authorizer
 * ran, `isCanaryRequest` only on a stage with canary settings. Absent keys render as nothing.
 * Gateway responses and access logs see the larger set (`contextVariables`).
 */
import { getHeader } from '../core/http';
import { clfTime } from '../core/time-format';
import { type RestInvocation, domainName } from './context';

/** `$context.identity`, in AWS's order (recorded in proxy events and keySet iteration). */
export function identityOf(ctx: RestInvocation): Record<string, string | null> {
  return {
    cognitoIdentityPoolId: null,
    ...(ctx.apiKey ? { apiKey: ctx.apiKey.value, apiKeyId: ctx.apiKey.id } : {}),
    accountId: null,
    cognitoIdentityId: null,
    caller: null,
    sourceIp: ctx.request.sourceIp,
    principalOrgId: null,
    accessKey: null,
    cognitoAuthenticationType: null,
    cognitoAuthenticationProvider: null,
    userArn: null,
    userAgent: getHeader(ctx.request.headers, 'user-agent') ?? null,
    user: null,
  };
}

function authorizerOf(ctx: RestInvocation): Record<string, unknown> | undefined {
  if (!ctx.authorizer) return undefined;
  return {
    ...(ctx.authorizer.principalId !== undefined ? { principalId: ctx.authorizer.principalId } : {}),
    ...(ctx.authorizer.claims ? { claims: ctx.authorizer.claims } : {}),
    ...(ctx.authorizer.integrationLatency !== undefined ? { integrationLatency: ctx.authorizer.integrationLatency } : {}),
    ...ctx.authorizer.context,
  };
}

/** `$context` in a mapping template (request or response), in AWS's key order. */
export function templateContext(ctx: RestInvocation): Record<string, unknown> {
  const authorizer = authorizerOf(ctx);
  const carried = ctx.overrides;
  return {
    resourceId: ctx.route?.resource.id ?? '',
    // (?) position: where real proxy events put it.
    ...(authorizer ? { authorizer } : {}),
    resourcePath: ctx.route?.resource.path ?? '',
    httpMethod: ctx.route?.httpMethod ?? ctx.request.method,
    extendedRequestId: ctx.extendedRequestId,
    requestTime: clfTime(ctx.receivedAt),
    path: contextPath(ctx),
    accountId: ctx.accountId,
    protocol: 'HTTP/1.1',
    requestOverride: { path: {}, header: {}, querystring: {}, ...(carried?.requestOverride ?? {}) },
    stage: ctx.testInvoke ? 'test-invoke-stage' : (ctx.stage?.name ?? ''),
    domainPrefix: ctx.apiId,
    requestTimeEpoch: ctx.receivedAt,
    requestId: ctx.requestId,
    identity: identityOf(ctx),
    domainName: domainName(ctx),
    deploymentId: ctx.stage?.deploymentId ?? '',
    responseOverride: { header: {}, ...(carried?.responseOverride ?? {}) },
    apiId: ctx.apiId,
    ...(ctx.stage?.hasCanary ? { isCanaryRequest: ctx.stage.isCanaryRequest } : {}),
  };
}

/** `$context` for gateway-response templates, parameter mappings and access logs: everything. */
export function contextVariables(ctx: RestInvocation, now: number): Record<string, unknown> {
  const error = ctx.error;
  const identity = Object.fromEntries(Object.entries(identityOf(ctx)).map(([k, v]) => [k, v ?? '']));
  return {
    ...templateContext(ctx),
    authorizer: authorizerOf(ctx) ?? {},
    identity: { apiKey: '', apiKeyId: '', ...identity },
    awsEndpointRequestId: '',
    error: {
      message: error?.message ?? '',
      messageString: error ? JSON.stringify(error.message) : '""',
      responseType: error?.type ?? '',
      // (?) JSON-escaped, so the usual `"$context.error.validationErrorString"` in a template stays valid JSON.
      validationErrorString: ctx.validationError ? JSON.stringify(ctx.validationError).slice(1, -1) : '',
    },
    isCanaryRequest: ctx.stage?.isCanaryRequest ?? false,
    integrationLatency: ctx.endpointResponse?.latencyMs ?? '',
    integrationStatus: ctx.endpointResponse?.statusCode ?? '',
    integrationErrorMessage: ctx.integrationError ?? '',
    status: ctx.response?.statusCode ?? '',
    responseLatency: now - ctx.receivedAt,
  };
}

/** `$context.path`: the stage and the path as sent (`/prod/pets/1`); slashes before the stage collapse (recorded). */
export function contextPath(ctx: RestInvocation): string {
  return ctx.request.path.replace(/^\/+/, '/');
}
