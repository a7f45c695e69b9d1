/**
 * One REST API as a gateway hosts it: the draft the author edits, the deployments (frozen
 * snapshots) and the stages that point at them, and the request pipeline that serves them.
 */
import { type HttpRequest, getHeader } from '../core/http';
import { type Deployment, type RestApi, type Stage, createDeployment } from '../model/rest';
import { type PipelineRun, executionLogOf, runPipeline } from '../pipeline/runner';
import type { Pipeline } from '../pipeline/types';
import { type Mutable, TRACE_VERSION, type Trace } from '../trace/types';
import type { RestInvocation } from './context';
import type { RestDeps } from './deps';
import { cloudWatchExecutionLog, formatExecutionLog } from './execution-log';
import { methodSettingsFor } from './method-settings';
import { ACCOUNT_DEFAULT_LIMITS } from '../services/token-bucket';
import { MetricsStore } from '../services/metrics';
import { CloudWatchLogs, executionLogGroup } from '../services/logs';
import { StageCache } from '../services/stage-cache';
import type { EndpointResponse } from './context';
import { cacheLookupStep, cacheStoreStep } from './steps/cache';
import { monitoringStep } from './steps/monitoring';
import { throttleStep } from './steps/throttle';
import { gatewayResponse } from './steps/gateway-response';
import { integrationStep } from './steps/integration';
import { integrationRequestStep } from './steps/integration-request';
import { integrationResponse } from './steps/integration-response';
import { methodResponse } from './steps/method-response';
import { receive } from './steps/receive';
import { type StageLookup, routeStep } from './steps/route';
import { validate } from './steps/validate';
import { authorizerStep } from './steps/authorizer';
import { apiKeyStep } from './steps/api-key';
import { AuthorizerCache } from '../auth/authorizer-cache';
import type { AuthorizerOutput } from '../auth/lambda-authorizer';
import { withGatewayHeaders, withoutDroppedHeaders } from './steps/gateway-headers';

export interface RestHandleOptions {
  /** Arrival time; defaults to the clock's now. */
  readonly at?: number;
  /** Console Test mode: skips authorizers and API keys, as AWS's TestInvokeMethod does. */
  readonly testInvoke?: boolean;
  /** Record before/after snapshots (default true). */
  readonly snapshots?: boolean;
  /**
   * Skip what only a person reading this one trace needs: the console-format execution log
   * (left empty) and the function logs. For the unsampled requests of a load simulation; the
   * request's effects (buckets, cache, metrics, CloudWatch logs) are the same.
   */
  readonly lean?: boolean;
}

/** The stage name a console Test runs under (AWS shows it in $context.stage and source ARNs). */
export const TEST_INVOKE_STAGE = 'test-invoke-stage';

export interface TestInvokeInput {
  readonly httpMethod: string;
  /** The path after the stage, with its query string: `/pets/1?expand=true`. */
  readonly pathWithQueryString: string;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | null;
  readonly stageVariables?: Readonly<Record<string, string>>;
}

export class RestApiHost {
  private draftApi: RestApi;
  private readonly deployments = new Map<string, Deployment>();
  private readonly stages = new Map<string, Stage>();
  private readonly pipeline: Pipeline<RestInvocation>;
  /** Set while a console Test runs: the draft, frozen, as the stage `test-invoke-stage`. */
  private testInvokeTarget?: { stage: Stage; deployment: Deployment };
  /** Lambda-authorizer results by identity, shared by every method of this API. */
  readonly authorizerCache = new AuthorizerCache<AuthorizerOutput>();
  /** Stage caches by stage name (present while the stage's cache cluster is enabled). */
  private readonly caches = new Map<string, StageCache<EndpointResponse>>();
  private readonly metrics: MetricsStore;
  private readonly logs: CloudWatchLogs;
  private readonly lookups = new WeakMap<Stage, StageLookup>();

