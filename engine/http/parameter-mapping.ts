/**
 * HTTP API parameter mapping (reference A6): change the request's headers, query string and
 * path before the integration sees it, and the response's headers and status code before the
 * client does. There are no mapping templates: bodies are never transformed.
 *
 * Request keys: `append|overwrite|remove:header.<name>`, `append|overwrite|remove:querystring.<name>`,
 * `overwrite:path`. Values: `$request.header.n`, `$request.querystring.n`, `$request.body[.jsonPath]`,
 * `$request.path[.param]`, `$context.x`, `$stageVariables.x`, a static string, or several
 * `${…}` references combined (`"${request.path.name} ${request.path.id}"`).
 * Response keys (per integration status code): `append|overwrite|remove:header.<name>`,
 * `overwrite:statuscode`; values may also be `$response.header.n` and `$response.body[.jsonPath]`.
 *
 * Reserved headers cannot be mapped: AWS refuses the configuration, and so does the loader.
 */
import { JSONPath } from 'jsonpath-plus';
import { type MultiMap, getHeaderValues, parseQuery } from '../core/http';
import { contextString } from './context-variables';

/** Header names no parameter mapping may write (reference A6). */
const RESERVED_EXACT = new Set([
  'authorization',
  'connection',
  'content-encoding',
  'content-length',
  'content-location',
  'forwarded',
  'keep-alive',
  'origin',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'via',
]);
const RESERVED_PREFIXES = ['access-control-', 'apigw-', 'x-amz-', 'x-amzn-'];

export function isReservedHeader(name: string): boolean {
  const n = name.toLowerCase();
  return RESERVED_EXACT.has(n) || RESERVED_PREFIXES.some((p) => n.startsWith(p));
}

const REQUEST_KEY = /^(append|overwrite|remove):(header|querystring)\.(.+)$/;
const RESPONSE_KEY = /^(append|overwrite|remove):header\.(.+)$/;

/** Why a request parameter key is invalid, or undefined when it is fine. */
export function checkRequestParameterKey(key: string): string | undefined {
  if (key === 'overwrite:path') return undefined;
  const m = REQUEST_KEY.exec(key);
  if (!m) return `"${key}" is not a request parameter key (append|overwrite|remove:header.<name>, append|overwrite|remove:querystring.<name>, overwrite:path)`;
  if (m[2] === 'header' && isReservedHeader(m[3]!)) {
    return `${m[3]} is a reserved header: HTTP APIs do not let parameter mapping change it (reserved: access-control-*, apigw-*, Authorization, Connection, Content-Encoding, Content-Length, Content-Location, Forwarded, Keep-Alive, Origin, Proxy-Authenticate, Proxy-Authorization, TE, Trailers, Transfer-Encoding, Upgrade, x-amz-*, x-amzn-*, X-Forwarded-For/Host/Proto, Via)`;
  }
  return undefined;
}

export function checkResponseParameterKey(key: string, value: string): string | undefined {
  if (key === 'overwrite:statuscode') {
    if (/^\d+$/.test(value) && (Number(value) < 200 || Number(value) > 599)) return `the status code must be between 200 and 599, not ${value}`;
    return undefined;
  }
  const m = RESPONSE_KEY.exec(key);
  if (!m) return `"${key}" is not a response parameter key (append|overwrite|remove:header.<name>, overwrite:statuscode)`;
  if (isReservedHeader(m[2]!)) return `${m[2]} is a reserved header: HTTP APIs do not let parameter mapping change it`;
  return undefined;
}

/** What a mapping value can read. */
export interface MappingSources {
  readonly request?: {
    readonly headers: MultiMap;
    readonly rawQuery: string;
    readonly body: string | null;
    /** `$request.path`: without the stage. */
    readonly path: string;
    readonly pathParameters: Readonly<Record<string, string>>;
  };
  readonly response?: { readonly headers: MultiMap; readonly body: string };
  readonly context: Record<string, unknown>;
  readonly stageVariables: Readonly<Record<string, string>>;
}

