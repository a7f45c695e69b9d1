/**
 * The page's state (zustand). Everything gateway-related comes from GatewayApi calls and events;
 * the renderer only shows what the engine returned.
 */
import { create } from 'zustand';
import type { ApiError, ApiResult, ExportFormat, GatewayApi, HostInfo, ScenarioSummary, SessionInfo, StepResult } from '../../engine/api/types';
import type { Trace } from '../../engine/trace/types';

export interface AppState {
  host: HostInfo | null;
  scenarios: readonly ScenarioSummary[];
  session: SessionInfo | null;
  /** The next step to run (1-based), null after the last one. */
  nextStep: number | null;
  results: readonly StepResult[];
  /** The trace on screen: the latest one. */
  trace: Trace | null;
  error: ApiError | null;
  busy: boolean;
  disconnected: boolean;

  init(): Promise<void>;
  refreshScenarios(): Promise<void>;
  openScenario(ref: string): Promise<void>;
  runNext(): Promise<void>;
  restart(): Promise<void>;
  openDialog(): Promise<void>;
  openText(name: string, text: string): Promise<void>;
  exportTrace(format: ExportFormat): Promise<{ fileName: string; mimeType: string; content: string } | null>;
  dismissError(): void;
}

export function createAppStore(api: GatewayApi) {
  return create<AppState>()((set, get) => {
    /** Run a call; on failure show its error and return null. */
    async function attempt<T>(p: Promise<ApiResult<T>>): Promise<T | null> {
      const r = await p;
      if (r.ok) return r.value;
      if (r.error.code !== 'cancelled') set({ error: r.error });
      return null;
    }
    async function busy<T>(fn: () => Promise<T>): Promise<T> {
      set({ busy: true, error: null });
      try {
        return await fn();
      } finally {
        set({ busy: false });
      }
    }
    function startSession(session: SessionInfo) {
      set({ session, nextStep: session.steps.length > 0 ? 1 : null, results: [], trace: null });
    }

    return {
      host: null,
      scenarios: [],
      session: null,
      nextStep: null,
      results: [],
      trace: null,
      error: null,
      busy: false,
      disconnected: false,

      async init() {
        api.on('connection', ({ state }) => set({ disconnected: state === 'closed' }));
        api.on('scenarioAdded', () => void get().refreshScenarios());
        const host = await attempt(api.hostInfo());
        if (host) set({ host });
        await get().refreshScenarios();
      },

      async refreshScenarios() {
        const scenarios = await attempt(api.listScenarios());
        if (scenarios) set({ scenarios });
      },

      openScenario: (ref) =>
        busy(async () => {
          const previous = get().session;
          if (previous) void api.closeSession(previous.sessionId);
          const session = await attempt(api.openSession(ref));
          if (session) startSession(session);
          else set({ session: null, nextStep: null, results: [], trace: null });
        }),

      runNext: () =>
        busy(async () => {
          const { session, nextStep } = get();
          if (!session || nextStep === null) return;
          const result = await attempt(api.runStep(session.sessionId, nextStep));
          if (!result) return;
          const trace = Object.values(result.traces)[0] ?? get().trace;
          set((s) => ({ results: [...s.results, result], nextStep: result.nextStepIndex, trace }));
        }),

      restart: () =>
        busy(async () => {
          const { session } = get();
          if (!session) return;
          const next = await attempt(api.resetSession(session.sessionId));
          if (next) startSession(next);
        }),

      openDialog: () =>
        busy(async () => {
          const added = await attempt(api.openScenarioDialog());
          if (added) await get().refreshScenarios();
        }),

      openText: (name, text) =>
        busy(async () => {
          const added = await attempt(api.openScenarioText({ name, text }));
          if (added) await get().refreshScenarios();
        }),

      async exportTrace(format) {
        const { session, trace } = get();
        if (!session || !trace) return null;
        return attempt(api.exportTrace(session.sessionId, trace.id, format));
      },

      dismissError: () => set({ error: null }),
    };
  });
}

export type AppStore = ReturnType<typeof createAppStore>;
