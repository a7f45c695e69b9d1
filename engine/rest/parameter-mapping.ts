/**
 * Parameter mapping sources (`method.request.*`, `stageVariables.*`, `context.*`, `'literal'`,
 * and on the response side `integration.response.*`), resolved to strings.
 */
import { JSONPath } from 'jsonpath-plus';
import { getHeader, getHeaderValues, parseQuery } from '../core/http';
import type { RestInvocation } from './context';

export function resolveRequestSource(source: string, ctx: RestInvocation, contextVars: Record<string, unknown>): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const route = ctx.route;
  let m = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(source);
  if (m) {
    const name = m[2]!;
    switch (m[1]) {
      case 'path':
        return route?.pathParameters[name];
      case 'querystring': {
        const v = parseQuery(ctx.request.rawQuery)[name];
        return v ? v[v.length - 1] : undefined;
      }
      case 'multivaluequerystring': {
        const v = parseQuery(ctx.request.rawQuery)[name];
        return v ? v.join(',') : undefined;
      }
      case 'header':
        return getHeader(ctx.request.headers, name);
      case 'multivalueheader': {
        const v = getHeaderValues(ctx.request.headers, name);
        return v.length ? v.join(',') : undefined;
      }
    }
  }
  if (source === 'method.request.body') return ctx.request.body ?? undefined;
  m = /^method\.request\.body\.(.+)$/.exec(source);
  if (m) return jsonPathString(ctx.request.body, m[1]!);
  m = /^stageVariables\.(.+)$/.exec(source);
  if (m) return ctx.stage?.variables[m[1]!];
  m = /^context\.(.+)$/.exec(source);
  if (m) return contextValue(contextVars, m[1]!);
  return undefined;
}

export function contextValue(vars: Record<string, unknown>, path: string): string | undefined {
  let v: unknown = vars;
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  if (v === undefined || v === null) return undefined;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A JSONPath into a JSON body, without the leading `$.` as mappings write it. */
export function jsonPathString(body: string | null | undefined, path: string): string | undefined {
  if (!body) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const expr = path.startsWith('$') ? path : `$.${path}`;
  const result = JSONPath({ path: expr, json: json as object, wrap: false });
  if (result === undefined) return undefined;
  return typeof result === 'string' ? result : JSON.stringify(result);
}

/** Substitute `${stageVariables.x}` in URIs and function names. */
export function substituteStageVariables(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_m, name: string) => variables[name] ?? '');
}
