/**
 * GatewayApi: the one interface every host offers the renderer (DESIGN.md, "GatewayApi").
 *
 * The Electron preload exposes it through contextBridge; the web host offers it over a
 * WebSocket bridge. Both carry exactly these calls and these plain-JSON values: traces pass
 * through unchanged. Type-only (the renderer imports it); the one implementation over the engine
 * is main/host/gateway-service.ts.
 *
 * Every call resolves to an ApiResult and never rejects: errors are values with a code, the same
 * over both transports (Error objects do not survive IPC or contextBridge with their fields).
 *
 * Adding a call: add it here, give it an argument schema in main/host/schemas.ts and a handler in
 * main/host/gateway-service.ts (both are typed so the compiler lists what is missing), add its
 * name to GATEWAY_API_CALLS in ./calls.ts, and cover it in test/contract/.
 */
import type { StepOutcome } from '../scenario/session';
import type { LoadIssue, RequestSpec, ScenarioStep } from '../scenario/types';
import type { GatewayType, ServicesSnapshot, Trace } from '../trace/types';
import type { Check } from '../scenario/expect';
import type { CostEstimate, TraceComparison, TrafficEstimate } from '../compare/compare';

export type { CostEstimate, TraceComparison, TrafficEstimate } from '../compare/compare';
export type { CostBreakdown } from '../services/cost';

export const GATEWAY_API_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Results and errors

export type ApiErrorCode =
  /** The arguments did not match the call's schema. */
  | 'invalid-argument'
  /** The caller is not the app's own page (IPC sender check, WebSocket origin check). */
  | 'forbidden'
  /** No scenario, session, trace or run with that id. */
  | 'not-found'
  /** A scenario or OpenAPI file has errors; `issues` lists them (file:line:col path: message). */
  | 'scenario-invalid'
  /** The call is part of the interface, but the engine part behind it is not built yet. */
  | 'not-available-yet'
  /** This host cannot do that (a native file dialog in the browser). */
  | 'unsupported-in-host'
  /** The user dismissed a dialog. */
  | 'cancelled'
  /** The engine failed; the message says how. */
  | 'engine-error'
  /** The connection to the host is gone or the call could not be delivered. */
  | 'transport';

export interface ApiError {
  readonly code: ApiErrorCode;
  readonly message: string;
  readonly issues?: readonly LoadIssue[];
}

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

// ---------------------------------------------------------------------------------------------
// Values

export type HostKind = 'electron' | 'web';

export interface HostInfo {
  readonly host: HostKind;
  readonly apiVersion: typeof GATEWAY_API_VERSION;
  readonly appVersion: string;
  /** Gateway types the engine simulates today. */
  readonly gateways: readonly GatewayType[];
  readonly capabilities: {
    /** openScenarioDialog shows a native dialog (Electron); elsewhere use openScenarioText. */
    readonly nativeFileDialog: boolean;
    readonly compare: boolean;
    readonly load: boolean;
    readonly live: boolean;
  };
}

/** An opaque handle for a scenario the host knows: `bundled:rest/hello-mock.yaml`, `file:2`. */
export type ScenarioRef = string;

export interface ScenarioSummary {
  readonly ref: ScenarioRef;
  readonly source: 'bundled' | 'file';
  /** What the file is: a scenario, or an OpenAPI document opened as an API with no steps. */
  readonly kind: 'scenario' | 'openapi';
  /** The file's name for display (bundled: relative to the scenarios folder). */
  readonly fileName: string;
  readonly id: string;
  readonly title: string;
  readonly topic?: string;
  readonly level?: 'beginner' | 'intermediate' | 'advanced';
  readonly teaches: readonly string[];
  readonly gateways: readonly GatewayType[];
  readonly stepCount: number;
  /**
   * Bundled scenarios: the library tracks (scenarios/tracks.yaml) that list this scenario, with
   * its 1-based position in each — the beginner track is the order a newcomer should follow.
   */
  readonly tracks?: readonly { readonly id: string; readonly title: string; readonly position: number; readonly label?: string }[];
  /** Present when the file does not load: its errors (openSession then fails with `scenario-invalid`). */
  readonly problems?: readonly LoadIssue[];
}

