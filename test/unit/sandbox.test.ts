import { afterAll, describe, expect, it } from 'vitest';
import { HostServiceError } from '../../engine/backends/lambda/sandbox';
import { LambdaService } from '../../engine/backends/lambda/service';
import { IdGenerator, SeededRandom } from '../../engine/core/random';
import { fn } from '../helpers';

const T0 = Date.UTC(2026, 0, 15, 9);
const services: LambdaService[] = [];
function lambda(seed = 'sandbox'): LambdaService {
  const r = new SeededRandom(seed);
  const s = new LambdaService(new IdGenerator(r.fork('ids')), r.fork('lambda'));
  services.push(s);
  return s;
}
afterAll(async () => {
  for (const s of services) await s.close();
});

const payloadOf = (r: { payload: string }) => JSON.parse(r.payload);

describe('the Lambda sandbox', () => {
  it('runs CommonJS and ESM handlers and captures console output as CloudWatch lines', async () => {
    const l = lambda();
    l.register(fn('cjs', `exports.handler = async (event, context) => { console.log('got', event.n, { a: [1, 2] }); return { n: event.n + 1, fn: context.functionName }; }`));
    l.register(fn('esm', `export const handler = async (event) => ({ esm: true, n: event.n });`));
    const r1 = await l.invoke('cjs', '{"n":1}', { now: T0 });
    expect(payloadOf(r1)).toEqual({ n: 2, fn: 'cjs' });
    expect(r1.logs[0]).toBe(`START RequestId: ${r1.requestId} Version: $LATEST`);
    expect(r1.logs[1]).toMatch(/^2026-01-15T09:00:00\.\d{3}Z\t[0-9a-f-]{36}\tINFO\tgot 1 \{ a: \[ 1, 2 \] \}$/);
    expect(r1.logs.at(-1)).toMatch(/^REPORT RequestId: .*\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: 180\.00 ms$/);
    expect(payloadOf(await l.invoke('esm', '{"n":7}', { now: T0 }))).toEqual({ esm: true, n: 7 });
  });

  it('reuses a warm container and starts a new cold one for concurrent calls', async () => {
    const l = lambda();
    l.register(fn('counter', `let calls = 0; exports.handler = async () => ({ calls: ++calls });`, { latencyMs: 100, coldStartMs: 200 }));
    const a = await l.invoke('counter', '{}', { now: T0 });
    expect(a.coldStart).toBe(true);
    expect(a.durationMs).toBe(300);
    const b = await l.invoke('counter', '{}', { now: T0 + 50 }); // the first container is busy until T0+300
    expect(b.coldStart).toBe(true);
    expect(payloadOf(b)).toEqual({ calls: 1 });
    const c = await l.invoke('counter', '{}', { now: T0 + 1000 });
    expect(c.coldStart).toBe(false);
    expect(payloadOf(c)).toEqual({ calls: 2 });
    expect(c.logs.at(-1)).not.toContain('Init Duration');
  });

  it('reports an exception as Lambda does', async () => {
    const l = lambda();
    l.register(fn('boom', `exports.handler = async () => { throw new TypeError('nope'); }`));
    l.register(fn('str', `exports.handler = async () => { throw 'Unauthorized'; }`));
    const r = await l.invoke('boom', '{}', { now: T0 });
    expect(r.functionError).toBe('Unhandled');
    expect(payloadOf(r)).toMatchObject({ errorType: 'TypeError', errorMessage: 'nope' });
    expect(payloadOf(r).trace[0]).toBe('TypeError: nope');
    expect(payloadOf(await l.invoke('str', '{}', { now: T0 }))).toEqual({ errorType: 'string', errorMessage: 'Unauthorized', trace: [] });
  });

  it('times out an infinite loop and keeps serving', async () => {
    const l = lambda();
    l.register(fn('spin', `exports.handler = async () => { for (;;) {} }`, { timeoutSeconds: 1 }));
    l.register(fn('ok', `exports.handler = async () => 'fine'`));
    const started = Date.now();
    const r = await l.invoke('spin', '{}', { now: T0 });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(payloadOf(r)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${r.requestId} Error: Task timed out after 1.00 seconds` });
    expect(r.logs.some((line) => line.endsWith('Task timed out after 1.00 seconds'))).toBe(true);
    expect(payloadOf(await l.invoke('ok', '{}', { now: T0 }))).toBe('fine');
    // The timed-out environment is torn down: the next call is cold.
    expect((await l.invoke('spin', '{}', { now: T0 + 10_000 })).coldStart).toBe(true);
  });

  it('a promise that never settles times out on the virtual clock, without waiting in real time', async () => {
    const l = lambda();
    l.register(fn('hang', `exports.handler = () => new Promise(() => {})`, { timeoutSeconds: 30 }));
    const started = Date.now();
    const r = await l.invoke('hang', '{}', { now: T0 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(payloadOf(r).errorType).toBe('Sandbox.Timedout');
    expect(r.durationMs).toBe(30_000 + 180);
  });

  it('setTimeout runs on the virtual clock: a 35-second sleep takes no real time', async () => {
    const l = lambda();
    l.register(fn('sleepy', `exports.handler = async () => { const t0 = Date.now(); await new Promise(r => setTimeout(r, 35000)); return Date.now() - t0; }`, { timeoutSeconds: 60, latencyMs: 0, coldStartMs: 0 }));
    const started = Date.now();
    const r = await l.invoke('sleepy', '{}', { now: T0 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(payloadOf(r)).toBe(35000);
    expect(r.durationMs).toBe(35000);
  });

  it('stops a memory blow-up with the out-of-memory error and keeps serving', async () => {
    const l = lambda();
    // A long timeout, so a loaded machine reaches the memory limit before the CPU budget runs out.
    l.register(fn('hog', `exports.handler = async () => { const a = []; for (let i = 0; ; i++) a.push({ i, s: 'x' + i }); }`, { timeoutSeconds: 30 }));
    l.register(fn('ok', `exports.handler = async () => 'fine'`));
    const r = await l.invoke('hog', '{}', { now: T0 });
    expect(payloadOf(r)).toEqual({ errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${r.requestId} Error: Runtime exited with error: signal: killed` });
    expect(payloadOf(await l.invoke('ok', '{}', { now: T0 }))).toBe('fine');
  });

  it('reports a result that cannot be serialised', async () => {
    const l = lambda();
    l.register(fn('circular', `exports.handler = async () => { const a = {}; a.self = a; return a; }`));
    expect(payloadOf(await l.invoke('circular', '{}', { now: T0 }))).toEqual({ errorType: 'Error', errorMessage: 'Unable to stringify response body' });
  });

  it('reports syntax errors and missing handlers at init, as Lambda does', async () => {
    const l = lambda();
    l.register(fn('syntax', `exports.handler = async () => { return ( }`));
    l.register(fn('nohandler', `exports.main = async () => 1`));
    expect(payloadOf(await l.invoke('syntax', '{}', { now: T0 })).errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(payloadOf(await l.invoke('nohandler', '{}', { now: T0 }))).toEqual({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported' });
  });

  it('cannot reach the host: no require, no real process, no file system or network', async () => {
    const l = lambda();
    l.register(
      fn(
        'escape',
        `exports.handler = async () => {
          const viaConstructor = this.constructor.constructor('return typeof process === "undefined" ? "none" : Object.keys(process).join(",")')();
          let viaFunction; try { viaFunction = Function('return typeof require')(); } catch (e) { viaFunction = 'threw'; }
          const tryRequire = (m) => { try { require(m); return 'loaded'; } catch (e) { return e.code; } };
          return {
            viaConstructor, viaFunction,
            require: typeof require, nodeModules: ['fs', 'child_process', 'aws-sdk'].map(tryRequire), module: typeof module, fetch: typeof fetch, XMLHttpRequest: typeof XMLHttpRequest,
            processKeys: Object.keys(process), exit: typeof process.exit, binding: typeof process.binding,
            globalThisProcessIsFrozen: Object.isFrozen(process),
          };
        }`,
        { environment: { TABLE: 'pets' } },
      ),
    );
    const out = payloadOf(await l.invoke('escape', '{}', { now: T0 }));
    expect(out).toEqual({
      viaConstructor: 'env',
      viaFunction: 'undefined',
      // The CommonJS wrapper's require reaches the bundled SDK v3 packages only, never Node's modules.
      require: 'function',
      nodeModules: ['MODULE_NOT_FOUND', 'MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'],
      module: 'object', // the CommonJS wrapper's own module object, not Node's
      fetch: 'undefined',
      XMLHttpRequest: 'undefined',
      processKeys: ['env'],
      exit: 'undefined',
      binding: 'undefined',
      globalThisProcessIsFrozen: true,
    });
  });

  it('gives handlers process.env, a deterministic clock and a deterministic Math.random', async () => {
    const run = async () => {
      const l = lambda('same-seed');
      l.register(fn('det', `exports.handler = async () => ({ now: Date.now(), iso: new Date().toISOString(), r: Math.random(), env: process.env.TABLE })`, { environment: { TABLE: 'pets' }, latencyMs: 10, coldStartMs: 100 }));
      return payloadOf(await l.invoke('det', '{}', { now: T0 }));
    };
    const a = await run();
    expect(a).toEqual(await run());
    expect(a.now).toBe(T0 + 100 + 10);
    expect(a.iso).toBe('2026-01-15T09:00:00.110Z');
    expect(a.env).toBe('pets');
  });

  it('bridges calls to simulated services and their errors', async () => {
    const l = lambda();
    l.register(fn('svc', `exports.handler = async () => {
      const item = await __hostCall('table', 'get', { key: 'a' });
      let error; try { await __hostCall('table', 'get', { key: 'missing' }); } catch (e) { error = e.name + ':' + e.statusCode; }
      return { item, error, t: Date.now() };
    }`, { latencyMs: 0, coldStartMs: 0 }));
    const r = await l.invoke('svc', '{}', {
      now: T0,
      hostServices: async (service, method, args) => {
        const key = (args as { key: string }).key;
        if (key === 'missing') throw new HostServiceError('ResourceNotFoundException', 'no such item', 400);
        return { value: { service, method, key }, elapsedMs: 7 };
      },
    });
    expect(payloadOf(r)).toEqual({ item: { service: 'table', method: 'get', key: 'a' }, error: 'ResourceNotFoundException:400', t: T0 + 7 });
  });

  it('supports callback-style handlers', async () => {
    const l = lambda();
    l.register(fn('cb', `exports.handler = (event, context, callback) => { callback(null, { ok: context.getRemainingTimeInMillis() > 0 }); }`));
    expect(payloadOf(await l.invoke('cb', '{}', { now: T0 }))).toEqual({ ok: true });
  });
});
