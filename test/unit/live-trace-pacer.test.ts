/** Live traces reach the app at a readable pace, with true counts (main/host/live-trace-pacer.ts). */
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TraceEvent } from '../../engine/api/types';
import type { Trace } from '../../engine/trace/types';
import { GatewayService } from '../../main/host/gateway-service';
import { LiveTracePacer } from '../../main/host/live-trace-pacer';

const trace = (id: string) => ({ id }) as unknown as Trace;

describe('LiveTracePacer', () => {
  afterEach(() => vi.useRealTimers());

  it('sends a burst at once, then the newest trace per slot with the number it stands in for', () => {
    vi.useFakeTimers();
    let now = 0;
    const sent: Array<[string, number]> = [];
    const pacer = new LiveTracePacer((t, unlisted) => sent.push([t.id, unlisted]), 4, () => now);
    for (let i = 1; i <= 10; i++) pacer.offer(trace(`r${i}`));
    // Four at once (the burst); r5–r9 were replaced by r10, which waits for the next slot.
    expect(sent).toEqual([['r1', 0], ['r2', 0], ['r3', 0], ['r4', 0]]);
    now = 250;
    vi.advanceTimersByTime(250);
    expect(sent.at(-1)).toEqual(['r10', 5]);
    // Quiet again: the next request goes straight through.
    now = 2000;
    pacer.offer(trace('r11'));
    expect(sent.at(-1)).toEqual(['r11', 0]);
    // Every request is either sent or counted.
    expect(sent.length + sent.reduce((n, [, u]) => n + u, 0)).toBe(11);
  });

  it('flush sends the waiting trace at once; close drops it', () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const pacer = new LiveTracePacer((t) => sent.push(t.id), 1, () => 0);
    pacer.offer(trace('a'));
    pacer.offer(trace('b'));
    pacer.flush();
    expect(sent).toEqual(['a', 'b']);
    pacer.offer(trace('c'));
    pacer.close();
    vi.advanceTimersByTime(5000);
    expect(sent).toEqual(['a', 'b']);
  });
});

describe('the app under live load', () => {
  it('lists at most 20 requests a second, ends on the last one, counts the rest, and keeps each exportable', async () => {
    const service = new GatewayService({ host: 'web', appVersion: 'test', bundledDir: path.resolve(import.meta.dirname, '../../scenarios') });
    const events: TraceEvent[] = [];
    const c = service.connect((event, payload) => {
      if (event === 'trace') events.push(payload as TraceEvent);
    });
    try {
      const opened = await c.call('openSession', ['bundled:rest/hello-mock.yaml']);
      if (!opened.ok) throw new Error(JSON.stringify(opened));
      const { sessionId } = opened.value as { sessionId: string };
      const live = await c.call('startLive', [sessionId]);
      if (!live.ok) throw new Error(JSON.stringify(live));
      const url = `${(live.value as { url: string }).url}/hello`;
      const N = 300;
      const started = performance.now();
      const ids: string[] = [];
      // 300 requests, 20 at a time: far more than 20 a second.
      for (let i = 0; i < N; i += 20) {
        const batch = await Promise.all(Array.from({ length: 20 }, () => fetch(url).then((r) => r.headers.get('x-amzn-RequestId')!)));
        ids.push(...batch);
      }
      const seconds = (performance.now() - started) / 1000;
      expect(await c.call('stopLive', [sessionId])).toMatchObject({ ok: true });
      const live_ = events.filter((e) => e.origin === 'live');
      expect(live_.length).toBeLessThanOrEqual(20 + Math.ceil(seconds * 20) + 1);
      expect(live_.length + live_.reduce((n, e) => n + (e.unlisted ?? 0), 0)).toBe(N);
      // The list ends on the newest request (the request ids are the traces' ids).
      expect(new Set(ids.slice(-20))).toContain(live_.at(-1)!.trace.id);
      // A request that was not sent is still exportable.
      const sent = new Set(live_.map((e) => e.trace.id));
      const unsent = ids.find((id) => !sent.has(id))!;
      expect(await c.call('exportTrace', [sessionId, unsent, 'json'])).toMatchObject({ ok: true });
    } finally {
      await c.close();
    }
  });
});
