import type { StateCreator } from 'zustand';
import type { ApiError, ApiResult, GatewayApi, HostInfo, ScenarioSummary, SessionInfo, StepResult, TraceExport } from '../../../engine/api/types';
import type { RequestSpec } from '../../../engine/scenario/types';
import type { GatewayType, Trace } from '../../../engine/trace/types';
import type { LibraryFilter } from '../library/filter';

/** A trace the player can show: from a scenario step, or an ad-hoc request from the composer. */
export interface TraceEntry {
  /** Unique in the session: `step:3:REST`, `request:2`. */
  readonly key: string;
  readonly trace: Trace;
  readonly origin: 'step' | 'request';
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

  openScenario(ref: string): Promise<void>;
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
  view: 'library' | 'player';
  theme: Theme;
  sideTab: SideTab;
  composerOpen: boolean;
  error: ApiError | null;
  busy: boolean;
  disconnected: boolean;
  init(): Promise<void>;
  setView(view: 'library' | 'player'): void;
  setTheme(theme: Theme): void;
  setSideTab(tab: SideTab): void;
  setComposerOpen(open: boolean): void;
  dismissError(): void;
}

export type AppState = LibrarySlice & SessionSlice & UiSlice;

/** What every slice gets besides zustand's set/get: the API and two helpers. */
export interface SliceContext {
  readonly api: GatewayApi;
  /** Run a call; on failure show its error and return null. */
  attempt<T>(p: Promise<ApiResult<T>>): Promise<T | null>;
  /** Mark the app busy while `fn` runs (buttons disable; no double runs). */
  busy<T>(fn: () => Promise<T>): Promise<T>;
}

export type Slice<T> = (ctx: SliceContext) => StateCreator<AppState, [], [], T>;
