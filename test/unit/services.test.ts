/** The stage services on their own: buckets, cache, metrics, logs, access-log formats, cost. */
import { describe, expect, it } from 'vitest';
import { cloudWatchExecutionLog, logLineKind } from '../../engine/rest/execution-log';
import { methodSettingsFor, parseMethodSettingKey } from '../../engine/rest/method-settings';
import { ACCESS_LOG_FORMATS, accessLogFormatProblems, renderAccessLog } from '../../engine/services/access-log';
import {
  RunningCost,
  cacheHourlyPrice,
  isBillable,
  monthlyComparison,
  monthlyCost,
  pricePerRequest,
  tieredCost,
  REST_REQUEST_TIERS,
  unitsFor,
} from '../../engine/services/cost';
import { CloudWatchLogs, executionLogGroup, logGroupFromArn } from '../../engine/services/logs';
import { MetricsStore, restDimensionSets, v2DimensionSets } from '../../engine/services/metrics';
import { MAX_CACHED_RESPONSE_BYTES, StageCache } from '../../engine/services/stage-cache';
import { BucketRegistry, TokenBucket } from '../../engine/services/token-bucket';
import type { Stage } from '../../engine/model/rest';

const T0 = Date.UTC(2026, 0, 15, 9);

describe('token buckets', () => {
  it('refill exactly, in thousandths of a token, even after a long run', () => {
    const b = new TokenBucket({ rate: 10, burst: 20 });
    for (let i = 0; i < 20; i++) expect(b.take(T0).allowed).toBe(true);
    expect(b.take(T0).allowed).toBe(false);
    // 1 ms at 10 rps is 0.01 token; 100 of them make exactly one.
    let t = T0;
    for (let i = 0; i < 99; i++) expect(b.take(++t).allowed).toBe(false);
    expect(b.take(++t)).toMatchObject({ allowed: true, tokensBefore: 1, tokensAfter: 0 });
    expect(b.available(t + 3_600_000)).toBe(20);
  });

  it('takeAll: a request needs a token in every bucket; a throttled request takes none', () => {
    const reg = new BucketRegistry();
    const checks = [
      { key: 'm', level: 'method' as const, limits: { rate: 1, burst: 2 } },
      { key: 'account', level: 'account' as const, limits: { rate: 100, burst: 3 } },
    ];
    expect(reg.takeAll(checks, T0).allowed).toBe(true);
    expect(reg.takeAll(checks, T0).allowed).toBe(true);
    const third = reg.takeAll(checks, T0);
    expect(third.allowed).toBe(false);
    expect(third.rejectedBy).toMatchObject({ level: 'method', tokensBefore: 0 });
    // The account bucket was not consulted past the empty method bucket, and lost nothing.
    expect(third.buckets.map((b) => b.level)).toEqual(['method']);
    expect(reg.peek('account', T0)).toBe(1);
    const other = reg.takeAll([{ key: 'm2', level: 'method', limits: { rate: 1, burst: 2 } }, checks[1]!], T0);
    expect(other.allowed).toBe(true);
    const blocked = reg.takeAll([{ key: 'm3', level: 'method', limits: { rate: 1, burst: 2 } }, checks[1]!], T0);
    expect(blocked.rejectedBy?.level).toBe('account');
    expect(reg.peek('m3', T0)).toBe(2);
  });

  it('a limit of 0 blocks everything', () => {
    expect(new TokenBucket({ rate: 0, burst: 0 }).take(T0).allowed).toBe(false);
  });
});

