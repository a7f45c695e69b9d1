/**
 * How `gateway-lab run` prints a load step: the totals, which buckets throttled, the cache, the
 * latency percentiles, a per-second strip of requests and 429s, and the month's cost of the
 * same traffic on each gateway type.
 */
import type { LoadResult } from '../../engine/load/types';
import { formatDollars } from '../../engine/services/cost';

const BARS = '▁▂▃▄▅▆▇█';

export function formatLoadReport(r: LoadResult): string {
  const t = r.totals;
  const n = (x: number) => x.toLocaleString('en-US');
  const lines: string[] = [];
  lines.push(`load: ${n(t.requests)} requests over ${n(r.durationSeconds)} s of virtual time on ${r.gateway} (simulated in ${(r.wallMs / 1000).toFixed(2)} s)${r.cancelled ? ' — CANCELLED' : ''}`);
  const by = Object.entries(t.throttledBy)
    .map(([k, v]) => `${k} ${n(v!)}`)
    .join(', ');
  lines.push(`  allowed ${n(t.allowed)} · throttled ${n(t.throttled)}${by ? ` (${by})` : ''} · over quota ${n(t.quotaExceeded)} · errors ${n(t.errors)}`);
  if (t.cacheHits + t.cacheMisses > 0) {
    lines.push(`  cache: ${n(t.cacheHits)} hits, ${n(t.cacheMisses)} misses (hit rate ${((100 * t.cacheHits) / (t.cacheHits + t.cacheMisses)).toFixed(1)}%)`);
  }
  lines.push(`  backend calls: ${n(t.integrationCalls)} (the integration ran)`);
  lines.push(`  status: ${Object.entries(t.status).map(([s, c]) => `${s}×${n(c)}`).join(' ')}`);
  lines.push(`  latency: p50 ${fmt(t.latency.p50)} ms, p95 ${fmt(t.latency.p95)} ms, p99 ${fmt(t.latency.p99)} ms, max ${fmt(t.latency.max)} ms`);
  const unit = r.intervalSeconds === 1 ? 'per second' : `per ${r.intervalSeconds} s`;
  lines.push(`  requests ${unit}:  ${strip(r.series.requests)}`);
  lines.push(`  throttled ${unit}: ${strip(r.series.throttled)}`);
  lines.push(`  cost of this run on ${r.gateway}: ${formatDollars(t.cost)} (${n(t.billable)} billable requests${r.monthly.cacheSizeGb ? `, cache ${r.monthly.cacheSizeGb} GB by the hour` : ''})`);
  const month = Object.entries(r.monthly.byGateway)
    .map(([g, c]) => `${g} ${formatDollars(c.total)}${c.cacheCost ? ` (incl. cache ${formatDollars(c.cacheCost)})` : ''}`)
    .join(' · ');
  lines.push(`  a month (730 h) at ${fmt(r.monthly.requestsPerSecond)} billable requests/s: ${month}`);
  return `${lines.join('\n')}\n`;
}

/** A sparkline of up to 60 columns (each column the sum of its share of points). */
function strip(values: readonly number[]): string {
  if (values.length === 0) return '';
  const cols = Math.min(60, values.length);
  const per = values.length / cols;
  const sums: number[] = [];
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let i = Math.floor(c * per); i < Math.floor((c + 1) * per); i++) s += values[i] ?? 0;
    sums.push(s);
  }
  const max = Math.max(...sums);
  if (max === 0) return `${' '.repeat(0)}${'▁'.repeat(cols)} (none)`;
  return `${sums.map((s) => (s === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((s / max) * (BARS.length - 1)))])).join('')}  (max ${max.toLocaleString('en-US')})`;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(1);
}
