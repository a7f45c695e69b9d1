/** The run's series as charts: what happened to the requests each second, latency percentiles, cost so far. */
import type { LoadSecond } from '../../../engine/api/types';
import { useApp } from '../store';
import { type Series, SeriesChart } from './SeriesChart';

const OUTCOMES: readonly Series[] = [
  { key: 'served', label: 'served by the backend', tone: 's-ok', value: (p) => Math.max(0, p.allowed - p.cacheHits - p.errors) },
  { key: 'hits', label: 'cache hits', tone: 's-hit', value: (p) => p.cacheHits },
  { key: 'errors', label: 'errors', tone: 's-error', value: (p) => p.errors },
  { key: 'throttled', label: 'throttled', tone: 's-throttled', value: (p) => p.throttled },
  { key: 'quota', label: 'over quota', tone: 's-quota', value: (p) => p.quotaExceeded },
];
const LATENCY: readonly Series[] = [
  { key: 'p50', label: 'p50', tone: 's-p50', value: (p) => p.p50Ms },
  { key: 'p95', label: 'p95', tone: 's-p95', value: (p) => p.p95Ms },
  { key: 'p99', label: 'p99', tone: 's-p99', value: (p) => p.p99Ms, dashed: true },
];
const COST: readonly Series[] = [{ key: 'cost', label: 'API Gateway cost so far', tone: 's-cost', value: (p) => p.cost }];

const perSecond = (n: number) => (n >= 1000 ? `${+(n / 1000).toFixed(1)}k` : `${Math.round(n)}`);
const msFmt = (n: number) => `${n} ms`;
const costFmt = (n: number) => (n === 0 ? '$0' : n < 1 ? `$${Number(n.toPrecision(2))}` : `$${n.toFixed(2)}`);

const EMPTY: readonly LoadSecond[] = [];

export function LoadCharts() {
  const run = useApp((s) => s.loadRun);
  const points = run?.seconds ?? EMPTY;
  const form = useApp((s) => s.loadForm.durationSeconds);
  const duration = run?.spec.durationSeconds ?? form;
  const last = points[points.length - 1];
  const peak = points.reduce((m, p) => Math.max(m, p.requests), 0);
  const totalCost = points.reduce((a, p) => a + p.cost, 0);
  return (
    <section className="panel load-charts" aria-label="Load charts">
      <SeriesChart
        title="Requests per second, by outcome"
        points={points}
        duration={duration}
        series={OUTCOMES}
        stacked
        format={perSecond}
        summary={points.length ? `${points.length} points, peak ${peak} requests in a second` : 'no data yet'}
      />
      <SeriesChart
        title="Latency percentiles"
        points={points}
        duration={duration}
        series={LATENCY}
        format={msFmt}
        summary={last ? `last point p50 ${last.p50Ms} ms, p95 ${last.p95Ms} ms, p99 ${last.p99Ms} ms` : 'no data yet'}
      />
      <SeriesChart
        title="Cost"
        points={points}
        duration={duration}
        series={COST}
        cumulative
        format={costFmt}
        summary={points.length ? `$${totalCost.toFixed(4)} so far` : 'no data yet'}
      />
    </section>
  );
}