describe('method settings', () => {
  const stage = (methodSettings: Stage['methodSettings'], cache = false): Stage => ({
    stageName: 'prod',
    variables: {},
    methodSettings,
    cacheClusterEnabled: cache,
    tracingEnabled: false,
  });

  it('parses AWS keys, including the escaped form and the root', () => {
    expect(parseMethodSettingKey('*/*')).toEqual({ resourcePath: '*', httpMethod: '*' });
    expect(parseMethodSettingKey('/pets/GET')).toEqual({ resourcePath: '/pets', httpMethod: 'GET' });
    expect(parseMethodSettingKey('~1pets~1{id}/DELETE')).toEqual({ resourcePath: '/pets/{id}', httpMethod: 'DELETE' });
    expect(parseMethodSettingKey('//GET')).toEqual({ resourcePath: '/', httpMethod: 'GET' });
    expect(parseMethodSettingKey('/pets/FETCH')).toBeUndefined();
  });

  it('stage defaults apply to every method; a method entry overrides field by field', () => {
    const s = stage({ '*/*': { throttlingRateLimit: 10, throttlingBurstLimit: 5, loggingLevel: 'INFO' }, '/pets/POST': { throttlingRateLimit: 1 } });
    expect(methodSettingsFor(s, '/pets', 'GET').throttle).toMatchObject({ limits: { rate: 10, burst: 5 }, level: 'stage' });
    expect(methodSettingsFor(s, '/pets', 'POST').throttle).toMatchObject({ limits: { rate: 1, burst: 5 }, level: 'method' });
    expect(methodSettingsFor(s, '/pets', 'POST').logging.level).toBe('INFO');
    expect(methodSettingsFor(stage({}), '/pets', 'GET').throttle).toBeUndefined();
    expect(methodSettingsFor(stage({ '*/*': { throttlingRateLimit: -1, throttlingBurstLimit: -1 } }), '/', 'GET').throttle).toBeUndefined();
  });

  it('caches only GET by default, needs a cache cluster, and TTL 0 disables it', () => {
    const s = stage({ '*/*': { cachingEnabled: true }, '/pets/POST': { cachingEnabled: true } }, true);
    expect(methodSettingsFor(s, '/pets', 'GET').caching).toMatchObject({ enabled: true, ttlSeconds: 300, requireAuthorizationForCacheControl: true, unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER' });
    expect(methodSettingsFor(s, '/pets', 'DELETE').caching.enabled).toBe(false);
    expect(methodSettingsFor(s, '/pets', 'POST').caching.enabled).toBe(true);
    expect(methodSettingsFor(stage({ '*/*': { cachingEnabled: true } }, false), '/pets', 'GET').caching.enabled).toBe(false);
    expect(methodSettingsFor(stage({ '*/*': { cachingEnabled: true, cacheTtlInSeconds: 0 } }, true), '/pets', 'GET').caching).toMatchObject({ enabled: false, reason: expect.stringContaining('TTL is 0') });
  });
});

describe('stage cache', () => {
  const res = (body: string) => ({ statusCode: 200, headers: {}, body, isBase64Encoded: false });

  it('hits within the TTL, expires after it, and an entry exists only from when it was stored', () => {
    const c = new StageCache('0.5');
    expect(c.lookup('k', T0).status).toBe('miss');
    c.store('k', res('a'), 300, T0 + 100);
    expect(c.lookup('k', T0 + 50).status).toBe('miss'); // stored later by an overlapping request
    expect(c.lookup('k', T0 + 100 + 299_999)).toMatchObject({ status: 'hit' });
    expect(c.lookup('k', T0 + 100 + 300_000).status).toBe('expired');
    expect(c.stats()).toMatchObject({ hits: 1, misses: 3, entries: 0 });
  });

  it('refuses responses over 1 MB and TTL 0; an ordinary miss does not clobber a fresh entry, an invalidation does', () => {
    const c = new StageCache('0.5');
    expect(c.store('big', res('x'.repeat(MAX_CACHED_RESPONSE_BYTES + 1)), 300, T0)).toMatchObject({ stored: false, reason: expect.stringContaining('1048576') });
    expect(c.store('ok', res('x'.repeat(MAX_CACHED_RESPONSE_BYTES)), 300, T0).stored).toBe(true);
    expect(c.store('z', res('a'), 0, T0).stored).toBe(false);
    c.store('k', res('first'), 300, T0);
    expect(c.store('k', res('second'), 300, T0 + 10).stored).toBe(false);
    expect(c.store('k', res('fresh'), 300, T0 + 20, true).stored).toBe(true);
    const hit = c.lookup('k', T0 + 30);
    expect(hit.status === 'hit' && hit.entry.response.body).toBe('fresh');
  });

  it('evicts the least recently used entries beyond its limit, and flushes', () => {
    const c = new StageCache('0.5', 3);
    for (const k of ['a', 'b', 'c']) c.store(k, res(k), 300, T0);
    c.lookup('a', T0 + 1); // a is now the most recent
    expect(c.store('d', res('d'), 300, T0 + 2)).toMatchObject({ stored: true, evicted: 1 });
    expect(c.lookup('b', T0 + 3).status).toBe('miss');
    expect(c.lookup('a', T0 + 3).status).toBe('hit');
    expect(c.flush()).toBe(3);
    expect(c.size).toBe(0);
    expect(() => new StageCache('2')).toThrow(/0.5, 1.6/);
  });
});

describe('CloudWatch metrics', () => {
  it('keeps one-minute datapoints with SampleCount, Sum, Min, Max and Average', () => {
    const m = new MetricsStore();
    const dims = { ApiName: 'pets', Stage: 'prod' };
    m.put('4XXError', dims, 1, T0 + 1000);
    m.put('4XXError', dims, 0, T0 + 2000);
    m.put('4XXError', dims, 0, T0 + 59_999);
    m.put('4XXError', dims, 1, T0 + 60_000);
    const points = m.statistics({ metricName: '4XXError', dimensions: { Stage: 'prod', ApiName: 'pets' } });
    expect(points).toEqual([
      { timestamp: T0, sampleCount: 3, sum: 1, minimum: 0, maximum: 1, average: 1 / 3 },
      { timestamp: T0 + 60_000, sampleCount: 1, sum: 1, minimum: 1, maximum: 1, average: 1 },
    ]);
    expect(m.total({ metricName: '4XXError', dimensions: dims })).toBe(2);
    expect(m.statistics({ metricName: '4XXError', dimensions: { ApiName: 'pets' } })).toEqual([]);
  });

  it('uses the dimension sets of each gateway type', () => {
    expect(restDimensionSets('pets', 'prod', { method: 'GET', resource: '/pets', detailed: true })).toEqual([
      { ApiName: 'pets' },
      { ApiName: 'pets', Stage: 'prod' },
      { ApiName: 'pets', Method: 'GET', Resource: '/pets', Stage: 'prod' },
    ]);
    expect(restDimensionSets('pets', 'prod', { method: 'GET', resource: '/pets', detailed: false })).toHaveLength(2);
    expect(v2DimensionSets('a1', 'prod', { routeKey: 'GET /pets', detailed: true })[2]).toEqual({ ApiId: 'a1', Stage: 'prod', Route: 'GET /pets' });
  });
});

describe('access logs', () => {
  const vars = {
    requestId: 'c0475a28-8de8-11e7-8d3f-4183da788f0f',
    extendedRequestId: 'Ab1CdEfGhIJKLMn=',
    identity: { sourceIp: '203.0.113.10', caller: '', user: '' },
    requestTime: '15/Jan/2026:09:00:00 +0000',
    httpMethod: 'GET',
    resourcePath: '/pets',
    protocol: 'HTTP/1.1',
    status: 200,
    responseLength: 42,
  };

  it('renders the four example formats as AWS documents them, empty values as -', () => {
    expect(renderAccessLog(ACCESS_LOG_FORMATS.CLF, vars)).toBe(
      '203.0.113.10 - - [15/Jan/2026:09:00:00 +0000] "GET /pets HTTP/1.1" 200 42 c0475a28-8de8-11e7-8d3f-4183da788f0f Ab1CdEfGhIJKLMn=',
    );
    expect(JSON.parse(renderAccessLog(ACCESS_LOG_FORMATS.JSON, vars))).toEqual({
      requestId: vars.requestId,
      extendedRequestId: vars.extendedRequestId,
      ip: '203.0.113.10',
      caller: '-',
      user: '-',
      requestTime: '15/Jan/2026:09:00:00 +0000',
      httpMethod: 'GET',
      resourcePath: '/pets',
      status: '200',
      protocol: 'HTTP/1.1',
      responseLength: '42',
    });
    expect(renderAccessLog(ACCESS_LOG_FORMATS.XML, vars)).toMatch(/^<request id="c0475a28-8de8-11e7-8d3f-4183da788f0f"> <ip>203\.0\.113\.10<\/ip> <caller>-<\/caller>.*<\/request>$/);
    expect(renderAccessLog(ACCESS_LOG_FORMATS.CSV, vars).split(',')).toEqual([
      '203.0.113.10', '-', '-', '15/Jan/2026:09:00:00 +0000', 'GET', '/pets', 'HTTP/1.1', '200', '42', vars.requestId, vars.extendedRequestId,
    ]);
  });

  it('refuses formats AWS refuses', () => {
    expect(accessLogFormatProblems('$context.status')).toEqual(['Access Log format must contain either $context.requestId or $context.extendedRequestId']);
    expect(accessLogFormatProblems('$context.requestId\n$context.status')).toContain('Access Log format must be a single line');
    for (const f of Object.values(ACCESS_LOG_FORMATS)) expect(accessLogFormatProblems(f)).toEqual([]);
  });
});

describe('execution logs as CloudWatch holds them', () => {
  const entries = [
    { at: T0, message: 'Starting execution for request: r1' },
    { at: T0, message: 'Method request headers: {Host=x}' },
    { at: T0, message: `Endpoint request body after transformations: ${'x'.repeat(2000)}` },
    { at: T0, message: 'Execution failed due to configuration error: Malformed Lambda proxy response' },
    { at: T0, message: 'Method completed with status: 502' },
  ];

  it('classifies lines by level', () => {
    expect(logLineKind('Starting execution for request: r1')).toBe('info');
    expect(logLineKind('Method request headers: {}')).toBe('data');
    expect(logLineKind('Execution failed due to a timeout error')).toBe('error');
  });

  it('INFO without data trace, INFO with it, ERROR only; (requestId) prefix and 1024-byte truncation', () => {
    const info = cloudWatchExecutionLog('r1', 'ext=', entries, 'INFO', false).map((e) => e.message);
    expect(info).toEqual([
      '(r1) Extended Request Id: ext=',
      '(r1) Starting execution for request: r1',
      '(r1) Execution failed due to configuration error: Malformed Lambda proxy response',
      '(r1) Method completed with status: 502',
    ]);
    const data = cloudWatchExecutionLog('r1', 'ext=', entries, 'INFO', true).map((e) => e.message);
    expect(data).toHaveLength(6);
    const long = data.find((l) => l.includes('Endpoint request body'))!;
    expect(long.endsWith(' [TRUNCATED]')).toBe(true);
    expect(Buffer.byteLength(long.slice('(r1) '.length, -' [TRUNCATED]'.length))).toBe(1024);
    expect(cloudWatchExecutionLog('r1', 'ext=', entries, 'ERROR', true).map((e) => e.message)).toEqual([
      '(r1) Execution failed due to configuration error: Malformed Lambda proxy response',
      '(r1) Method completed with status: 502',
    ]);
    expect(cloudWatchExecutionLog('r1', 'ext=', entries.slice(0, 2), 'ERROR', true)).toEqual([]);
    expect(cloudWatchExecutionLog('r1', 'ext=', entries, 'OFF', true)).toEqual([]);
  });

  it('log groups keep the most recent events and count all of them', () => {
    const logs = new CloudWatchLogs(3);
    logs.put(executionLogGroup('abc', 'prod'), 's', [1, 2, 3, 4, 5].map((n) => ({ timestamp: T0 + n, message: `m${n}` })));
    expect(logs.events('API-Gateway-Execution-Logs_abc/prod').map((e) => e.message)).toEqual(['m3', 'm4', 'm5']);
    expect(logs.ingested('API-Gateway-Execution-Logs_abc/prod')).toBe(5);
    expect(logGroupFromArn('arn:aws:logs:us-east-1:123456789012:log-group:access-logs:*')).toBe('access-logs');
  });
});

describe('cost', () => {
  it('prices requests by tier and metering unit', () => {
    expect(tieredCost(1_000_000, REST_REQUEST_TIERS)).toBeCloseTo(3.5);
    expect(tieredCost(400_000_000, REST_REQUEST_TIERS)).toBeCloseTo(333 * 3.5 + 67 * 2.8);
    expect(unitsFor('HTTP', 512 * 1024)).toBe(1);
    expect(unitsFor('HTTP', 512 * 1024 + 1)).toBe(2);
    expect(unitsFor('WEBSOCKET', 33 * 1024)).toBe(2);
    expect(pricePerRequest('REST')).toBeCloseTo(0.0000035);
    expect(cacheHourlyPrice('0.5')).toBe(0.02);
    expect(cacheHourlyPrice('237') * 730).toBeCloseTo(2774);
  });

  it('a running cost crosses tiers exactly as the monthly formula does', () => {
    const r = new RunningCost('REST');
    let sum = 0;
    sum += r.add(332_999_999);
    sum += r.add(2);
    sum += r.add(10_000_000);
    expect(sum).toBeCloseTo(tieredCost(343_000_001, REST_REQUEST_TIERS), 6);
    expect(r.billedUnits).toBe(343_000_001);
  });

  it('does not bill throttled, over-quota or unauthenticated requests', () => {
    expect(isBillable(undefined)).toBe(true);
    expect(isBillable('INTEGRATION_TIMEOUT')).toBe(true);
    for (const t of ['THROTTLED', 'QUOTA_EXCEEDED', 'INVALID_API_KEY', 'UNAUTHORIZED']) expect(isBillable(t)).toBe(false);
  });

  it('compares a month of the same traffic on REST and HTTP', () => {
    const month = monthlyComparison({ requestsPerSecond: 100, averageBytes: 2048, cacheSizeGb: '0.5' });
    const requests = 100 * 730 * 3600;
    expect(month.REST!.requests).toBe(requests);
    expect(month.REST!.total).toBeCloseTo(monthlyCost('REST', { requests, cacheSizeGb: '0.5' }).total);
    expect(month.REST!.cacheCost).toBeCloseTo(14.6);
    expect(month.HTTP!.total).toBeCloseTo(requests / 1e6);
  });
});
