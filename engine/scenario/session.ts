/**
 * A running scenario: one gateway on a virtual clock with the scenario's API, functions and
 * backends, driven step by step. The CLI runs every step; the app runs them one at a time and
 * sends ad-hoc requests in between.
 */
import { type Clock, VirtualClock } from '../core/clock';
import { type HttpRequest, request as makeRequest } from '../core/http';
import { Gateway } from '../gateway';
import { type RestApiDefinition, restApiFromDefinition } from '../model/rest-definition';
import type { RestApiHost } from '../rest/rest-api-host';
import type { GatewayType, ServicesSnapshot, Trace } from '../trace/types';
import { type RunningBackends, startBackends } from './backends';
import { type Check, checkExpectation } from './expect';
import { mergePatch } from './merge-patch';
import { loggingOn } from './loader';
import type { Expectation, RequestSpec, Scenario, ScenarioStep, UsageConfig } from './types';
import type { IdentityProvider } from '../auth/identity-provider';
import type { LoadProgress, LoadResult } from '../load/types';
import type { LoadStepSpec } from './types';
import { type ServiceStepHost, applyStageServiceUpdate, runServiceStep, simulateScenarioLoad } from './services-steps';
import { stageSettingsFromConfig } from './stage-settings';
import { WebSocketScenario } from '../websocket/scenario-clients';
import { type HttpApiDefinition, httpApiFromDefinition, httpStagesFromDefinition } from '../http/definition';
import type { HttpApiHost } from '../http/http-api-host';

/**
 * How a session reaches the API of one gateway type. REST wraps a RestApiHost; the HTTP and
 * WebSocket engines add theirs.
 */
export interface ApiRuntime {
  readonly type: GatewayType;
  /**
   * `at`: arrival time on the virtual clock (load simulation); `snapshots: false` skips
   * before/after snapshots; `lean` skips the formatted logs of unsampled load requests.
   */
  handle(
    request: HttpRequest,
    options: { readonly testInvoke?: boolean; readonly comparing?: readonly GatewayType[]; readonly at?: number; readonly snapshots?: boolean; readonly lean?: boolean },
  ): Promise<Trace>;
  /** REST: the size of the stage cache billed by the hour, if one is provisioned. */
  cacheSizeGb?(): string | undefined;
}

export interface StepOutcome {
  readonly step: ScenarioStep;
  readonly kind: 'request' | 'edit' | 'editFunction' | 'deploy' | 'wait' | 'usage' | 'canary' | 'promoteCanary' | 'updateStage' | 'updateAccount' | 'load' | 'flushCache' | 'say' | 'connect' | 'send' | 'close' | 'drop';
  /** What happened, in one line (for non-request steps and the CLI). */
  readonly summary: string;
  /** The trace of the (last) request, per gateway type. */
  readonly traces: Readonly<Partial<Record<GatewayType, Trace>>>;
  readonly checks: readonly (Check & { readonly gateway?: GatewayType })[];
  readonly passed: boolean;
  /** A load step's result, per gateway type. */
  readonly load?: Readonly<Partial<Record<GatewayType, LoadResult>>>;
  /** Every trace the step produced, in order (a WebSocket message, the $disconnect it caused...). */
  readonly allTraces?: readonly Trace[];
  /** A request step with `repeat` above 1: every request's trace, in order, per gateway type. */
  readonly repeated?: Readonly<Partial<Record<GatewayType, readonly Trace[]>>>;
}

export interface SessionOptions {
  /** Default: a virtual clock at the scenario's start. The live endpoint passes the system clock. */
  readonly clock?: Clock;
  /** Let HTTP integrations and issuers reach the network (live endpoint only). */
  readonly allowNetwork?: boolean;
  /** Answer the identity provider's discovery and JWKS in-process (default) or only over real HTTP. */
  readonly identityInProcess?: boolean;
  /** Overrides the scenario's seed (the live endpoint wants fresh ids on every start). */
  readonly seed?: string;
}