  constructor(
    api: RestApi,
    private readonly deps: RestDeps,
    readonly region = 'us-east-1',
    readonly accountId = '123456789012',
  ) {
    this.draftApi = api;
    this.metrics = deps.metrics ?? new MetricsStore();
    this.logs = deps.logs ?? new CloudWatchLogs();
    const cacheDeps = { cacheFor: (stage: string) => this.caches.get(stage) };
    this.pipeline = {
      steps: [
        receive,
        routeStep({
          findStage: (name, testInvoke) => {
            if (testInvoke && name === TEST_INVOKE_STAGE && this.testInvokeTarget) return this.testInvokeTarget;
            const stage = this.stages.get(name);
            if (!stage) return undefined;
            // One lookup object per stage object (stages are replaced on every change).
            const known = this.lookups.get(stage);
            if (known) return known;
            const deployment = stage.deploymentId ? this.deployments.get(stage.deploymentId) : undefined;
            if (!deployment) return undefined;
            const canaryId = stage.canarySettings?.deploymentId;
            const canaryDeployment = canaryId ? this.deployments.get(canaryId) : undefined;
            const lookup = { stage, deployment, ...(canaryDeployment ? { canaryDeployment } : {}) };
            this.lookups.set(stage, lookup);
            return lookup;
          },
          canaryDraw: () => this.deps.random.next(),
        }),
        throttleStep({ buckets: deps.buckets, accountLimits: deps.accountLimits ?? ACCOUNT_DEFAULT_LIMITS }),
        authorizerStep({ rest: deps, cache: this.authorizerCache, jwks: deps.jwks }),
        apiKeyStep({ usage: deps.usage, buckets: deps.buckets }),
        validate,
        cacheLookupStep(cacheDeps),
        integrationRequestStep(region),
        integrationStep(deps),
        integrationResponse,
        methodResponse,
        cacheStoreStep(cacheDeps),
      ],
      onError: gatewayResponse,
      finally: [monitoringStep({ metrics: this.metrics, logs: this.logs })],
      snapshot: snapshotOf,
      onException: (ctx, stepId, err) => ({
        ...ctx,
        error: { type: 'API_CONFIGURATION_ERROR', message: 'Internal server error' },
        integrationError: `simulator error in ${stepId}: ${err instanceof Error ? err.message : String(err)}`,
      }),
    };
  }

  get id(): string {
    return this.draftApi.id;
  }

  get draft(): RestApi {
    return this.draftApi;
  }

  /** Replace the draft. Nothing changes for clients until the next deploy. */
  setDraft(api: RestApi): void {
    this.draftApi = api;
  }

  deploy(stageName: string, options: { description?: string; stage?: Partial<Stage> } = {}): Deployment {
    const deployment = createDeployment(this.draftApi, this.deps.ids.deploymentId(), this.deps.clock.now(), options.description);
    this.deployments.set(deployment.id, deployment);
    const existing = this.stages.get(stageName);
    const stage: Stage = {
      stageName,
      variables: {},
      methodSettings: {},
      cacheClusterEnabled: false,
      tracingEnabled: false,
      ...existing,
      ...options.stage,
      deploymentId: deployment.id,
    };
    this.stages.set(stageName, stage);
    this.syncCache(stage);
    return deployment;
  }

  /** Stage settings apply without a redeploy (reference §5.1). */
  updateStage(stageName: string, patch: Partial<Omit<Stage, 'stageName'>>): Stage {
    const existing = this.stages.get(stageName);
    if (!existing) throw new Error(`stage ${stageName} does not exist`);
    const next = { ...existing, ...patch };
    this.stages.set(stageName, next);
    this.syncCache(next);
    return next;
  }

  /** The stage's cache, while its cache cluster is enabled. */
  stageCache(stageName: string): StageCache<EndpointResponse> | undefined {
    return this.caches.get(stageName);
  }

  /** FlushStageCache: every entry of the stage's cache is dropped. Returns how many there were. */
  flushStageCache(stageName: string): number {
    const cache = this.caches.get(stageName);
    if (!cache) throw new Error(`stage ${stageName} has no cache cluster to flush`);
    return cache.flush();
  }

  /** Enabling provisions a cache; disabling deletes it; resizing replaces it, which wipes its data. */
  private syncCache(stage: Stage): void {
    const current = this.caches.get(stage.stageName);
    if (!stage.cacheClusterEnabled) {
      this.caches.delete(stage.stageName);
      return;
    }
    const size = stage.cacheClusterSize ?? '0.5';
    if (!current || current.sizeGb !== size) this.caches.set(stage.stageName, new StageCache<EndpointResponse>(size));
  }

