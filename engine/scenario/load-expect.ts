/** A load step's `expect`, checked against its totals. Numbers are exact, or `{ min, max }`. */
import type { LoadResult } from '../load/types';
import type { Check } from './expect';
import type { LoadExpectation, NumberExpectation } from './types';

export function checkLoadExpectation(expect: LoadExpectation, r: LoadResult): Check[] {
  const checks: Check[] = [];
  const t = r.totals;
  const num = (what: string, want: NumberExpectation | undefined, actual: number) => {
    if (want === undefined) return;
    const passed =
      typeof want === 'number' ? Math.abs(actual - want) < 1e-9 : (want.min === undefined || actual >= want.min) && (want.max === undefined || actual <= want.max);
    checks.push({ what, passed, expected: want, actual });
  };
  num('requests', expect.requests, t.requests);
  num('allowed', expect.allowed, t.allowed);
  num('throttled', expect.throttled, t.throttled);
  for (const [level, want] of Object.entries(expect.throttledBy ?? {})) num(`throttled by ${level}`, want, t.throttledBy[level as keyof typeof t.throttledBy] ?? 0);
  num('quotaExceeded', expect.quotaExceeded, t.quotaExceeded);
  num('cacheHits', expect.cacheHits, t.cacheHits);
  num('cacheMisses', expect.cacheMisses, t.cacheMisses);
  num('errors', expect.errors, t.errors);
  num('integrationCalls', expect.integrationCalls, t.integrationCalls);
  for (const [status, want] of Object.entries(expect.status ?? {})) num(`status ${status}`, want, t.status[status] ?? 0);
  num('p95 latency (ms)', expect.p95LatencyMs, t.latency.p95);
  num('cost ($)', expect.cost, t.cost);
  for (const [g, want] of Object.entries(expect.monthlyCost ?? {})) num(`monthly cost on ${g} ($)`, want, r.monthly.byGateway[g]?.total ?? NaN);
  for (const [name, w] of Object.entries(expect.perClient ?? {})) {
    const c = r.perClient[name];
    num(`${name}: requests`, w.requests, c?.requests ?? 0);
    num(`${name}: allowed`, w.allowed, c?.allowed ?? 0);
    num(`${name}: throttled`, w.throttled, c?.throttled ?? 0);
    num(`${name}: quotaExceeded`, w.quotaExceeded, c?.quotaExceeded ?? 0);
  }
  return checks;
}