/** An open scenario: an engine session on its own virtual clock. */
export interface SessionInfo {
  readonly sessionId: string;
  readonly scenario: ScenarioSummary;
  readonly stage: string;
  /** The scenario's steps as the engine loaded them (1-based `index`). */
  readonly steps: readonly ScenarioStep[];
  readonly warnings: readonly LoadIssue[];
  /** What the request composer offers for this API. */
  readonly composer: ComposerInfo;
}

/** What an ad-hoc request can use: the API's endpoints, the scenario's identities and API keys. */
export interface ComposerInfo {
  /** Methods and paths as a client calls them (REST paths start with the stage), per gateway type. */
  readonly endpoints: readonly { readonly gateway: GatewayType; readonly method: string; readonly path: string }[];
  /**
   * The scenario's identity provider: its users and named tokens. A request that carries
   * `{{token.NAME}}` (in a header, the query or the body) gets a token minted when it is sent.
   */
  readonly identity?: { readonly issuer: string; readonly users: readonly string[]; readonly tokens: readonly string[] };
  /** API key names; `{{apiKey.NAME}}` in a request is replaced with the key's value. */
  readonly apiKeys: readonly string[];
  /** WebSocket scenario clients; `{{connection.NAME}}` is replaced with the client's connection id. */
  readonly clients: readonly string[];
}

export type TraceOrigin = 'step' | 'request' | 'compare' | 'load' | 'live';

export interface StepResult {
  readonly sessionId: string;
  readonly stepIndex: number;
  readonly kind: StepOutcome['kind'];
  readonly summary: string;
  /** The trace of the step's (last) request, per gateway type. */
  readonly traces: Readonly<Partial<Record<GatewayType, Trace>>>;
  readonly checks: readonly (Check & { readonly gateway?: GatewayType })[];
  readonly passed: boolean;
  /**
   * WebSocket steps: the ids of every trace the step produced, in order (a message, the
   * broadcast's $disconnects, an idle close...). Each also arrives as a `trace` event.
   */
  readonly allTraceIds?: readonly string[];
  /** The scenario's simulated services after the step (tables, WebSocket connections...). */
  readonly services?: ServicesSnapshot;
  /** The index of the step after this one, or null after the last. */
  readonly nextStepIndex: number | null;
  /** A load step's results per gateway type (its sampled traces arrive as `trace` events, origin `load`). */
  readonly load?: Readonly<Partial<Record<GatewayType, Omit<import('../load/types').LoadResult, 'samples'>>>>;
}

/**
 * The same request through several gateway types (REST and HTTP): each side's trace, the phases
 * aligned and what differs (steps one side has and the other lacks, status, error bodies,
 * latency), the Lambda event each side delivered, and the price of a million requests a month.
 */
export interface ComparisonResult {
  readonly sessionId: string;
  /** Each gateway type's trace, in the order asked for (each also arrives as a `trace` event, origin `compare`). */
  readonly lanes: readonly { readonly gateway: GatewayType; readonly trace: Trace }[];
  readonly comparison: TraceComparison;
  /** The Lambda event each side's integration built (payload 1.0 for REST proxies, 1.0 or 2.0 for HTTP). */
  readonly events: Readonly<Partial<Record<GatewayType, Record<string, unknown>>>>;
  /** A million requests a month on each side; other volumes: estimateCost. */
  readonly prices: CostEstimate;
  /** The REST stage's cache size in GB, when it has one (billed by the hour on top of requests). */
  readonly cacheSizeGb?: string;
  /** When REST and HTTP are compared: what HTTP APIs do not offer. */
  readonly notInHttp?: readonly string[];
}

/** A month of traffic to price on some gateway types. */
export interface TrafficSpec extends TrafficEstimate {
  readonly gateways: readonly GatewayType[];
}

/** A bundled example mapping template (scenarios/templates/NAME.vtl with its sample body and variables). */
export interface TemplateExample {
  readonly name: string;
  /** The template's first comment line, as a title. */
  readonly title: string;
  readonly template: string;
  readonly input: TemplateInput;
}

/** What a mapping template sees: the body ($input), parameters, $context and $stageVariables. */
export interface TemplateInput {
  readonly body?: string;
  readonly params?: { readonly path?: Readonly<Record<string, string>>; readonly querystring?: Readonly<Record<string, string>>; readonly header?: Readonly<Record<string, string>> };
  readonly context?: Readonly<Record<string, unknown>>;
  readonly stageVariables?: Readonly<Record<string, string>>;
}

