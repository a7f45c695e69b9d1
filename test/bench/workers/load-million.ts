/**
 * Child process of test/bench/load.ts: one million requests through a REST pipeline with an API
 * key (usage plan with a throttle), stage throttling and the stage cache, MOCK integration. Its
 * own peak RSS is the figure, so it runs alone in this process. Prints one JSON line.
 */
import { VirtualClock } from '../../../engine/core/clock';
import { request } from '../../../engine/core/http';
import { Gateway } from '../../../engine/gateway';
import { simulateLoad } from '../../../engine/load/simulate';

const REQUESTS = Number(process.argv[2] ?? 1_000_000);

const gateway = new Gateway({ seed: 'bench-load', clock: new VirtualClock() });
const api = gateway.createRestApi({
  name: 'catalog',
  resources: {
    '/items/{id}': {
      GET: {
        apiKeyRequired: true,
        requestParameters: { 'method.request.path.id': true },
        integration: {
          type: 'MOCK',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          cacheKeyParameters: ['method.request.path.id'],
          integrationResponses: { '200': { responseTemplates: { 'application/json': '{"id": "$input.params(\'id\')", "name": "item"}' } } },
        },
      },
    },
  },
});
api.deploy('prod', {
  stage: {
    cacheClusterEnabled: true,
    cacheClusterSize: '0.5',
    methodSettings: { '*/*': { throttlingRateLimit: 1800, throttlingBurstLimit: 600, cachingEnabled: true, cacheTtlInSeconds: 300 } },
  },
});
const keys = ['gold-key-0123456789abcdef', 'free-key-0123456789abcdef'];
gateway.usage.putKey({ id: 'k1', name: 'gold', value: keys[0]!, enabled: true });
gateway.usage.putKey({ id: 'k2', name: 'free', value: keys[1]!, enabled: true });
gateway.usage.putPlan({ id: 'p1', name: 'gold', apiStages: [{ apiId: api.id, stage: 'prod' }], throttle: { rateLimit: 1500, burstLimit: 500 }, keyIds: ['k1'] });
gateway.usage.putPlan({ id: 'p2', name: 'free', apiStages: [{ apiId: api.id, stage: 'prod' }], throttle: { rateLimit: 200, burstLimit: 100 }, keyIds: ['k2'] });

// 2,000 requests per second for 500 s, exactly 1,000,000: the gold client at a steady 1,600/s, the
// free one in bursts of 400 once a second.
const seconds = REQUESTS / 2000;
const req = (key: string) => request({ method: 'GET', path: '/prod/items/{{random:200}}', headers: { 'x-api-key': [key] } });
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const result = await simulateLoad(
  { type: 'REST', handle: (r, o) => api.handle(r, o), cacheSizeGb: () => '0.5' },
  {
    durationSeconds: seconds,
    clients: [
      { name: 'gold', arrival: { pattern: 'constant', rate: 1600 }, requests: [req(keys[0]!)] },
      { name: 'free', arrival: { pattern: 'burst', size: 400, every: 1 }, requests: [req(keys[1]!)] },
    ],
    sampleTraces: 10,
  },
  { startAt: gateway.clock.now(), random: gateway.random.fork('load') },
);
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
await gateway.close();
process.stdout.write(
  `${JSON.stringify({
    requests: result.totals.requests,
    seconds: wall,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    throttled: result.totals.throttled,
    throttledBy: result.totals.throttledBy,
    cacheHits: result.totals.cacheHits,
    cacheMisses: result.totals.cacheMisses,
    p95: result.totals.latency.p95,
  })}\n`,
);
