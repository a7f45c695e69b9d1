/**
 * `$context` and `$stageVariables`, and reading back what a template wrote to
 * `$context.requestOverride` / `$context.responseOverride`.
 *
 * AWS evidence (recorded keySet iteration): `"$context.get('identity')"` and
 * `"$context.requestOverride.get('path')"` render as "", so nested context objects print as
 * the empty string here (?). requestOverride exposes header/querystring/path; responseOverride
 * exposes header (status appears once a template sets it).
 */
import { JavaMap, fromPlain, javaToString, toPlain } from './java-values';

/** A map inside $context: navigable like any map, printed as "". */
export class ContextMap extends JavaMap {
  override toJavaString(): string {
    return '';
  }
}

function toContextValue(v: unknown): unknown {
  if (v instanceof JavaMap) return v;
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const m = new ContextMap();
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) m.put(k, toContextValue(val));
    return m;
  }
  return fromPlain(v);
}

function ensureMap(parent: JavaMap, key: string): JavaMap {
  const v = parent.get(key);
  if (v instanceof JavaMap) return v;
  const m = new ContextMap();
  parent.put(key, m);
  return m;
}

export function buildContext(context: Record<string, unknown> = {}): JavaMap {
  const map = new JavaMap();
  for (const [k, v] of Object.entries(context)) if (v !== undefined) map.put(k, toContextValue(v));
  const requestOverride = ensureMap(map, 'requestOverride');
  for (const k of ['header', 'querystring', 'path']) ensureMap(requestOverride, k);
  ensureMap(ensureMap(map, 'responseOverride'), 'header');
  return map;
}

export function buildStageVariables(vars: Record<string, string> = {}): JavaMap {
  return JavaMap.of(Object.entries(vars));
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v instanceof JavaMap) {
    for (const [k, val] of v.entries()) if (val !== null && val !== undefined) out[javaToString(k)] = javaToString(val);
  }
  return out;
}

export interface Overrides {
  requestOverride: { header: Record<string, string>; querystring: Record<string, string>; path: Record<string, string> };
  responseOverride: { status?: number; header: Record<string, string> };
  /**
   * Both maps as the template left them, custom keys included, as plain data: what a request
   * template wrote is still there for the response template (recorded).
   */
  contextOverrides: { requestOverride: Record<string, unknown>; responseOverride: Record<string, unknown> };
}

export function readOverrides(context: JavaMap | undefined): Overrides {
  const req = context?.get('requestOverride');
  const res = context?.get('responseOverride');
  const reqMap = req instanceof JavaMap ? req : new JavaMap();
  const resMap = res instanceof JavaMap ? res : new JavaMap();
  const result: Overrides = {
    requestOverride: {
      header: stringRecord(reqMap.get('header')),
      querystring: stringRecord(reqMap.get('querystring')),
      path: stringRecord(reqMap.get('path')),
    },
    responseOverride: { header: stringRecord(resMap.get('header')) },
    contextOverrides: {
      requestOverride: toPlain(reqMap) as Record<string, unknown>,
      responseOverride: toPlain(resMap) as Record<string, unknown>,
    },
  };
  const status = resMap.get('status');
  if (status !== null && status !== undefined) {
    const text = javaToString(status).trim();
    if (/^-?\d+$/.test(text)) result.responseOverride.status = Number(text);
  }
  return result;
}

/** An override map as a template that never touched it leaves it: only empty standard sub-maps. */
function isBlank(v: unknown, keys: readonly string[]): v is Record<string, Record<string, unknown>> | undefined {
  if (v === undefined) return true;
  if (v === null || typeof v !== 'object' || v instanceof JavaMap) return false;
  for (const k in v) {
    if (!keys.includes(k)) return false;
    const sub = (v as Record<string, unknown>)[k];
    if (sub === null || typeof sub !== 'object' || sub instanceof JavaMap) return false;
    for (const _ in sub) return false;
  }
  return true;
}

const REQUEST_OVERRIDE_KEYS = ['header', 'querystring', 'path'] as const;

/**
 * readOverrides(buildContext(context)) for a template that cannot reach $context, without
 * building any map; undefined when the context carries something, so the caller takes the
 * long way. (The overrides' key order is kept: a later template can iterate them.)
 */
export function untouchedOverrides(context: Record<string, unknown> | undefined): Overrides | undefined {
  const req = context?.requestOverride;
  const res = context?.responseOverride;
  if (!isBlank(req, REQUEST_OVERRIDE_KEYS) || !isBlank(res, ['header'])) return undefined;
  const carriedRequest: Record<string, unknown> = {};
  for (const k in req) carriedRequest[k] = {};
  for (const k of REQUEST_OVERRIDE_KEYS) carriedRequest[k] ??= {};
  return {
    requestOverride: { header: {}, querystring: {}, path: {} },
    responseOverride: { header: {} },
    contextOverrides: { requestOverride: carriedRequest, responseOverride: { header: {} } },
  };
}
