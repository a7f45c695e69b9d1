/**
 * The events an HTTP API sends to Lambda: the proxy integration event in payload format 2.0
 * (reference A5) or 1.0, and the Lambda authorizer event in 2.0 or 1.0 (reference A3).
 *
 * Payload 2.0 (AWS docs): header names lowercased; no multiValue fields: duplicate headers and
 * query keys are comma-joined; Cookie headers become `cookies[]` and leave `headers` [obs];
 * `rawPath` keeps the stage prefix on a named stage [obs]; body, pathParameters,
 * queryStringParameters, stageVariables and cookies are omitted when empty [obs];
 * `authorizer` only on authorized routes.
 * Payload 1.0 is the REST proxy shape (multiValue fields, nulls for empty maps) plus
 * `version: "1.0"`.
 */
import { type MultiMap, buildQuery, getHeader, mediaType, parseQuery } from '../core/http';
import { clfTime } from '../core/time-format';
import { type HttpInvocation, httpDomainName, routeArn } from './context';

/**
 * (?) HTTP APIs base64-encode a body unless its Content-Type is textual: text/*, JSON, XML,
 * JavaScript (form-urlencoded bodies arrive base64-encoded, a common surprise [obs]).
 */
export function isTextMediaType(contentType: string | undefined): boolean {
  const mt = mediaType(contentType);
  if (!mt) return false;
  return mt.startsWith('text/') || /^application\/(json|.+\+json|xml|.+\+xml|javascript|graphql)$/.test(mt);
}

/** The body as the event carries it, and whether it is base64. */
export function eventBody(ctx: HttpInvocation): { body?: string; isBase64Encoded: boolean } {
  const req = ctx.request;
  if (req.body === null || req.body === '') return { isBase64Encoded: false };
  if (req.isBase64Encoded) return { body: req.body, isBase64Encoded: true };
  if (isTextMediaType(getHeader(req.headers, 'content-type'))) return { body: req.body, isBase64Encoded: false };
  return { body: Buffer.from(req.body, 'utf8').toString('base64'), isBase64Encoded: true };
}

/** 2.0 headers: lowercase names, duplicates comma-joined, cookies taken out. */
export function headersV2(headers: MultiMap): { headers: Record<string, string>; cookies: string[] } {
  const out: Record<string, string[]> = {};
  const cookies: string[] = [];
  for (const [k, values] of Object.entries(headers)) {
    const name = k.toLowerCase();
    if (name === 'cookie') {
      for (const v of values) cookies.push(...v.split(';').map((c) => c.trim()).filter(Boolean));
      continue;
    }
    (out[name] ??= []).push(...values);
  }
  return { headers: Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.join(',')])), cookies };
}

function commaJoined(map: MultiMap): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v.join(',')]));
}

const nonEmpty = (o: Readonly<Record<string, unknown>> | undefined): boolean => o !== undefined && Object.keys(o).length > 0;

/** The request as the integration sees it: mapped headers and query when parameter mapping ran. */
function effective(ctx: HttpInvocation): { headers: MultiMap; query: MultiMap; rawQuery: string } {
  if (ctx.mapped) {
    const queryChanged = Object.keys(ctx.mapped.applied).some((k) => k.includes(':querystring.'));
    return { headers: ctx.mapped.headers, query: ctx.mapped.query, rawQuery: queryChanged ? buildQuery(ctx.mapped.query) : ctx.request.rawQuery };
  }
  return { headers: ctx.request.headers, query: parseQuery(ctx.request.rawQuery), rawQuery: ctx.request.rawQuery };
}

export function requestContextV2(ctx: HttpInvocation): Record<string, unknown> {
  const a = ctx.authorization;
  let authorizer: Record<string, unknown> | undefined;
  if (a?.kind === 'jwt') authorizer = { jwt: { claims: a.claims ?? {}, scopes: a.scopes ?? null } };
  else if (a?.kind === 'lambda') authorizer = { lambda: { ...(a.context ?? {}) } };
  return {
    accountId: ctx.accountId,
    apiId: ctx.apiId,
    ...(authorizer ? { authorizer } : {}),
    domainName: httpDomainName(ctx),
    domainPrefix: ctx.apiId,
    http: {
      method: ctx.request.method,
      path: ctx.request.path,
      protocol: 'HTTP/1.1',
      sourceIp: ctx.request.sourceIp,
      userAgent: getHeader(ctx.request.headers, 'user-agent') ?? '',
    },
    requestId: ctx.requestId,
    routeKey: ctx.route?.route.routeKey ?? '$default',
    stage: ctx.stage?.name ?? '$default',
    time: clfTime(ctx.receivedAt),
    timeEpoch: ctx.receivedAt,
  };
}

/** The payload-2.0 proxy event, in AWS's key order. */
export function buildEventV2(ctx: HttpInvocation): Record<string, unknown> {
  const req = effective(ctx);
  const { headers, cookies } = headersV2(req.headers);
  const query = commaJoined(req.query);
  const { body, isBase64Encoded } = eventBody(ctx);
  const pathParameters = ctx.route?.pathParameters ?? {};
  const stageVariables = ctx.stage?.variables ?? {};
  return {
    version: '2.0',
    routeKey: ctx.route?.route.routeKey ?? '$default',
    rawPath: ctx.request.path,
    rawQueryString: req.rawQuery,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(nonEmpty(query) ? { queryStringParameters: query } : {}),
    requestContext: requestContextV2(ctx),
    ...(body !== undefined ? { body } : {}),
    ...(nonEmpty(pathParameters) ? { pathParameters: { ...pathParameters } } : {}),
    isBase64Encoded,
    ...(nonEmpty(stageVariables) ? { stageVariables: { ...stageVariables } } : {}),
  };
}

