/** Throttling, caching, metrics and logs inside the REST pipeline. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Stage } from '../../engine/model/rest';
import { toHttpRequest } from '../../engine/scenario/session';
import { type RestFixture, header, json, mockGet, restFixture } from '../helpers';

let f: RestFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function fixture(stage: Partial<Stage>, resources = { '/pets': mockGet('{"pets": []}'), '/health': mockGet('{"ok": true}') }): Promise<RestFixture> {
  f = await restFixture({ name: 'pets', resources });
  f.api.updateStage('prod', stage);
  return f;
}

describe('REST throttling', () => {
  it('answers 429 with AWS body and error type, leaves no execution log, still counts and access-logs it', async () => {
    const fx = await fixture({
      methodSettings: { '*/*': { throttlingRateLimit: 1, throttlingBurstLimit: 1 } },
      accessLogSettings: { format: '$context.requestId $context.status $context.error.responseType' },
    });
    const ok = await fx.send('GET', '/prod/pets');
    expect(ok.response.statusCode).toBe(200);
    const throttle = ok.steps.find((s) => s.step === 'throttle')!;
    expect(throttle.detail).toMatchObject({ buckets: [{ level: 'stage', tokensBefore: 1, tokensAfter: 0 }, { level: 'account', tokensBefore: 5000, tokensAfter: 4999 }] });
    const t = await fx.send('GET', '/prod/pets');
    expect(t.response.statusCode).toBe(429);
    expect(t.response.body).toBe('{"message":"Too Many Requests"}');
    expect(header(t, 'x-amzn-ErrorType')).toBe('TooManyRequestsException');
    expect(t.stoppedAt).toBe('throttle');
    expect(t.executionLog).toEqual([]);
    expect(t.accessLog).toBe(`${t.id} 429 THROTTLED`);
    // Each method has its own bucket with the stage's limits.
    expect((await fx.send('GET', '/prod/health')).response.statusCode).toBe(200);
    const dims = { ApiName: 'pets', Stage: 'prod' };
    expect(fx.gateway.metrics.total({ metricName: 'Count', dimensions: dims })).toBe(3);
    expect(fx.gateway.metrics.total({ metricName: '4XXError', dimensions: dims })).toBe(1);
    expect(fx.gateway.logs.events('API-Gateway-Access-Logs_' + fx.api.id + '/prod').map((e) => e.message)).toHaveLength(3);
  });

  it('console Test invocations are not throttled', async () => {
    const fx = await fixture({ methodSettings: { '*/*': { throttlingRateLimit: 0, throttlingBurstLimit: 0 } } });
    expect((await fx.send('GET', '/prod/pets')).response.statusCode).toBe(429);
    const test = await fx.api.handle(toHttpRequest({ method: 'GET', path: '/prod/pets' }), { testInvoke: true });
    expect(test.response.statusCode).toBe(200);
    expect(test.steps.find((s) => s.step === 'throttle')!.outcome).toBe('skip');
  });
});