  /** Create a canary deployment of the current draft on a stage. */
  deployCanary(stageName: string, percentTraffic: number, stageVariableOverrides: Record<string, string> = {}, useStageCache = false): Deployment {
    const stage = this.stages.get(stageName);
    if (!stage) throw new Error(`stage ${stageName} does not exist`);
    const deployment = createDeployment(this.draftApi, this.deps.ids.deploymentId(), this.deps.clock.now(), 'canary');
    this.deployments.set(deployment.id, deployment);
    this.stages.set(stageName, { ...stage, canarySettings: { deploymentId: deployment.id, percentTraffic, stageVariableOverrides, useStageCache } });
    return deployment;
  }

  /**
   * Promote the canary: the stage takes the canary's deployment and its stage-variable
   * overrides; the canary keeps existing with 0% of the traffic until its settings are removed
   * (reference §5.2).
   */
  promoteCanary(stageName: string): Stage {
    const stage = this.stages.get(stageName);
    const canary = stage?.canarySettings;
    if (!stage || !canary?.deploymentId) throw new Error(`stage ${stageName} has no canary to promote`);
    const next: Stage = {
      ...stage,
      deploymentId: canary.deploymentId,
      variables: { ...stage.variables, ...canary.stageVariableOverrides },
      canarySettings: { ...canary, percentTraffic: 0 },
    };
    this.stages.set(stageName, next);
    return next;
  }

  /** Remove the canary settings: every request goes to the stage's deployment again. */
  deleteCanary(stageName: string): Stage {
    const stage = this.stages.get(stageName);
    if (!stage) throw new Error(`stage ${stageName} does not exist`);
    const { canarySettings: _removed, ...rest } = stage;
    this.stages.set(stageName, rest);
    return rest;
  }

  getStage(name: string): Stage | undefined {
    return this.stages.get(name);
  }

  listStages(): Stage[] {
    return [...this.stages.values()];
  }

  getDeployment(id: string): Deployment | undefined {
    return this.deployments.get(id);
  }

  /**
   * The console's Test button (TestInvokeMethod): runs the method of the current *draft* — no
   * deployment needed — without authorizers or API keys, with the given stage variables.
   */
  async testInvokeMethod(input: TestInvokeInput): Promise<Trace> {
    const [pathOnly, query = ''] = input.pathWithQueryString.split(/\?(.*)/s, 2) as [string, string?];
    const headers: Record<string, readonly string[]> = {};
    for (const [k, v] of Object.entries(input.headers ?? {})) headers[k] = typeof v === 'string' ? [v] : v;
    const deployment = createDeployment(this.draftApi, 'test-invoke', this.deps.clock.now(), 'console test');
    this.testInvokeTarget = {
      deployment,
      stage: { stageName: TEST_INVOKE_STAGE, variables: { ...(input.stageVariables ?? {}) }, methodSettings: {}, cacheClusterEnabled: false, tracingEnabled: false, deploymentId: deployment.id },
    };
    try {
      return await this.handle(
        { method: input.httpMethod.toUpperCase(), path: `/${TEST_INVOKE_STAGE}${pathOnly.startsWith('/') ? '' : '/'}${pathOnly}`, rawQuery: query, headers, body: input.body ?? null, isBase64Encoded: false, sourceIp: 'test-invoke-source-ip' },
        { testInvoke: true },
      );
    } finally {
      this.testInvokeTarget = undefined;
    }
  }