/** The payload-2.0 Lambda authorizer event (REQUEST). */
export function buildAuthorizerEventV2(ctx: HttpInvocation, identityValues: readonly string[]): Record<string, unknown> {
  const req = effective(ctx);
  const { headers, cookies } = headersV2(req.headers);
  const query = commaJoined(req.query);
  const pathParameters = ctx.route?.pathParameters ?? {};
  const stageVariables = ctx.stage?.variables ?? {};
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: routeArn(ctx),
    identitySource: [...identityValues],
    routeKey: ctx.route?.route.routeKey ?? '$default',
    rawPath: ctx.request.path,
    rawQueryString: req.rawQuery,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(nonEmpty(query) ? { queryStringParameters: query } : {}),
    requestContext: requestContextV2(ctx),
    ...(nonEmpty(pathParameters) ? { pathParameters: { ...pathParameters } } : {}),
    ...(nonEmpty(stageVariables) ? { stageVariables: { ...stageVariables } } : {}),
  };
}

const nullIfEmpty = <T extends object>(o: T): T | null => (Object.keys(o).length === 0 ? null : o);

/** (?) HTTP APIs lowercase header names in payload 1.0 too; single-value maps keep the last value. */
function headersV1(headers: MultiMap): { single: Record<string, string>; multi: Record<string, string[]> } {
  const multi: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) (multi[k.toLowerCase()] ??= []).push(...v);
  const single = Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v[v.length - 1]!]));
  return { single, multi };
}

export function requestContextV1(ctx: HttpInvocation): Record<string, unknown> {
  const a = ctx.authorization;
  let authorizer: Record<string, unknown>;
  if (a?.kind === 'jwt') authorizer = { claims: a.claims ?? {}, scopes: a.scopes ?? null };
  else if (a?.kind === 'lambda')
    authorizer = {
      ...(a.context ?? {}),
      ...(a.principalId !== undefined ? { principalId: a.principalId } : {}),
      integrationLatency: a.integrationLatency ?? 0,
    };
  // AWS's 1.0 example carries an empty authorizer even on routes without one (?).
  else authorizer = { claims: null, scopes: null };
  const route = ctx.route?.route;
  return {
    accountId: ctx.accountId,
    apiId: ctx.apiId,
    authorizer,
    domainName: httpDomainName(ctx),
    domainPrefix: ctx.apiId,
    extendedRequestId: ctx.requestId,
    httpMethod: ctx.request.method,
    identity: {
      accessKey: null,
      accountId: null,
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: ctx.request.sourceIp,
      user: null,
      userAgent: getHeader(ctx.request.headers, 'user-agent') ?? null,
      userArn: null,
    },
    path: ctx.request.path,
    protocol: 'HTTP/1.1',
    requestId: ctx.requestId,
    requestTime: clfTime(ctx.receivedAt),
    requestTimeEpoch: ctx.receivedAt,
    resourceId: route?.routeId ?? null,
    resourcePath: route?.path ?? route?.routeKey ?? null,
    stage: ctx.stage?.name ?? '$default',
  };
}

/** The payload-1.0 proxy event of an HTTP API. */
export function buildEventV1(ctx: HttpInvocation): Record<string, unknown> {
  const req = effective(ctx);
  const { single, multi } = headersV1(req.headers);
  const multiQuery = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, [...v]]));
  const singleQuery = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, v[v.length - 1]!]));
  const { body, isBase64Encoded } = eventBody(ctx);
  const route = ctx.route?.route;
  return {
    version: '1.0',
    resource: route?.path ?? route?.routeKey ?? '$default',
    path: ctx.request.path,
    httpMethod: ctx.request.method,
    headers: nullIfEmpty(single),
    multiValueHeaders: nullIfEmpty(multi),
    queryStringParameters: nullIfEmpty(singleQuery),
    multiValueQueryStringParameters: nullIfEmpty(multiQuery),
    requestContext: requestContextV1(ctx),
    pathParameters: nullIfEmpty({ ...(ctx.route?.pathParameters ?? {}) }),
    stageVariables: nullIfEmpty({ ...(ctx.stage?.variables ?? {}) }),
    body: body ?? null,
    isBase64Encoded,
  };
}

/** The payload-1.0 Lambda authorizer event of an HTTP API (REST-like). */
export function buildAuthorizerEventV1(ctx: HttpInvocation, identityValues: readonly string[]): Record<string, unknown> {
  const event = buildEventV1(ctx);
  const joined = identityValues.join(',');
  return {
    version: '1.0',
    type: 'REQUEST',
    methodArn: routeArn(ctx),
    identitySource: joined,
    authorizationToken: joined,
    resource: event.resource,
    path: event.path,
    httpMethod: event.httpMethod,
    headers: event.headers,
    multiValueHeaders: event.multiValueHeaders,
    queryStringParameters: event.queryStringParameters,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters,
    requestContext: event.requestContext,
    pathParameters: event.pathParameters,
    stageVariables: event.stageVariables,
  };
}
