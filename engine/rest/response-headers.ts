/**
 * Headers API Gateway adds to every response it sends, and the backend headers it renames
 * because it owns them (`x-amzn-Remapped-*`, reference §1.8).
 */
import type { HttpResponse, MultiMap } from '../core/http';
import { findHeaderName } from '../core/http';
import { httpDate } from '../core/time-format';
import type { RestInvocation } from './context';

const REMAPPED = new Set([
  'authorization',
  'connection',
  'content-md5',
  'date',
  'expect',
  'host',
  'max-forwards',
  'proxy-authenticate',
  'server',
  'trailer',
  'upgrade',
  'user-agent',
  'www-authenticate',
]);

/** Backend headers API Gateway will not pass through under their own names. */
export function remapBackendHeaders(headers: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    const lower = k.toLowerCase();
    if (lower === 'content-length' || lower === 'transfer-encoding') continue; // recomputed
    out[REMAPPED.has(lower) ? `x-amzn-Remapped-${k}` : k] = [...v];
  }
  return out;
}

/** Date, Content-Type, Content-Length, request ids (and the trace id when tracing is on). */
export function finalizeResponse(ctx: RestInvocation, response: HttpResponse, now: number): HttpResponse {
  const headers: Record<string, readonly string[]> = {};
  headers['Date'] = [httpDate(now)];
  const ct = findHeaderName(response.headers, 'content-type');
  headers[ct ?? 'Content-Type'] = ct ? response.headers[ct]! : ['application/json'];
  const bytes = response.isBase64Encoded ? Buffer.from(response.body, 'base64').length : Buffer.byteLength(response.body);
  headers['Content-Length'] = [String(bytes)];
  headers['Connection'] = ['keep-alive'];
  headers['x-amzn-RequestId'] = [ctx.requestId];
  for (const [k, v] of Object.entries(response.headers)) {
    if (k === ct || /^(content-length|date|connection|x-amzn-requestid)$/i.test(k)) continue;
    headers[k] = v;
  }
  headers['x-amz-apigw-id'] = [ctx.extendedRequestId];
  if (ctx.stage?.settings.tracingEnabled) headers['X-Amzn-Trace-Id'] = [`Root=1-${Math.floor(ctx.receivedAt / 1000).toString(16)}-${ctx.requestId.replace(/-/g, '').slice(0, 24)};Sampled=1`];
  return { ...response, headers: headers as MultiMap };
}
