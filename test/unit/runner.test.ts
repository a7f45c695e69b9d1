import { describe, expect, it } from 'vitest';
import { SystemClock, VirtualClock } from '../../engine/core/clock';
import { runPipeline } from '../../engine/pipeline/runner';
import { type Pipeline, type PipelineContext, type Step, next, reject, skip } from '../../engine/pipeline/types';

interface Ctx extends PipelineContext {
  readonly visited: readonly string[];
}

const step = (id: string, run: Step<Ctx>['run'], overheadMs = 0): Step<Ctx> => ({ id, phase: 'routing', overheadMs, run });
const visit = (id: string, durationMs = 0): Step<Ctx> =>
  step(id, (ctx) => next({ ...ctx, visited: [...ctx.visited, id] }, `${id} ran`, { durationMs, log: [`${id} log`] }));

function pipeline(steps: Step<Ctx>[], finallySteps: Step<Ctx>[] = []): Pipeline<Ctx> {
  return {
    steps,
    onError: step('gatewayResponse', (ctx) =>
      next({ ...ctx, response: { statusCode: 418, headers: {}, body: ctx.error!.type, isBase64Encoded: false } }, 'rendered'),
    ),
    finally: finallySteps,
    snapshot: (ctx) => ({ visited: ctx.visited, ...(ctx.error ? { error: ctx.error.type } : {}) }),
    onException: (ctx, id) => ({ ...ctx, error: { type: `CRASH_IN_${id}`, message: null } }),
  };
}

describe('the pipeline runner', () => {
  it('records every step with outcome, virtual time, duration, snapshots and log lines', async () => {
    const clock = new VirtualClock(1_000);
    const run = await runPipeline(pipeline([visit('a', 5), step('b', () => skip('not configured'), 3), visit('c', 10)]), { visited: [] }, { clock, startAt: 1_000 });
    expect(run.steps.map((s) => [s.step, s.outcome, s.at, s.durationMs])).toEqual([
      ['a', 'continue', 1000, 5],
      ['b', 'skip', 1005, 0],
      ['c', 'continue', 1005, 10],
    ]);
    expect(run.steps[0]!.before).toEqual({ visited: [] });
    expect(run.steps[0]!.after).toEqual({ visited: ['a'] });
    expect(run.steps[2]!.before).toEqual({ visited: ['a'] });
    expect(run.log).toEqual([
      { at: 1000, message: 'a log' },
      { at: 1005, message: 'c log' },
    ]);
    expect(run.endedAt).toBe(1015);
    expect(run.stoppedAt).toBeUndefined();
    // The virtual clock itself is not moved by a request: concurrent requests keep their own time.
    expect(clock.now()).toBe(1_000);
  });

  it('stops at a rejecting step, renders the error, then runs the finally steps', async () => {
    const run = await runPipeline(
      pipeline([visit('a'), step('b', (ctx) => reject(ctx, { type: 'NOPE', message: 'no' }, 'b said no')), visit('never')], [visit('metrics')]),
      { visited: [] },
      { clock: new VirtualClock(0), startAt: 0 },
    );
    expect(run.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual(['a:continue', 'b:respond', 'gatewayResponse:continue', 'metrics:continue']);
    expect(run.stoppedAt).toBe('b');
    expect(run.ctx.response?.statusCode).toBe(418);
    expect(run.ctx.response?.body).toBe('NOPE');
    expect(run.ctx.visited).toEqual(['a', 'metrics']);
  });

  it('turns a step that throws into an error outcome and a gateway response, never a crash', async () => {
    const run = await runPipeline(
      pipeline([
        step('boom', () => {
          throw new Error('kaput');
        }),
      ]),
      { visited: [] },
      { clock: new VirtualClock(0), startAt: 0 },
    );
    expect(run.steps[0]!.outcome).toBe('error');
    expect(run.steps[0]!.summary).toContain('kaput');
    expect(run.stoppedAt).toBe('boom');
    expect(run.ctx.response?.body).toBe('CRASH_IN_boom');
  });

  it('stamps log lines with their offset inside the step', async () => {
    const s = step('int', (ctx) => next(ctx, 'x', { durationMs: 300, log: ['sent', { message: 'received', offsetMs: 300 }] }));
    const run = await runPipeline(pipeline([s]), { visited: [] }, { clock: new VirtualClock(0), startAt: 50 });
    expect(run.log).toEqual([
      { at: 50, message: 'sent' },
      { at: 350, message: 'received' },
    ]);
  });

  it('adds a step overhead on the virtual clock and measures real time on the system clock', async () => {
    const virtual = await runPipeline(pipeline([visit('a', 2)].map((s) => ({ ...s, overheadMs: 1 }))), { visited: [] }, { clock: new VirtualClock(0), startAt: 0 });
    expect(virtual.steps[0]!.durationMs).toBe(3);
    const real = await runPipeline(
      pipeline([step('sleep', async (ctx) => { await new Promise((r) => setTimeout(r, 20)); return next(ctx, 'slept', { durationMs: 99_999 }); })]),
      { visited: [] },
      { clock: new SystemClock(), startAt: Date.now() },
    );
    expect(real.steps[0]!.durationMs).toBeGreaterThanOrEqual(15);
    expect(real.steps[0]!.durationMs).toBeLessThan(5_000);
  });

  it('on the system clock, steps start in whole epoch milliseconds, in order, each where the one before ended', async () => {
    const startAt = Date.now();
    const wait = (id: string, ms: number) => step(id, async (ctx) => { await new Promise((r) => setTimeout(r, ms)); return next(ctx, id); });
    const run = await runPipeline(pipeline([wait('a', 5), visit('b'), wait('c', 12)]), { visited: [] }, { clock: new SystemClock(), startAt });
    const ats = run.steps.map((s) => s.at);
    for (const at of ats) expect(Number.isInteger(at)).toBe(true);
    expect(ats[0]).toBeGreaterThanOrEqual(startAt);
    expect([...ats].sort((x, y) => x - y)).toEqual(ats);
    // No gaps: the steps' durations add up to the request's time, to within a millisecond.
    const total = run.steps.reduce((sum, s) => sum + s.durationMs, 0);
    expect(Math.abs(run.endedAt - run.startedAt - total)).toBeLessThan(1.5);
    expect(run.steps[2]!.durationMs).toBeGreaterThanOrEqual(10);
    expect(run.endedAt - startAt).toBeLessThan(5_000);
  });

  it('can run without snapshots (load simulation)', async () => {
    const run = await runPipeline(pipeline([visit('a')]), { visited: [] }, { clock: new VirtualClock(0), startAt: 0, snapshots: false });
    expect(run.steps[0]!.before).toBeUndefined();
    expect(run.steps[0]!.after).toBeUndefined();
  });
});
