/** The load simulation: arrivals, bounded series, sampling, progress, cancellation, determinism. */
import { describe, expect, it } from 'vitest';
import { request } from '../../engine/core/http';
import { SeededRandom } from '../../engine/core/random';
import { arrivals } from '../../engine/load/arrivals';
import { LatencyHistogram } from '../../engine/load/histogram';
import { simulateLoad } from '../../engine/load/simulate';
import type { LoadSpec } from '../../engine/load/types';
import { mockGet, restFixture } from '../helpers';

const T0 = Date.UTC(2026, 0, 15, 9);

function drain(a: { next(): number | undefined }): number[] {
  const out: number[] = [];
  for (let t = a.next(); t !== undefined; t = a.next()) out.push(t);
  return out;
}

describe('arrivals', () => {
  const r = new SeededRandom('arrivals');
  it('constant: evenly spaced whole milliseconds', () => {
    const a = arrivals({ pattern: 'constant', rate: 3 }, T0, T0 + 2000, r);
    expect(drain(a).map((t) => t - T0)).toEqual([0, 333, 667, 1000, 1333, 1667]);
    expect(a.expected).toBe(6);
  });
  it('burst: N at the same instant every P seconds, or spaced', () => {
    expect(drain(arrivals({ pattern: 'burst', size: 3, every: 10 }, T0, T0 + 25_000, r)).map((t) => t - T0)).toEqual([0, 0, 0, 10_000, 10_000, 10_000, 20_000, 20_000, 20_000]);
    expect(drain(arrivals({ pattern: 'burst', size: 3, every: 1, spacingMs: 5 }, T0, T0 + 1000, r)).map((t) => t - T0)).toEqual([0, 5, 10]);
  });
  it('ramp: the rate rises linearly (0 → 20 rps over 10 s is 100 requests, most of them late)', () => {
    const times = drain(arrivals({ pattern: 'ramp', from: 0, to: 20 }, T0, T0 + 10_000, r)).map((t) => t - T0);
    expect(times).toHaveLength(100);
    expect(times.filter((t) => t >= 5000)).toHaveLength(75);
  });
  it('poisson: random gaps with the right mean, the same for the same seed', () => {
    const a = drain(arrivals({ pattern: 'poisson', rate: 100 }, T0, T0 + 100_000, new SeededRandom('p')));
    const b = drain(arrivals({ pattern: 'poisson', rate: 100 }, T0, T0 + 100_000, new SeededRandom('p')));
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(9500);
    expect(a.length).toBeLessThan(10_500);
  });
});

describe('latency histogram', () => {
  it('nearest-rank percentiles, exact for few distinct values, bounded for many', () => {
    const h = new LatencyHistogram(100);
    for (let i = 1; i <= 100; i++) h.add(i);
    expect(h.percentiles([50, 95, 99])).toEqual([50, 95, 99]);
    for (let i = 0; i < 10_000; i++) h.add(1000 + i * 0.37);
    const [p99] = h.percentiles([99]);
    expect(p99).toBeGreaterThan(4600);
    expect(p99).toBeLessThan(4700);
  });
});

async function fixture() {
  const f = await restFixture({ name: 'load', resources: { '/items/{id}': mockGet('{"ok": true}') } });
  f.api.updateStage('prod', {
    cacheClusterEnabled: true,
    methodSettings: { '*/*': { throttlingRateLimit: 50, throttlingBurstLimit: 10, cachingEnabled: true } },
  });
  return f;
}

const spec = (durationSeconds: number, rate: number, extra: Partial<LoadSpec> = {}): LoadSpec => ({
  durationSeconds,
  clients: [{ name: 'c', arrival: { pattern: 'constant', rate }, requests: [request({ method: 'GET', path: '/prod/items/{{random:5}}' })] }],
  ...extra,
});