export class ScenarioSession {
  private restDefinition?: RestApiDefinition;
  private restHost?: RestApiHost;
  private backends?: RunningBackends;
  private readonly runtimes: Partial<Record<GatewayType, ApiRuntime>> = {};
  private httpDefinition?: HttpApiDefinition;
  private httpHost?: HttpApiHost;
  private idp?: IdentityProvider;
  private ws?: WebSocketScenario;
  private usage: UsageConfig = {};
  /** The account's CloudWatch Logs role (API Gateway account settings); REST stages need it to log. */
  private cloudWatchRoleArn?: string;
  /** API key and usage plan ids by scenario name (ids are generated, names are what authors write). */
  private readonly usageIds = new Map<string, string>();

  private constructor(
    readonly scenario: Scenario,
    readonly gateway: Gateway,
  ) {}

  static async open(scenario: Scenario, options: SessionOptions = {}): Promise<ScenarioSession> {
    const gateway = new Gateway({
      seed: options.seed ?? scenario.seed,
      clock: options.clock ?? new VirtualClock(scenario.clockStart),
      ...(options.allowNetwork ? { allowNetwork: true } : {}),
      ...(scenario.region ? { region: scenario.region } : {}),
      ...(scenario.account?.throttling ? { accountLimits: scenario.account.throttling } : {}),
    });
    const session = new ScenarioSession(scenario, gateway);
    const role = scenario.account?.cloudWatchRoleArn;
    // Default: the account already has a role, as most do once anyone has turned logging on (?).
    if (role !== null) session.cloudWatchRoleArn = role ?? `arn:aws:iam::${gateway.accountId}:role/APIGatewayPushToCloudWatchLogs`;
    try {
      for (const fn of Object.values(scenario.functions)) gateway.lambda.register(fn);
      if (scenario.identity) session.idp = gateway.addIdentityProvider(scenario.identity, { inProcess: options.identityInProcess ?? true });
      session.backends = await startBackends(scenario.backends, gateway);
      session.startServices();
      const websocket = scenario.apis.WEBSOCKET;
      if (websocket?.kind === 'websocket') {
        const ws = new WebSocketScenario(gateway, websocket.definition, scenario, () => session.servicesState());
        session.ws = ws;
        session.runtimes.WEBSOCKET = { type: 'WEBSOCKET', handle: (req) => ws.handleRequest(req) };
      }
      const rest = scenario.apis.REST;
      if (rest?.kind === 'rest') {
        session.restDefinition = rest.definition;
        const host = gateway.createRestApi(rest.definition);
        session.restHost = host;
        const stageName = scenario.stage.name;
        session.runtimes.REST = {
          type: 'REST',
          handle: (req, o) => (o.testInvoke ? consoleTest(host, req) : host.handle(req, o)),
          cacheSizeGb: () => {
            const st = host.getStage(stageName);
            return st?.cacheClusterEnabled ? (st.cacheClusterSize ?? '0.5') : undefined;
          },
        };
        if (scenario.stage.deploy) {
          session.deployRest();
          const canary = scenario.stage.canary;
          if (canary) host.deployCanary(scenario.stage.name, canary.percentTraffic, { ...(canary.stageVariableOverrides ?? {}) }, canary.useStageCache ?? false);
        }
      }
      const http = scenario.apis.HTTP;
      if (http?.kind === 'http') {
        session.httpDefinition = http.definition;
        const host = gateway.createHttpApi(http.definition);
        session.httpHost = host;
        const comparing = scenario.gateways.filter((g) => g !== 'HTTP');
        session.runtimes.HTTP = {
          type: 'HTTP',
          handle: (req, o) => host.handle(req, { comparing, ...(o.at !== undefined ? { at: o.at } : {}), ...(o.snapshots !== undefined ? { snapshots: o.snapshots } : {}) }),
        };
        if (scenario.stage.deploy) host.deployUndeployed();
      }
      session.applyUsage(scenario.usage);
    } catch (err) {
      await session.close();
      throw err;
    }
    return session;
  }

  get rest(): RestApiHost | undefined {
    return this.restHost;
  }

  get http(): HttpApiHost | undefined {
    return this.httpHost;
  }

  /** The WebSocket API and its simulated clients, when the scenario has one. */
  get websocket(): WebSocketScenario | undefined {
    return this.ws;
  }

  /** The scenario's identity provider, if it declares one. */
  get identity(): IdentityProvider | undefined {
    return this.idp;
  }

  /** The REST stage cache billed by the hour (its size in GB), if the stage has one. */
  cacheSizeGb(): string | undefined {
    return this.runtimes.REST?.cacheSizeGb?.();
  }

