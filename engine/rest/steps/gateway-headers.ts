import type { HttpRequest, MultiMap } from '../../core/http';

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
  // One pass over the client's headers (this runs for every request of a load simulation):
  // the result is the same as dropping, then looking each gateway header up by name.
  let host = false;
  let trace = false;
  let port = false;
  let proto = false;
  let xff: string | undefined;
  for (const k in request.headers) {
    const lower = k.toLowerCase();
    if (lower === 'host') host = true;
    else if (DROPPED_REQUEST_HEADERS.has(lower)) continue;
    else if (lower === 'x-amzn-trace-id') trace = true;
    else if (lower === 'x-forwarded-port') port = true;
    else if (lower === 'x-forwarded-proto') proto = true;
    else if (lower === 'x-forwarded-for' && xff === undefined) xff = k;
  }
  const headers: Record<string, readonly string[]> = {};
  if (!host) headers['Host'] = [`${apiId}.execute-api.${region}.amazonaws.com`];
  for (const k in request.headers) if (!DROPPED_REQUEST_HEADERS.has(k.toLowerCase())) headers[k] = request.headers[k]!;
  if (!trace) headers['X-Amzn-Trace-Id'] = [traceId];
  if (xff) headers[xff] = [`${headers[xff]![0]}, ${request.sourceIp}`];
  else headers['X-Forwarded-For'] = [request.sourceIp];
  if (!port) headers['X-Forwarded-Port'] = ['443'];
  if (!proto) headers['X-Forwarded-Proto'] = ['https'];
  return { ...request, headers };
}
