/** A scenario after loading: validated, with files resolved and defaults filled in. */
import type { FunctionConfig } from '../backends/lambda/service';
import type { IdentityProviderConfig } from '../auth/identity-provider';
import type { RestApiDefinition } from '../model/rest-definition';
import type { TableDefinition } from '../services/table';
import type { WebSocketApiDefinition } from '../websocket/definition';
import type { HttpApiDefinition } from '../http/definition';
import type { GatewayType } from '../trace/types';
import type { MethodSetting } from '../model/rest';
import type { ArrivalSpec } from '../load/arrivals';

export type Level = 'beginner' | 'intermediate' | 'advanced';

export interface RequestSpec {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: unknown;
  readonly isBase64Encoded?: boolean;
  readonly sourceIp?: string;
  readonly testInvoke?: boolean;
}

export interface Expectation {
  readonly status?: number;
  readonly body?: unknown;
  readonly bodyContains?: string;
  /** A string matches the values joined with ", " (or any one value); a list matches every value, in order. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | null>>;
  readonly stoppedAt?: string | null;
  readonly gatewayResponse?: string;
  readonly logIncludes?: readonly string[];
  readonly functionLogIncludes?: readonly string[];
  /** The stage cache's verdict: hit, miss, expired, invalidated, or off (caching not enabled for the method). */
  readonly cache?: 'hit' | 'miss' | 'expired' | 'invalidated' | 'off';
  /** Substrings, in order, of the execution log as CloudWatch holds it (`(requestId) …`); null: nothing written. */
  readonly cloudWatchLogIncludes?: readonly string[] | null;
  /** Substrings of the access-log line; null: no access log line. */
  readonly accessLogIncludes?: readonly string[] | null;
  /** The bucket that throttled the request (account, stage, method, usagePlanKey, usagePlanMethod). */
  readonly throttledBy?: string;
  /** WebSocket: frames each client received during the step, in order (exact list). */
  readonly frames?: Readonly<Record<string, readonly unknown[]>>;
  /** WebSocket: clients whose connection closed during the step (close code, or { code, reason }); null: still open. */
  readonly closed?: Readonly<Record<string, number | { readonly code: number; readonly reason?: string } | null>>;
  /** WebSocket: the route the message went to. */
  readonly route?: string;
  /** Simulated tables after the step. */
  readonly tables?: Readonly<Record<string, { readonly count?: number; readonly contains?: readonly Record<string, unknown>[]; readonly lacks?: readonly Record<string, unknown>[] }>>;
  /** CloudWatch metric sums for the API so far (dimension ApiId). */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Of the requests a `repeat` step sent, how many a stage's canary served. */
  readonly canaryRequests?: number;
  /** Messages waiting in each named queue after the step. */
  readonly queueMessages?: Readonly<Record<string, number>>;
  /** Per gateway type, for comparison scenarios. */
  readonly REST?: Expectation;
  readonly HTTP?: Expectation;
  readonly WEBSOCKET?: Expectation;
}

export interface Prediction {
  readonly question: string;
  readonly choices?: readonly string[];
  readonly answer: string;
}

export interface ScenarioStep {
  /** 1-based position, as people count steps. */
  readonly index: number;
  /** Source line of the step in the scenario file. */
  readonly line: number;
  readonly say?: string;
  readonly predict?: Prediction;
  readonly request?: RequestSpec;
  readonly repeat?: number;
  /** A merge patch on the draft: a RestApiDefinition, or an HttpApiDefinition for HTTP scenarios. */
  readonly edit?: RestApiDefinition | HttpApiDefinition;
  readonly editFunction?: {
    readonly name: string;
    readonly code?: string;
    readonly response?: unknown;
    readonly latencyMs?: number;
    readonly timeout?: number;
    /** Replace the function's resource-based policy (aws lambda add-permission / remove-permission). */
    readonly permissions?: readonly { readonly principal: string; readonly sourceArn?: string }[];
  };
  readonly deploy?: { readonly stage?: string; readonly description?: string };
  readonly wait?: number;
  readonly usage?: UsageConfig;
  readonly load?: LoadStepSpec;
  /** FlushStageCache on this stage (true: the scenario's stage). */
  readonly flushCache?: string;
  /** WebSocket client actions. */
  readonly connect?: ConnectSpec;
  readonly send?: SendSpec;
  readonly close?: CloseSpec;
  readonly drop?: DropSpec;
  /** Deploy the current draft as the stage's canary (CreateDeployment with canarySettings). */
  readonly canary?: CanaryConfig;
  /** Promote the stage's canary: its deployment and variable overrides become the stage's. */
  readonly promoteCanary?: boolean;
  /** Change stage settings (no deploy needed): variables (merge patch), canary traffic, or remove the canary (null). */
  readonly updateStage?: StageUpdate;
  /** UpdateAccount: the API Gateway settings of the account (the CloudWatch Logs role). */
  readonly updateAccount?: { readonly cloudWatchRoleArn: string | null };
  readonly expect?: Expectation;
  /** For a load step: what the totals must be. */
  readonly expectLoad?: LoadExpectation;
}

