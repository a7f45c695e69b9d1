/**
 * One HTTP API as a gateway hosts it: the draft, its stages (with auto-deploy), the deployments
 * they point at, and the request pipeline:
 *
 *   receive → route → throttle → authorizer → integrationRequest → corsPreflight → integration
 *   → integrationResponse; errors → gatewayResponse; always → corsHeaders → respond
 *
 * HTTP APIs write no execution logs in AWS. The trace's executionLog therefore holds the
 * simulator's own step summaries, labelled as such, and the access-log line.
 */
import { AuthorizerCache } from '../auth/authorizer-cache';
import type { AuthorizerOutput } from '../auth/lambda-authorizer';
import type { HttpRequest } from '../core/http';
import { consoleLogTime } from '../core/time-format';
import { runPipeline } from '../pipeline/runner';
import type { Pipeline } from '../pipeline/types';
import { withGatewayHeaders } from '../rest/steps/gateway-headers';
import { type GatewayType, TRACE_VERSION, type Trace, type TraceStep } from '../trace/types';
import type { HttpInvocation } from './context';
import { DEFAULT_ACCESS_LOG_FORMAT, httpContextVariables, renderAccessLog } from './context-variables';
import { recordHttpRequest } from '../services/metrics';
import type { HttpDeps } from './deps';
import { type HttpApi, type HttpDeployment, type HttpStage, createHttpDeployment } from './model';
import { authorizerStep } from './steps/authorizer';
import { corsPreflight } from './steps/cors-preflight';
import { corsHeaders, finalize } from './steps/finalize';
import { gatewayResponse } from './steps/gateway-response';
import { integrationStep } from './steps/integration';
import { integrationRequest } from './steps/integration-request';
import { integrationResponse } from './steps/integration-response';
import { receive } from './steps/receive';
import { routeStep } from './steps/route';
import { throttleStep } from './steps/throttle';

export const HTTP_TRACE_HEADER = 'Simulator trace (HTTP APIs have no execution logs in AWS)';

/** What HTTP APIs lack compared with REST APIs (reference A8 and Part C), stated when both are compared. */
export const HTTP_API_MISSING_FEATURES: readonly string[] = [
  'API keys and usage plans (no per-client throttling or quotas)',
  'stage caching',
  'request validation',
  'VTL mapping templates (no body transformation; parameter mapping only)',
  'custom gateway responses (error bodies are fixed)',
  'canary deployments and test invoke',
  'execution logs and X-Ray tracing',
  'resource policies, AWS WAF, edge-optimized and private endpoints, MOCK integrations',
];

export interface HttpHandleOptions {
  /** Arrival time; defaults to the clock's now. */
  readonly at?: number;
  /** Record before/after snapshots (default true). */
  readonly snapshots?: boolean;
  /** The other gateway types this request is being compared with: the trace then says what HTTP APIs lack. */
  readonly comparing?: readonly GatewayType[];
}

export class HttpApiHost {
  private draftApi: HttpApi;
  private readonly deployments = new Map<string, HttpDeployment>();
  private readonly stages = new Map<string, HttpStage>();
  private readonly pipeline: Pipeline<HttpInvocation>;
  /** Lambda-authorizer answers of this API (keys name the stage and authorizer). */
  readonly authorizerCache = new AuthorizerCache<AuthorizerOutput>();

