/**
 * Every time-based decision in the engine reads one Clock. Scenarios, tests and load
 * simulations use a VirtualClock, so the same scenario always produces the same trace;
 * the live endpoint uses the SystemClock.
 */
export interface Clock {
  readonly kind: 'virtual' | 'system';
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Move time forward. A virtual clock jumps; the system clock cannot be moved, so this
   * is a no-op there (real time passes by itself).
   */
  advance(ms: number): void;
  /** Set the clock to an absolute time if that is later than now (virtual clocks only). */
  advanceTo(epochMs: number): void;
}

/** 2026-01-15T09:00:00Z: a fixed, ordinary Thursday morning, so log lines look real. */
export const DEFAULT_VIRTUAL_START = Date.UTC(2026, 0, 15, 9, 0, 0);

export class VirtualClock implements Clock {
  readonly kind = 'virtual' as const;
  private t: number;

  constructor(start: number = DEFAULT_VIRTUAL_START) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance a clock by ${ms} ms`);
    this.t += ms;
  }

  advanceTo(epochMs: number): void {
    if (epochMs > this.t) this.t = epochMs;
  }
}

export class SystemClock implements Clock {
  readonly kind = 'system' as const;
  now(): number {
    return Date.now();
  }
  advance(): void {}
  advanceTo(): void {}
}