describe('simulateLoad', () => {
  it('per-second series, totals, sampled traces and cost', async () => {
    const f = await fixture();
    try {
      const r = await simulateLoad({ type: 'REST', handle: (req, o) => f.api.handle(req, o), cacheSizeGb: () => '0.5' }, spec(10, 100, { sampleTraces: 4 }), {
        startAt: f.gateway.clock.now(),
        random: new SeededRandom('s'),
      });
      expect(r.totals.requests).toBe(1000);
      expect(r.series.t).toHaveLength(10);
      expect(r.series.requests.every((n) => n === 100)).toBe(true);
      // 50 rps after an initial burst of 10: 10 + 50 × ~10 s pass.
      expect(r.totals.allowed).toBeGreaterThanOrEqual(505);
      expect(r.totals.allowed).toBeLessThanOrEqual(511);
      expect(r.totals.throttledBy.stage).toBe(1000 - r.totals.allowed);
      expect(r.totals.cacheHits + r.totals.cacheMisses).toBe(r.totals.allowed);
      // The path parameter is not a cache key parameter: every item shares one entry.
      expect(r.totals.cacheMisses).toBe(1);
      expect(r.samples.length).toBeGreaterThanOrEqual(4);
      expect(r.samples.length).toBeLessThanOrEqual(14);
      expect(r.samples[0]!.steps[0]!.before).toBeDefined();
      expect(r.totals.cost).toBeCloseTo(r.totals.billable * 3.5e-6 + (0.02 * 10) / 3600, 9);
      expect(r.monthly.byGateway.HTTP!.total).toBeLessThan(r.monthly.byGateway.REST!.total);
    } finally {
      await f.close();
    }
  });

  it('long runs aggregate several seconds per point: memory does not grow with the duration', async () => {
    const f = await fixture();
    try {
      const r = await simulateLoad({ type: 'REST', handle: (req, o) => f.api.handle(req, o) }, spec(86_400, 0.05, { maxSeriesPoints: 1000, sampleTraces: 0 }), {
        startAt: f.gateway.clock.now(),
        random: new SeededRandom('s'),
      });
      expect(r.intervalSeconds).toBe(87);
      expect(r.series.requests).toHaveLength(994);
      expect(r.totals.requests).toBe(4320);
      expect(r.samples.length).toBeLessThanOrEqual(10);
    } finally {
      await f.close();
    }
  });

  it('reports progress and stops when cancelled', async () => {
    const f = await fixture();
    try {
      const controller = new AbortController();
      const progress: number[] = [];
      const r = await simulateLoad({ type: 'REST', handle: (req, o) => f.api.handle(req, o) }, spec(100, 100), {
        startAt: f.gateway.clock.now(),
        random: new SeededRandom('s'),
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(p.simulatedSeconds);
          if (p.simulatedSeconds >= 30) controller.abort();
        },
      });
      expect(r.cancelled).toBe(true);
      expect(r.totals.requests).toBeLessThan(10_000);
      expect(r.totals.requests).toBeGreaterThanOrEqual(3000);
      expect(r.endedAt).toBeLessThan(r.startedAt + 100_000);
      expect(progress.slice(0, 3)).toEqual([1, 2, 3]);
    } finally {
      await f.close();
    }
  });

  it('is deterministic: the same seed gives the same results', async () => {
    const run = async () => {
      const f = await fixture();
      try {
        const r = await simulateLoad(
          { type: 'REST', handle: (req, o) => f.api.handle(req, o) },
          { durationSeconds: 20, clients: [{ name: 'p', arrival: { pattern: 'poisson', rate: 80 }, requests: [request({ method: 'GET', path: '/prod/items/{{random:50}}' })] }] },
          { startAt: f.gateway.clock.now(), random: f.gateway.random.fork('load') },
        );
        return { totals: r.totals, series: r.series, sample: r.samples[0] };
      } finally {
        await f.close();
      }
    };
    expect(JSON.stringify(await run())).toBe(JSON.stringify(await run()));
  });
});
