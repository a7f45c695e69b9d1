/**
 * The compare, load and playground views' pure parts: requests as the views edit them, the
 * playground's variables document, and how the load canvas gives each dot of a second its
 * outcome (the engine's counts, exactly).
 */
import { describe, expect, it } from 'vitest';
import type { LoadSecond } from '../../engine/api/types';
import { Fate, fateCounts, fieldLayout, nextFate } from '../../renderer/src/load/outcomes';
import { defaultSpeed } from '../../renderer/src/load/replay';
import { draftOf, specOf } from '../../renderer/src/requests';
import { parseVars } from '../../renderer/src/store/playground-slice';

describe('requests in the compare and load views', () => {
  it('round-trips a request: repeated headers, the query in the path, a JSON body', () => {
    const spec = { method: 'POST', path: '/prod/pets', headers: { 'X-Tag': ['a', 'b'], Accept: 'application/json' }, query: { q: 'a b', n: ['1', '2'] }, body: { name: 'Rex' } };
    const draft = draftOf(spec);
    expect(draft).toEqual({ method: 'POST', path: '/prod/pets?q=a%20b&n=1&n=2', headers: 'X-Tag: a\nX-Tag: b\nAccept: application/json', body: '{\n  "name": "Rex"\n}' });
    expect(specOf(draft)).toEqual({ ...spec, body: '{\n  "name": "Rex"\n}' });
  });

  it('keeps what a person typed: a path without a slash, colons in header values, no empty parts', () => {
    expect(specOf({ method: 'GET', path: 'pets/{{random:50}}', headers: 'Authorization: Bearer {{token.alice}}\nnot a header\n', body: '' })).toEqual({
      method: 'GET',
      path: '/pets/{{random:50}}',
      headers: { Authorization: 'Bearer {{token.alice}}' },
    });
  });
});

describe('the playground variables', () => {
  it('reads context, stage variables and parameters, as `gateway-lab vtl --vars` does', () => {
    expect(parseVars('{"context": {"stage": "prod"}, "stageVariables": {"n": 1}, "params": {"header": {"x": "y"}}}')).toEqual({
      input: { context: { stage: 'prod' }, stageVariables: { n: '1' }, params: { path: {}, querystring: {}, header: { x: 'y' } } },
    });
    expect(parseVars('')).toEqual({ input: {} });
  });

  it('says what is wrong with a document it cannot use', () => {
    expect(parseVars('{"context": ')).toMatchObject({ error: expect.stringContaining('not JSON') });
    expect(parseVars('[]')).toMatchObject({ error: expect.stringContaining('JSON object') });
    expect(parseVars('{"stage": "prod"}')).toEqual({ error: 'Unknown key "stage": use context, stageVariables and params' });
  });
});

describe('the load canvas', () => {
  const second = (p: Partial<LoadSecond>): LoadSecond => ({
    second: 0, requests: 0, allowed: 0, throttled: 0, quotaExceeded: 0, cacheHits: 0, cacheMisses: 0, errors: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, cost: 0, ...p,
  });

  it('gives a second’s dots exactly the engine’s outcomes, spread through the second', () => {
    const p = second({ requests: 100, allowed: 70, cacheHits: 30, errors: 5, throttled: 25, quotaExceeded: 5 });
    const counts = fateCounts(p);
    expect(counts).toEqual([35, 30, 5, 25, 5]);
    const assigned = new Float64Array(5);
    const fates = Array.from({ length: 100 }, (_, i) => nextFate(counts, assigned, i + 1));
    for (const [fate, n] of counts.entries()) expect(fates.filter((f) => f === fate).length).toBe(n);
    // Spread, not in blocks: every tenth of the second has some throttled requests.
    for (let i = 0; i < 100; i += 10) expect(fates.slice(i, i + 10)).toContain(Fate.Throttled);
  });

  it('places the stations inside the canvas with room for their boxes, and replays long runs faster', () => {
    const l = fieldLayout(900, 250);
    expect(l.x[0]).toBeGreaterThanOrEqual(56);
    expect(l.x[4]).toBeLessThanOrEqual(900 - 56);
    expect(l.yIn).toBeLessThan(l.yOut);
    expect(defaultSpeed(20)).toBe(1);
    expect(defaultSpeed(60)).toBe(2);
    expect(defaultSpeed(600)).toBe(30);
  });
});
