import { type HttpRequest, type MultiMap, findHeaderName } from '../../core/http';

/**
 * Client headers API Gateway drops while parsing the request: they never reach an integration
 * (proxy or not), a mapping or `$input.params()` (LocalStack's AWS-validated list; recorded
 * proxy events have no Connection or Content-Length).
 */
export const DROPPED_REQUEST_HEADERS = new Set([
  'connection',
  'content-length',
  'content-md5',
  'expect',
  'max-forwards',
  'proxy-authenticate',
  'server',
  'te',
  'transfer-encoding',
  'trailer',
  'upgrade',
  'www-authenticate',
]);

export function withoutDroppedHeaders(headers: MultiMap): MultiMap {
  const out: Record<string, readonly string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (!DROPPED_REQUEST_HEADERS.has(k.toLowerCase())) out[k] = v;
  return out;
}

/**
 * Headers the AWS front end adds before API Gateway sees a request (regional endpoint): the
 * Host the client used, X-Amzn-Trace-Id, and X-Forwarded-For/Port/Proto. They show up in
 * `$input.params()`, the proxy event and the method-request log.
 */
export function withGatewayHeaders(request: HttpRequest, apiId: string, region: string, traceId: string): HttpRequest {
  const headers: Record<string, readonly string[]> = {};
  if (!findHeaderName(request.headers, 'host')) headers['Host'] = [`${apiId}.execute-api.${region}.amazonaws.com`];
  Object.assign(headers, withoutDroppedHeaders(request.headers));
  const xff = findHeaderName(headers, 'x-forwarded-for');
  if (!findHeaderName(headers, 'x-amzn-trace-id')) headers['X-Amzn-Trace-Id'] = [traceId];
  if (xff) headers[xff] = [`${headers[xff]![0]}, ${request.sourceIp}`];
  else headers['X-Forwarded-For'] = [request.sourceIp];
  if (!findHeaderName(headers, 'x-forwarded-port')) headers['X-Forwarded-Port'] = ['443'];
  if (!findHeaderName(headers, 'x-forwarded-proto')) headers['X-Forwarded-Proto'] = ['https'];
  return { ...request, headers };
}
