/**
 * sandbox.warmInvokeUs: wall time of `await lambda.invoke()` for a small handler in a warm
 * container, including the hop to the sandbox worker thread and back.
 */
import { FUNCTION_DEFAULTS, LambdaService } from '../../engine/backends/lambda/service';
import { IdGenerator, SeededRandom } from '../../engine/core/random';
import type { BenchResults } from './types';

export async function bench(): Promise<BenchResults> {
  const random = new SeededRandom('bench');
  const lambda = new LambdaService(new IdGenerator(random.fork('ids')), random.fork('lambda'));
  lambda.register({
    ...FUNCTION_DEFAULTS,
    name: 'hello',
    environment: {},
    code: `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ hello: event.path }) });`,
  });
  const payload = JSON.stringify({ path: '/pets', httpMethod: 'GET', headers: { Accept: 'application/json' } });
  let now = Date.UTC(2026, 0, 1);
  const call = async () => {
    const r = await lambda.invoke('hello', payload, { now });
    now += r.durationMs + 1; // the next call finds the container free: warm
    return r;
  };
  for (let i = 0; i < 2000; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const t = process.hrtime.bigint();
    const r = await call();
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
    if (r.coldStart) throw new Error('benchmark call was not warm');
  }
  await lambda.close();
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  const p95 = samples[Math.floor(samples.length * 0.95)]!;
  return {
    'sandbox.warmInvokeUs': { value: round(median), unit: 'us', target: 100, ok: median <= 100 },
    'sandbox.warmInvokeP95Us': { value: round(p95), unit: 'us' },
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
