/**
 * A REST stage cache (reference §5.3): one per stage, sized in GB, entries with a TTL, keyed by
 * the cache key the pipeline computes. Responses over 1 MB are not cached. Flushing empties it;
 * resizing a cache wipes it too. Time is the engine clock: an entry stored at the end of one
 * request exists only from that moment, so two overlapping requests of a load simulation both
 * miss (as concurrent requests do against a real cache).
 *
 * Memory is bounded twice: by the provisioned size (least recently used entries go first, as a
 * full cache evicts), and by a simulator limit on the number of entries, far beyond what any
 * scenario uses, so a long load simulation with endless distinct keys cannot exhaust the host.
 */
import type { MultiMap } from '../core/http';

/** Provisionable sizes, in GB, as the API spells them (`cacheClusterSize`). */
export const CACHE_SIZES_GB = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'] as const;
export type CacheSizeGb = (typeof CACHE_SIZES_GB)[number];

/** "The maximum size of a response that can be cached is 1048576 bytes." */
export const MAX_CACHED_RESPONSE_BYTES = 1_048_576;

/** Simulator limit (not an AWS one): entries kept per stage cache. */
export const MAX_SIMULATED_ENTRIES = 200_000;

/** What the cache keeps: the endpoint response, before integration-response mapping. */
export interface CachedResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>> | MultiMap;
  readonly body: string;
  readonly isBase64Encoded: boolean;
  readonly latencyMs?: number;
}

export interface CacheEntry<R = CachedResponse> {
  readonly key: string;
  readonly response: R;
  readonly bytes: number;
  readonly storedAt: number;
  readonly expiresAt: number;
}

export type CacheLookup<R = CachedResponse> =
  | { readonly status: 'hit'; readonly entry: CacheEntry<R>; readonly ageSeconds: number }
  | { readonly status: 'miss' }
  | { readonly status: 'expired'; readonly entry: CacheEntry<R> };

export type CacheStore<R = CachedResponse> =
  | { readonly stored: true; readonly entry: CacheEntry<R>; readonly evicted: number }
  | { readonly stored: false; readonly reason: string };

export interface CacheStats {
  readonly sizeGb: string;
  readonly capacityBytes: number;
  readonly entries: number;
  readonly bytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly stores: number;
  readonly evictions: number;
  readonly flushes: number;
}

/** An entry with its second-chance mark. */
interface Slot<R> extends CacheEntry<R> {
  used: boolean;
}

export class StageCache<R extends CachedResponse = CachedResponse> {
  /** Insertion order; a hit marks its entry, which eviction then passes over once (CLOCK, an approximate LRU). */
  private readonly entries = new Map<string, CacheEntry<R>>();
  private bytes = 0;
  private counts = { hits: 0, misses: 0, stores: 0, evictions: 0, flushes: 0 };
  readonly capacityBytes: number;

  constructor(
    readonly sizeGb: string = '0.5',
    private readonly maxEntries = MAX_SIMULATED_ENTRIES,
  ) {
    if (!(CACHE_SIZES_GB as readonly string[]).includes(sizeGb)) {
      throw new RangeError(`no stage cache of ${sizeGb} GB; sizes are ${CACHE_SIZES_GB.join(', ')}`);
    }
    this.capacityBytes = Math.round(Number(sizeGb) * 1024 ** 3);
  }

  lookup(key: string, now: number): CacheLookup<R> {
    const entry = this.entries.get(key);
    if (!entry || entry.storedAt > now) {
      this.counts.misses++;
      return { status: 'miss' };
    }
    if (now >= entry.expiresAt) {
      this.remove(key, entry);
      this.counts.misses++;
      return { status: 'expired', entry };
    }
    // Second chance (CLOCK): a hit only marks the entry; eviction skips marked entries once.
    (entry as Slot<R>).used = true;
    this.counts.hits++;
    return { status: 'hit', entry, ageSeconds: (now - entry.storedAt) / 1000 };
  }

  /**
   * Remember `response` under `key` for `ttlSeconds` from `now`. An invalidation (`replace`)
   * always overwrites; an ordinary miss keeps an entry that another request stored in the
   * meantime and that is still valid (overlapping misses of a load simulation).
   */
  store(key: string, response: R, ttlSeconds: number, now: number, replace = false): CacheStore<R> {
    if (ttlSeconds <= 0) return { stored: false, reason: 'the TTL is 0, which disables caching' };
    const bodyBytes = response.isBase64Encoded ? Math.floor((response.body.length * 3) / 4) : Buffer.byteLength(response.body);
    if (bodyBytes > MAX_CACHED_RESPONSE_BYTES) {
      return { stored: false, reason: `the response is ${bodyBytes} bytes; API Gateway caches responses of at most ${MAX_CACHED_RESPONSE_BYTES} bytes` };
    }
    const bytes = bodyBytes + key.length + headerBytes(response.headers) + 64;
    const existing = this.entries.get(key);
    if (existing && !replace && existing.storedAt <= now && now < existing.expiresAt) {
      return { stored: false, reason: `another request stored this key ${((now - existing.storedAt) / 1000).toFixed(3)} s ago; that entry stays` };
    }
    if (existing) this.remove(key, existing);
    const entry: Slot<R> = { key, response, bytes, storedAt: now, expiresAt: now + ttlSeconds * 1000, used: false };
    this.entries.set(key, entry);
    this.bytes += bytes;
    this.counts.stores++;
    let evicted = 0;
    while ((this.bytes > this.capacityBytes || this.entries.size > this.maxEntries) && this.entries.size > 1) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Slot<R>];
      if (oldest.used && oldest !== entry) {
        // Recently used: move it to the back, unmarked.
        oldest.used = false;
        this.entries.delete(oldestKey);
        this.entries.set(oldestKey, oldest);
        continue;
      }
      this.remove(oldestKey, oldest);
      evicted++;
    }
    this.counts.evictions += evicted;
    return { stored: true, entry, evicted };
  }

  invalidate(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    this.remove(key, e);
    return true;
  }

  /** FlushStageCache. */
  flush(): number {
    const n = this.entries.size;
    this.entries.clear();
    this.bytes = 0;
    this.counts.flushes++;
    return n;
  }

  get size(): number {
    return this.entries.size;
  }

  stats(): CacheStats {
    return { sizeGb: this.sizeGb, capacityBytes: this.capacityBytes, entries: this.entries.size, bytes: this.bytes, ...this.counts };
  }

  /** The entries, oldest first (for the inspector). */
  list(): CacheEntry<R>[] {
    return [...this.entries.values()];
  }

  private remove(key: string, entry: CacheEntry<R>): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}

function headerBytes(headers: CachedResponse['headers']): number {
  let n = 0;
  for (const [k, v] of Object.entries(headers)) n += k.length + (typeof v === 'string' ? v.length : v.join(', ').length) + 4;
  return n;
}
