/**
 * The Lambda proxy event, payload format 1.0, exactly as REST APIs build it (reference §2.6 and
 * the recorded events): empty maps are null, single-value maps keep the last value, the body is
 * a string (or base64 with isBase64Encoded for binary media types).
 */
import { getHeader, lastValues, mediaType, parseQuery, type MultiMap } from '../core/http';
import { clfTime } from '../core/time-format';
import { type RestInvocation, domainName } from './context';
import { isBinaryMediaType } from './binary';
import { contextPath, identityOf } from './context-variables';

export interface ProxyEventV1 {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: Record<string, unknown>;
  body: string | null;
  isBase64Encoded: boolean;
}

/** AWS title-cases these header names whatever casing the client used (recorded). */
const CANONICAL_HEADER_NAMES: Readonly<Record<string, string>> = {
  authorization: 'Authorization',
  'user-agent': 'User-Agent',
};

export function canonicalHeaders(headers: MultiMap): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    const name = CANONICAL_HEADER_NAMES[k.toLowerCase()] ?? k;
    (out[name] ??= []).push(...v);
  }
  return out;
}

const nullIfEmpty = <T extends object>(o: T): T | null => (Object.keys(o).length === 0 ? null : o);

export function buildProxyEvent(ctx: RestInvocation): ProxyEventV1 {
  const route = ctx.route!;
  const api = ctx.api!;
  const multiHeaders = canonicalHeaders(ctx.request.headers);
  const query = parseQuery(ctx.request.rawQuery);
  const multiQuery: Record<string, string[]> = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [...v]]));
  const contentType = mediaType(getHeader(ctx.request.headers, 'content-type'));
  const binary = isBinaryMediaType(api.binaryMediaTypes, contentType);
  let body = ctx.request.body;
  let isBase64Encoded = false;
  if (body !== null) {
    if (binary) {
      body = ctx.request.isBase64Encoded ? body : Buffer.from(body, 'utf8').toString('base64');
      isBase64Encoded = true;
    } else if (ctx.request.isBase64Encoded) {
      body = Buffer.from(body, 'base64').toString('utf8');
    }
  }
  return {
    resource: route.resource.path,
    path: route.path,
    httpMethod: route.httpMethod,
    headers: nullIfEmpty(lastValues(multiHeaders)),
    multiValueHeaders: nullIfEmpty(multiHeaders),
    queryStringParameters: nullIfEmpty(lastValues(query)),
    multiValueQueryStringParameters: nullIfEmpty(multiQuery),
    pathParameters: nullIfEmpty({ ...route.pathParameters }),
    stageVariables: nullIfEmpty({ ...(ctx.stage?.variables ?? {}) }),
    requestContext: requestContextV1(ctx),
    body,
    isBase64Encoded,
  };
}

/** `requestContext` in AWS's own key order. */
export function requestContextV1(ctx: RestInvocation): Record<string, unknown> {
  const route = ctx.route!;
  const identity = identityOf(ctx);
  const rc: Record<string, unknown> = {
    resourceId: route.resource.id,
    resourcePath: route.resource.path,
    httpMethod: route.httpMethod,
    extendedRequestId: ctx.extendedRequestId,
    requestTime: clfTime(ctx.receivedAt),
    path: contextPath(ctx),
    accountId: ctx.accountId,
    protocol: 'HTTP/1.1',
    stage: ctx.testInvoke ? 'test-invoke-stage' : ctx.stage!.name,
    domainPrefix: ctx.apiId,
    requestTimeEpoch: ctx.receivedAt,
    requestId: ctx.requestId,
    identity,
    domainName: domainName(ctx),
    deploymentId: ctx.stage?.deploymentId,
    apiId: ctx.apiId,
  };
  if (ctx.authorizer) {
    rc.authorizer = ctx.authorizer.claims
      ? { claims: ctx.authorizer.claims }
      : {
          ...(ctx.authorizer.principalId !== undefined ? { principalId: ctx.authorizer.principalId } : {}),
          ...(ctx.authorizer.integrationLatency !== undefined ? { integrationLatency: ctx.authorizer.integrationLatency } : {}),
          ...ctx.authorizer.context,
        };
  }
  return rc;
}
