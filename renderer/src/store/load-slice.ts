/**
 * The load view's state: the simulation to run (one client's request, arrival pattern, rate and
 * duration), and the run in progress: its per-second points as `loadProgress` events bring them,
 * and the engine's result when `loadFinished` arrives. The dots on the load canvas read the same
 * points (load/dot-field.ts), outside React.
 */
import type { LoadSpec, SessionInfo } from '../../../engine/api/types';
import { defaultSpeed } from '../load/replay';
import { EMPTY_REQUEST, draftOf, scenarioRequests, specOf } from '../requests';
import { comparableGateways } from './compare-slice';
import type { LoadForm, LoadSlice, Slice } from './types';

/** Sampled traces kept for the results list. */
const SAMPLES = 30;

const DEFAULT_FORM: LoadForm = { request: EMPTY_REQUEST, gateway: null, arrival: 'constant', ratePerSecond: 100, durationSeconds: 60, apiKey: '' };

function formFor(session: SessionInfo | null): LoadForm {
  const presets = scenarioRequests(session);
  // A scenario's own load step is the best start: its request varies ({{random:N}}) as real traffic does.
  const preset = presets.find((p) => p.rate !== undefined) ?? presets[0];
  return {
    ...DEFAULT_FORM,
    request: preset ? draftOf(preset.request) : EMPTY_REQUEST,
    gateway: comparableGateways(session)[0] ?? null,
    ratePerSecond: preset?.rate ?? DEFAULT_FORM.ratePerSecond,
  };
}

export const createLoadSlice: Slice<LoadSlice> =
  ({ api, attempt, onSessionChange }) =>
  (set, get) => {
    let listening = false;
    const listen = () => {
      if (listening) return;
      listening = true;
      // This page starts one run at a time: events that arrive before startLoad answers (the run
      // may report before its id reaches us) belong to the run being started.
      const mine = (runId: string) => {
        const run = get().loadRun;
        return run && (run.runId === runId || (run.runId === null && run.status === 'starting')) ? run : null;
      };
      api.on('loadProgress', (p) => {
        const run = mine(p.runId);
        if (!run) return;
        set({ loadRun: { ...run, runId: p.runId, status: 'running', fraction: p.fraction, seconds: p.seconds.length ? [...run.seconds, ...p.seconds] : run.seconds } });
      });
      api.on('trace', ({ sessionId, origin, trace }) => {
        const run = get().loadRun;
        if (origin !== 'load' || sessionId !== get().session?.sessionId || !run || run.status === 'completed' || run.status === 'cancelled') return;
        set((s) => ({ loadSamples: [...s.loadSamples, trace].slice(-SAMPLES) }));
      });
      api.on('loadFinished', (f) => {
        const run = mine(f.runId);
        if (!run) return;
        set({ loadRun: { ...run, runId: f.runId, status: f.status, fraction: f.status === 'completed' ? 1 : run.fraction, finished: f } });
      });
    };

    onSessionChange((session) => {
      // The old session's run is cancelled by the host when the session closes.
      return { loadForm: formFor(session), loadRun: null, loadSamples: [] };
    });

    return {
      loadForm: DEFAULT_FORM,
      loadRun: null,
      loadSamples: [],
      loadSpeed: 1,

      setLoadSpeed: (loadSpeed) => set({ loadSpeed }),
      setLoadForm: (patch) => set((s) => ({ loadForm: { ...s.loadForm, ...patch } })),

      async startLoad() {
        const { session, loadForm: f, loadRun } = get();
        if (!session || (loadRun && (loadRun.status === 'running' || loadRun.status === 'starting'))) return;
        listen();
        const spec: LoadSpec = {
          request: specOf(f.request),
          ...(f.gateway ? { gateway: f.gateway } : {}),
          arrival: f.arrival,
          ratePerSecond: f.ratePerSecond,
          durationSeconds: f.durationSeconds,
          ...(f.apiKey ? { apiKey: f.apiKey } : {}),
        };
        set({ loadRun: { runId: null, spec, status: 'starting', fraction: 0, seconds: [] }, loadSamples: [], loadSpeed: defaultSpeed(spec.durationSeconds) });
        const run = await attempt(api.startLoad(session.sessionId, spec));
        const current = get().loadRun;
        if (!current || current.spec !== spec) return;
        if (!run) set({ loadRun: { ...current, status: 'failed' } });
        else if (current.status === 'starting') set({ loadRun: { ...current, runId: run.runId, status: 'running' } });
      },

      async cancelLoad() {
        const run = get().loadRun;
        if (!run?.runId || run.status !== 'running') return;
        await attempt(api.cancelLoad(run.runId));
      },
    };
  };
