/**
 * The live view's state: the open scenario's live endpoint (a real listener on 127.0.0.1, started
 * and stopped here) and the requests it served, as they arrive (`trace` events, origin `live`).
 */
import type { Trace } from '../../../engine/trace/types';
import { comparableGateways } from './compare-slice';
import type { LiveSlice, Slice } from './types';

/** How many live requests the list keeps (the host keeps its own bounded window). */
const KEEP = 200;

export const createLiveSlice: Slice<LiveSlice> =
  ({ api, attempt, busy, onSessionChange }) =>
  (set, get) => {
    let listening = false;
    const listen = () => {
      if (listening) return;
      listening = true;
      api.on('live', (info) => {
        const session = get().session;
        if (info === null) set({ live: null });
        else if (info.sessionId === session?.sessionId) set({ live: info });
      });
      api.on('trace', ({ sessionId, origin, trace, unlisted }) => {
        if (origin !== 'live' || sessionId !== get().session?.sessionId) return;
        set((s) => ({ liveTraces: [trace, ...s.liveTraces].slice(0, KEEP) as readonly Trace[], liveUnlisted: s.liveUnlisted + (unlisted ?? 0) }));
      });
    };

    onSessionChange((session) => {
      const types = session?.scenario.gateways ?? [];
      // A comparison serves one of its APIs; a WebSocket API is served as itself.
      const first = comparableGateways(session)[0] ?? types[0] ?? null;
      return { live: null, liveTraces: [], liveUnlisted: 0, liveGateway: first };
    });

    return {
      live: null,
      liveTraces: [],
      liveUnlisted: 0,
      liveGateway: null,

      setLiveGateway: (liveGateway) => set({ liveGateway }),

      toggleLive: () =>
        busy(async () => {
          listen();
          const { session, live, liveGateway } = get();
          if (!session) return;
          if (live) {
            if (await attempt(api.stopLive(session.sessionId)) !== null) set({ live: null });
            return;
          }
          const info = await attempt(api.startLive(session.sessionId, liveGateway ? { gateway: liveGateway } : {}));
          if (info && get().session?.sessionId === session.sessionId) set({ live: info });
        }),

      clearLiveTraces: () => set({ liveTraces: [], liveUnlisted: 0 }),
    };
  };
