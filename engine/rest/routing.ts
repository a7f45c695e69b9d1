/**
 * REST API routing, as AWS does it:
 *  - the first path segment names the stage;
 *  - resources are tried most specific first: a literal segment beats `{param}`, which beats a
 *    greedy `{proxy+}`; a resource that matches the path but has neither the request's method
 *    nor ANY is passed over, and matching falls back to less specific resources (recorded:
 *    OPTIONS /test with only POST on /test reaches /{proxy+} OPTIONS; GET /part1/random-value
 *    with only /part1/hardcoded-value below /part1 reaches /{param+});
 *  - an explicit method beats ANY on the same resource;
 *  - a trailing slash is ignored for matching;
 *  - nothing matches: 403 Missing Authentication Token (never 404 or 405).
 */
import type { Method, Resource, RestApi, RestHttpMethod } from '../model/rest';

export interface StagePath {
  readonly stage: string;
  /** The path after the stage, leading slashes collapsed, trailing slash kept: `/pets/1/`. */
  readonly path: string;
  /** `$context.path` / `requestContext.path`: the stage and the rest exactly as sent. */
  readonly contextPath: string;
}

/** Split `/prod/pets/1` into stage `prod` and path `/pets/1`. Undefined when there is no stage segment. */
export function splitStage(rawPath: string): StagePath | undefined {
  const trimmed = rawPath.replace(/^\/+/, '');
  if (trimmed === '') return undefined;
  const slash = trimmed.indexOf('/');
  const stage = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const rest = slash < 0 ? '' : trimmed.slice(slash);
  return { stage, path: '/' + rest.replace(/^\/+/, ''), contextPath: `/${stage}${rest}` };
}

type SegmentKind = 'literal' | 'param' | 'greedy';

interface Node {
  readonly children: Map<string, Node>; // literal segments
  param?: { name: string; node: Node };
  greedy?: { name: string; node: Node };
  resource?: Resource;
}

export interface RouteFound {
  readonly kind: 'found';
  readonly resource: Resource;
  readonly method: Method;
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Resources whose path matched, most specific first, and why each was or was not chosen. */
  readonly considered: readonly { readonly resource: string; readonly verdict: string }[];
}

export interface RouteMissing {
  readonly kind: 'missing';
  readonly considered: readonly { readonly resource: string; readonly verdict: string }[];
}

const compiled = new WeakMap<RestApi, Node>();

function newNode(): Node {
  return { children: new Map() };
}

function segmentKind(seg: string): [SegmentKind, string] {
  const greedy = /^\{(.+)\+\}$/.exec(seg);
  if (greedy) return ['greedy', greedy[1]!];
  const param = /^\{(.+)\}$/.exec(seg);
  if (param) return ['param', param[1]!];
  return ['literal', seg];
}

function compile(api: RestApi): Node {
  const cached = compiled.get(api);
  if (cached) return cached;
  const root = newNode();
  for (const resource of Object.values(api.resources)) {
    let node = root;
    for (const seg of pathSegments(resource.path)) {
      const [kind, name] = segmentKind(seg);
      if (kind === 'literal') {
        let child = node.children.get(name);
        if (!child) node.children.set(name, (child = newNode()));
        node = child;
      } else if (kind === 'param') {
        node.param ??= { name, node: newNode() };
        node = node.param.node;
      } else {
        node.greedy ??= { name, node: newNode() };
        node = node.greedy.node;
      }
    }
    node.resource = resource;
  }
  compiled.set(api, root);
  return root;
}

function pathSegments(path: string): string[] {
  const p = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return p === '' ? [] : p.split('/');
}

export function pickMethod(resource: Resource, httpMethod: string): Method | undefined {
  return resource.methods[httpMethod as RestHttpMethod] ?? resource.methods.ANY;
}

export function matchRoute(api: RestApi, path: string, httpMethod: string): RouteFound | RouteMissing {
  const segments = pathSegments(path);
  const considered: { resource: string; verdict: string }[] = [];

  const walk = (node: Node, i: number, params: Record<string, string>): RouteFound | undefined => {
    if (i === segments.length) {
      if (!node.resource) return undefined;
      const method = pickMethod(node.resource, httpMethod);
      if (!method) {
        considered.push({ resource: node.resource.path, verdict: `matches the path but has no ${httpMethod} or ANY method` });
        return undefined;
      }
      const explicit = method.httpMethod !== 'ANY' || httpMethod === 'ANY';
      considered.push({ resource: node.resource.path, verdict: explicit ? `chosen: ${httpMethod} method` : 'chosen: ANY method' });
      return { kind: 'found', resource: node.resource, method, pathParameters: params, considered };
    }
    const seg = segments[i]!;
    const literal = node.children.get(seg);
    if (literal) {
      const found = walk(literal, i + 1, params);
      if (found) return found;
    }
    if (node.param && seg !== '') {
      const found = walk(node.param.node, i + 1, { ...params, [node.param.name]: seg });
      if (found) return found;
    }
    if (node.greedy) {
      const value = segments.slice(i).join('/');
      const found = walk(node.greedy.node, segments.length, { ...params, [node.greedy.name]: value });
      if (found) return found;
    }
    return undefined;
  };

  return walk(compile(api), 0, {}) ?? { kind: 'missing', considered };
}
