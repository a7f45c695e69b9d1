/** GatewayApi startLoad / cancelLoad over a session: progress, samples and the result as events. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GatewayEventName, LoadFinished, LoadProgress, SessionInfo } from '../../engine/api/types';
import { GatewayService } from '../../main/host/gateway-service';

const bundledDir = path.resolve(import.meta.dirname, '../../scenarios');

function connect() {
  const service = new GatewayService({ host: 'web', appVersion: 'test', bundledDir });
  const events: { event: GatewayEventName; payload: unknown }[] = [];
  let finished: (f: LoadFinished) => void = () => {};
  const done = new Promise<LoadFinished>((r) => (finished = r));
  const c = service.connect((event, payload) => {
    events.push({ event, payload });
    if (event === 'loadFinished') finished(payload as LoadFinished);
  });
  return { c, events, done };
}

describe('GatewayApi load simulation', () => {
  it('runs a load on the session, streams per-second points and finishes with the result', async () => {
    const { c, events, done } = connect();
    try {
      const opened = await c.call('openSession', ['bundled:rest/throttling-burst.yaml']);
      expect(opened.ok).toBe(true);
      const sessionId = (opened as { value: SessionInfo }).value.sessionId;
      const started = await c.call('startLoad', [sessionId, { request: { method: 'GET', path: '/prod/orders' }, arrival: 'burst', ratePerSecond: 30, durationSeconds: 20, sampleTraces: 2 }]);
      expect(started).toMatchObject({ ok: true, value: { runId: 'load1', sessionId } });
      const finished = await done;
      expect(finished.status).toBe('completed');
      expect(finished.result?.totals.requests).toBe(600);
      // 30 at once against a bucket of 20 refilling at 10/s: 20 pass, then 10 a second.
      expect(finished.result?.totals.throttledBy.stage).toBe(10 + 19 * 20);
      const seconds = events.filter((e) => e.event === 'loadProgress').flatMap((e) => (e.payload as LoadProgress).seconds);
      expect(seconds.map((s) => s.second)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(seconds[1]).toMatchObject({ requests: 30, allowed: 10, throttled: 20 });
      expect(events.filter((e) => e.event === 'trace' && (e.payload as { origin: string }).origin === 'load').length).toBeGreaterThanOrEqual(2);
    } finally {
      await c.close();
    }
  });

  it('cancels a running load', async () => {
    const { c, events, done } = connect();
    try {
      const opened = await c.call('openSession', ['bundled:rest/throttling-burst.yaml']);
      const sessionId = (opened as { value: SessionInfo }).value.sessionId;
      const started = await c.call('startLoad', [sessionId, { request: { method: 'GET', path: '/prod/health' }, arrival: 'constant', ratePerSecond: 1000, durationSeconds: 600 }]);
      const runId = (started as { value: { runId: string } }).value.runId;
      expect(await c.call('cancelLoad', [runId])).toEqual({ ok: true, value: null });
      const finished = await done;
      expect(finished.status).toBe('cancelled');
      expect(finished.result!.totals.requests).toBeLessThan(600_000);
      // Progress stops where the run did: no zero seconds for the part that never ran.
      const progress = events.filter((e) => e.event === 'loadProgress').map((e) => e.payload as LoadProgress);
      const seconds = progress.flatMap((p) => p.seconds);
      expect(progress.at(-1)!.fraction).toBeLessThan(1);
      expect(seconds.length).toBeLessThan(600);
      expect(seconds.reduce((n, p) => n + p.requests, 0)).toBe(finished.result!.totals.requests);
      expect((await c.call('cancelLoad', ['load99'])).ok).toBe(false);
    } finally {
      await c.close();
    }
  });

  it('closing the session stops its running load instead of waiting for it', async () => {
    const { c, done } = connect();
    try {
      const opened = await c.call('openSession', ['bundled:rest/throttling-burst.yaml']);
      const sessionId = (opened as { value: SessionInfo }).value.sessionId;
      await c.call('startLoad', [sessionId, { request: { method: 'GET', path: '/prod/health' }, arrival: 'constant', ratePerSecond: 1000, durationSeconds: 3600 }]);
      const t0 = Date.now();
      expect(await c.call('closeSession', [sessionId])).toEqual({ ok: true, value: null });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect((await done).status).toBe('cancelled');
    } finally {
      await c.close();
    }
  });
});
