/**
 * Identity sources of HTTP API authorizers: `$request.header.name` (case-insensitive, several
 * values comma-joined), `$request.querystring.name` (case-sensitive), `$context.name`,
 * `$stageVariables.name`. An empty value counts as missing (?).
 */
import { getHeaderValues, parseQuery } from '../core/http';
import type { HttpInvocation } from './context';
import { contextString } from './context-variables';

export interface ResolvedIdentity {
  readonly values: string[];
  /** The sources that had no value. */
  readonly missing: string[];
}

export function resolveIdentitySources(sources: readonly string[], ctx: HttpInvocation, contextVars: Record<string, unknown>): ResolvedIdentity {
  const values: string[] = [];
  const missing: string[] = [];
  for (const source of sources) {
    let v: string | undefined;
    let m = /^\$request\.header\.(.+)$/.exec(source);
    if (m) {
      const all = getHeaderValues(ctx.request.headers, m[1]!);
      v = all.length ? all.join(',') : undefined;
    } else if ((m = /^\$request\.querystring\.(.+)$/.exec(source))) {
      const all = parseQuery(ctx.request.rawQuery)[m[1]!];
      v = all ? all.join(',') : undefined;
    } else if ((m = /^\$context\.(.+)$/.exec(source))) {
      v = contextString(contextVars, m[1]!);
    } else if ((m = /^\$stageVariables\.(.+)$/.exec(source))) {
      v = ctx.stage?.variables[m[1]!];
    }
    if (v === undefined || v === '') missing.push(source);
    else values.push(v);
  }
  return { values, missing };
}
