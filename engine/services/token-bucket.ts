/**
 * The token bucket API Gateway throttles with, at every level (account, stage, method or route,
 * usage-plan key, usage-plan method): a bucket starts full at `burst`, refills continuously at
 * `rate` tokens per second up to `burst`, and each request takes one token. Burst is the bucket
 * size, not a per-second rate: the most common reason for 429s at low traffic.
 *
 * Time comes from the caller (the engine clock), so throttling is exact and repeatable. Tokens
 * are kept in thousandths (one token = 1000 units): refilling `rate` tokens per second is then
 * `rate` units per millisecond, an exact integer for integer rates, so a long simulation never
 * drifts from the arithmetic a learner (or a test) does by hand.
 */
export interface BucketLimits {
  /** Steady-state requests per second (refill rate). */
  readonly rate: number;
  /** Bucket size. */
  readonly burst: number;
}

export interface TakeResult {
  readonly allowed: boolean;
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  readonly limits: BucketLimits;
}

const UNIT = 1000;

export class TokenBucket {
  /** Tokens × 1000. */
  private units: number;
  private updatedAt: number | undefined;
  private readonly capacity: number;

  constructor(readonly limits: BucketLimits) {
    this.capacity = limits.burst * UNIT;
    this.units = this.capacity;
  }

  /** Tokens available at `now` (epoch ms), after refilling. */
  available(now: number): number {
    this.refill(now);
    return this.units / UNIT;
  }

  /** Whether a token is there at `now`, without taking it. */
  canTake(now: number): boolean {
    this.refill(now);
    return this.units >= UNIT;
  }

  take(now: number): TakeResult {
    this.refill(now);
    const before = this.units;
    if (before >= UNIT) {
      this.units = before - UNIT;
      return { allowed: true, tokensBefore: before / UNIT, tokensAfter: this.units / UNIT, limits: this.limits };
    }
    return { allowed: false, tokensBefore: before / UNIT, tokensAfter: before / UNIT, limits: this.limits };
  }

  private refill(now: number): void {
    const last = this.updatedAt;
    if (last === undefined) {
      this.updatedAt = now;
      return;
    }
    if (now > last) {
      // rate tokens/s = rate units/ms.
      const next = this.units + (now - last) * this.limits.rate;
      this.units = next > this.capacity ? this.capacity : next;
      this.updatedAt = now;
    }
  }
}

/** The levels API Gateway throttles at, narrowest first (reference §6 and A8). */
export type BucketLevel = 'usagePlanMethod' | 'usagePlanKey' | 'method' | 'stage' | 'route' | 'account';

/** One bucket a request must pass. */
export interface BucketCheck {
  /** Registry key, e.g. `account`, `rest:abc123/prod GET /pets`, `key:k1`. */
  readonly key: string;
  readonly level: BucketLevel;
  readonly limits: BucketLimits;
  /** Where the limits come from, for the trace (`stage default *\/*`, `method /pets/GET`, `usage plan Gold`). */
  readonly source?: string;
}

/** What one bucket looked like when a request consulted it: what the trace shows. */
export interface BucketReport {
  readonly key: string;
  readonly level: BucketLevel;
  readonly rate: number;
  readonly burst: number;
  readonly source?: string;
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  /** false for the bucket that stopped the request. */
  readonly allowed: boolean;
}

export interface ThrottleDecision {
  readonly allowed: boolean;
  /** Every bucket consulted, in order; a rejected request stops at the first empty bucket. */
  readonly buckets: readonly BucketReport[];
  /** The bucket that had no token. */
  readonly rejectedBy?: BucketReport;
}

/** Buckets by key (e.g. `stage:prod`, `method:prod /pets GET`, `key:abc`), created on first use. */
export class BucketRegistry {
  private readonly buckets = new Map<string, TokenBucket>();

  /** The bucket for `key`, created full; a change of limits starts a new (full) bucket. */
  bucket(key: string, limits: BucketLimits): TokenBucket {
    let b = this.buckets.get(key);
    if (!b || b.limits.rate !== limits.rate || b.limits.burst !== limits.burst) {
      b = new TokenBucket(limits);
      this.buckets.set(key, b);
    }
    return b;
  }

  take(key: string, limits: BucketLimits, now: number): TakeResult {
    return this.bucket(key, limits).take(now);
  }

  /**
   * Pass a request through several buckets at once. The request needs a token in every one; the
   * first bucket without a token stops it, and then no bucket loses a token (a throttled request
   * consumes nothing). Which AWS does is not documented (?): this choice keeps the arithmetic
   * of each bucket independent of the others, so a learner can check every 429 by hand.
   */
  takeAll(checks: readonly BucketCheck[], now: number): ThrottleDecision {
    const bs: TokenBucket[] = [];
    let blocked = -1;
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i]!;
      const b = this.bucket(c.key, c.limits);
      bs.push(b);
      if (blocked < 0 && !b.canTake(now)) blocked = i;
    }
    const reports: BucketReport[] = [];
    if (blocked >= 0) {
      for (let i = 0; i <= blocked; i++) {
        const c = checks[i]!;
        const tokens = bs[i]!.available(now);
        reports.push(report(c, tokens, tokens, i !== blocked));
      }
      return { allowed: false, buckets: reports, rejectedBy: reports[blocked]! };
    }
    for (let i = 0; i < checks.length; i++) {
      const r = bs[i]!.take(now);
      reports.push(report(checks[i]!, r.tokensBefore, r.tokensAfter, true));
    }
    return { allowed: true, buckets: reports };
  }

  peek(key: string, now: number): number | undefined {
    return this.buckets.get(key)?.available(now);
  }

  clear(): void {
    this.buckets.clear();
  }
}

function report(c: BucketCheck, tokensBefore: number, tokensAfter: number, allowed: boolean): BucketReport {
  return { key: c.key, level: c.level, rate: c.limits.rate, burst: c.limits.burst, source: c.source, tokensBefore, tokensAfter, allowed };
}

/** Account-level default per Region, shared by REST, HTTP and WebSocket APIs. */
export const ACCOUNT_DEFAULT_LIMITS: BucketLimits = { rate: 10_000, burst: 5_000 };

/** Account key in the registry: one bucket per account and Region, shared by every API. */
export const ACCOUNT_BUCKET_KEY = 'account';
