/**
 * The 10-minute burst load of scenarios/rest/throttling-burst.yaml must throttle exactly as the
 * token-bucket formula says: tokens(t) = min(burst, tokens(t0) + rate × (t − t0)), a request
 * passes when at least one token is there and takes it. The expected 429s are computed here,
 * independently of the engine, in exact integer arithmetic (thousandths of a token).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../engine/scenario/loader';
import { ScenarioSession } from '../../engine/scenario/session';
import type { LoadStepSpec, Scenario } from '../../engine/scenario/types';

const file = path.resolve(import.meta.dirname, '../../scenarios/rest/throttling-burst.yaml');

function scenario(): Scenario {
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  return loaded.scenario;
}

/** Arrival offsets (ms from the start of the load) of each client, as the load step describes them. */
function arrivalTimes(spec: LoadStepSpec): { client: string; at: number }[] {
  const out: { client: string; at: number }[] = [];
  const durationMs = spec.duration * 1000;
  for (const c of spec.clients) {
    const from = Math.round((c.start ?? 0) * 1000);
    const a = c.arrival;
    if (a.pattern === 'constant') {
      for (let i = 0; ; i++) {
        const t = from + Math.round((i * 1000) / a.rate);
        if (t >= durationMs) break;
        out.push({ client: c.name, at: t });
      }
    } else if (a.pattern === 'burst') {
      for (let k = 0; from + k * a.every * 1000 < durationMs; k++) for (let j = 0; j < a.size; j++) out.push({ client: c.name, at: from + k * a.every * 1000 });
    } else throw new Error(`pattern ${a.pattern} not used here`);
  }
  // Stable: equal times keep the clients' order, as the simulator merges them.
  return out.map((x, i) => ({ ...x, i })).sort((a, b) => a.at - b.at || a.i - b.i);
}

/** The token bucket, by the formula, in thousandths of a token. */
function expected429s(times: { client: string; at: number }[], rate: number, burst: number, initialTokens: number, checkOffsetMs: number) {
  const cap = burst * 1000;
  let units = Math.round(initialTokens * 1000);
  let last = times[0]!.at + checkOffsetMs;
  const byClient: Record<string, number> = {};
  let total = 0;
  for (const { client, at } of times) {
    const t = at + checkOffsetMs;
    units = Math.min(cap, units + (t - last) * rate); // rate tokens/s = rate thousandths per ms
    last = t;
    if (units >= 1000) units -= 1000;
    else {
      total++;
      byClient[client] = (byClient[client] ?? 0) + 1;
    }
  }
  return { total, byClient };
}

describe('10-minute burst load: 429s match the token-bucket arithmetic', () => {
  it('from a full bucket', async () => {
    const s = scenario();
    const loadStep = s.steps.find((st) => st.load && st.load.duration === 600)!;
    const session = await ScenarioSession.open(s);
    try {
      const result = await session.simulateLoad(loadStep.load!);
      const sample = result.samples[0]!;
      const offset = sample.steps.find((st) => st.step === 'throttle')!.at - sample.startedAt;
      const want = expected429s(arrivalTimes(loadStep.load!), 10, 20, 20, offset);
      expect(result.totals.requests).toBe(6400);
      expect(result.totals.throttledBy).toEqual({ stage: want.total });
      expect(result.perClient.bursts!.throttled).toBe(want.byClient.bursts);
      expect(result.perClient.steady!.throttled).toBe(want.byClient.steady ?? 0);
      // From a full bucket: the first burst finds 19.5 tokens like every other (the steady
      // client's first request took one 50 ms before), so 40 bursts × 21 throttled.
      expect(want.total).toBe(40 * 21);
    } finally {
      await session.close();
    }
  });

  it('in the scenario, after the earlier steps left the bucket part-empty', async () => {
    const s = scenario();
    const session = await ScenarioSession.open(s);
    try {
      const idx = s.steps.findIndex((st) => st.load && st.load.duration === 600);
      for (const step of s.steps.slice(0, idx)) await session.run(step);
      const rest = session.rest!;
      const start = session.gateway.clock.now();
      const key = `rest:${rest.id}/prod GET /orders`;
      const offset = 1;
      // The bucket as the first request of the load will find it, before that request refills it.
      const initial = session.gateway.buckets.peek(key, start + offset)!;
      const outcome = await session.run(s.steps[idx]!);
      const r = outcome.load!.REST!;
      const want = expected429s(arrivalTimes(s.steps[idx]!.load!), 10, 20, initial, offset);
      expect(r.totals.throttledBy).toEqual({ stage: want.total });
      expect(outcome.passed).toBe(true);
    } finally {
      await session.close();
    }
  });
});
