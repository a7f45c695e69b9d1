/**
 * The load simulation: many requests on the virtual clock through the real pipeline of a
 * loaded API, every token bucket, cache and quota included. Requests run one after another in
 * arrival order, each starting at its own arrival time (so overlapping requests each see the
 * state the earlier arrivals left), and nothing per request is kept beyond the running
 * aggregates: per-interval counters, a latency histogram for the current interval, and a few
 * sampled traces. Memory stays the same however long the run.
 */
import { performance } from 'node:perf_hooks';
import type { HttpRequest } from '../core/http';
import type { SeededRandom } from '../core/random';
import { RunningCost, cacheHourlyPrice, isBillable, monthlyComparison, unitsFor, type PricedGateway } from '../services/cost';
import type { Trace } from '../trace/types';
import { type Arrivals, arrivals } from './arrivals';
import { LatencyHistogram } from './histogram';
import type { LoadOptions, LoadResult, LoadSeries, LoadSpec, LoadTarget, ThrottleLevel } from './types';

const YIELD_EVERY = 2048;

interface ClientState {
  readonly name: string;
  readonly arrivals: Arrivals;
  readonly requests: readonly HttpRequest[];
  readonly templated: readonly boolean[];
  nextAt: number | undefined;
  sent: number;
  allowed: number;
  throttled: number;
  quotaExceeded: number;
}

/** How one request ended, as the load views count it. */
export interface RequestOutcome {
  readonly status: number;
  readonly throttledBy?: ThrottleLevel;
  readonly quotaExceeded: boolean;
  readonly cache?: 'hit' | 'miss' | 'expired' | 'invalidated';
  readonly billable: boolean;
  readonly error: boolean;
  /** The integration ran: the backend (Lambda, HTTP, AWS service) was called. */
  readonly integrated: boolean;
}

/**
 * Which bucket a throttled request's stopping step names: `rejectedBy` (REST throttle step),
 * `throttledBy` (usage plans), or the bucket marked not allowed in `buckets` (HTTP APIs).
 */
export function throttleLevelOf(detail: Readonly<Record<string, unknown>> | undefined): ThrottleLevel | undefined {
  if (!detail) return undefined;
  const d = detail as { rejectedBy?: ThrottleLevel; throttledBy?: ThrottleLevel; buckets?: readonly { level?: ThrottleLevel; allowed?: boolean }[] };
  return d.rejectedBy ?? d.throttledBy ?? d.buckets?.find((b) => b.allowed === false)?.level;
}

export function classify(trace: Trace): RequestOutcome {
  const gw = trace.gatewayResponse?.type;
  const status = trace.response.statusCode;
  let throttledBy: ThrottleLevel | undefined;
  if (gw === 'THROTTLED') {
    const stop = trace.steps.find((s) => s.step === trace.stoppedAt);
    throttledBy = throttleLevelOf(stop?.detail) ?? (trace.stoppedAt === 'apiKey' ? 'usagePlanKey' : 'stage');
  }
  let cache: RequestOutcome['cache'];
  let integrated = false;
  const steps = trace.steps;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.step === 'cacheLookup' && s.outcome === 'continue') cache = (s.detail as { status?: RequestOutcome['cache'] } | undefined)?.status;
    else if (s.step === 'integration') integrated = s.outcome !== 'skip';
  }
  const quotaExceeded = gw === 'QUOTA_EXCEEDED';
  return {
    status,
    ...(throttledBy ? { throttledBy } : {}),
    quotaExceeded,
    ...(cache ? { cache } : {}),
    billable: isBillable(gw),
    error: status >= 400 && !throttledBy && !quotaExceeded,
    integrated,
  };
}

