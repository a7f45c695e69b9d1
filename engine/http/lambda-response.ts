/**
 * What an HTTP API makes of a Lambda proxy result (reference A5).
 *
 * Payload 2.0: a result with `statusCode` is explicit (`statusCode`, `headers`, `cookies`,
 * `body`, `isBase64Encoded`; each cookie becomes its own set-cookie header). Any other valid
 * JSON is inferred: 200, content-type application/json, the output as the body — a returned
 * string is the body as is, anything else its JSON text. A malformed explicit result (say a
 * non-numeric statusCode) is 500 {"message":"Internal Server Error"}.
 * Payload 1.0: the REST shape; statusCode is required (?).
 */
import { parseProxyResult } from '../rest/proxy-response';

export interface LambdaHttpResult {
  readonly statusCode: number;
  /** Lowercased names. */
  readonly headers: Readonly<Record<string, string[]>>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
  /** True when the 2.0 inference rule produced the response. */
  readonly inferred: boolean;
}

export type ParsedLambdaResult = { readonly ok: true; readonly result: LambdaHttpResult } | { readonly ok: false; readonly problem: string };

function statusOf(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

function addHeader(out: Record<string, string[]>, name: string, value: string): void {
  (out[name.toLowerCase()] ??= []).push(value);
}

export function parseResultV2(payload: string): ParsedLambdaResult {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { ok: false, problem: 'the function did not return valid JSON' };
  }
  const explicit = value !== null && typeof value === 'object' && !Array.isArray(value) && 'statusCode' in value;
  if (!explicit) {
    return {
      ok: true,
      result: {
        statusCode: 200,
        headers: { 'content-type': ['application/json'] },
        body: typeof value === 'string' ? value : payload,
        isBase64Encoded: false,
        inferred: true,
      },
    };
  }
  const o = value as Record<string, unknown>;
  const statusCode = statusOf(o.statusCode);
  if (statusCode === undefined) return { ok: false, problem: `statusCode ${JSON.stringify(o.statusCode)} is not a valid HTTP status code` };
  const headers: Record<string, string[]> = {};
  if (o.headers !== undefined && o.headers !== null) {
    if (typeof o.headers !== 'object' || Array.isArray(o.headers)) return { ok: false, problem: 'headers is not an object' };
    for (const [k, v] of Object.entries(o.headers)) {
      if (v !== null && typeof v === 'object') return { ok: false, problem: `headers.${k} is not a string` };
      addHeader(headers, k, v === null || v === undefined ? '' : String(v));
    }
  }
  if (o.cookies !== undefined && o.cookies !== null) {
    if (!Array.isArray(o.cookies)) return { ok: false, problem: 'cookies is not a list' };
    for (const c of o.cookies) addHeader(headers, 'set-cookie', String(c));
  }
  let body = '';
  if (o.body !== undefined && o.body !== null) {
    // (?) AWS's behaviour for a non-string body with an explicit statusCode is not documented;
    // we reject it as REST does, since JSON.stringify is what the function meant.
    if (typeof o.body !== 'string') return { ok: false, problem: `body is ${Array.isArray(o.body) ? 'an array' : o.body === null ? 'null' : `${/^[aeiou]/.test(typeof o.body) ? 'an' : 'a'} ${typeof o.body}`}, not a string (use JSON.stringify)` };
    body = o.body;
  }
  if (o.isBase64Encoded !== undefined && o.isBase64Encoded !== null && typeof o.isBase64Encoded !== 'boolean') {
    return { ok: false, problem: 'isBase64Encoded is not a boolean' };
  }
  return { ok: true, result: { statusCode, headers, body, isBase64Encoded: o.isBase64Encoded === true, inferred: false } };
}

export function parseResultV1(payload: string): ParsedLambdaResult {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { ok: false, problem: 'the function did not return valid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('statusCode' in value)) {
    return { ok: false, problem: 'payload format 1.0 needs an object with statusCode (no inference as in 2.0)' };
  }
  // Same validation as REST's payload 1.0, minus its rejection of unknown fields (?).
  const known = Object.fromEntries(Object.entries(value).filter(([k]) => ['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded'].includes(k)));
  const parsed = parseProxyResult(JSON.stringify(known));
  if (!parsed.ok) return parsed;
  const headers: Record<string, string[]> = {};
  for (const [k, vs] of Object.entries(parsed.result.headers)) for (const v of vs) addHeader(headers, k, v);
  return { ok: true, result: { statusCode: parsed.result.statusCode, headers, body: parsed.result.body, isBase64Encoded: parsed.result.isBase64Encoded, inferred: false } };
}
