import { performance } from 'node:perf_hooks';
import type { Clock } from '../core/clock';
import type { Outcome, TraceStep } from '../trace/types';
import type { LogEntry, Pipeline, PipelineContext, Step, StepResult } from './types';

export interface StampedLog {
  readonly at: number;
  readonly message: string;
}

export interface PipelineRun<C> {
  readonly ctx: C;
  readonly steps: TraceStep[];
  readonly log: StampedLog[];
  readonly startedAt: number;
  readonly endedAt: number;
  readonly stoppedAt?: string;
}

export interface RunOptions {
  readonly clock: Clock;
  /** When the request arrived (epoch ms). Virtual runs may start in the clock's future (load). */
  readonly startAt: number;
  /** Record before/after snapshots (off for unsampled load-simulation requests). */
  readonly snapshots?: boolean;
}

/**
 * Runs the steps in order and records the trace. Steps never see the trace: they return a
 * result, and this runner stamps times, durations, snapshots and log lines.
 *
 * Time: on a virtual clock each step lasts its simulated duration plus its fixed overhead, and
 * the request's own cursor moves by that much (so concurrent load requests do not disturb each
 * other); on the system clock durations are measured.
 */
export async function runPipeline<C extends PipelineContext>(
  pipeline: Pipeline<C>,
  initial: C,
  options: RunOptions,
): Promise<PipelineRun<C>> {
  const virtual = options.clock.kind === 'virtual';
  const record = options.snapshots ?? true;
  const steps: TraceStep[] = [];
  const log: StampedLog[] = [];
  let ctx = initial;
  let cursor = options.startAt;
  let stoppedAt: string | undefined;

  const runOne = async (step: Step<C>): Promise<StepResult<C>['kind'] | 'error'> => {
    const at = virtual ? cursor : options.clock.now();
    const t0 = virtual ? 0 : performance.now();
    const before = record ? pipeline.snapshot(ctx) : undefined;
    let result: StepResult<C>;
    let outcome: Outcome;
    try {
      result = await step.run(ctx, { now: at });
      outcome = result.kind;
    } catch (err) {
      ctx = pipeline.onException(ctx, step.id, err);
      result = {
        kind: 'respond',
        ctx,
        summary: `The simulator failed inside this step: ${err instanceof Error ? err.message : String(err)}`,
        log: [`Execution failed due to an internal error`],
      };
      outcome = 'error';
    }
    if (result.ctx !== undefined) ctx = result.ctx;
    const simulated = result.kind === 'skip' ? 0 : (step.overheadMs ?? 0) + (result.durationMs ?? 0);
    const durationMs = virtual ? simulated : performance.now() - t0;
    for (const entry of result.log ?? []) log.push(stamp(entry, at));
    steps.push({
      step: step.id,
      phase: step.phase,
      outcome,
      at,
      durationMs,
      summary: result.summary,
      ...(record ? { before, after: pipeline.snapshot(ctx) } : {}),
      log: (result.log ?? []).map((e) => (typeof e === 'string' ? e : e.message)),
      ...(result.detail ? { detail: result.detail } : {}),
    });
    cursor = at + durationMs;
    return outcome;
  };

  for (const step of pipeline.steps) {
    const outcome = await runOne(step);
    if (outcome === 'respond' || outcome === 'error') {
      stoppedAt = step.id;
      break;
    }
  }
  if (ctx.error !== undefined) await runOne(pipeline.onError);
  for (const step of pipeline.finally) await runOne(step);

  const endedAt = virtual ? cursor : options.clock.now();
  return { ctx, steps, log, startedAt: options.startAt, endedAt, ...(stoppedAt ? { stoppedAt } : {}) };
}

function stamp(entry: LogEntry, at: number): StampedLog {
  return typeof entry === 'string' ? { at, message: entry } : { at: at + entry.offsetMs, message: entry.message };
}
