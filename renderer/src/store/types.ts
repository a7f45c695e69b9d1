import type { StateCreator } from 'zustand';
import type {
  ApiError,
  ApiResult,
  ComparisonResult,
  CostEstimate,
  GatewayApi,
  HostInfo,
  LiveEndpointInfo,
  LoadFinished,
  LoadSecond,
  LoadSpec,
  ScenarioSummary,
  SessionInfo,
  StepResult,
  TemplateExample,
  TemplateRender,
  TraceExport,
} from '../../../engine/api/types';
import type { RequestSpec } from '../../../engine/scenario/types';
import type { GatewayType, Trace } from '../../../engine/trace/types';
import type { LibraryFilter } from '../library/filter';

/** A trace the player can show: from a scenario step, an ad-hoc request, a comparison or the live endpoint. */
export interface TraceEntry {
  /** Unique in the session: `step:3:REST`, `request:2`, `compare:1:HTTP`, `live:<trace id>`. */
  readonly key: string;
  readonly trace: Trace;
  readonly origin: 'step' | 'request' | 'compare' | 'live' | 'load';
  readonly gateway: GatewayType;
  /** The scenario step that sent it. */
  readonly stepIndex?: number;
}

export interface Prediction {
  /** The choice the person made (null: they thought about it without choosing). */
  readonly choice: string | null;
  /** The answer is shown (playback reached the end, or the person asked to see it). */
  readonly revealed: boolean;
  /** The answer card was closed. */
  readonly dismissed: boolean;
}

/** A headers or query row in the composer. */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

export interface ComposerDraft {
  readonly gateway: GatewayType | null;
  readonly method: string;
  readonly path: string;
  readonly headers: readonly KeyValue[];
  readonly query: readonly KeyValue[];
  readonly body: string;
}

export type Theme = 'light' | 'dark';
/** The app's views, in the order the navigation lists them. */
export type View = 'library' | 'player' | 'compare' | 'load' | 'live' | 'playground';

/** A request being edited in the compare and load views: headers one `Name: value` per line. */
export interface RequestDraft {
  readonly method: string;
  readonly path: string;
  readonly headers: string;
  readonly body: string;
}
export type SideTab = 'log' | 'services' | 'response';

export interface LibrarySlice {
  scenarios: readonly ScenarioSummary[];
  filter: LibraryFilter;
  setFilter(patch: Partial<LibraryFilter>): void;
  refreshScenarios(): Promise<void>;
  openDialog(): Promise<void>;
  openText(name: string, text: string): Promise<void>;
}

export interface SessionSlice {
  session: SessionInfo | null;
  /** Step results by step index. */
  results: Readonly<Record<number, StepResult>>;
  /** The next step to run (1-based), null after the last one. */
  nextStep: number | null;
  entries: readonly TraceEntry[];
  /** The trace on screen; `play` says whether it starts playing (a new trace) or rests at its end (an old one). */
  selection: { readonly key: string; readonly play: boolean; readonly nonce: number } | null;
  predictions: Readonly<Record<number, Prediction>>;
  /** A step waiting for its prediction before it runs. */
  pendingPredict: number | null;
  composer: ComposerDraft;

  /** Open a scenario; the player shows it unless `stay` keeps the current view (compare, load, live). */
  openScenario(ref: string, options?: { readonly stay?: boolean }): Promise<void>;
  /** Show a trace from another view (a comparison lane, a live request) in the player. */
  openInPlayer(trace: Trace, origin: 'compare' | 'live' | 'load'): void;
  runNext(): Promise<void>;
  answerPredict(choice: string | null): Promise<void>;
  revealPredict(stepIndex: number): void;
  dismissPredict(stepIndex: number): void;
  restart(): Promise<void>;
  closeScenario(): void;
  selectTrace(key: string, play?: boolean): void;
  setComposer(patch: Partial<ComposerDraft>): void;
  send(request: RequestSpec, gateway: GatewayType | null): Promise<boolean>;
  exportTrace(format: 'json' | 'har'): Promise<TraceExport | null>;
}