  /** The gateway types this session serves. */
  get gatewayTypes(): GatewayType[] {
    return Object.keys(this.runtimes) as GatewayType[];
  }

  /** Serve a request exactly as it arrived (the live endpoint); the clock is not touched. */
  async handleHttp(request: HttpRequest, type: GatewayType = this.scenario.gateways[0]!): Promise<Trace> {
    const runtime = this.runtimes[type];
    if (!runtime) throw new Error(`this scenario has no ${type} API`);
    return runtime.handle(request, {});
  }

  /** Send one request (a scenario step's or an ad-hoc one) and return its trace. */
  async send(spec: RequestSpec, type: GatewayType = this.scenario.gateways[0]!): Promise<Trace> {
    const runtime = this.runtimes[type];
    if (!runtime) throw new Error(`this scenario has no ${type} API`);
    // Ad-hoc requests to a WebSocket API's @connections name clients as {{connection.NAME}} too.
    const req = toHttpRequest(this.ws ? this.ws.substitute(this.withTokens(spec)) : this.withTokens(spec));
    const before = this.servicesState();
    const trace = await runtime.handle(req, { ...(spec.testInvoke ? { testInvoke: true } : {}) });
    this.gateway.clock.advanceTo(trace.startedAt + trace.durationMs);
    return { ...trace, services: { before, after: this.servicesState() } };
  }

  /**
   * The simulated services this scenario uses, as plain JSON (the services panel shows it before
   * and after each request): the tables (`tables:`) with their items, the queues and buckets
   * (`services:`), the WebSocket API's connections, warm Lambda instances (a cold start is the
   * first request after none), and each usage plan's remaining quota per API key. Other services
   * add their kinds.
   */
  servicesState(): ServicesSnapshot {
    const out: Record<string, Record<string, unknown>> = {};
    const tables = this.gateway.tables.snapshotAll();
    if (Object.keys(tables).length > 0) out.tables = tables;
    const queues = this.gateway.queues.snapshot();
    if (queues.length > 0) out.queues = Object.fromEntries(queues.map((q) => [q.name, q]));
    const buckets = this.gateway.objects.snapshot();
    if (buckets.length > 0) out.buckets = Object.fromEntries(buckets.map((b) => [b.bucket, b]));
    const connections = this.ws?.connectionsState();
    if (connections && Object.keys(connections).length > 0) out.connections = connections;
    const lambda: Record<string, unknown> = {};
    for (const fn of this.gateway.lambda.list()) lambda[fn.name] = { warmInstances: this.gateway.lambda.containerCount(fn.name) };
    if (Object.keys(lambda).length > 0) out.lambda = lambda;
    const now = this.gateway.clock.now();
    const usage = this.gateway.usage;
    const plans: Record<string, unknown> = {};
    for (const plan of usage.listPlans()) {
      const keys: Record<string, unknown> = {};
      for (const keyId of plan.keyIds) {
        const key = usage.key(keyId);
        if (!key) continue;
        const remaining = usage.remaining(plan, keyId, now);
        keys[key.name] = { enabled: key.enabled, ...(remaining !== undefined ? { quotaRemaining: remaining } : {}) };
      }
      plans[plan.name] = {
        ...(plan.quota ? { quota: `${plan.quota.limit} per ${plan.quota.period.toLowerCase()}` } : {}),
        ...(plan.throttle ? { throttle: plan.throttle } : {}),
        keys,
      };
    }
    if (Object.keys(plans).length > 0) out.usagePlans = plans;
    return out;
  }

