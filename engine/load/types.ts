/** The load simulation's contract with its callers (the scenario runner, the CLI and the app). */
import type { HttpRequest } from '../core/http';
import type { CostBreakdown } from '../services/cost';
import type { BucketLevel } from '../services/token-bucket';
import type { GatewayType, Trace } from '../trace/types';
import type { ArrivalSpec } from './arrivals';

/** One simulated client: its arrival pattern and the request(s) it sends (round robin). */
export interface LoadClient {
  readonly name: string;
  readonly arrival: ArrivalSpec;
  /**
   * The requests, already resolved (stage in the path, API key header set). In path, query and
   * header values, `{{random:N}}` becomes a uniform integer 1..N and `{{seq}}` the client's
   * request number, drawn per request.
   */
  readonly requests: readonly HttpRequest[];
  /** Active window within the run, in seconds from its start (default: the whole run). */
  readonly start?: number;
  readonly end?: number;
}

export interface LoadSpec {
  /** Simulated seconds. */
  readonly durationSeconds: number;
  readonly clients: readonly LoadClient[];
  /** Full traces to keep (evenly spread over the run), plus the first of each kind of outcome. Default 10. */
  readonly sampleTraces?: number;
  /** At most this many points per series; longer runs aggregate several seconds per point. Default 3600. */
  readonly maxSeriesPoints?: number;
}

/** Something that serves requests: a gateway type's runtime. */
export interface LoadTarget {
  readonly type: GatewayType;
  /** `snapshots` and a full trace only for sampled requests; `lean` for the others. */
  handle(request: HttpRequest, options: { readonly at: number; readonly snapshots: boolean; readonly lean: boolean }): Promise<Trace>;
  /** REST: the stage cache size billed by the hour, if one is provisioned. */
  cacheSizeGb?(): string | undefined;
}

export interface LoadProgress {
  readonly simulatedSeconds: number;
  readonly durationSeconds: number;
  readonly requests: number;
  readonly fraction: number;
  /** The series being filled: points before `completedPoints` are final. */
  readonly series: LoadSeries;
  readonly completedPoints: number;
}

export interface LoadOptions {
  /** Epoch ms of the first instant (the gateway clock's now). */
  readonly startAt: number;
  readonly signal?: AbortSignal;
  /** Called about every simulated second (and at the end). */
  readonly onProgress?: (p: LoadProgress) => void;
  /** Seed source for Poisson arrivals and `{{random:N}}`. */
  readonly random: import('../core/random').SeededRandom;
}

export type ThrottleLevel = BucketLevel;

export interface LoadTotals {
  readonly requests: number;
  /** Requests that passed every throttle and quota (whatever their status). */
  readonly allowed: number;
  /** 429 Too Many Requests, from any bucket. */
  readonly throttled: number;
  readonly throttledBy: Readonly<Partial<Record<ThrottleLevel, number>>>;
  /** 429 Limit Exceeded (usage-plan quota). */
  readonly quotaExceeded: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  /** 4xx and 5xx other than throttling and quota. */
  readonly errors: number;
  readonly status: Readonly<Record<string, number>>;
  readonly billable: number;
  /** Requests that reached the backend (the integration ran; cache hits and rejections did not). */
  readonly integrationCalls: number;
  readonly latency: { readonly p50: number; readonly p95: number; readonly p99: number; readonly mean: number; readonly max: number };
  /** Dollars for the requests of this run on the simulated gateway type (cache hours included). */
  readonly cost: number;
}

/** Per-interval series; every array has one value per point of `t`. */
export interface LoadSeries {
  /** Seconds from the start of the run, one per point. */
  readonly t: number[];
  readonly requests: number[];
  readonly allowed: number[];
  readonly throttled: number[];
  readonly throttledBy: Partial<Record<ThrottleLevel, number[]>>;
  readonly quotaExceeded: number[];
  readonly cacheHits: number[];
  readonly cacheMisses: number[];
  readonly errors: number[];
  readonly p50: number[];
  readonly p95: number[];
  readonly p99: number[];
  /** Dollars spent in the interval (requests plus cache hours). */
  readonly cost: number[];
}

export interface LoadResult {
  readonly gateway: GatewayType;
  readonly startedAt: number;
  /** The end of the run on the virtual clock (where it stopped, if cancelled). */
  readonly endedAt: number;
  readonly durationSeconds: number;
  /** Seconds per series point. */
  readonly intervalSeconds: number;
  readonly totals: LoadTotals;
  readonly perClient: Readonly<Record<string, { readonly requests: number; readonly allowed: number; readonly throttled: number; readonly quotaExceeded: number }>>;
  readonly series: LoadSeries;
  /** The same traffic for a whole month (730 h), priced on each gateway type. */
  readonly monthly: { readonly requestsPerSecond: number; readonly averageBytes: number; readonly cacheSizeGb?: string; readonly byGateway: Readonly<Record<string, CostBreakdown>> };
  /** A few full traces: evenly spread samples (with snapshots) and the first of each kind of outcome. */
  readonly samples: readonly Trace[];
  readonly cancelled: boolean;
  /** Real time the simulation took. */
  readonly wallMs: number;
}
