/**
 * `$context` as mapping templates, gateway responses and access logs see it (reference §2.4).
 */
import { getHeader } from '../core/http';
import { clfTime } from '../core/time-format';
import { type RestInvocation, domainName } from './context';

export function contextVariables(ctx: RestInvocation, now: number): Record<string, unknown> {
  const domain = domainName(ctx);
  const error = ctx.error;
  const authorizer: Record<string, unknown> = {
    ...(ctx.authorizer?.context ?? {}),
    ...(ctx.authorizer?.principalId !== undefined ? { principalId: ctx.authorizer.principalId } : {}),
    ...(ctx.authorizer?.claims ? { claims: ctx.authorizer.claims } : {}),
  };
  return {
    accountId: ctx.accountId,
    apiId: ctx.apiId,
    authorizer,
    awsEndpointRequestId: '',
    deploymentId: ctx.stage?.deploymentId ?? '',
    domainName: domain,
    domainPrefix: ctx.apiId,
    error: {
      message: error?.message ?? '',
      messageString: error ? JSON.stringify(error.message) : '""',
      responseType: error?.type ?? '',
      validationErrorString: ctx.validationError ?? '',
    },
    extendedRequestId: ctx.extendedRequestId,
    httpMethod: ctx.route?.httpMethod ?? ctx.request.method,
    identity: {
      accountId: '',
      apiKey: ctx.apiKey?.value ?? '',
      apiKeyId: ctx.apiKey?.id ?? '',
      caller: '',
      cognitoAuthenticationProvider: '',
      cognitoAuthenticationType: '',
      cognitoIdentityId: '',
      cognitoIdentityPoolId: '',
      principalOrgId: '',
      sourceIp: ctx.request.sourceIp,
      user: '',
      userAgent: getHeader(ctx.request.headers, 'user-agent') ?? '',
      userArn: '',
    },
    isCanaryRequest: ctx.stage?.isCanaryRequest ?? false,
    path: ctx.stage ? contextPath(ctx) : ctx.request.path,
    protocol: 'HTTP/1.1',
    requestId: ctx.requestId,
    requestOverride: { header: {}, querystring: {}, path: {} },
    responseOverride: { header: {} },
    requestTime: clfTime(ctx.receivedAt),
    requestTimeEpoch: ctx.receivedAt,
    resourceId: ctx.route?.resource.id ?? '',
    resourcePath: ctx.route?.resource.path ?? '',
    stage: ctx.testInvoke ? 'test-invoke-stage' : (ctx.stage?.name ?? ''),
    integrationLatency: ctx.endpointResponse?.latencyMs ?? '',
    integrationStatus: ctx.endpointResponse?.statusCode ?? '',
    integrationErrorMessage: ctx.integrationError ?? '',
    status: ctx.response?.statusCode ?? '',
    responseLatency: now - ctx.receivedAt,
  };
}

/** `$context.path`: the stage and the path as sent (`/prod/pets/1`). */
export function contextPath(ctx: RestInvocation): string {
  const raw = ctx.request.path.replace(/^\/+/, '/');
  return raw;
}
