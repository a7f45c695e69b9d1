import { type Step, next, reject } from '../../pipeline/types';
import type { Deployment, Stage } from '../../model/rest';
import type { RestInvocation, RestRoute, StageView } from '../context';
import { type RouteFound, type RouteMissing, type StagePath, matchRoute, splitStage } from '../routing';

export interface StageLookup {
  readonly stage: Stage;
  readonly deployment: Deployment;
  /** Set when the stage has a canary: the canary's deployment. */
  readonly canaryDeployment?: Deployment;
}

export interface RouteDeps {
  /** The deployed stage; for a console Test (TestInvokeMethod) the draft under `test-invoke-stage`. */
  findStage(name: string, testInvoke: boolean): StageLookup | undefined;
  /** Uniform in [0, 1): the canary split, from the engine's seeded random source. */
  canaryDraw(): number;
}

/**
 * Stage, then resource, then method. Nothing matched is 403 Missing Authentication Token, the
 * most misleading message in API Gateway: it is about the URL, not about authentication.
 */
export function routeStep(deps: RouteDeps): Step<RestInvocation> {
  return {
    id: 'route',
    phase: 'routing',
    overheadMs: 1,
    run(ctx) {
      const split = splitStageCached(ctx.request.path);
      if (!split) {
        return missing(
          ctx,
          'The URL has no stage: REST API URLs start with the stage name (/prod/...). API Gateway answers 403 Missing Authentication Token.',
          { path: ctx.request.path },
        );
      }
      const found = deps.findStage(split.stage, ctx.testInvoke);
      if (!found) {
        return missing(
          ctx,
          `No stage named "${split.stage}" is deployed. The first path segment must name a stage; API Gateway answers 403 Missing Authentication Token.`,
          { stage: split.stage },
        );
      }

      let deployment = found.deployment;
      let variables = found.stage.variables;
      let isCanaryRequest = false;
      const canary = found.stage.canarySettings;
      if (canary && found.canaryDeployment && canary.percentTraffic > 0) {
        const draw = deps.canaryDraw() * 100;
        if (draw < canary.percentTraffic) {
          deployment = found.canaryDeployment;
          variables = { ...variables, ...canary.stageVariableOverrides };
          isCanaryRequest = true;
        }
      }
      // Everything below depends only on the stage, the deployment, the method and the path:
      // remembered per stage object (stages are replaced, never mutated), except for canary
      // requests, whose stage variables are merged per request.
      const resolved = isCanaryRequest
        ? resolve(split, found.stage, deployment, variables, true, ctx.request.method)
        : memoResolve(split, found.stage, deployment, ctx.request.method);
      const routed: RestInvocation = resolved.route
        ? { ...ctx, stage: resolved.stage, api: deployment.api, apiName: deployment.api.name, route: resolved.route }
        : { ...ctx, stage: resolved.stage, api: deployment.api, apiName: deployment.api.name };
      if (!resolved.route) {
        return reject(routed, { type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' }, resolved.summary, { detail: resolved.detail });
      }
      return next(routed, resolved.summary, { detail: resolved.detail });
    },
  };
}

function missing(ctx: RestInvocation, summary: string, detail: Record<string, unknown>) {
  return reject(ctx, { type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' }, summary, { detail });
}

interface Resolved {
  readonly stage: StageView;
  readonly route?: RestRoute;
  readonly summary: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

const resolvedByStage = new WeakMap<Stage, Map<string, Resolved>>();

function memoResolve(split: StagePath, stage: Stage, deployment: Deployment, method: string): Resolved {
  let byKey = resolvedByStage.get(stage);
  if (!byKey) resolvedByStage.set(stage, (byKey = new Map()));
  const key = `${deployment.id} ${method} ${split.path}`;
  let r = byKey.get(key);
  if (!r) {
    r = resolve(split, stage, deployment, stage.variables, false, method);
    if (byKey.size >= MAX_CACHED_MATCHES) byKey.clear();
    byKey.set(key, r);
  }
  return r;
}

function resolve(split: StagePath, settings: Stage, deployment: Deployment, variables: Readonly<Record<string, string>>, isCanaryRequest: boolean, method: string): Resolved {
  const api = deployment.api;
  const stage: StageView = { name: split.stage, settings, deploymentId: deployment.id, variables, isCanaryRequest, hasCanary: settings.canarySettings !== undefined };
  const match = cachedMatch(deployment, api, split.path, method);
  if (match.kind === 'missing') {
    const summary =
      match.considered.length > 0
        ? `${split.path} exists but has no ${method} method (nor ANY) in deployment ${deployment.id}. API Gateway answers 403 Missing Authentication Token, never 405.`
        : `No resource in deployment ${deployment.id} of stage "${split.stage}" matches ${split.path}. API Gateway answers 403 Missing Authentication Token, never 404.`;
    return { stage, summary, detail: { stage: split.stage, deploymentId: deployment.id, path: split.path, considered: match.considered } };
  }
  const pathParameters = match.pathParameters;
  const via = match.method.httpMethod === 'ANY' && method !== 'ANY' ? ' (via its ANY method)' : '';
  return {
    stage,
    route: { resource: match.resource, method: match.method, httpMethod: method, path: split.path, pathParameters },
    summary: `Stage "${split.stage}"${isCanaryRequest ? ' (canary)' : ''}, deployment ${deployment.id}: ${method} ${split.path} matched resource ${match.resource.path}${via}.`,
    detail: {
      stage: split.stage,
      deploymentId: deployment.id,
      isCanaryRequest,
      resource: match.resource.path,
      method: match.method.httpMethod,
      pathParameters,
      considered: match.considered,
      // Which backend this method reaches, for the diagram's integration box.
      ...(match.method.integration ? { integration: { type: match.method.integration.type, ...(match.method.integration.uri ? { uri: match.method.integration.uri } : {}) } } : {}),
    },
  };
}

/** splitStage by raw path, remembered (a load simulation sends the same paths again and again). */
const splits = new Map<string, StagePath | undefined>();
function splitStageCached(path: string): StagePath | undefined {
  let s = splits.get(path);
  if (s === undefined && !splits.has(path)) {
    s = splitStage(path);
    if (splits.size >= MAX_CACHED_MATCHES) splits.clear();
    splits.set(path, s);
  }
  return s;
}

/**
 * Matches by deployment, method and path. A deployment is frozen, so its answers never change;
 * a load simulation sends the same few paths again and again. Bounded per deployment.
 */
const matches = new WeakMap<Deployment, Map<string, RouteFound | RouteMissing>>();
const MAX_CACHED_MATCHES = 4096;

function cachedMatch(deployment: Deployment, api: Deployment['api'], path: string, method: string): RouteFound | RouteMissing {
  let byKey = matches.get(deployment);
  if (!byKey) matches.set(deployment, (byKey = new Map()));
  const key = `${method} ${path}`;
  let m = byKey.get(key);
  if (!m) {
    m = matchRoute(api, path, method);
    if (m.kind === 'found') {
      // AWS strips a trailing slash from a greedy parameter's value (recorded).
      const pathParameters = Object.fromEntries(Object.entries(m.pathParameters).map(([k, v]) => [k, v.replace(/\/+$/, '')]));
      m = { ...m, pathParameters };
    }
    if (byKey.size >= MAX_CACHED_MATCHES) byKey.clear();
    byKey.set(key, m);
  }
  return m;
}