  async handle(request: HttpRequest, options: RestHandleOptions = {}): Promise<Trace> {
    const clock = this.deps.clock;
    const at = options.at ?? clock.now();
    const requestId = this.deps.ids.requestId();
    const initial: RestInvocation = {
      requestId,
      extendedRequestId: this.deps.ids.extendedRequestId(),
      receivedAt: at,
      request: options.testInvoke ? { ...request, headers: withoutDroppedHeaders(request.headers) } : withGatewayHeaders(request, this.draftApi.id, this.region, this.deps.ids.traceId(at)),
      apiId: this.draftApi.id,
      apiName: this.draftApi.name,
      region: this.region,
      accountId: this.accountId,
      testInvoke: options.testInvoke ?? false,
      connectionClose: /^close$/i.test(getHeader(request.headers, 'connection') ?? ''),
      logStyle: this.deps.logStyle ?? 'current',
      // Every optional field is there from the start, so each step's `{ ...ctx, x }` copies one
      // object shape (V8's fast clone) instead of making a new shape per step: the difference
      // shows in load simulations.
      stage: undefined,
      api: undefined,
      route: undefined,
      authorizer: undefined,
      apiKey: undefined,
      endpointRequest: undefined,
      endpointResponse: undefined,
      overrides: undefined,
      validationError: undefined,
      integrationError: undefined,
      throttledBy: undefined,
      cache: undefined,
      callerPolicy: undefined,
      accessLog: undefined,
      response: undefined,
      error: undefined,
    };
    const run = await runPipeline(this.pipeline, initial, { clock, startAt: at, snapshots: options.snapshots ?? true, lean: options.lean ?? false });
    const ctx = run.ctx;
    const response = ctx.response ?? { statusCode: 500, headers: {}, body: '{"message": "Internal server error"}', isBase64Encoded: false };
    const gatewayStep = ctx.error ? run.steps.find((s) => s.step === 'gatewayResponse') : undefined;
    const lean = options.lean ?? false;
    const cloudWatchLog = this.writeExecutionLog(ctx, run);
    // Plain assignments for the optional fields: this runs for every live request.
    const trace: Mutable<Trace> = {
      version: TRACE_VERSION,
      id: requestId,
      api: { type: 'REST', id: ctx.apiId, name: ctx.apiName, stage: ctx.stage?.name ?? '' },
      request,
      response,
      startedAt: run.startedAt,
      durationMs: run.endedAt - run.startedAt,
      steps: run.steps,
      // The 2017 console named a Test "test-request"; today's prints the request id (recorded).
      executionLog: lean ? [] : formatExecutionLog(options.testInvoke && ctx.logStyle === '2017' ? 'test-request' : requestId, run.log),
    };
    if (run.stoppedAt) trace.stoppedAt = run.stoppedAt;
    if (gatewayStep && ctx.error) trace.gatewayResponse = { type: String(gatewayStep.detail?.type ?? ctx.error.type), statusCode: response.statusCode };
    if (cloudWatchLog) trace.cloudWatchLog = cloudWatchLog;
    if (ctx.accessLog !== undefined) trace.accessLog = ctx.accessLog;
    if (!lean) {
      let functionLogs: string[] | undefined;
      for (const s of run.steps) if (Array.isArray(s.detail?.functionLogs)) (functionLogs ??= []).push(...(s.detail.functionLogs as string[]));
      if (functionLogs) trace.functionLogs = functionLogs;
    }
    return trace;
  }

  /** CloudWatch's copy of the execution log, when logging is on for the method (never for Test invocations). */
  private writeExecutionLog(ctx: RestInvocation, run: PipelineRun<RestInvocation>): string[] | undefined {
    if (ctx.testInvoke || !ctx.stage || !ctx.route) return undefined;
    const logging = methodSettingsFor(ctx.stage.settings, ctx.route.resource.path, ctx.route.method.httpMethod).logging;
    if (logging.level === 'OFF') return undefined;
    const events = cloudWatchExecutionLog(ctx.requestId, ctx.extendedRequestId, executionLogOf(run), logging.level, logging.dataTrace);
    if (events.length === 0) return undefined;
    this.logs.put(executionLogGroup(ctx.apiId, ctx.stage.name), ctx.stage.deploymentId, events.map((e) => ({ timestamp: e.at, message: e.message })));
    return events.map((e) => e.message);
  }
}

/** The method request as the trace shows it, built once per route (the request never changes). */
const methodRequestViews = new WeakMap<object, Record<string, unknown>>();

function snapshotOf(ctx: RestInvocation): Record<string, unknown> {
  let methodRequest: unknown = ctx.request;
  if (ctx.route) {
    let view = methodRequestViews.get(ctx.route);
    if (view === undefined || view.stage !== ctx.stage?.name) {
      view = { ...ctx.request, resourcePath: ctx.route.resource.path, pathParameters: ctx.route.pathParameters, stage: ctx.stage?.name };
      methodRequestViews.set(ctx.route, view);
    }
    methodRequest = view;
  }
  // Plain assignments rather than conditional spreads: this runs twice per step of every traced request.
  const snap: Record<string, unknown> = { methodRequest };
  if (ctx.stage) snap.stageVariables = ctx.stage.variables;
  if (ctx.authorizer) snap.authorizer = ctx.authorizer;
  if (ctx.endpointRequest) snap.integrationRequest = ctx.endpointRequest;
  if (ctx.endpointResponse) snap.endpointResponse = ctx.endpointResponse;
  if (ctx.response) snap.methodResponse = ctx.response;
  if (ctx.error) snap.error = ctx.error;
  return snap;
}