describe('REST stage cache', () => {
  const cacheStage = (extra: Stage['methodSettings'][string] = {}): Partial<Stage> => ({
    cacheClusterEnabled: true,
    cacheClusterSize: '0.5',
    methodSettings: { '*/*': { cachingEnabled: true, metricsEnabled: true, ...extra } },
  });

  it('records CacheHitCount and CacheMissCount, and detailed metrics per method', async () => {
    const fx = await fixture(cacheStage());
    await fx.send('GET', '/prod/pets');
    const hit = await fx.send('GET', '/prod/pets');
    expect(hit.steps.find((s) => s.step === 'integration')!.outcome).toBe('skip');
    expect(json(hit)).toEqual({ pets: [] });
    const detailed = { ApiName: 'pets', Method: 'GET', Resource: '/pets', Stage: 'prod' };
    expect(fx.gateway.metrics.total({ metricName: 'CacheHitCount', dimensions: detailed })).toBe(1);
    expect(fx.gateway.metrics.total({ metricName: 'CacheMissCount', dimensions: detailed })).toBe(1);
    expect(fx.gateway.metrics.total({ metricName: 'IntegrationLatency', dimensions: detailed }, 'SampleCount')).toBe(1);
    expect(fx.gateway.metrics.statistics({ metricName: 'Latency', dimensions: { ApiName: 'pets' } })[0]!.sampleCount).toBe(2);
  });

  it('resizing the cache wipes it; disabling removes it', async () => {
    const fx = await fixture(cacheStage());
    await fx.send('GET', '/prod/pets');
    expect(fx.api.stageCache('prod')!.size).toBe(1);
    fx.api.updateStage('prod', { cacheClusterSize: '1.6' });
    expect(fx.api.stageCache('prod')!.size).toBe(0);
    fx.api.updateStage('prod', { cacheClusterEnabled: false });
    expect(fx.api.stageCache('prod')).toBeUndefined();
    expect(() => fx.api.flushStageCache('prod')).toThrow(/no cache cluster/);
  });

  it('SUCCEED_WITHOUT_RESPONSE_HEADER ignores an unauthorized max-age=0 silently', async () => {
    const fx = await fixture(cacheStage({ unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITHOUT_RESPONSE_HEADER' }));
    await fx.send('GET', '/prod/pets');
    const t = await fx.send('GET', '/prod/pets', { headers: { 'Cache-Control': 'no-cache, max-age=0' } });
    expect(t.steps.find((s) => s.step === 'cacheLookup')!.detail).toMatchObject({ status: 'hit' });
    expect(header(t, 'Warning')).toBeUndefined();
  });
});

describe('execution logs in CloudWatch', () => {
  it('INFO writes (requestId) lines to the stage log group; OFF writes nothing', async () => {
    const fx = await fixture({ methodSettings: { '*/*': { loggingLevel: 'INFO' } } });
    const t = await fx.send('GET', '/prod/pets');
    expect(t.cloudWatchLog![0]).toBe(`(${t.id}) Extended Request Id: ${header(t, 'x-amz-apigw-id')}`);
    expect(t.cloudWatchLog).toContain(`(${t.id}) Method completed with status: 200`);
    expect(t.cloudWatchLog!.some((l) => l.includes('Method request headers'))).toBe(false);
    const events = fx.gateway.logs.events(`API-Gateway-Execution-Logs_${fx.api.id}/prod`);
    expect(events.map((e) => e.message)).toEqual(t.cloudWatchLog);
    fx.api.updateStage('prod', { methodSettings: { '*/*': { loggingLevel: 'INFO', dataTraceEnabled: true } } });
    expect((await fx.send('GET', '/prod/pets')).cloudWatchLog!.some((l) => l.includes('Method request headers'))).toBe(true);
    fx.api.updateStage('prod', { methodSettings: {} });
    expect((await fx.send('GET', '/prod/pets')).cloudWatchLog).toBeUndefined();
  });
});

describe('HTTP API metrics', () => {
  it('records Count, 4xx, 5xx, Latency, IntegrationLatency and DataProcessed under ApiId, ApiId+Stage, and the route when detailed', async () => {
    const { httpFixture } = await import('../http-helpers');
    const { fn } = await import('../helpers');
    const h = await httpFixture(
      {
        integrations: { e: { integrationType: 'AWS_PROXY', function: 'ok' } },
        routes: { 'GET /items': { target: 'e' } },
        stages: { prod: { autoDeploy: true, defaultRouteSettings: { detailedMetricsEnabled: true } } },
      },
      { functions: [fn('ok', `exports.handler = async () => ({ statusCode: 200, body: 'hello' })`)] },
    );
    try {
      await h.send('GET', '/prod/items');
      await h.send('GET', '/prod/nothing');
      const m = h.gateway.metrics;
      const id = h.api.id;
      expect(m.total({ metricName: 'Count', dimensions: { ApiId: id } })).toBe(2);
      expect(m.total({ metricName: 'Count', dimensions: { ApiId: id, Stage: 'prod' } })).toBe(2);
      expect(m.total({ metricName: '4xx', dimensions: { ApiId: id, Stage: 'prod' } })).toBe(1);
      expect(m.total({ metricName: 'Count', dimensions: { ApiId: id, Stage: 'prod', Route: 'GET /items' } })).toBe(1);
      expect(m.total({ metricName: 'IntegrationLatency', dimensions: { ApiId: id } }, 'SampleCount')).toBe(1);
      expect(m.total({ metricName: 'DataProcessed', dimensions: { ApiId: id } })).toBeGreaterThan(5);
    } finally {
      await h.close();
    }
  });
});