  /**
   * Replace `{{token.NAME}}` with a token minted now, on the virtual clock, and
   * `{{apiKey.NAME}}` with that API key's value.
   */
  withTokens(spec: RequestSpec): RequestSpec {
    const text = JSON.stringify(spec);
    if (!text.includes('{{')) return spec;
    return JSON.parse(
      text.replace(/\{\{(token|apiKey)\.([^}]+)\}\}/g, (m, kind: string, name: string) => {
        if (kind === 'token') {
          if (!this.idp) throw new Error('this scenario has no identity provider to mint tokens');
          return this.idp.mintNamed(name);
        }
        const id = this.usageIds.get(`key:${name}`);
        const key = id ? this.gateway.usage.key(id) : undefined;
        return key ? key.value : m;
      }),
    ) as RequestSpec;
  }

  async run(step: ScenarioStep): Promise<StepOutcome> {
    if (this.ws?.handles(step) && (this.scenario.gateways.length === 1 || !step.request)) return this.ws.run(step, (spec) => this.withTokens(spec));
    const base = { step, traces: {}, checks: [] as Check[], passed: true };
    if (step.wait !== undefined) {
      this.gateway.clock.advance(step.wait * 1000);
      return { ...base, kind: 'wait', summary: `${step.wait} second${step.wait === 1 ? '' : 's'} pass${step.wait === 1 ? 'es' : ''} on the virtual clock.` };
    }
    if (step.edit && this.scenario.gateways[0] === 'HTTP') {
      return { ...base, kind: 'edit', summary: this.editHttp(step.edit as HttpApiDefinition) };
    }
    if (step.edit && this.scenario.gateways.length > 1) {
      // A comparison edits each type's API with its own patch: { REST: {...}, HTTP: {...} }.
      const patches = step.edit as { REST?: RestApiDefinition; HTTP?: HttpApiDefinition };
      const parts: string[] = [];
      if (patches.REST) parts.push(`REST: ${this.editRest(patches.REST)}`);
      if (patches.HTTP) parts.push(`HTTP: ${this.editHttp(patches.HTTP)}`);
      return { ...base, kind: 'edit', summary: parts.join(' ') };
    }
    if (step.edit) {
      return { ...base, kind: 'edit', summary: this.editRest(step.edit as RestApiDefinition) };
    }
    if (step.usage) {
      this.applyUsage(mergePatch(this.usage, step.usage));
      return { ...base, kind: 'usage', summary: 'API keys and usage plans changed; they apply at once, without a deploy.' };
    }
    if (step.flushCache !== undefined || step.load) return runServiceStep(this.services(), step);
    if (step.editFunction) {
      const { name, code, response, latencyMs, timeout, permissions } = step.editFunction;
      this.gateway.lambda.update(name, {
        ...(code !== undefined ? { code } : {}),
        ...(response !== undefined ? { response } : {}),
        ...(latencyMs !== undefined ? { latencyMs } : {}),
        ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
        ...(permissions !== undefined ? { permissions } : {}),
      });
      const onlyPolicy = permissions !== undefined && code === undefined && response === undefined && latencyMs === undefined && timeout === undefined;
      return {
        ...base,
        kind: 'editFunction',
        summary: onlyPolicy
          ? `Function ${name}'s resource-based policy now has ${permissions.length} statement${permissions.length === 1 ? '' : 's'}; it applies at once.`
          : `Function ${name} was updated; its next invocation starts cold.`,
      };
    }
    if (step.canary) {
      if (!this.restHost) throw new Error('canary needs a REST API');
      const c = step.canary;
      const d = this.restHost.deployCanary(this.scenario.stage.name, c.percentTraffic, { ...(c.stageVariableOverrides ?? {}) }, c.useStageCache ?? false);
      return {
        ...base,
        kind: 'canary',
        summary: `Deployed the draft as canary deployment ${d.id} on stage "${this.scenario.stage.name}": ${c.percentTraffic}% of requests go to it${Object.keys(c.stageVariableOverrides ?? {}).length ? ', with its own stage-variable overrides' : ''}.`,
      };
    }
    if (step.promoteCanary) {
      if (!this.restHost) throw new Error('promoteCanary needs a REST API');
      const st = this.restHost.promoteCanary(this.scenario.stage.name);
      return { ...base, kind: 'promoteCanary', summary: `Promoted the canary: stage "${st.stageName}" now serves deployment ${st.deploymentId} to everyone; the canary stays with 0% of the traffic.` };
    }
    if (step.updateAccount) {
      this.cloudWatchRoleArn = step.updateAccount.cloudWatchRoleArn ?? undefined;
      return {
        ...base,
        kind: 'updateAccount',
        summary: this.cloudWatchRoleArn
          ? `The account's API Gateway settings now name a CloudWatch Logs role (${this.cloudWatchRoleArn}): stages may turn logging on.`
          : "The account's API Gateway settings name no CloudWatch Logs role: stages cannot turn logging on.",
      };
    }
    if (step.updateStage) {
      if (!this.restHost) throw new Error('updateStage needs a REST API');
      const u = step.updateStage;
      const name = u.stage ?? this.scenario.stage.name;
      const current = this.restHost.getStage(name);
      if (!current) throw new Error(`stage ${name} does not exist`);
      if (!this.cloudWatchRoleArn && loggingOn(u)) {
        // UpdateStage fails as a whole (AWS: BadRequestException); nothing about the stage changes.
        return {
          ...base,
          kind: 'updateStage',
          summary: `UpdateStage refused — BadRequestException: CloudWatch Logs role ARN must be set in account settings to enable logging. Stage "${name}" is unchanged.`,
        };
      }
      applyStageServiceUpdate(this.services(), name, u);
      let next = this.restHost.updateStage(name, {
        ...(u.variables ? { variables: mergePatch(current.variables, u.variables) as Record<string, string> } : {}),
        ...(u.tracingEnabled !== undefined ? { tracingEnabled: u.tracingEnabled } : {}),
      });
      if (u.canary === null) next = this.restHost.deleteCanary(name);
      else if (u.canary) {
        if (!next.canarySettings) throw new Error(`stage ${name} has no canary; create one with a canary: step`);
        next = this.restHost.updateStage(name, {
          canarySettings: {
            ...next.canarySettings,
            ...(u.canary.percentTraffic !== undefined ? { percentTraffic: u.canary.percentTraffic } : {}),
            ...(u.canary.stageVariableOverrides ? { stageVariableOverrides: u.canary.stageVariableOverrides } : {}),
            ...(u.canary.useStageCache !== undefined ? { useStageCache: u.canary.useStageCache } : {}),
          },
        });
      }
      // Whether a deploy is needed is what a scenario may ask next; the narration says it.
      return { ...base, kind: 'updateStage', summary: `Stage "${name}" settings changed.` };
    }
    if (step.deploy && this.scenario.gateways[0] === 'HTTP') {
      const host = this.httpHost!;
      const stage = step.deploy.stage ?? host.listStages()[0]?.stageName ?? '$default';
      const d = host.deploy(stage, step.deploy.description ? { description: step.deploy.description } : {});
      return { ...base, kind: 'deploy', summary: `Deployed the draft as deployment ${d.deploymentId} to stage "${stage}".` };
    }
    if (step.deploy) {
      const d = this.deployRest(step.deploy.stage, step.deploy.description);
      return { ...base, kind: 'deploy', summary: `Deployed the draft as deployment ${d.id} to stage "${step.deploy.stage ?? this.scenario.stage.name}".` };
    }
    if (step.request) {
      const traces: Partial<Record<GatewayType, Trace>> = {};
      const repeated: Partial<Record<GatewayType, Trace[]>> = {};
      const checks: (Check & { gateway?: GatewayType })[] = [];
      // In a comparison with a WebSocket API, requests go to the REST/HTTP APIs; clients talk to the WebSocket API.
      const targets = this.scenario.gateways.length > 1 ? this.scenario.gateways.filter((g) => g !== 'WEBSOCKET') : this.scenario.gateways;
      for (const type of targets) {
        const all: Trace[] = [];
        for (let i = 0; i < (step.repeat ?? 1); i++) all.push(await this.send(step.request, type));
        const trace = all[all.length - 1]!;
        traces[type] = trace;
        if (all.length > 1) repeated[type] = all;
        const expectation = expectationFor(step.expect, type, this.scenario.gateways.length > 1);
        if (expectation) {
          const world = {
            all,
            queueDepth: (name: string) => this.gateway.queues.find(name)?.messages.length,
            // REST metrics carry the API's name (ApiName), HTTP API metrics its id (ApiId).
            metricTotal: (metricName: string, t: Trace) =>
              this.gateway.metrics.total({ metricName, dimensions: t.api.type === 'REST' ? { ApiName: t.api.name ?? '' } : { ApiId: t.api.id } }),
          };
          for (const c of checkExpectation(expectation, trace, world)) checks.push({ ...c, ...(this.scenario.gateways.length > 1 ? { gateway: type } : {}) });
        }
      }
      const first = traces[targets[0]!]!;
      return {
        step,
        kind: 'request',
        summary: `${step.request.method} ${step.request.path} → ${first.response.statusCode}${first.stoppedAt ? ` (stopped at ${first.stoppedAt})` : ''}`,
        traces,
        ...(Object.keys(repeated).length > 0 ? { repeated } : {}),
        checks,
        passed: checks.every((c) => c.passed),
      };
    }
    return { ...base, kind: 'say', summary: step.say ?? '' };
  }

  async runAll(onStep?: (outcome: StepOutcome) => void): Promise<StepOutcome[]> {
    const out: StepOutcome[] = [];
    for (const step of this.scenario.steps) {
      const o = await this.run(step);
      out.push(o);
      onStep?.(o);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.backends?.close();
    await this.gateway.close();
  }

  /** Create the tables, queues and buckets (with their objects) the scenario declares. */
  private startServices(): void {
    for (const t of this.scenario.tables ?? []) this.gateway.tables.createTable(t);
    const services = this.scenario.services;
    if (!services) return;
    const now = this.gateway.clock.now();
    for (const q of services.queues ?? []) this.gateway.queues.createQueue(q, now);
    for (const [bucket, objects] of Object.entries(services.buckets ?? {})) {
      this.gateway.objects.createBucket(bucket);
      for (const [key, o] of Object.entries(objects)) {
        if (typeof o === 'string') this.gateway.objects.putObject(bucket, key, Buffer.from(o), 'text/plain', now);
        else this.gateway.objects.putObject(bucket, key, Buffer.from(o.body, o.base64 ? 'base64' : 'utf8'), o.contentType ?? 'binary/octet-stream', now);
      }
    }
  }

  private editRest(patch: RestApiDefinition): string {
    if (!this.restHost || !this.restDefinition) throw new Error('edit needs a REST API');
    const next = mergePatch(this.restDefinition, patch);
    const api = restApiFromDefinition(next, {
      id: this.restHost.id,
      ids: this.gateway.ids,
      region: this.gateway.region,
      accountId: this.gateway.accountId,
      previous: this.restHost.draft,
    });
    this.restDefinition = next;
    this.restHost.setDraft(api);
    // Says what changed, not what clients will see: that is often the next step's question.
    return 'The draft API changed.';
  }

  /** Apply a merge patch to the HTTP API draft; auto-deploy stages pick it up at once. */
  private editHttp(patch: HttpApiDefinition): string {
    if (!this.httpHost || !this.httpDefinition) throw new Error('edit needs an HTTP API');
    const next = mergePatch(this.httpDefinition, patch);
    const api = httpApiFromDefinition(next, {
      id: this.httpHost.id,
      ids: this.gateway.ids,
      region: this.gateway.region,
      accountId: this.gateway.accountId,
      previous: this.httpHost.draft,
    });
    this.httpDefinition = next;
    if (patch.stages) this.httpHost.applyStages(httpStagesFromDefinition(next));
    const redeployed = this.httpHost.setDraft(api);
    return redeployed.length > 0
      ? `The API changed and auto-deploy redeployed stage ${redeployed.map((n) => `"${n}"`).join(', ')}: clients see the change at once (an HTTP API feature; REST needs a deploy).`
      : 'The draft API changed. No stage auto-deploys, so clients still get the deployed version until the next deploy.';
  }

  /** Make the gateway's API keys and usage plans match this configuration. */
  private applyUsage(config: UsageConfig): void {
    const usage = this.gateway.usage;
    const idOf = (kind: string, name: string) => {
      const k = `${kind}:${name}`;
      let id = this.usageIds.get(k);
      if (!id) this.usageIds.set(k, (id = this.gateway.ids.apiId()));
      return id;
    };
    for (const [name] of Object.entries(this.usage.apiKeys ?? {})) if (!config.apiKeys?.[name]) usage.deleteKey(idOf('key', name));
    for (const [name] of Object.entries(this.usage.usagePlans ?? {})) if (!config.usagePlans?.[name]) usage.deletePlan(idOf('plan', name));
    for (const [name, k] of Object.entries(config.apiKeys ?? {})) {
      if (!k) continue;
      const id = idOf('key', name);
      const value = k.value ?? usage.key(id)?.value ?? this.gateway.ids.apiKeyValue();
      usage.putKey({ id, name, value, enabled: k.enabled ?? true });
    }
    const apiId = this.restHost?.id ?? this.ws?.apiId ?? '';
    for (const [name, p] of Object.entries(config.usagePlans ?? {})) {
      if (!p) continue;
      usage.putPlan({
        id: idOf('plan', name),
        name,
        apiStages: (p.stages ?? []).map((s) =>
          typeof s === 'string' ? { apiId, stage: s } : { apiId, stage: s.stage, ...(s.methodThrottles ? { throttle: s.methodThrottles } : {}) },
        ),
        ...(p.throttle ? { throttle: p.throttle } : {}),
        ...(p.quota ? { quota: { offset: 0, ...p.quota } } : {}),
        keyIds: (p.keys ?? []).map((k) => idOf('key', k)),
      });
    }
    this.usage = config;
  }

  /**
   * Simulate traffic on the virtual clock through the real pipeline (the app's load view): the
   * clock ends at the end of the run. Cancel with `options.signal`; progress about every
   * simulated second.
   */
  simulateLoad(spec: LoadStepSpec, options: { type?: GatewayType; signal?: AbortSignal; onProgress?: (p: LoadProgress) => void } = {}): Promise<LoadResult> {
    return simulateScenarioLoad(this.services(), spec, options.type ?? this.scenario.gateways[0]!, options);
  }

  private services(): ServiceStepHost {
    return {
      scenario: this.scenario,
      gateway: this.gateway,
      ...(this.restHost ? { rest: this.restHost } : {}),
      runtime: (type) => this.runtimes[type],
      resolve: (spec) => this.withTokens(spec),
    };
  }

  private deployRest(stageName = this.scenario.stage.name, description?: string) {
    if (!this.restHost) throw new Error('deploy needs a REST API');
    const s = this.scenario.stage;
    // Stage settings (throttling, cache, logging, access logs) are set when the stage is created;
    // later deploys keep whatever they are now (updateStage changes them in place).
    const settings = stageName === s.name && !this.restHost.getStage(stageName) ? stageSettingsFromConfig(s) : {};
    return this.restHost.deploy(stageName, {
      ...(description ? { description } : {}),
      stage: stageName === s.name ? { ...settings, variables: s.variables, tracingEnabled: s.tracingEnabled, ...(s.description ? { description: s.description } : {}) } : {},
    });
  }
}

