/**
 * When a simulated client sends its requests, on the virtual clock: constant rate, Poisson
 * (random, memoryless: the way independent users arrive), bursts (N at once every P seconds),
 * or a ramp (rate rising or falling linearly). Times are whole milliseconds, so every token
 * bucket sees exact arithmetic and the same seed gives the same run.
 */
import type { SeededRandom } from '../core/random';

export type ArrivalSpec =
  | { readonly pattern: 'constant'; readonly rate: number }
  | { readonly pattern: 'poisson'; readonly rate: number }
  | {
      readonly pattern: 'burst';
      /** Requests per burst. */
      readonly size: number;
      /** Seconds between the starts of two bursts. */
      readonly every: number;
      /** Milliseconds between two requests of one burst (default 0: all at the same instant). */
      readonly spacingMs?: number;
    }
  | { readonly pattern: 'ramp'; readonly from: number; readonly to: number };

/** A source of arrival times (epoch ms), ascending; undefined when the window is over. */
export interface Arrivals {
  next(): number | undefined;
  /** How many arrivals to expect in the window (exact for deterministic patterns). */
  readonly expected: number;
}

/** Arrivals in [start, end) (epoch ms). */
export function arrivals(spec: ArrivalSpec, start: number, end: number, random: SeededRandom): Arrivals {
  const windowMs = Math.max(0, end - start);
  switch (spec.pattern) {
    case 'constant': {
      if (spec.rate <= 0) return none();
      const gap = 1000 / spec.rate;
      let i = 0;
      return {
        expected: Math.ceil((windowMs * spec.rate) / 1000),
        next() {
          const t = start + Math.round(i * gap);
          if (t >= end) return undefined;
          i++;
          return t;
        },
      };
    }
    case 'poisson': {
      if (spec.rate <= 0) return none();
      const mean = 1000 / spec.rate;
      let t = start;
      return {
        expected: Math.round((windowMs * spec.rate) / 1000),
        next() {
          t += random.exponential(mean);
          const at = Math.round(t);
          return at >= end ? undefined : at;
        },
      };
    }
    case 'burst': {
      if (spec.size <= 0 || spec.every <= 0) return none();
      const periodMs = spec.every * 1000;
      const spacing = spec.spacingMs ?? 0;
      let burst = 0;
      let inBurst = 0;
      const bursts = Math.ceil(windowMs / periodMs);
      return {
        expected: bursts * spec.size,
        next() {
          for (;;) {
            const t = start + Math.round(burst * periodMs + inBurst * spacing);
            if (start + burst * periodMs >= end) return undefined;
            if (inBurst < spec.size && t < end) {
              inBurst++;
              return t;
            }
            burst++;
            inBurst = 0;
          }
        },
      };
    }
    case 'ramp': {
      // Rate r(t) = from + (to - from) * t / T; the k-th arrival is where the integral reaches k.
      const T = windowMs / 1000;
      const a = (spec.to - spec.from) / (T || 1);
      const total = ((spec.from + spec.to) / 2) * T;
      let k = 0;
      return {
        expected: Math.floor(total),
        next() {
          if (T <= 0 || k >= total) return undefined;
          // Solve from*t + a*t^2/2 = k.
          const s = a === 0 ? k / spec.from : (-spec.from + Math.sqrt(spec.from * spec.from + 2 * a * k)) / a;
          k++;
          if (!Number.isFinite(s)) return undefined;
          const at = start + Math.round(s * 1000);
          return at >= end ? undefined : at;
        },
      };
    }
  }
}

function none(): Arrivals {
  return { expected: 0, next: () => undefined };
}
