import { getHeader } from '../../core/http';
import { type Step, next, reject } from '../../pipeline/types';
import type { HttpInvocation, HttpStageView } from '../context';
import { isPreflight } from '../cors';
import { httpError } from '../errors';
import type { HttpDeployment, HttpStage } from '../model';
import { matchHttpRoute, selectStage } from '../routing';

export interface HttpStageLookup {
  readonly stage: HttpStage;
  readonly deployment?: HttpDeployment;
}

export interface HttpRouteDeps {
  findStage(name: string): HttpStageLookup | undefined;
  stageNames(): string[];
}

/**
 * Stage selection, then route selection (routing.ts). Nothing matched: 404 Not Found. A CORS
 * preflight that matches no route is not a 404: the gateway answers it itself further on.
 */
export function routeStep(deps: HttpRouteDeps): Step<HttpInvocation> {
  return {
    id: 'route',
    phase: 'routing',
    overheadMs: 1,
    run(ctx) {
      const selection = selectStage(ctx.request.path, (name) => deps.findStage(name) !== undefined);
      if (!selection) {
        const names = deps.stageNames();
        return reject(
          ctx,
          httpError('NOT_FOUND'),
          `No stage serves ${ctx.request.path}: the first path segment names no stage (${names.map((n) => `"${n}"`).join(', ') || 'none exist'}) and there is no $default stage. HTTP APIs answer 404 Not Found.`,
          { detail: { path: ctx.request.path, stages: names } },
        );
      }
      const found = deps.findStage(selection.stage)!;
      const deployment = found.deployment;
      if (!deployment) {
        return reject(ctx, httpError('NOT_FOUND'), `Stage "${selection.stage}" has never been deployed (no auto-deploy and no deployment yet): 404 Not Found.`, {
          detail: { stage: selection.stage },
        });
      }
      const api = deployment.api;
      const stage: HttpStageView = { name: selection.stage, settings: found.stage, deployment, variables: found.stage.stageVariables };
      const withStage: HttpInvocation = { ...ctx, stage, api, apiName: api.name };
      const preflight = api.corsConfiguration !== undefined && isPreflight(ctx.request.method, ctx.request.headers);
      const where = `Stage "${selection.stage}"${selection.stripped ? ` (stripped from the path)` : ' (the $default stage, served at the root URL)'}, deployment ${deployment.deploymentId}`;
      const match = matchHttpRoute(api.routes, ctx.request.method, selection.path);
      const detail = {
        stage: selection.stage,
        deploymentId: deployment.deploymentId,
        path: selection.path,
        considered: match.considered,
        unmatchedRoutes: match.unmatched,
      };
      if (!match.route) {
        if (preflight) {
          return next(
            { ...withStage, preflight: true },
            `${where}: no route matches OPTIONS ${selection.path}, but this is a CORS preflight (Origin ${getHeader(ctx.request.headers, 'origin')}) and the API has a CORS configuration, so the gateway will answer it itself.`,
            { detail: { ...detail, preflight: true } },
          );
        }
        return reject(
          withStage,
          httpError('NOT_FOUND'),
          `${where}: no route matches ${ctx.request.method} ${selection.path} and there is no $default route: 404 {"message":"Not Found"} (a REST API would say 403 Missing Authentication Token).`,
          { detail },
        );
      }
      const route = match.route;
      const integration = route.target ? api.integrations[route.target] : undefined;
      const params = Object.keys(match.pathParameters).length ? ` with ${Object.entries(match.pathParameters).map(([k, v]) => `${k}=${v}`).join(', ')}` : '';
      return next(
        {
          ...withStage,
          route: { route, ...(integration ? { integration } : {}), path: selection.path, pathParameters: match.pathParameters },
          ...(preflight ? { preflight: true } : {}),
        },
        `${where}: ${ctx.request.method} ${selection.path} matched route "${route.routeKey}"${params} (${match.kind === 'default' ? 'the catch-all' : match.kind === 'greedy' ? 'a greedy match' : 'a full match'}${match.considered.length > 1 ? `; ${match.considered.length} routes considered` : ''}).`,
        {
          detail: {
            ...detail,
            routeKey: route.routeKey,
            routeId: route.routeId,
            pathParameters: match.pathParameters,
            ...(preflight ? { preflight: true } : {}),
            // Which backend this route reaches, for the diagram's integration box.
            ...(integration ? { integration: { type: integration.integrationType, uri: integration.integrationUri } } : {}),
          },
        },
      );
    },
  };
}