/** WebSocket: a named client opens a connection to a stage (the scenario's by default). */
export interface ConnectSpec {
  readonly client: string;
  readonly stage?: string;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  readonly sourceIp?: string;
}

/** WebSocket: a client sends a message (a string as is, anything else as JSON). */
export interface SendSpec {
  readonly client: string;
  readonly body: unknown;
  readonly binary?: boolean;
  /** Split into 32 KB frames (otherwise one frame, as browsers and wscat send). */
  readonly fragment?: boolean;
}

/** WebSocket: a client closes with a close frame; no code means a frame without status (1005). */
export interface CloseSpec {
  readonly client: string;
  readonly code?: number;
  readonly reason?: string;
}

/** WebSocket: a client disappears without a close frame (1006). */
export interface DropSpec {
  readonly client: string;
  /** $disconnect is best effort: false simulates one that is lost. */
  readonly deliverDisconnect?: boolean;
}

export interface CanaryConfig {
  readonly percentTraffic: number;
  readonly stageVariableOverrides?: Readonly<Record<string, string>>;
  readonly useStageCache?: boolean;
}

export interface StageUpdate {
  readonly stage?: string;
  readonly variables?: Readonly<Record<string, string | null>>;
  readonly canary?: Partial<CanaryConfig> | null;
  readonly tracingEnabled?: boolean;
  /** Stage services (a merge patch on the scenario's stage settings; null removes). */
  readonly methodSettings?: Readonly<Record<string, MethodSetting | null>> | null;
  readonly throttling?: StageConfig['throttling'] | null;
  readonly cache?: StageCacheConfig | null;
  readonly logging?: StageConfig['logging'] | null;
  readonly accessLogFormat?: string | null;
  readonly accessLogDestinationArn?: string | null;
}

/** Simulated AWS services the scenario's AWS integrations use (state shown in the UI). */
export interface ServicesConfig {
  readonly queues?: readonly string[];
  /** Bucket → key → content (text, or `{ body, contentType, base64 }`). */
  readonly buckets?: Readonly<Record<string, Readonly<Record<string, string | { readonly body: string; readonly contentType?: string; readonly base64?: boolean }>>>>;
}

export interface ApiKeyConfig {
  readonly value?: string;
  readonly enabled?: boolean;
}

export interface UsagePlanConfig {
  readonly stages?: readonly (string | { readonly stage: string; readonly methodThrottles?: Readonly<Record<string, { rateLimit: number; burstLimit: number }>> })[];
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  readonly quota?: { readonly limit: number; readonly period: 'DAY' | 'WEEK' | 'MONTH'; readonly offset?: number };
  readonly keys?: readonly string[];
}

export interface UsageConfig {
  readonly apiKeys?: Readonly<Record<string, ApiKeyConfig | null>>;
  readonly usagePlans?: Readonly<Record<string, UsagePlanConfig | null>>;
}

export interface StageConfig {
  readonly name: string;
  readonly description?: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly tracingEnabled: boolean;
  /** Deploy before the first step (default true). */
  readonly deploy: boolean;
  /** Per-method settings keyed `/pets/GET` (or `*\/*` for every method), AWS's MethodSetting fields. */
  readonly methodSettings?: Readonly<Record<string, MethodSetting>>;
  /** Default method throttling: every method gets its own bucket with these limits. */
  readonly throttling?: { readonly rate: number; readonly burst: number };
  readonly cache?: StageCacheConfig;
  /** Default method logging (execution logs in CloudWatch) and detailed metrics. */
  readonly logging?: { readonly level?: 'OFF' | 'ERROR' | 'INFO'; readonly dataTrace?: boolean; readonly detailedMetrics?: boolean };
  readonly canary?: CanaryConfig;
  /** A `$context` format, or one of the presets CLF, JSON, XML, CSV. */
  readonly accessLogFormat?: string;
  /** The access-log group's ARN (default: a group named after the API and stage). */
  readonly accessLogDestinationArn?: string;
}

/** A stage's cache cluster and its default method caching. */
export interface StageCacheConfig {
  /** Provision the cache (default true). */
  readonly enabled?: boolean;
  /** GB: 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118 or 237 (default 0.5). */
  readonly size?: string;
  /** Seconds, 0–3600 (default 300); 0 disables caching. */
  readonly ttl?: number;
  /** Cache GET methods by default (the console's "default method-level caching"; default true). */
  readonly defaultMethodCaching?: boolean;
  readonly requireAuthorizationForCacheControl?: boolean;
  readonly unauthorizedCacheControlHeaderStrategy?: 'FAIL_WITH_403' | 'SUCCEED_WITH_RESPONSE_HEADER' | 'SUCCEED_WITHOUT_RESPONSE_HEADER';
  readonly encrypted?: boolean;
}