  constructor(
    api: HttpApi,
    stages: readonly HttpStage[],
    private readonly deps: Omit<HttpDeps, 'authorizerCache'>,
    readonly region = 'us-east-1',
    readonly accountId = '123456789012',
  ) {
    this.draftApi = api;
    for (const s of stages) this.stages.set(s.stageName, s);
    const full: HttpDeps = { ...deps, authorizerCache: this.authorizerCache };
    this.pipeline = {
      steps: [
        receive,
        routeStep({
          findStage: (name) => {
            const stage = this.stages.get(name);
            if (!stage) return undefined;
            const deployment = stage.deploymentId ? this.deployments.get(stage.deploymentId) : undefined;
            return { stage, ...(deployment ? { deployment } : {}) };
          },
          stageNames: () => [...this.stages.keys()],
        }),
        throttleStep(full),
        authorizerStep(full),
        integrationRequest,
        corsPreflight,
        integrationStep(full),
        integrationResponse,
      ],
      onError: gatewayResponse,
      finally: [corsHeaders, finalize],
      snapshot: snapshotOf,
      onException: (ctx, stepId, err) => ({
        ...ctx,
        error: { type: 'INTERNAL_SERVER_ERROR', message: 'Internal Server Error', statusCode: 500 },
        integrationError: `simulator error in ${stepId}: ${err instanceof Error ? err.message : String(err)}`,
      }),
    };
    // Stages with auto-deploy serve the API as created.
    for (const s of stages) if (s.autoDeploy) this.deploy(s.stageName, { auto: true });
  }

  get id(): string {
    return this.draftApi.apiId;
  }

  get draft(): HttpApi {
    return this.draftApi;
  }

  /** Replace the draft. Stages with auto-deploy redeploy at once; the others wait for deploy(). */
  setDraft(api: HttpApi): string[] {
    this.draftApi = api;
    const redeployed: string[] = [];
    for (const s of this.stages.values()) {
      if (s.autoDeploy) {
        this.deploy(s.stageName, { auto: true });
        redeployed.push(s.stageName);
      }
    }
    return redeployed;
  }

  deploy(stageName: string, options: { description?: string; auto?: boolean } = {}): HttpDeployment {
    const deployment = createHttpDeployment(this.draftApi, this.deps.ids.deploymentId(), this.deps.clock.now(), options.auto ?? false, options.description);
    this.deployments.set(deployment.deploymentId, deployment);
    const existing = this.stages.get(stageName);
    this.stages.set(stageName, {
      stageName,
      autoDeploy: false,
      stageVariables: {},
      defaultRouteSettings: {},
      routeSettings: {},
      ...existing,
      deploymentId: deployment.deploymentId,
      lastDeploymentStatusMessage: options.auto ? 'Successfully deployed stage with deployment ID ' + deployment.deploymentId : '',
    });
    return deployment;
  }

  /** Deploy every stage that has no deployment yet (a scenario's start). */
  deployUndeployed(): void {
    for (const s of [...this.stages.values()]) if (!s.deploymentId) this.deploy(s.stageName);
  }

  /** Stage settings apply without a redeploy. */
  updateStage(stageName: string, patch: Partial<Omit<HttpStage, 'stageName'>>): HttpStage {
    const existing = this.stages.get(stageName);
    if (!existing) throw new Error(`stage ${stageName} does not exist`);
    const next = { ...existing, ...patch };
    this.stages.set(stageName, next);
    return next;
  }

  /** Create or update stages from a definition (settings apply without a redeploy; a new auto-deploy stage deploys now). */
  applyStages(stages: readonly HttpStage[]): void {
    for (const s of stages) {
      const existing = this.stages.get(s.stageName);
      this.stages.set(s.stageName, { ...s, ...(existing?.deploymentId ? { deploymentId: existing.deploymentId } : {}) });
      if (!existing && s.autoDeploy) this.deploy(s.stageName, { auto: true });
    }
  }

  getStage(name: string): HttpStage | undefined {
    return this.stages.get(name);
  }

  listStages(): HttpStage[] {
    return [...this.stages.values()];
  }

