/**
 * Lambda proxy output for REST APIs (payload 1.0), validated as AWS does. Anything malformed is
 * a 502 "Internal server error" with the log line "Malformed Lambda proxy response" — the most
 * asked-about API Gateway error (learner-pain #3).
 */

export interface ProxyResult {
  readonly statusCode: number;
  /** Header name → values, multiValueHeaders first then headers (recorded: both are kept). */
  readonly headers: Readonly<Record<string, string[]>>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

export type ParsedProxyResult = { readonly ok: true; readonly result: ProxyResult } | { readonly ok: false; readonly problem: string };

const ALLOWED_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

export function parseProxyResult(payload: string): ParsedProxyResult {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { ok: false, problem: 'the function did not return JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problem: `the function returned ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a bare ${typeof value}`} instead of an object with statusCode, headers and body` };
  }
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !ALLOWED_KEYS.has(k));
  if (unknown.length > 0) {
    const hint = unknown.includes('cookies') ? ' (cookies is a payload-2.0 field: HTTP APIs only)' : '';
    return { ok: false, problem: `unexpected field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}${hint}` };
  }

  let statusCode = 200;
  if (o.statusCode !== undefined && o.statusCode !== null) {
    const n = typeof o.statusCode === 'number' ? o.statusCode : typeof o.statusCode === 'string' && /^\d+$/.test(o.statusCode) ? Number(o.statusCode) : NaN;
    if (!Number.isInteger(n) || n < 100 || n > 599) return { ok: false, problem: `statusCode ${JSON.stringify(o.statusCode)} is not a number` };
    statusCode = n;
  }

  const headers: Record<string, string[]> = {};
  const addHeader = (name: string, value: string) => {
    const existing = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
    (headers[existing ?? name] ??= []).push(value);
  };
  if (o.multiValueHeaders !== undefined && o.multiValueHeaders !== null) {
    if (typeof o.multiValueHeaders !== 'object' || Array.isArray(o.multiValueHeaders)) return { ok: false, problem: 'multiValueHeaders is not an object' };
    for (const [k, v] of Object.entries(o.multiValueHeaders)) {
      if (!Array.isArray(v)) return { ok: false, problem: `multiValueHeaders.${k} is not a list` };
      for (const item of v) addHeader(k, scalar(item));
    }
  }
  if (o.headers !== undefined && o.headers !== null) {
    if (typeof o.headers !== 'object' || Array.isArray(o.headers)) return { ok: false, problem: 'headers is not an object' };
    for (const [k, v] of Object.entries(o.headers)) {
      if (v !== null && typeof v === 'object') return { ok: false, problem: `headers.${k} is not a string` };
      addHeader(k, scalar(v));
    }
  }

  let body = '';
  if (o.body !== undefined && o.body !== null) {
    if (typeof o.body !== 'string') {
      return { ok: false, problem: `body is ${Array.isArray(o.body) ? 'an array' : o.body === null ? 'null' : `${/^[aeiou]/.test(typeof o.body) ? 'an' : 'a'} ${typeof o.body}`}, not a string (use JSON.stringify)` };
    }
    body = o.body;
  }
  if (o.isBase64Encoded !== undefined && o.isBase64Encoded !== null && typeof o.isBase64Encoded !== 'boolean') {
    return { ok: false, problem: 'isBase64Encoded is not a boolean' };
  }
  return { ok: true, result: { statusCode, headers, body, isBase64Encoded: o.isBase64Encoded === true } };
}

function scalar(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}