export interface UiSlice {
  host: HostInfo | null;
  view: View;
  theme: Theme;
  sideTab: SideTab;
  composerOpen: boolean;
  error: ApiError | null;
  busy: boolean;
  disconnected: boolean;
  init(): Promise<void>;
  setView(view: View): void;
  setTheme(theme: Theme): void;
  setSideTab(tab: SideTab): void;
  setComposerOpen(open: boolean): void;
  dismissError(): void;
}

export interface CompareSlice {
  compareDraft: RequestDraft;
  compareGateways: readonly GatewayType[];
  comparison: ComparisonResult | null;
  /** The traffic the price table is for; the estimate is the engine's. */
  traffic: { readonly requestsPerMonth: number; readonly averageBytes: number; readonly includeCache: boolean };
  costEstimate: CostEstimate | null;
  setCompareDraft(patch: Partial<RequestDraft>): void;
  setCompareGateways(gateways: readonly GatewayType[]): void;
  runCompare(): Promise<void>;
  setTraffic(patch: Partial<CompareSlice['traffic']>): void;
}

export interface LoadRunState {
  readonly runId: string | null;
  readonly spec: LoadSpec;
  readonly status: 'starting' | 'running' | 'completed' | 'cancelled' | 'failed';
  readonly fraction: number;
  readonly seconds: readonly LoadSecond[];
  readonly finished?: LoadFinished;
}

export interface LoadForm {
  readonly request: RequestDraft;
  readonly gateway: GatewayType | null;
  readonly arrival: LoadSpec['arrival'];
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  readonly apiKey: string;
}

export interface LoadSlice {
  loadForm: LoadForm;
  loadRun: LoadRunState | null;
  /** A few full traces of the run (the engine's samples: spread over the run, and the first of each outcome). */
  loadSamples: readonly Trace[];
  /** Simulated seconds the canvas replays per real second. */
  loadSpeed: number;
  setLoadSpeed(speed: number): void;
  setLoadForm(patch: Partial<LoadForm>): void;
  startLoad(): Promise<void>;
  cancelLoad(): Promise<void>;
}

export interface LiveSlice {
  live: LiveEndpointInfo | null;
  /** Requests the live endpoint served, newest first (a bounded window). */
  liveTraces: readonly Trace[];
  /**
   * Requests served but not listed: under load the host sends at most LIVE_TRACES_PER_SECOND live traces a second
   * (always the newest), with the number of requests skipped in between.
   */
  liveUnlisted: number;
  liveGateway: GatewayType | null;
  setLiveGateway(gateway: GatewayType): void;
  toggleLive(): Promise<void>;
  clearLiveTraces(): void;
}

export interface PlaygroundSlice {
  templates: readonly TemplateExample[];
  /** The example the editors started from, if any. */
  templateName: string | null;
  template: string;
  templateBody: string;
  /** $context, $stageVariables and parameters as one JSON document (the `gateway-lab vtl --vars` format). */
  templateVars: string;
  /** The latest render for the current text (or the error that stopped it). */
  rendered: TemplateRender | null;
  /** The last output that rendered, kept on screen (dimmed) while the text has an error. */
  lastOutput: string | null;
  /** The variables do not parse: the message. */
  varsError: string | null;
  loadTemplates(): Promise<void>;
  pickTemplate(name: string): void;
  setTemplateText(patch: { template?: string; templateBody?: string; templateVars?: string }): void;
}

export type AppState = LibrarySlice & SessionSlice & UiSlice & CompareSlice & LoadSlice & LiveSlice & PlaygroundSlice;

/** What every slice gets besides zustand's set/get: the API and two helpers. */
export interface SliceContext {
  readonly api: GatewayApi;
  /** Run a call; on failure show its error and return null. */
  attempt<T>(p: Promise<ApiResult<T>>): Promise<T | null>;
  /** Mark the app busy while `fn` runs (buttons disable; no double runs). */
  busy<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Register what a slice resets when another scenario opens (or the open one closes); the
   * session slice applies every registered reset in the same update as the new session.
   */
  onSessionChange(reset: (session: SessionInfo | null) => Partial<AppState>): void;
  /** @internal the session slice's side of onSessionChange. */
  sessionResets(session: SessionInfo | null): Partial<AppState>;
}

export type Slice<T> = (ctx: SliceContext) => StateCreator<AppState, [], [], T>;
