/**
 * HTTP API routing (reference A1): stage selection first, then route selection by AWS's
 * "most specific match":
 *  1. a full match on path and method: a literal segment beats `{param}` at the same position,
 *     and a method-specific route beats `ANY`;
 *  2. a greedy `{proxy+}` route (the longest, most literal prefix first; method beats `ANY`);
 *  3. `$default`.
 * Nothing matches: 404 {"message":"Not Found"} (REST would say 403 Missing Authentication Token).
 *
 * (?) Undocumented, chosen here: `/pets/{proxy+}` does not match bare `/pets`; a trailing slash
 * is ignored for matching; path parameter values are passed as sent (not URL-decoded); between
 * an `ANY` route with more literal segments and a method route with fewer, the path decides.
 */
import type { HttpRoute, HttpStage } from './model';

export interface StageSelection {
  readonly stage: string;
  /** The route path: the request path without the stage segment (`$request.path`). */
  readonly path: string;
  /** True when the first segment named the stage (it is then stripped). */
  readonly stripped: boolean;
}

/**
 * If the first path segment names a stage, that stage serves the request and the segment is
 * stripped; otherwise the `$default` stage (served at the root URL), if there is one.
 */
export function selectStage(rawPath: string, hasStage: (name: string) => boolean): StageSelection | undefined {
  const normalised = '/' + rawPath.replace(/^\/+/, '');
  const first = normalised.slice(1).split('/')[0] ?? '';
  if (first !== '' && first !== '$default' && hasStage(first)) {
    const rest = normalised.slice(1 + first.length);
    return { stage: first, path: rest === '' ? '/' : '/' + rest.replace(/^\/+/, ''), stripped: true };
  }
  if (hasStage('$default')) return { stage: '$default', path: normalised, stripped: false };
  return undefined;
}

export interface RouteCandidate {
  readonly routeKey: string;
  readonly verdict: string;
}

export interface RouteMatch {
  readonly route: HttpRoute;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly kind: 'full' | 'greedy' | 'default';
  /** The routes whose path matched, best first, with why each won or lost; then $default. */
  readonly considered: readonly RouteCandidate[];
  /** How many routes did not match the path at all. */
  readonly unmatched: number;
}

export interface NoRoute {
  readonly route?: undefined;
  readonly considered: readonly RouteCandidate[];
  readonly unmatched: number;
}

function segments(path: string): string[] {
  const p = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return p === '' ? [] : p.split('/').filter((s) => s !== '');
}

interface Candidate {
  readonly route: HttpRoute;
  readonly kind: 'full' | 'greedy';
  /** Per route segment: 2 literal, 1 param, 0 greedy; compared position by position. */
  readonly rank: readonly number[];
  readonly methodSpecific: boolean;
  readonly pathParameters: Record<string, string>;
}

/** A route path split once: each fixed segment is a literal or a parameter name; then maybe a greedy name. */
interface CompiledPath {
  readonly fixed: readonly { readonly literal?: string; readonly param?: string }[];
  readonly greedy?: string;
}

const compiledPaths = new WeakMap<HttpRoute, CompiledPath>();

function compilePath(route: HttpRoute): CompiledPath {
  let c = compiledPaths.get(route);
  if (c) return c;
  const segs = segments(route.path!);
  const last = segs[segs.length - 1];
  const greedy = last !== undefined && /^\{.+\+\}$/.test(last) ? last.slice(1, -2) : undefined;
  const fixed = (greedy !== undefined ? segs.slice(0, -1) : segs).map((seg) => {
    const param = /^\{(.+)\}$/.exec(seg);
    return param ? { param: param[1]! } : { literal: seg };
  });
  c = greedy !== undefined ? { fixed, greedy } : { fixed };
  compiledPaths.set(route, c);
  return c;
}

function matchPath(route: HttpRoute, req: readonly string[]): Omit<Candidate, 'methodSpecific'> | undefined {
  const { fixed, greedy } = compilePath(route);
  if (greedy !== undefined ? req.length <= fixed.length : req.length !== fixed.length) return undefined;
  for (let i = 0; i < fixed.length; i++) {
    const lit = fixed[i]!.literal;
    if (lit !== undefined && lit !== req[i]) return undefined;
  }
  const params: Record<string, string> = {};
  const rank: number[] = [];
  for (let i = 0; i < fixed.length; i++) {
    const seg = fixed[i]!;
    if (seg.param !== undefined) {
      params[seg.param] = req[i]!;
      rank.push(1);
    } else rank.push(2);
  }
  if (greedy !== undefined) {
    params[greedy] = req.slice(fixed.length).join('/');
    rank.push(0);
  }
  return { route, kind: greedy !== undefined ? 'greedy' : 'full', rank, pathParameters: params };
}

function compare(a: Candidate, b: Candidate): number {
  if (a.kind !== b.kind) return a.kind === 'full' ? -1 : 1;
  const n = Math.max(a.rank.length, b.rank.length);
  for (let i = 0; i < n; i++) {
    // A longer literal prefix outranks a shorter one among greedy routes.
    const x = a.rank[i] ?? -1;
    const y = b.rank[i] ?? -1;
    if (x !== y) return y - x;
  }
  if (a.methodSpecific !== b.methodSpecific) return a.methodSpecific ? -1 : 1;
  return 0;
}

function describe(c: Candidate): string {
  const literals = c.rank.filter((r) => r === 2).length;
  const params = c.rank.filter((r) => r === 1).length;
  const shape = c.kind === 'full' ? `full match (${literals} literal, ${params} {param} segment${params === 1 ? '' : 's'})` : `greedy match (${literals} literal prefix segment${literals === 1 ? '' : 's'})`;
  return `${shape}, ${c.methodSpecific ? 'method-specific' : 'ANY'}`;
}

export function matchHttpRoute(routes: readonly HttpRoute[], method: string, path: string): RouteMatch | NoRoute {
  const req = segments(path);
  const candidates: Candidate[] = [];
  const wrongMethod: RouteCandidate[] = [];
  let unmatched = 0;
  for (const route of routes) {
    if (route.routeKey === '$default') continue;
    const m = matchPath(route, req);
    if (!m) {
      unmatched++;
      continue;
    }
    if (route.method !== 'ANY' && route.method !== method) {
      wrongMethod.push({ routeKey: route.routeKey, verdict: `the path matches but the method is ${route.method}, not ${method}` });
      continue;
    }
    candidates.push({ ...m, methodSpecific: route.method !== 'ANY' });
  }
  candidates.sort(compare);
  const considered: RouteCandidate[] = candidates.map((c, i) => ({
    routeKey: c.route.routeKey,
    verdict: i === 0 ? `chosen: ${describe(c)}` : `${describe(c)}: outranked by ${candidates[0]!.route.routeKey}`,
  }));
  considered.push(...wrongMethod);
  const fallback = routes.find((r) => r.routeKey === '$default');
  const best = candidates[0];
  if (best) {
    if (fallback) considered.push({ routeKey: '$default', verdict: 'only used when no other route matches' });
    return { route: best.route, pathParameters: best.pathParameters, kind: best.kind, considered, unmatched };
  }
  if (fallback) {
    considered.push({ routeKey: '$default', verdict: 'chosen: no other route matches, so the catch-all $default route takes the request' });
    return { route: fallback, pathParameters: {}, kind: 'default', considered, unmatched };
  }
  return { considered, unmatched };
}

/** Stage names a request may address, for messages. */
export function stageNames(stages: Iterable<HttpStage>): string[] {
  return [...stages].map((s) => s.stageName);
}
