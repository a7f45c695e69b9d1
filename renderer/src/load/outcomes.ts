/**
 * The load canvas's pure parts: the stations and where they sit, the outcomes a request can
 * have, and how a second's dots get their outcomes from the engine's counts.
 */
import type { LoadSecond } from '../../../engine/api/types';

/** How a dot's request ended; the index into the colours. */
export const Fate = { Ok: 0, CacheHit: 1, Error: 2, Throttled: 3, Quota: 4 } as const;
export type Fate = (typeof Fate)[keyof typeof Fate];
export const FATES = 5;
/** Stations on the canvas, left to right: where each outcome turns back. */
export const STATIONS = ['client', 'throttle', 'quota', 'cache', 'backend'] as const;
export type Station = (typeof STATIONS)[number];
export const TURN: Readonly<Record<Fate, number>> = { [Fate.Ok]: 4, [Fate.CacheHit]: 3, [Fate.Error]: 4, [Fate.Throttled]: 1, [Fate.Quota]: 2 };

export interface FieldLayout {
  readonly width: number;
  readonly height: number;
  /** Centre x of each station. */
  readonly x: readonly number[];
  /** The request lane's and the response lane's centre y. */
  readonly yIn: number;
  readonly yOut: number;
  /** Half the height of a lane's band of dots. */
  readonly spread: number;
}

/** Where the stations sit for a canvas of this size (the React boxes use the same numbers). */
export function fieldLayout(width: number, height: number): FieldLayout {
  // Room for half a station box (112 px wide) at each end.
  const pad = Math.max(66, width * 0.06);
  const step = (width - 2 * pad) / (STATIONS.length - 1);
  return {
    width,
    height,
    x: STATIONS.map((_, i) => pad + i * step),
    yIn: height * 0.3,
    yOut: height * 0.7,
    spread: height * 0.09,
  };
}

/** How a second's requests ended, by Fate: the engine's counts (served = allowed less cache hits and errors). */
export function fateCounts(p: LoadSecond): number[] {
  return [Math.max(0, p.allowed - p.cacheHits - p.errors), p.cacheHits, p.errors, p.throttled, p.quotaExceeded];
}

/**
 * The outcome of a second's k-th dot (1-based): the outcome furthest behind its share of the
 * dots so far. Over a second's dots every outcome gets its exact share of the counts, spread
 * evenly rather than in blocks. `assigned` holds the dots given to each outcome so far.
 */
export function nextFate(counts: readonly number[], assigned: Float64Array, k: number): Fate {
  const total = counts.reduce((a, b) => a + b, 0) || 1;
  let best = 0;
  let gap = -Infinity;
  for (let f = 0; f < FATES; f++) {
    if (counts[f] === 0) continue;
    const g = (counts[f]! / total) * k - assigned[f]!;
    if (g > gap) {
      gap = g;
      best = f;
    }
  }
  assigned[best]! += 1;
  return best as Fate;
}