/**
 * A template's rendering as API Gateway would produce it, or the error that stopped it (a syntax
 * error, a Java exception in a method, the render deadline), with its 1-based line and column.
 */
export type TemplateRender =
  | {
      readonly status: 'rendered';
      readonly output: string;
      /** What the template read from outside ($input..., $context..., $stageVariables...), in first-read order. */
      readonly reads: readonly string[];
      readonly requestOverride: { readonly header: Readonly<Record<string, string>>; readonly querystring: Readonly<Record<string, string>>; readonly path: Readonly<Record<string, string>> };
      readonly responseOverride: { readonly status?: number; readonly header: Readonly<Record<string, string>> };
      readonly durationMs: number;
    }
  | { readonly status: 'error'; readonly message: string; readonly line: number; readonly column: number };

/**
 * A load simulation on the virtual clock, through the session's real pipeline (its buckets,
 * cache and quotas change as they would). One client sending `request`: `constant` and
 * `poisson` at `ratePerSecond`; `burst` sends `ratePerSecond` requests at once every
 * `burstEverySeconds` (default 1). In the request, `{{random:N}}` is an integer 1..N and
 * `{{seq}}` the request number. For several clients, write a `load:` step in the scenario.
 */
export interface LoadSpec {
  readonly request: RequestSpec;
  readonly gateway?: GatewayType;
  readonly arrival: 'constant' | 'poisson' | 'burst';
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  readonly burstEverySeconds?: number;
  /** Name of a scenario API key, sent as x-api-key. */
  readonly apiKey?: string;
  /** Full traces to keep (sent as `trace` events with origin `load`); default 10. */
  readonly sampleTraces?: number;
}

export interface LoadRun {
  readonly runId: string;
  readonly sessionId: string;
}

/** One point of the series: a second (or, for long runs, the interval starting at `second`). */
export interface LoadSecond {
  readonly second: number;
  readonly requests: number;
  readonly allowed: number;
  readonly throttled: number;
  readonly quotaExceeded: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Dollars spent in the interval. */
  readonly cost: number;
}

export interface LoadProgress {
  readonly runId: string;
  /** 0..1 of the simulated duration. */
  readonly fraction: number;
  readonly seconds: readonly LoadSecond[];
}

export interface LoadFinished {
  readonly runId: string;
  readonly status: 'completed' | 'cancelled' | 'failed';
  readonly message?: string;
  /** Totals, the full series and the month's cost on each gateway type (samples arrive as trace events). */
  readonly result?: Omit<import('../load/types').LoadResult, 'samples'>;
}

export interface LiveOptions {
  /** 0 or absent: a free port. The endpoint listens on 127.0.0.1 only. */
  readonly port?: number;
  /** Which of the scenario's APIs to serve (a comparison has several); default its first. */
  readonly gateway?: GatewayType;
}

export interface LiveEndpointInfo {
  readonly sessionId: string;
  /**
   * What clients call: the origin, plus the stage for REST APIs (`http://127.0.0.1:<port>/prod`);
   * `ws://127.0.0.1:<port>/<stage>` for WebSocket APIs, whose @connections API answers on the
   * same origin at `/<stage>/@connections/<connectionId>`.
   */
  readonly url: string;
  readonly port: number;
  /** The API it serves. */
  readonly gateway: GatewayType;
}

export type ExportFormat = 'json' | 'har';

export interface TraceExport {
  readonly fileName: string;
  readonly mimeType: string;
  readonly content: string;
}

// ---------------------------------------------------------------------------------------------
// Push events

export interface TraceEvent {
  readonly sessionId: string;
  readonly origin: TraceOrigin;
  readonly trace: Trace;
  /**
   * Live traffic only: requests the endpoint served since the previous live trace event that
   * were not sent (the host sends at most LIVE_TRACES_PER_SECOND live traces a second, always ending on the newest).
   */
  readonly unlisted?: number;
}

export interface GatewayEvents {
  /** Every trace the engine produces for this client's sessions (steps, requests, live, load samples). */
  readonly trace: TraceEvent;
  /** A scenario was added to the list (opened from the menu, a dialog or a file). */
  readonly scenarioAdded: ScenarioSummary;
  readonly loadProgress: LoadProgress;
  readonly loadFinished: LoadFinished;
  /** The live endpoint started (an endpoint) or stopped (null). */
  readonly live: LiveEndpointInfo | null;
  /** The transport's own state: the WebSocket client reports `closed` when the host goes away. */
  readonly connection: { readonly state: 'open' | 'closed' };
}