/** A `load` step: simulated clients sending requests for a while on the virtual clock. */
export interface LoadStepSpec {
  /** Simulated seconds. */
  readonly duration: number;
  readonly clients: readonly LoadClientSpec[];
  readonly sampleTraces?: number;
  readonly seriesPoints?: number;
}

export interface LoadClientSpec {
  readonly name: string;
  readonly arrival: ArrivalSpec;
  /** One request, or several sent in turn. `{{random:N}}` and `{{seq}}` vary them per request. */
  readonly request?: RequestSpec;
  readonly requests?: readonly RequestSpec[];
  /** Name of a scenario API key, sent as x-api-key. */
  readonly apiKey?: string;
  /** Active window, seconds from the start of the load step. */
  readonly start?: number;
  readonly end?: number;
}

/** An exact number, or bounds. */
export type NumberExpectation = number | { readonly min?: number; readonly max?: number };

export interface LoadExpectation {
  readonly requests?: NumberExpectation;
  readonly allowed?: NumberExpectation;
  readonly throttled?: NumberExpectation;
  readonly throttledBy?: Readonly<Record<string, NumberExpectation>>;
  readonly quotaExceeded?: NumberExpectation;
  readonly cacheHits?: NumberExpectation;
  readonly cacheMisses?: NumberExpectation;
  readonly errors?: NumberExpectation;
  /** Requests that reached the backend. */
  readonly integrationCalls?: NumberExpectation;
  readonly status?: Readonly<Record<string, NumberExpectation>>;
  readonly p95LatencyMs?: NumberExpectation;
  /** Dollars for this run's requests (and cache hours) on the simulated gateway type. */
  readonly cost?: NumberExpectation;
  /** Dollars for a month of this traffic, per gateway type. */
  readonly monthlyCost?: Readonly<Record<string, NumberExpectation>>;
  readonly perClient?: Readonly<Record<string, { readonly requests?: NumberExpectation; readonly allowed?: NumberExpectation; readonly throttled?: NumberExpectation; readonly quotaExceeded?: NumberExpectation }>>;
  /** Per gateway type, for comparison scenarios (override the shared keys). */
  readonly REST?: LoadExpectation;
  readonly HTTP?: LoadExpectation;
  readonly WEBSOCKET?: LoadExpectation;
}

export interface BackendRoute {
  readonly method?: string;
  readonly path: string;
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface BackendConfig {
  readonly name: string;
  readonly url: string;
  readonly latencyMs: number;
  readonly echo: boolean;
  readonly function?: string;
  readonly routes: readonly BackendRoute[];
}

export type ApiSource =
  | { readonly kind: 'rest'; readonly definition: RestApiDefinition; readonly file?: string }
  | { readonly kind: 'http'; readonly definition: HttpApiDefinition; readonly file?: string }
  | { readonly kind: 'websocket'; readonly definition: WebSocketApiDefinition };

export interface Scenario {
  readonly file: string;
  readonly id: string;
  readonly title: string;
  readonly topic?: string;
  readonly level?: Level;
  readonly teaches: readonly string[];
  readonly gateways: readonly GatewayType[];
  readonly seed: string;
  readonly clockStart?: number;
  readonly region?: string;
  readonly apis: Readonly<Partial<Record<GatewayType, ApiSource>>>;
  readonly stage: StageConfig;
  readonly functions: Readonly<Record<string, FunctionConfig>>;
  readonly backends: Readonly<Record<string, BackendConfig>>;
  readonly identity?: IdentityProviderConfig;
  /** API keys and usage plans (REST). */
  readonly usage: UsageConfig;
  /** Account-level throttle per Region (default 10,000 rps, burst 5,000). */
  readonly account?: {
    readonly throttling?: { readonly rate: number; readonly burst: number };
    /** The account's CloudWatch Logs role (API Gateway settings); null: none yet, so REST stages cannot turn logging on. */
    readonly cloudWatchRoleArn?: string | null;
  };
  /** Simulated DynamoDB tables (`tables:`). */
  readonly tables?: readonly TableDefinition[];
  readonly services?: ServicesConfig;
  readonly steps: readonly ScenarioStep[];
}

/** A problem in a scenario (or a file it refers to): `file:line:col path: message`. */
export interface LoadIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Path inside the document, e.g. `steps[2].expect.status`. */
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export function formatIssue(i: LoadIssue): string {
  return `${i.file}:${i.line}:${i.column} ${i.path || '(document)'}: ${i.message}`;
}

export type LoadResult =
  | { readonly ok: true; readonly scenario: Scenario; readonly warnings: readonly LoadIssue[] }
  | { readonly ok: false; readonly errors: readonly LoadIssue[]; readonly warnings: readonly LoadIssue[] };
