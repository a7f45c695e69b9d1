/**
 * HTTP messages as the engine sees them. Plain JSON data (they go straight into traces), and
 * treated as immutable: helpers return new objects.
 */

/** Header or query values by name, in arrival order. Names keep the casing the client used. */
export type MultiMap = Readonly<Record<string, readonly string[]>>;

export interface HttpRequest {
  readonly method: string;
  /** The URL path exactly as sent (percent-encoding kept), without the query string. */
  readonly path: string;
  /** The raw query string without the leading `?` ('' when there is none). */
  readonly rawQuery: string;
  readonly headers: MultiMap;
  /** Text body, or base64 when `isBase64Encoded`; null when the request had no body. */
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
  readonly sourceIp: string;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: MultiMap;
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

export function findHeaderName(headers: MultiMap, name: string): string | undefined {
  const lower = name.toLowerCase();
  // Called for many headers of every request: compare lengths before lower-casing anything.
  for (const k in headers) if (k.length === lower.length && (k === name || k.toLowerCase() === lower)) return k;
  return undefined;
}

/** The first value of a header, matched case-insensitively, as HTTP does. */
export function getHeader(headers: MultiMap, name: string): string | undefined {
  const k = findHeaderName(headers, name);
  return k === undefined ? undefined : headers[k]?.[0];
}

export function getHeaderValues(headers: MultiMap, name: string): readonly string[] {
  const k = findHeaderName(headers, name);
  return k === undefined ? [] : (headers[k] ?? []);
}

/** Replace a header (any casing) with one value; keeps the existing name's casing if present. */
export function withHeader(headers: MultiMap, name: string, value: string | readonly string[]): MultiMap {
  const existing = findHeaderName(headers, name);
  const values = typeof value === 'string' ? [value] : [...value];
  if (existing === undefined) return { ...headers, [name]: values };
  const out: Record<string, readonly string[]> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = k === existing ? values : v;
  return out;
}

export function withoutHeader(headers: MultiMap, name: string): MultiMap {
  const existing = findHeaderName(headers, name);
  if (existing === undefined) return headers;
  const out: Record<string, readonly string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (k !== existing) out[k] = v;
  return out;
}

/** Single-value view: the last value of each name wins, as in the REST proxy event. */
export function lastValues(map: MultiMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) if (v.length > 0) out[k] = v[v.length - 1]!;
  return out;
}

/** Single-value view keeping the first value (what most of API Gateway's mappings read). */
export function firstValues(map: MultiMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) if (v.length > 0) out[k] = v[0]!;
  return out;
}

/**
 * Parse a query string the way API Gateway does: form decoding ('+' is a space, %XX is a
 * UTF-8 byte), repeated keys collected in order, anything after '#' never sent.
 */
export function parseQuery(rawQuery: string): MultiMap {
  if (rawQuery === '') return {};
  const out: Record<string, string[]> = {};
  const q = rawQuery.split('#')[0] ?? '';
  if (q === '') return out;
  for (const part of q.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = formDecode(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? '' : formDecode(part.slice(eq + 1));
    (out[k] ??= []).push(v);
  }
  return out;
}

export function formDecode(s: string): string {
  const plus = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    // A malformed escape: keep what can be decoded, leave the rest as sent.
    return plus.replace(/(%[0-9a-fA-F]{2})+/g, (m) => {
      try {
        return decodeURIComponent(m);
      } catch {
        return m;
      }
    });
  }
}

export function buildQuery(map: MultiMap): string {
  const parts: string[] = [];
  for (const [k, vs] of Object.entries(map))
    for (const v of vs) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return parts.join('&');
}

/** The media type of a Content-Type or Accept value: `application/json; charset=UTF-8` → `application/json`. */
export function mediaType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const first = value.split(',')[0] ?? '';
  const mt = (first.split(';')[0] ?? '').trim().toLowerCase();
  return mt === '' ? undefined : mt;
}

/** Body size in bytes, as AWS counts it. */
export function bodyBytes(body: string | null, isBase64Encoded: boolean): number {
  if (body === null) return 0;
  return isBase64Encoded ? Buffer.from(body, 'base64').length : Buffer.byteLength(body, 'utf8');
}

export function request(partial: Partial<HttpRequest> & { method: string; path: string }): HttpRequest {
  const [p, q] = splitPathAndQuery(partial.path);
  return {
    method: partial.method.toUpperCase(),
    path: p,
    rawQuery: partial.rawQuery ?? q,
    headers: partial.headers ?? {},
    body: partial.body ?? null,
    isBase64Encoded: partial.isBase64Encoded ?? false,
    sourceIp: partial.sourceIp ?? '203.0.113.10',
  };
}

export function splitPathAndQuery(pathWithQuery: string): [string, string] {
  const i = pathWithQuery.indexOf('?');
  return i < 0 ? [pathWithQuery, ''] : [pathWithQuery.slice(0, i), pathWithQuery.slice(i + 1)];
}
