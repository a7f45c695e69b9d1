/**
 * The token bucket API Gateway throttles with, at every level (account, stage, method or route,
 * usage-plan key, usage-plan method): a bucket starts full at `burst`, refills continuously at
 * `rate` tokens per second up to `burst`, and each request takes one token. Burst is the bucket
 * size, not a per-second rate: the most common reason for 429s at low traffic.
 *
 * Time comes from the caller (the engine clock), so throttling is exact and repeatable.
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

export class TokenBucket {
  private tokens: number;
  private updatedAt: number | undefined;

  constructor(readonly limits: BucketLimits) {
    this.tokens = limits.burst;
  }

  /** Tokens available at `now` (epoch ms), after refilling. */
  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  take(now: number): TakeResult {
    this.refill(now);
    const before = this.tokens;
    if (before >= 1) {
      this.tokens = before - 1;
      return { allowed: true, tokensBefore: before, tokensAfter: this.tokens, limits: this.limits };
    }
    return { allowed: false, tokensBefore: before, tokensAfter: before, limits: this.limits };
  }

  private refill(now: number): void {
    if (this.updatedAt !== undefined && now > this.updatedAt) {
      this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.limits.rate);
    }
    if (this.updatedAt === undefined || now > this.updatedAt) this.updatedAt = now;
  }
}

/** Buckets by key (e.g. `stage:prod`, `method:prod /pets GET`, `key:abc`), created on first use. */
export class BucketRegistry {
  private readonly buckets = new Map<string, TokenBucket>();

  take(key: string, limits: BucketLimits, now: number): TakeResult {
    let b = this.buckets.get(key);
    if (!b || b.limits.rate !== limits.rate || b.limits.burst !== limits.burst) {
      b = new TokenBucket(limits);
      this.buckets.set(key, b);
    }
    return b.take(now);
  }

  peek(key: string, now: number): number | undefined {
    return this.buckets.get(key)?.available(now);
  }

  clear(): void {
    this.buckets.clear();
  }
}

/** Account-level default per Region, shared by REST, HTTP and WebSocket APIs. */
export const ACCOUNT_DEFAULT_LIMITS: BucketLimits = { rate: 10_000, burst: 5_000 };