export async function simulateLoad(target: LoadTarget, spec: LoadSpec, options: LoadOptions): Promise<LoadResult> {
  const wall0 = performance.now();
  const start = options.startAt;
  const durationMs = Math.round(spec.durationSeconds * 1000);
  const end = start + durationMs;
  const maxPoints = Math.max(1, spec.maxSeriesPoints ?? 3600);
  const intervalSeconds = Math.max(1, Math.ceil(spec.durationSeconds / maxPoints));
  const intervalMs = intervalSeconds * 1000;
  const points = Math.max(1, Math.ceil(durationMs / intervalMs));
  const random: SeededRandom = options.random;

  const zeros = () => new Array<number>(points).fill(0);
  const series: LoadSeries = {
    t: Array.from({ length: points }, (_, i) => i * intervalSeconds),
    requests: zeros(),
    allowed: zeros(),
    throttled: zeros(),
    throttledBy: {},
    quotaExceeded: zeros(),
    cacheHits: zeros(),
    cacheMisses: zeros(),
    errors: zeros(),
    p50: zeros(),
    p95: zeros(),
    p99: zeros(),
    cost: zeros(),
  };

  const clients: ClientState[] = spec.clients.map((c, n) => {
    const from = start + Math.round((c.start ?? 0) * 1000);
    const to = Math.min(end, start + Math.round((c.end ?? spec.durationSeconds) * 1000));
    const a = arrivals(c.arrival, from, to, random.fork(`arrivals:${n}:${c.name}`));
    return {
      name: c.name,
      arrivals: a,
      requests: c.requests,
      templated: c.requests.map(isTemplated),
      nextAt: a.next(),
      sent: 0,
      allowed: 0,
      throttled: 0,
      quotaExceeded: 0,
    };
  });
  const expected = clients.reduce((n, c) => n + c.arrivals.expected, 0);
  const sampleCount = spec.sampleTraces ?? 10;
  const stride = sampleCount > 0 ? Math.max(1, Math.floor(expected / sampleCount)) : Infinity;
  const samples: Trace[] = [];
  const kindsSeen = new Set<string>();
  const varRandom = random.fork('vary');

  const gateway = target.type as PricedGateway;
  const running = new RunningCost(gateway);
  const cacheSize = target.cacheSizeGb?.();
  const cachePerInterval = (cacheHourlyPrice(cacheSize) * intervalSeconds) / 3600;

  let total = 0;
  let allowed = 0;
  let throttled = 0;
  const throttledBy: Partial<Record<ThrottleLevel, number>> = {};
  let quotaExceeded = 0;
  let cacheHits = 0;
  let cacheMisses = 0;
  let errors = 0;
  let billable = 0;
  let integrationCalls = 0;
  let bytes = 0;
  const status: Record<string, number> = {};
  const overall = new LatencyHistogram();
  const current = new LatencyHistogram();
  let currentIndex = 0;
  let cancelled = false;
  let nextProgress = start + 1000;
  let lastAt = start;

  const closeInterval = (index: number) => {
    const [p50, p95, p99] = current.percentiles([50, 95, 99]);
    series.p50[index] = p50!;
    series.p95[index] = p95!;
    series.p99[index] = p99!;
    current.clear();
  };
  const progress = (at: number) => {
    const simulatedSeconds = Math.min(spec.durationSeconds, (at - start) / 1000);
    options.onProgress?.({
      simulatedSeconds,
      durationSeconds: spec.durationSeconds,
      requests: total,
      fraction: spec.durationSeconds ? simulatedSeconds / spec.durationSeconds : 1,
      series,
      completedPoints: at >= end ? points : Math.min(points, Math.floor((at - start) / intervalMs)),
    });
  };

  for (;;) {
    let client: ClientState | undefined;
    for (const c of clients) if (c.nextAt !== undefined && (client === undefined || c.nextAt < client.nextAt!)) client = c;
    if (!client) break;
    const at = client.nextAt!;
    client.nextAt = client.arrivals.next();
    lastAt = at;

    if ((total & (YIELD_EVERY - 1)) === YIELD_EVERY - 1) {
      await new Promise<void>((r) => setImmediate(r));
    }
    if (options.signal?.aborted) {
      cancelled = true;
      break;
    }
    const index = Math.min(points - 1, Math.floor((at - start) / intervalMs));
    if (index !== currentIndex) {
      closeInterval(currentIndex);
      currentIndex = index;
    }
    if (at >= nextProgress) {
      progress(at);
      nextProgress = at - ((at - start) % 1000) + 1000;
    }

    const which = client.sent % client.requests.length;
    const request = client.templated[which] ? fill(client.requests[which]!, client.sent + 1, varRandom) : client.requests[which]!;
    const sampled = total % stride === 0 && samples.length < sampleCount;
    const trace = await target.handle(request, { at, snapshots: sampled, lean: !sampled });
    client.sent++;
    total++;

    const o = classify(trace);
    series.requests[index]!++;
    status[o.status] = (status[o.status] ?? 0) + 1;
    if (o.throttledBy) {
      throttled++;
      client.throttled++;
      series.throttled[index]!++;
      throttledBy[o.throttledBy] = (throttledBy[o.throttledBy] ?? 0) + 1;
      (series.throttledBy[o.throttledBy] ??= new Array<number>(points).fill(0))[index]!++;
    } else if (o.quotaExceeded) {
      quotaExceeded++;
      client.quotaExceeded++;
      series.quotaExceeded[index]!++;
    } else {
      allowed++;
      client.allowed++;
      series.allowed[index]!++;
    }
    if (o.cache === 'hit') {
      cacheHits++;
      series.cacheHits[index]!++;
    } else if (o.cache) {
      cacheMisses++;
      series.cacheMisses[index]!++;
    }
    if (o.integrated) integrationCalls++;
    if (o.error) {
      errors++;
      series.errors[index]!++;
    }
    const size = (request.body ? request.body.length : 0) + trace.response.body.length;
    bytes += size;
    if (o.billable) {
      billable++;
      series.cost[index]! += running.add(unitsFor(gateway, size));
    }
    current.add(trace.durationMs);
    overall.add(trace.durationMs);

    // Keep evenly spread samples, and the first trace of each kind of outcome (up to ten kinds).
    if (sampled || kindsSeen.size < 10) {
      const kind = `${o.status} ${trace.gatewayResponse?.type ?? ''} ${o.cache ?? ''}`;
      if (sampled || !kindsSeen.has(kind)) samples.push(trace);
      kindsSeen.add(kind);
    }
  }
  closeInterval(currentIndex);
  const lastIndex = cancelled ? currentIndex : points - 1;
  let cacheCost = 0;
  for (let i = 0; i <= lastIndex; i++) {
    series.cost[i]! += cachePerInterval;
    cacheCost += cachePerInterval;
  }
  progress(cancelled ? start + currentIndex * intervalMs : end);

  const [p50, p95, p99] = overall.percentiles([50, 95, 99]);
  const simulatedSeconds = cancelled ? Math.max(1, (currentIndex + 1) * intervalSeconds) : spec.durationSeconds;
  const requestsPerSecond = simulatedSeconds > 0 ? billable / simulatedSeconds : 0;
  const averageBytes = total ? bytes / total : 0;
  return {
    gateway: target.type,
    startedAt: start,
    endedAt: cancelled ? lastAt : end,
    durationSeconds: spec.durationSeconds,
    intervalSeconds,
    totals: {
      requests: total,
      allowed,
      throttled,
      throttledBy,
      quotaExceeded,
      cacheHits,
      cacheMisses,
      errors,
      status,
      billable,
      integrationCalls,
      latency: { p50: p50!, p95: p95!, p99: p99!, mean: overall.mean, max: overall.maximum },
      cost: running.total + cacheCost,
    },
    perClient: Object.fromEntries(clients.map((c) => [c.name, { requests: c.sent, allowed: c.allowed, throttled: c.throttled, quotaExceeded: c.quotaExceeded }])),
    series,
    monthly: {
      requestsPerSecond,
      averageBytes,
      ...(cacheSize ? { cacheSizeGb: cacheSize } : {}),
      byGateway: monthlyComparison({ requestsPerSecond, averageBytes, ...(cacheSize ? { cacheSizeGb: cacheSize } : {}) }),
    },
    samples,
    cancelled,
    wallMs: performance.now() - wall0,
  };
}

