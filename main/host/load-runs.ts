/**
 * GatewayApi load simulations over a scenario session: the API's LoadSpec as a scenario load
 * step, progress as `loadProgress` events (the seconds completed since the last event, at most
 * ten events a second of real time), sampled traces as `trace` events, the end as `loadFinished`.
 */
import type { GatewayEvents, LoadSecond, LoadSpec } from '../../engine/api/types';
import type { LoadResult, LoadSeries } from '../../engine/load/types';
import type { ScenarioSession } from '../../engine/scenario/session';
import type { LoadStepSpec } from '../../engine/scenario/types';
import type { GatewayType, Trace } from '../../engine/trace/types';

type Emit = <E extends keyof GatewayEvents>(event: E, payload: GatewayEvents[E]) => void;

/** The API's single-client LoadSpec as a scenario load step. */
export function loadStepOf(spec: LoadSpec): LoadStepSpec {
  const arrival =
    spec.arrival === 'burst'
      ? ({ pattern: 'burst', size: Math.max(1, Math.round(spec.ratePerSecond)), every: spec.burstEverySeconds ?? 1 } as const)
      : ({ pattern: spec.arrival, rate: spec.ratePerSecond } as const);
  return {
    duration: spec.durationSeconds,
    clients: [{ name: 'client', arrival, request: spec.request, ...(spec.apiKey ? { apiKey: spec.apiKey } : {}) }],
    ...(spec.sampleTraces !== undefined ? { sampleTraces: spec.sampleTraces } : {}),
  };
}

export async function runLoad(
  session: ScenarioSession,
  runId: string,
  type: GatewayType,
  step: LoadStepSpec,
  signal: AbortSignal,
  emit: Emit,
  record: (trace: Trace) => void,
): Promise<void> {
  let sent = 0;
  let lastEmit = 0;
  try {
    const result = await session.simulateLoad(step, {
      type,
      signal,
      onProgress: (p) => {
        const now = performance.now();
        if (now - lastEmit < 100 && p.fraction < 1) return;
        lastEmit = now;
        emit('loadProgress', { runId, fraction: p.fraction, seconds: points(p.series, sent, p.completedPoints) });
        sent = Math.max(sent, p.completedPoints);
      },
    });
    const { samples, ...rest } = result;
    for (const t of samples) record(t);
    // A cancelled run's series is zero after the point it reached: send up to that point only.
    const reached = result.endedAt - result.startedAt;
    const done = result.cancelled ? Math.min(result.series.t.length, Math.floor(reached / (result.intervalSeconds * 1000)) + 1) : result.series.t.length;
    const fraction = result.cancelled ? Math.min(1, reached / (result.durationSeconds * 1000)) : 1;
    if (sent < done) emit('loadProgress', { runId, fraction, seconds: points(result.series, sent, done) });
    emit('loadFinished', { runId, status: result.cancelled ? 'cancelled' : 'completed', result: rest as Omit<LoadResult, 'samples'> });
  } catch (err) {
    emit('loadFinished', { runId, status: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
}

function points(series: LoadSeries, from: number, to: number): LoadSecond[] {
  const out: LoadSecond[] = [];
  for (let i = from; i < to; i++) {
    out.push({
      second: series.t[i]!,
      requests: series.requests[i]!,
      allowed: series.allowed[i]!,
      throttled: series.throttled[i]!,
      quotaExceeded: series.quotaExceeded[i]!,
      cacheHits: series.cacheHits[i]!,
      cacheMisses: series.cacheMisses[i]!,
      errors: series.errors[i]!,
      p50Ms: series.p50[i]!,
      p95Ms: series.p95[i]!,
      p99Ms: series.p99[i]!,
      cost: series.cost[i]!,
    });
  }
  return out;
}
