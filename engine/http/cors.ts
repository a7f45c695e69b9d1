/**
 * Built-in CORS of HTTP APIs (reference A7). With a `corsConfiguration`:
 *  - a preflight (OPTIONS with Origin and Access-Control-Request-Method) is answered by the
 *    gateway itself, 204, without calling the backend, "even if there isn't an OPTIONS route";
 *  - other requests that carry an Origin get the configured headers added, and whatever CORS
 *    headers the backend sent are dropped (the gateway's configuration wins);
 *  - a request without Origin gets no CORS headers at all.
 * (?) Chosen here: an origin that is not allowed gets no Access-Control-* headers (the browser
 * then blocks the response); the preflight still answers 204.
 */
import { type MultiMap, getHeader } from '../core/http';
import type { CorsConfiguration } from './model';

export function isPreflight(method: string, headers: MultiMap): boolean {
  return method === 'OPTIONS' && getHeader(headers, 'origin') !== undefined && getHeader(headers, 'access-control-request-method') !== undefined;
}

/** `*`, an exact origin, or a wildcard such as `https://*` / `https://*.example.com`. */
export function originAllowed(origin: string, allowOrigins: readonly string[]): boolean {
  return allowOrigins.some((allowed) => {
    if (allowed === '*') return true;
    if (!allowed.includes('*')) return allowed.toLowerCase() === origin.toLowerCase();
    const re = new RegExp(`^${allowed.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
    return re.test(origin);
  });
}

function allowOriginValue(cors: CorsConfiguration, origin: string): string {
  return cors.allowOrigins.includes('*') && !cors.allowCredentials ? '*' : origin;
}

/** Headers of the gateway's own preflight answer; empty when the origin is not allowed. */
export function preflightHeaders(cors: CorsConfiguration, origin: string): Record<string, string> {
  if (!originAllowed(origin, cors.allowOrigins)) return {};
  return {
    'access-control-allow-origin': allowOriginValue(cors, origin),
    ...(cors.allowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
    ...(cors.allowMethods.length ? { 'access-control-allow-methods': cors.allowMethods.join(',') } : {}),
    ...(cors.allowHeaders.length ? { 'access-control-allow-headers': cors.allowHeaders.join(',').toLowerCase() } : {}),
    ...(cors.maxAge !== undefined ? { 'access-control-max-age': String(cors.maxAge) } : {}),
  };
}

/** Headers added to an actual (non-preflight) response; empty when the origin is not allowed. */
export function responseCorsHeaders(cors: CorsConfiguration, origin: string): Record<string, string> {
  if (!originAllowed(origin, cors.allowOrigins)) return {};
  return {
    'access-control-allow-origin': allowOriginValue(cors, origin),
    ...(cors.allowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
    ...(cors.exposeHeaders.length ? { 'access-control-expose-headers': cors.exposeHeaders.join(',').toLowerCase() } : {}),
  };
}

/** Would the browser accept this preflight for the method and headers it asked about? For the summary only. */
export function browserVerdict(cors: CorsConfiguration, origin: string, method: string, requestHeaders: string | undefined): string | undefined {
  if (!originAllowed(origin, cors.allowOrigins)) return `the origin ${origin} is not in allowOrigins, so the browser blocks the request`;
  const methods = cors.allowMethods;
  if (!methods.includes('*') && !methods.includes(method.toUpperCase()) && !['GET', 'HEAD', 'POST'].includes(method.toUpperCase())) {
    return `${method} is not in allowMethods, so the browser blocks the request`;
  }
  const allowed = cors.allowHeaders.map((h) => h.toLowerCase());
  const missing = (requestHeaders ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '' && !allowed.includes('*') && !allowed.includes(h));
  if (missing.length) return `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in allowHeaders, so the browser blocks the request`;
  return undefined;
}
