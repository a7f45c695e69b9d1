/** A scenario after loading: validated, with files resolved and defaults filled in. */
import type { FunctionConfig } from '../backends/lambda/service';
import type { IdentityProviderConfig } from '../auth/identity-provider';
import type { RestApiDefinition } from '../model/rest-definition';
import type { TableDefinition } from '../services/table';
import type { WebSocketApiDefinition } from '../websocket/definition';
import type { HttpApiDefinition } from '../http/definition';
import type { GatewayType } from '../trace/types';

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
  readonly headers?: Readonly<Record<string, string | null>>;
  readonly stoppedAt?: string | null;
  readonly gatewayResponse?: string;
  readonly logIncludes?: readonly string[];
  readonly functionLogIncludes?: readonly string[];
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
  readonly editFunction?: { readonly name: string; readonly code?: string; readonly response?: unknown; readonly latencyMs?: number; readonly timeout?: number };
  readonly deploy?: { readonly stage?: string; readonly description?: string };
  readonly wait?: number;
  readonly usage?: UsageConfig;
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
  readonly expect?: Expectation;
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
  readonly methodSettings?: Readonly<Record<string, unknown>>;
  readonly throttling?: { readonly rate?: number; readonly burst?: number };
  readonly cache?: Readonly<Record<string, unknown>>;
  readonly canary?: CanaryConfig;
  readonly accessLogFormat?: string;
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
