import type { SessionInfo, StepResult } from '../../../engine/api/types';
import type { GatewayType, Trace } from '../../../engine/trace/types';
import type { ComposerDraft, SessionSlice, Slice, TraceEntry } from './types';

const EMPTY_DRAFT: ComposerDraft = { gateway: null, method: 'GET', path: '/', headers: [], query: [], body: '' };

/** A fresh draft for a session: its first scenario request, or its first endpoint. */
function draftFor(session: SessionInfo): ComposerDraft {
  const first = session.steps.find((s) => s.request)?.request;
  if (first) {
    const headers = Object.entries(first.headers ?? {}).map(([key, v]) => ({ key, value: Array.isArray(v) ? v.join(', ') : String(v) }));
    const query = Object.entries(first.query ?? {}).map(([key, v]) => ({ key, value: Array.isArray(v) ? v.join(',') : String(v) }));
    const body = first.body === undefined || first.body === null ? '' : typeof first.body === 'string' ? first.body : JSON.stringify(first.body, null, 2);
    return { ...EMPTY_DRAFT, method: first.method, path: first.path, headers, query, body };
  }
  const e = session.composer.endpoints[0];
  return e ? { ...EMPTY_DRAFT, method: e.method === 'ANY' ? 'GET' : e.method, path: e.path.replace(/\{[^}]+\}/g, '1') } : EMPTY_DRAFT;
}

/**
 * The traces a step produced. Most steps have one per gateway type; a WebSocket step can have
 * several (a message, then the $disconnects of a broadcast...): those arrive as trace events,
 * and the result lists their ids in order.
 */
function entriesOf(result: StepResult, seen: ReadonlyMap<string, Trace>): TraceEntry[] {
  const all = result.allTraceIds?.map((id) => seen.get(id)).filter((t): t is Trace => !!t) ?? [];
  if (all.length > 1) {
    return all.map((trace, n) => ({ key: `step:${result.stepIndex}:${trace.api.type}:${n}`, trace, origin: 'step', gateway: trace.api.type, stepIndex: result.stepIndex }));
  }
  return (Object.entries(result.traces) as [GatewayType, Trace][]).map(([gateway, trace]) => ({
    key: `step:${result.stepIndex}:${gateway}`,
    trace,
    origin: 'step',
    gateway,
    stepIndex: result.stepIndex,
  }));
}

export const createSessionSlice: Slice<SessionSlice> =
  ({ api, attempt, busy, sessionResets }) =>
  (set, get) => {
    let nonce = 0;
    let requests = 0;
    // Traces of the open session that arrived as events, by id (a WebSocket step's many).
    const seen = new Map<string, Trace>();
    let listening = false;
    const listen = () => {
      if (listening) return;
      listening = true;
      api.on('trace', ({ sessionId, trace }) => {
        if (sessionId !== get().session?.sessionId) return;
        seen.set(trace.id, trace);
        if (seen.size > 500) seen.delete(seen.keys().next().value!);
      });
    };
    const start = (session: SessionInfo) => {
      listen();
      seen.clear();
      set({
        session,
        nextStep: session.steps.length > 0 ? 1 : null,
        results: {},
        entries: [],
        selection: null,
        predictions: {},
        pendingPredict: null,
        composer: draftFor(session),
        ...sessionResets(session),
      });
    };

    async function run(index: number) {
      const { session } = get();
      if (!session) return;
      const result = await attempt(api.runStep(session.sessionId, index));
      if (!result) return;
      const added = entriesOf(result, seen);
      set((s) => ({
        results: { ...s.results, [index]: result },
        nextStep: result.nextStepIndex,
        // Running a step again (after a restart) replaces its traces.
        entries: [...s.entries.filter((e) => e.stepIndex !== index), ...added],
        ...(added[0] ? { selection: { key: added[0].key, play: true, nonce: ++nonce } } : {}),
      }));
    }

    return {
      session: null,
      results: {},
      nextStep: null,
      entries: [],
      selection: null,
      predictions: {},
      pendingPredict: null,
      composer: EMPTY_DRAFT,

      openScenario: (ref, options) =>
        busy(async () => {
          const previous = get().session;
          if (previous) void api.closeSession(previous.sessionId);
          const session = await attempt(api.openSession(ref));
          if (session) {
            start(session);
            if (!options?.stay) set({ view: 'player' });
          } else set({ session: null, entries: [], selection: null, ...sessionResets(null) });
        }),

      openInPlayer(trace, origin) {
        const key = `${origin}:${trace.id}:${trace.api.type}`;
        const entry: TraceEntry = { key, trace, origin, gateway: trace.api.type };
        set((s) => ({
          entries: s.entries.some((e) => e.key === key) ? s.entries : [...s.entries, entry],
          selection: { key, play: true, nonce: ++nonce },
          view: 'player',
        }));
      },

      runNext: () =>
        busy(async () => {
          const { session, nextStep, predictions } = get();
          if (!session || nextStep === null) return;
          const step = session.steps.find((s) => s.index === nextStep);
          // Predict before you see: ask first, run once answered.
          if (step?.predict && !predictions[nextStep]) {
            set({ pendingPredict: nextStep });
            return;
          }
          await run(nextStep);
        }),

      answerPredict: (choice) =>
        busy(async () => {
          const index = get().pendingPredict;
          if (index === null) return;
          set((s) => ({ pendingPredict: null, predictions: { ...s.predictions, [index]: { choice, revealed: false, dismissed: false } } }));
          await run(index);
        }),

      revealPredict: (stepIndex) =>
        set((s) => {
          const p = s.predictions[stepIndex];
          return p && !p.revealed ? { predictions: { ...s.predictions, [stepIndex]: { ...p, revealed: true } } } : {};
        }),

      dismissPredict: (stepIndex) =>
        set((s) => {
          const p = s.predictions[stepIndex];
          return p ? { predictions: { ...s.predictions, [stepIndex]: { ...p, revealed: true, dismissed: true } } } : {};
        }),

      restart: () =>
        busy(async () => {
          const { session } = get();
          if (!session) return;
          const next = await attempt(api.resetSession(session.sessionId));
          if (next) start(next);
        }),

      closeScenario() {
        const { session } = get();
        if (session) void api.closeSession(session.sessionId);
        set({ session: null, entries: [], selection: null, results: {}, nextStep: null, pendingPredict: null, view: 'library', ...sessionResets(null) });
      },

      selectTrace: (key, play = false) => set({ selection: { key, play, nonce: ++nonce } }),

      setComposer: (patch) => set((s) => ({ composer: { ...s.composer, ...patch } })),

      send: (request, gateway) =>
        busy(async () => {
          const { session } = get();
          if (!session) return false;
          const trace = await attempt(api.sendRequest(session.sessionId, request, ...(gateway ? [gateway] : [])));
          if (!trace) return false;
          const entry: TraceEntry = { key: `request:${++requests}`, trace, origin: 'request', gateway: trace.api.type };
          set((s) => ({ entries: [...s.entries, entry], selection: { key: entry.key, play: true, nonce: ++nonce } }));
          return true;
        }),

      async exportTrace(format) {
        const { session, selection, entries } = get();
        const entry = entries.find((e) => e.key === selection?.key);
        if (!session || !entry) return null;
        return attempt(api.exportTrace(session.sessionId, entry.trace.id, format));
      },
    };
  };
