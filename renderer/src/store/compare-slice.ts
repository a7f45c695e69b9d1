/**
 * The compare view's state: the request to compare, the gateway types to compare it on, the
 * engine's comparison, and the traffic the price table is for (priced by the engine).
 */
import type { SessionInfo } from '../../../engine/api/types';
import type { GatewayType } from '../../../engine/trace/types';
import { EMPTY_REQUEST, draftOf, scenarioRequests, specOf } from '../requests';
import type { CompareSlice, Slice } from './types';

/** The gateway types one HTTP request can go through (a WebSocket API takes messages). */
export function comparableGateways(session: SessionInfo | null): GatewayType[] {
  return (session?.scenario.gateways ?? []).filter((g) => g !== 'WEBSOCKET');
}

export const createCompareSlice: Slice<CompareSlice> =
  ({ api, attempt, busy, onSessionChange }) =>
  (set, get) => {
    // Only the latest estimate counts (the traffic slider sends many).
    let estimateSeq = 0;
    const estimate = async () => {
      const { comparison, traffic, compareGateways } = get();
      if (!comparison || compareGateways.length === 0) return;
      const seq = ++estimateSeq;
      const cache = traffic.includeCache && comparison.cacheSizeGb ? { cacheSizeGb: comparison.cacheSizeGb } : {};
      const value = await attempt(
        api.estimateCost({ gateways: comparison.lanes.map((l) => l.gateway), requestsPerMonth: traffic.requestsPerMonth, averageBytes: traffic.averageBytes, ...cache }),
      );
      if (value && seq === estimateSeq) set({ costEstimate: value });
    };

    onSessionChange((session) => {
      const first = scenarioRequests(session)[0];
      return { compareDraft: first ? draftOf(first.request) : EMPTY_REQUEST, compareGateways: comparableGateways(session), comparison: null, costEstimate: null };
    });

    return {
      compareDraft: EMPTY_REQUEST,
      compareGateways: [],
      comparison: null,
      traffic: { requestsPerMonth: 10_000_000, averageBytes: 1024, includeCache: true },
      costEstimate: null,

      setCompareDraft: (patch) => set((s) => ({ compareDraft: { ...s.compareDraft, ...patch } })),
      setCompareGateways: (compareGateways) => set({ compareGateways }),

      runCompare: () =>
        busy(async () => {
          const { session, compareDraft, compareGateways } = get();
          if (!session || compareGateways.length === 0) return;
          const comparison = await attempt(api.compare(session.sessionId, specOf(compareDraft), compareGateways));
          if (!comparison) return;
          set({ comparison });
          await estimate();
        }),

      setTraffic(patch) {
        set((s) => ({ traffic: { ...s.traffic, ...patch } }));
        void estimate();
      },
    };
  };
