/**
 * Load simulation: traffic on the virtual clock through the real pipeline, per-second series in
 * bounded memory, sampled traces. See simulate.ts.
 */
export { simulateLoad, classify, type RequestOutcome } from './simulate';
export { arrivals, type ArrivalSpec, type Arrivals } from './arrivals';
export { LatencyHistogram } from './histogram';
export type { LoadClient, LoadOptions, LoadProgress, LoadResult, LoadSeries, LoadSpec, LoadTarget, LoadTotals, ThrottleLevel } from './types';
