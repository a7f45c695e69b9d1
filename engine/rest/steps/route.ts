import { type Step, next, reject } from '../../pipeline/types';
import type { Deployment, Stage } from '../../model/rest';
import type { RestInvocation, StageView } from '../context';
import { matchRoute, splitStage } from '../routing';

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
      const missing = (summary: string, detail: Record<string, unknown>) =>
        reject(ctx, { type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' }, summary, { detail });

      const split = splitStage(ctx.request.path);
      if (!split) {
        return missing(
          'The URL has no stage: REST API URLs start with the stage name (/prod/...). API Gateway answers 403 Missing Authentication Token.',
          { path: ctx.request.path },
        );
      }
      const found = deps.findStage(split.stage, ctx.testInvoke);
      if (!found) {
        return missing(
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
      const api = deployment.api;
      const stage: StageView = {
        name: split.stage,
        settings: found.stage,
        deploymentId: deployment.id,
        variables,
        isCanaryRequest,
        hasCanary: canary !== undefined,
      };
      const withStage: RestInvocation = { ...ctx, stage, api, apiName: api.name };

      const match = matchRoute(api, split.path, ctx.request.method);
      if (match.kind === 'missing') {
        const summary =
          match.considered.length > 0
            ? `${split.path} exists but has no ${ctx.request.method} method (nor ANY) in deployment ${deployment.id}. API Gateway answers 403 Missing Authentication Token, never 405.`
            : `No resource in deployment ${deployment.id} of stage "${split.stage}" matches ${split.path}. API Gateway answers 403 Missing Authentication Token, never 404.`;
        return reject(withStage, { type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' }, summary, {
          detail: { stage: split.stage, deploymentId: deployment.id, path: split.path, considered: match.considered },
        });
      }

      // AWS strips a trailing slash from a greedy parameter's value (recorded).
      const pathParameters = Object.fromEntries(
        Object.entries(match.pathParameters).map(([k, v]) => [k, v.replace(/\/+$/, '')]),
      );
      const via = match.method.httpMethod === 'ANY' && ctx.request.method !== 'ANY' ? ' (via its ANY method)' : '';
      return next(
        {
          ...withStage,
          route: { resource: match.resource, method: match.method, httpMethod: ctx.request.method, path: split.path, pathParameters },
        },
        `Stage "${split.stage}"${isCanaryRequest ? ' (canary)' : ''}, deployment ${deployment.id}: ${ctx.request.method} ${split.path} matched resource ${match.resource.path}${via}.`,
        {
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
        },
      );
    },
  };
}
