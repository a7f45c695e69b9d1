/**
 * `$context` for HTTP APIs (reference A9), as parameter mappings and access logs read it.
 * `$context.requestId` is the short id (`JX3NdjzwIAMEJdA=`), the same as extendedRequestId.
 */
import { getHeader } from '../core/http';
import { clfTime } from '../core/time-format';
import { type HttpInvocation, httpDomainName } from './context';

export function httpContextVariables(ctx: HttpInvocation, now: number): Record<string, unknown> {
  const a = ctx.authorization;
  const authorizer: Record<string, unknown> = {
    ...(a?.context ?? {}),
    ...(a?.principalId !== undefined ? { principalId: a.principalId } : {}),
    ...(a?.claims ? { claims: a.claims } : {}),
    ...(a?.scopes ? { scopes: a.scopes } : {}),
    error: ctx.authorizerError ?? '',
  };
  const result = ctx.integrationResult;
  const responseLength = ctx.response ? (ctx.response.isBase64Encoded ? Buffer.from(ctx.response.body, 'base64').length : Buffer.byteLength(ctx.response.body)) : '';
  const requestBytes = ctx.request.body === null ? 0 : ctx.request.isBase64Encoded ? Buffer.from(ctx.request.body, 'base64').length : Buffer.byteLength(ctx.request.body);
  return {
    accountId: ctx.accountId,
    apiId: ctx.apiId,
    authorizer,
    awsEndpointRequestId: '',
    dataProcessed: requestBytes + (typeof responseLength === 'number' ? responseLength : 0),
    domainName: httpDomainName(ctx),
    domainPrefix: ctx.apiId,
    error: {
      message: ctx.error?.message ?? '',
      messageString: ctx.error ? JSON.stringify(ctx.error.message) : '',
      responseType: ctx.error?.type ?? '',
    },
    extendedRequestId: ctx.requestId,
    httpMethod: ctx.request.method,
    identity: {
      sourceIp: ctx.request.sourceIp,
      userAgent: getHeader(ctx.request.headers, 'user-agent') ?? '',
      accountId: '',
      caller: '',
      user: '',
      userArn: '',
    },
    integration: {
      error: ctx.integrationError ?? '',
      integrationStatus: ctx.integrationServiceStatus ?? '',
      latency: result?.latencyMs ?? '',
      requestId: '',
      status: result?.statusCode ?? '',
    },
    integrationErrorMessage: ctx.integrationError ?? '',
    integrationLatency: result?.latencyMs ?? '',
    integrationStatus: ctx.integrationServiceStatus ?? result?.statusCode ?? '',
    path: ctx.request.path,
    protocol: 'HTTP/1.1',
    requestId: ctx.requestId,
    requestTime: clfTime(ctx.receivedAt),
    requestTimeEpoch: ctx.receivedAt,
    responseLatency: now - ctx.receivedAt,
    responseLength,
    routeKey: ctx.route?.route.routeKey ?? '-',
    stage: ctx.stage?.name ?? '',
    status: ctx.response?.statusCode ?? '',
  };
}

/** Read `a.b.c` out of nested plain objects; undefined when any part is missing. */
export function lookupPath(root: unknown, dotted: string): unknown {
  let v: unknown = root;
  for (const key of dotted.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** A `$context` value as text (what parameter mappings and access logs write). */
export function contextString(vars: Record<string, unknown>, dotted: string): string | undefined {
  const v = lookupPath(vars, dotted);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return undefined; // bare `$context.authorizer.claims` is null (reference A2)
  return String(v);
}

/** The console's default JSON access-log format for HTTP APIs. */
export const DEFAULT_ACCESS_LOG_FORMAT =
  '{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod","routeKey":"$context.routeKey", "status":"$context.status","protocol":"$context.protocol", "responseLength":"$context.responseLength" }';

/** Render an access-log format: `$context.x` references; a missing value renders as `-`. */
export function renderAccessLog(format: string, vars: Record<string, unknown>): string {
  return format.replace(/\$\{?context\.([A-Za-z0-9_.]*[A-Za-z0-9_])\}?/g, (_m, name: string) => contextString(vars, name) ?? '-');
}