/**
 * The console's Test button (TestInvokeMethod): it runs the *draft* API, deployed or not, at the
 * resource path the request names (no stage), without authorizers or API keys.
 */
function consoleTest(host: RestApiHost, req: HttpRequest): Promise<Trace> {
  return host.testInvokeMethod({
    httpMethod: req.method,
    pathWithQueryString: `${req.path}${req.rawQuery ? `?${req.rawQuery}` : ''}`,
    headers: req.headers,
    ...(req.body !== null ? { body: req.body } : {}),
  });
}

/** Per-type expectations (`expect: { REST: {...}, HTTP: {...} }`) override the shared ones. */
function expectationFor(expect: Expectation | undefined, type: GatewayType, comparing: boolean): Expectation | undefined {
  if (!expect) return undefined;
  const { REST, HTTP, WEBSOCKET, ...shared } = expect;
  const specific = { REST, HTTP, WEBSOCKET }[type];
  if (!comparing && !specific) return shared;
  return { ...shared, ...(specific ?? {}) };
}

/** A scenario request as the client would send it. An object body is sent as JSON. */
export function toHttpRequest(spec: RequestSpec): HttpRequest {
  const headers: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(spec.headers ?? {})) headers[k] = typeof v === 'string' ? [v] : [...v];
  let body: string | null = null;
  if (spec.body !== undefined && spec.body !== null) {
    body = typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
    if (typeof spec.body !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = ['application/json'];
    }
  }
  const [pathOnly, inlineQuery] = spec.path.includes('?') ? [spec.path.slice(0, spec.path.indexOf('?')), spec.path.slice(spec.path.indexOf('?') + 1)] : [spec.path, ''];
  const extra = Object.entries(spec.query ?? {}).flatMap(([k, v]) =>
    (typeof v === 'string' ? [v] : [...v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`),
  );
  const rawQuery = [inlineQuery, ...extra].filter(Boolean).join('&');
  return makeRequest({
    method: spec.method,
    path: pathOnly,
    rawQuery,
    headers,
    body,
    isBase64Encoded: spec.isBase64Encoded ?? false,
    ...(spec.sourceIp ? { sourceIp: spec.sourceIp } : {}),
  });
}