/** A JSONPath selector on a body. AWS truncates the body at 100 KB first; `..` and filters are not supported. */
function bodyPath(body: string | null, path: string): string | undefined {
  if (body === null) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(body.length > 102_400 ? body.slice(0, 102_400) : body);
  } catch {
    return undefined;
  }
  if (path.includes('..') || path.includes('?(')) return undefined;
  const found = JSONPath({ path: `$.${path}`, json: doc as object, wrap: true }) as unknown[];
  if (found.length === 0) return undefined;
  const v = found[0];
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Resolve one reference (without `$`/`${}`), e.g. `request.header.x`. */
function resolveReference(ref: string, src: MappingSources): string | undefined {
  let m = /^request\.header\.(.+)$/.exec(ref);
  if (m && src.request) {
    const v = getHeaderValues(src.request.headers, m[1]!);
    return v.length ? v.join(',') : undefined;
  }
  m = /^request\.querystring\.(.+)$/.exec(ref);
  if (m && src.request) {
    const v = parseQuery(src.request.rawQuery)[m[1]!];
    return v ? v.join(',') : undefined;
  }
  if (ref === 'request.body' && src.request) return src.request.body ?? undefined;
  m = /^request\.body\.(.+)$/.exec(ref);
  if (m && src.request) return bodyPath(src.request.body, m[1]!);
  if (ref === 'request.path' && src.request) return src.request.path;
  m = /^request\.path\.(.+)$/.exec(ref);
  if (m && src.request) return src.request.pathParameters[m[1]!];
  m = /^response\.header\.(.+)$/.exec(ref);
  if (m && src.response) {
    const v = getHeaderValues(src.response.headers, m[1]!);
    return v.length ? v.join(',') : undefined;
  }
  if (ref === 'response.body' && src.response) return src.response.body;
  m = /^response\.body\.(.+)$/.exec(ref);
  if (m && src.response) return bodyPath(src.response.body, m[1]!);
  m = /^context\.([A-Za-z0-9_.]+)$/.exec(ref);
  if (m) return contextString(src.context, m[1]!);
  m = /^stageVariables\.([A-Za-z0-9_]+)$/.exec(ref);
  if (m) return src.stageVariables[m[1]!];
  return undefined;
}

/**
 * Evaluate a mapping value. A lone reference that resolves to nothing gives undefined (the
 * parameter is left alone (?)); inside a `${…}` combination a missing part is empty.
 */
export function evaluateMappingValue(value: string, src: MappingSources): string | undefined {
  const lone = /^\$((?:request|response|context|stageVariables)(?:\.[^\s${}]+)?)$/.exec(value);
  if (lone) return resolveReference(lone[1]!, src);
  if (value.includes('${')) return value.replace(/\$\{([^}]+)\}/g, (_m, ref: string) => resolveReference(ref.trim(), src) ?? '');
  return value;
}

export interface MappedParameters {
  readonly headers: Record<string, string[]>;
  readonly query: Record<string, string[]>;
  readonly path?: string;
  /** key → value applied, or `(removed)`, or `(source missing: left unchanged)`. */
  readonly applied: Record<string, string>;
}

/** Apply request parameters to the request's headers (lowercased names) and query string. */
export function applyRequestParameters(
  params: Readonly<Record<string, string>>,
  headers: MultiMap,
  query: MultiMap,
  src: MappingSources,
): MappedParameters {
  const h: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) (h[k.toLowerCase()] ??= []).push(...v);
  const q: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(query)) q[k] = [...v];
  const applied: Record<string, string> = {};
  let path: string | undefined;
  for (const [key, value] of Object.entries(params)) {
    if (key === 'overwrite:path') {
      const v = evaluateMappingValue(value, src);
      if (v === undefined) applied[key] = '(source missing: left unchanged)';
      else {
        path = v.startsWith('/') ? v : `/${v}`;
        applied[key] = path;
      }
      continue;
    }
    const m = REQUEST_KEY.exec(key);
    if (!m) continue;
    const [, action, where, rawName] = m;
    const target = where === 'header' ? h : q;
    const name = where === 'header' ? rawName!.toLowerCase() : rawName!;
    if (action === 'remove') {
      delete target[name];
      applied[key] = '(removed)';
      continue;
    }
    const v = evaluateMappingValue(value, src);
    if (v === undefined) {
      applied[key] = '(source missing: left unchanged)';
      continue;
    }
    if (action === 'append') (target[name] ??= []).push(v);
    else target[name] = [v];
    applied[key] = v;
  }
  return { headers: h, query: q, ...(path !== undefined ? { path } : {}), applied };
}

export interface MappedResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string[]>;
  readonly applied: Record<string, string>;
}

/** Apply the response parameters configured for the integration's status code. */
export function applyResponseParameters(
  params: Readonly<Record<string, string>>,
  statusCode: number,
  headers: MultiMap,
  src: MappingSources,
): MappedResponse {
  const h: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) (h[k.toLowerCase()] ??= []).push(...v);
  const applied: Record<string, string> = {};
  let status = statusCode;
  for (const [key, value] of Object.entries(params)) {
    if (key === 'overwrite:statuscode') {
      const v = evaluateMappingValue(value, src);
      const n = v === undefined ? NaN : Number(v);
      if (Number.isInteger(n) && n >= 100 && n <= 599) {
        status = n;
        applied[key] = String(n);
      } else applied[key] = `(not a status code: ${v ?? 'missing'}; left unchanged)`;
      continue;
    }
    const m = RESPONSE_KEY.exec(key);
    if (!m) continue;
    const [, action, rawName] = m;
    const name = rawName!.toLowerCase();
    if (action === 'remove') {
      delete h[name];
      applied[key] = '(removed)';
      continue;
    }
    const v = evaluateMappingValue(value, src);
    if (v === undefined) {
      applied[key] = '(source missing: left unchanged)';
      continue;
    }
    if (action === 'append') (h[name] ??= []).push(v);
    else h[name] = [v];
    applied[key] = v;
  }
  return { statusCode: status, headers: h, applied };
}