function isTemplated(r: HttpRequest): boolean {
  if (r.path.includes('{{') || r.rawQuery.includes('{{') || r.rawQuery.includes('%7B%7B')) return true;
  for (const vs of Object.values(r.headers)) for (const v of vs) if (v.includes('{{')) return true;
  return false;
}

/**
 * `{{random:N}}` → 1..N, `{{seq}}` → the client's request number (also URL-encoded, in query
 * strings). Each template string is split once into literal parts and placeholders.
 */
function fill(r: HttpRequest, seq: number, random: SeededRandom): HttpRequest {
  let c = compiledRequests.get(r);
  if (!c) compiledRequests.set(r, (c = compileRequest(r)));
  const headers: Record<string, readonly string[]> = {};
  for (let i = 0; i < c.headers.length; i++) {
    const [name, values] = c.headers[i]!;
    headers[name] = values.map((v) => expand(v, seq, random));
  }
  return { ...r, path: expand(c.path, seq, random), rawQuery: expand(c.rawQuery, seq, random), headers };
}

/** Literal text, or a placeholder: a random integer 1..n (n > 0), or the sequence number (n = 0). */
type Part = string | number;
type Compiled = string | readonly Part[];

interface CompiledRequest {
  readonly path: Compiled;
  readonly rawQuery: Compiled;
  readonly headers: readonly (readonly [string, readonly Compiled[]])[];
}

const compiledRequests = new WeakMap<HttpRequest, CompiledRequest>();
const PLACEHOLDER = /\{\{(?:random:(\d+)|seq)\}\}|%7B%7B(?:random%3A(\d+)|seq)%7D%7D/gi;

function compileRequest(r: HttpRequest): CompiledRequest {
  return {
    path: compile(r.path),
    rawQuery: compile(r.rawQuery),
    headers: Object.entries(r.headers).map(([k, vs]) => [k, vs.map(compile)] as const),
  };
}

function compile(s: string): Compiled {
  if (!s.includes('{{') && !s.includes('%7B%7B')) return s;
  const parts: Part[] = [];
  let last = 0;
  for (const m of s.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(s.slice(last, m.index));
    const n = m[1] ?? m[2];
    parts.push(n ? Math.max(1, Number(n)) : 0);
    last = m.index + m[0].length;
  }
  if (last < s.length) parts.push(s.slice(last));
  return parts;
}

function expand(c: Compiled, seq: number, random: SeededRandom): string {
  if (typeof c === 'string') return c;
  let out = '';
  for (let i = 0; i < c.length; i++) {
    const p = c[i]!;
    out += typeof p === 'string' ? p : p === 0 ? String(seq) : String(1 + random.int(p));
  }
  return out;
}
