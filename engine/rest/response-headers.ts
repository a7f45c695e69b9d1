/**
 * Headers API Gateway adds to every response it sends, and the backend headers it renames
 * (`x-amzn-Remapped-*`) or drops because it owns them (reference §1.8; the split between
 * proxy and non-proxy integrations is LocalStack's AWS-validated one).
 */
import type { HttpResponse, MultiMap } from '../core/http';
import { findHeaderName, getHeader } from '../core/http';
import { httpDate } from '../core/time-format';
import type { IntegrationType } from '../model/rest';
import type { RestInvocation } from './context';

/** Renamed for every integration type (recorded for HTTP_PROXY: Connection, Content-Length, Date, Server). */
const REMAPPED_COMMON = ['connection', 'content-length', 'date', 'server'];
/** Renamed in addition for non-proxy (HTTP, AWS) integrations. */
const REMAPPED_NON_PROXY = [
  ...REMAPPED_COMMON,
  'authorization',
  'content-md5',
  'expect',
  'host',
  'max-forwards',
  'proxy-authenticate',
  'trailer',
  'upgrade',
  'user-agent',
  'www-authenticate',
];
/** Dropped: framing that API Gateway recomputes, and (HTTP_PROXY) encodings it undoes. Keep-Alive is hop-by-hop (?). */
const DROPPED_COMMON = ['transfer-encoding', 'keep-alive'];
const DROPPED_HTTP_PROXY = [...DROPPED_COMMON, 'content-encoding', 'via'];

/** Backend headers as API Gateway passes them on: some renamed `x-amzn-Remapped-*`, some dropped. */
export function remapBackendHeaders(headers: Readonly<Record<string, readonly string[]>>, type: IntegrationType): Record<string, string[]> {
  const remapped = type === 'HTTP' || type === 'AWS' ? REMAPPED_NON_PROXY : REMAPPED_COMMON;
  const dropped = type === 'HTTP_PROXY' ? DROPPED_HTTP_PROXY : DROPPED_COMMON;
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    const lower = k.toLowerCase();
    if (dropped.includes(lower)) continue;
    out[remapped.includes(lower) ? `x-amzn-Remapped-${k}` : k] = [...v];
  }
  return out;
}

/** Date, Content-Type, Content-Length, Connection, request ids (and the trace id when tracing is on). */
export function finalizeResponse(ctx: RestInvocation, response: HttpResponse, now: number): HttpResponse {
  // A console Test returns the method response as it is: none of the transport headers.
  if (ctx.testInvoke) {
    return findHeaderName(response.headers, 'content-type') ? response : { ...response, headers: { 'Content-Type': ['application/json'], ...response.headers } };
  }
  const headers: Record<string, readonly string[]> = {};
  headers['Date'] = [httpDate(now)];
  const ct = findHeaderName(response.headers, 'content-type');
  headers[ct ?? 'Content-Type'] = ct ? response.headers[ct]! : ['application/json'];
  const bytes = response.isBase64Encoded ? Buffer.from(response.body, 'base64').length : Buffer.byteLength(response.body);
  headers['Content-Length'] = [String(bytes)];
  // The connection is the client's: API Gateway honours `Connection: close` (recorded).
  headers['Connection'] = [ctx.connectionClose ? 'close' : 'keep-alive'];
  headers['x-amzn-RequestId'] = [ctx.requestId];
  for (const [k, v] of Object.entries(response.headers)) {
    if (k === ct || /^(content-length|date|connection|x-amzn-requestid)$/i.test(k)) continue;
    headers[k] = v;
  }
  headers['x-amz-apigw-id'] = [ctx.extendedRequestId];
  if (ctx.stage?.settings.tracingEnabled && !findHeaderName(headers, 'x-amzn-trace-id')) {
    headers['X-Amzn-Trace-Id'] = [getHeader(ctx.request.headers, 'x-amzn-trace-id') ?? `Root=1-${Math.floor(ctx.receivedAt / 1000).toString(16)}-${ctx.requestId.replace(/-/g, '').slice(0, 24)};Sampled=1`];
  }
  return { ...response, headers: headers as MultiMap };
}