  async handle(request: HttpRequest, options: HttpHandleOptions = {}): Promise<Trace> {
    const clock = this.deps.clock;
    const at = options.at ?? clock.now();
    const requestId = this.deps.ids.extendedRequestId();
    const initial: HttpInvocation = {
      requestId,
      receivedAt: at,
      request: withGatewayHeaders(request, this.draftApi.apiId, this.region, this.deps.ids.traceId(at)),
      apiId: this.draftApi.apiId,
      apiName: this.draftApi.name,
      region: this.region,
      accountId: this.accountId,
    };
    const run = await runPipeline(this.pipeline, initial, { clock, startAt: at, snapshots: options.snapshots ?? true });
    const ctx = run.ctx;
    const response = ctx.response ?? { statusCode: 500, headers: { 'apigw-requestid': [requestId] }, body: '{"message":"Internal Server Error"}', isBase64Encoded: false };
    const gatewayStep = run.steps.find((s) => s.step === 'gatewayResponse');
    const functionLogs = run.steps.flatMap((s) => (Array.isArray(s.detail?.functionLogs) ? (s.detail!.functionLogs as string[]) : []));
    const stage = ctx.stage;
    const format = stage?.settings.accessLogFormat ?? DEFAULT_ACCESS_LOG_FORMAT;
    const accessLog = renderAccessLog(format, httpContextVariables({ ...ctx, response }, run.endedAt));
    if (this.deps.metrics) {
      const routeKey = ctx.route?.route.routeKey;
      const settings = stage?.settings;
      recordHttpRequest(this.deps.metrics, {
        apiId: ctx.apiId,
        ...(stage ? { stage: stage.name } : {}),
        ...(routeKey ? { routeKey } : {}),
        detailed: (routeKey ? settings?.routeSettings[routeKey]?.detailedMetricsEnabled : undefined) ?? settings?.defaultRouteSettings.detailedMetricsEnabled ?? false,
        status: response.statusCode,
        latencyMs: run.endedAt - run.startedAt,
        ...(ctx.integrationResult ? { integrationLatencyMs: ctx.integrationResult.latencyMs } : {}),
        dataProcessed: Buffer.byteLength(request.body ?? '') + Buffer.byteLength(response.body),
        at: run.endedAt,
      });
    }
    return {
      version: TRACE_VERSION,
      id: requestId,
      api: { type: 'HTTP', id: ctx.apiId, name: ctx.apiName, stage: stage?.name ?? '' },
      request,
      response,
      startedAt: run.startedAt,
      durationMs: run.endedAt - run.startedAt,
      steps: run.steps,
      ...(run.stoppedAt ? { stoppedAt: run.stoppedAt } : {}),
      ...(gatewayStep && ctx.error ? { gatewayResponse: { type: ctx.error.type, statusCode: response.statusCode } } : {}),
      executionLog: simulatorLog(run.steps, accessLog, options.comparing ?? []),
      accessLog,
      ...(functionLogs.length ? { functionLogs } : {}),
    };
  }
}

/** The executionLog of an HTTP trace: the simulator's step summaries, then the access-log line. */
function simulatorLog(steps: readonly TraceStep[], accessLog: string, comparing: readonly GatewayType[]): string[] {
  const lines = [HTTP_TRACE_HEADER];
  for (const s of steps) {
    if (s.outcome === 'skip') continue;
    lines.push(`${consoleLogTime(s.at)} : [${s.step}] ${s.summary}`);
  }
  lines.push(`Access log: ${accessLog}`);
  if (comparing.includes('REST')) lines.push(`Not available in HTTP APIs (REST has them): ${HTTP_API_MISSING_FEATURES.join('; ')}.`);
  return lines;
}

function snapshotOf(ctx: HttpInvocation): Record<string, unknown> {
  return {
    request: ctx.route ? { ...ctx.request, routeKey: ctx.route.route.routeKey, pathParameters: ctx.route.pathParameters, stage: ctx.stage?.name } : ctx.request,
    ...(ctx.stage ? { stageVariables: ctx.stage.variables } : {}),
    ...(ctx.authorization ? { authorizer: ctx.authorization } : {}),
    ...(ctx.mapped ? { mappedRequest: ctx.mapped } : {}),
    ...(ctx.lambdaEvent ? { integrationRequest: ctx.lambdaEvent } : {}),
    ...(ctx.integrationResult ? { integrationResponse: ctx.integrationResult } : {}),
    ...(ctx.response ? { response: ctx.response } : {}),
    ...(ctx.error ? { error: ctx.error } : {}),
  };
}