export type GatewayEventName = keyof GatewayEvents;
export type Unsubscribe = () => void;

// ---------------------------------------------------------------------------------------------
// The interface

export interface GatewayApi {
  /** Which host this is, and what the engine can do today. */
  hostInfo(): Promise<ApiResult<HostInfo>>;

  /** Bundled scenarios, then files the user opened, in that order. */
  listScenarios(): Promise<ApiResult<readonly ScenarioSummary[]>>;
  /**
   * Show the host's native open dialog (scenario YAML or an OpenAPI document) and add the file to
   * the list. `cancelled` when dismissed; `unsupported-in-host` in the browser (use openScenarioText).
   */
  openScenarioDialog(): Promise<ApiResult<ScenarioSummary>>;
  /** Add a scenario or OpenAPI document from its text (a browser file input, drag and drop). */
  openScenarioText(file: { readonly name: string; readonly text: string }): Promise<ApiResult<ScenarioSummary>>;

  /** Load a scenario (fresh from its file) and start a session on it. */
  openSession(ref: ScenarioRef): Promise<ApiResult<SessionInfo>>;
  /** Start the session's scenario again from the beginning (a new session id). */
  resetSession(sessionId: string): Promise<ApiResult<SessionInfo>>;
  closeSession(sessionId: string): Promise<ApiResult<null>>;
  /** Run one step of the scenario (1-based index). Steps normally run in order. */
  runStep(sessionId: string, stepIndex: number): Promise<ApiResult<StepResult>>;
  /** Send an ad-hoc request through the session's gateway (default: its first gateway type). */
  sendRequest(sessionId: string, request: RequestSpec, gateway?: GatewayType): Promise<ApiResult<Trace>>;

  /** The same request through several gateway types of the session (REST and HTTP), compared. */
  compare(sessionId: string, request: RequestSpec, gateways: readonly GatewayType[]): Promise<ApiResult<ComparisonResult>>;
  /** What a month of traffic costs on each gateway type (the engine's cost model, tier by tier). */
  estimateCost(traffic: TrafficSpec): Promise<ApiResult<CostEstimate>>;

  /** The bundled example mapping templates, with their sample bodies and variables. */
  listTemplates(): Promise<ApiResult<readonly TemplateExample[]>>;
  /**
   * Render a mapping template as API Gateway does (the VTL engine, with a render deadline: a
   * template that loops too long ends in an error, never a hung host). A template error is a
   * value (`status: 'error'` with its line and column), not a failed call.
   */
  renderTemplate(template: string, input?: TemplateInput): Promise<ApiResult<TemplateRender>>;

  /** Start a load simulation; progress arrives as `loadProgress` events, the end as `loadFinished`. */
  startLoad(sessionId: string, spec: LoadSpec): Promise<ApiResult<LoadRun>>;
  cancelLoad(runId: string): Promise<ApiResult<null>>;

  /**
   * Serve the session's API on a real listener on 127.0.0.1 (its own engine session, on the
   * system clock); every request it serves arrives as a `trace` event with origin `live`.
   */
  startLive(sessionId: string, options?: LiveOptions): Promise<ApiResult<LiveEndpointInfo>>;
  stopLive(sessionId: string): Promise<ApiResult<null>>;

  /**
   * A trace of one of this client's sessions (it may be closed since), as JSON (the trace itself,
   * unchanged) or HAR 1.2 (its HTTP exchange). Trace ids repeat across runs of the same scenario
   * (the engine is deterministic), hence the session id.
   */
  exportTrace(sessionId: string, traceId: string, format: ExportFormat): Promise<ApiResult<TraceExport>>;

  /** Push events. Returns the function that ends the subscription. */
  on<E extends GatewayEventName>(event: E, listener: (payload: GatewayEvents[E]) => void): Unsubscribe;
}

/** The request/response calls of GatewayApi (everything but `on`). */
export type GatewayCallName = Exclude<keyof GatewayApi, 'on'>;
export type GatewayCallArgs<K extends GatewayCallName> = Parameters<GatewayApi[K]>;
export type GatewayCallValue<K extends GatewayCallName> = Awaited<ReturnType<GatewayApi[K]>> extends ApiResult<infer T> ? T : never;
