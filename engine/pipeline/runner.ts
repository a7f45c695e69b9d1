import { performance } from 'node:perf_hooks';
import type { Clock } from '../core/clock';
import type { Outcome, Snapshot, TraceStep } from '../trace/types';
import type { Lazy, LogEntry, Pipeline, PipelineContext, Step, StepResult } from './types';

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
  /**
   * Lean run (unsampled load-simulation requests): summaries are not built and step logs are
   * left empty; `PipelineRun.log` still gives the execution log, built only if read.
   */
  readonly lean?: boolean;
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
  const lean = options.lean ?? false;
  const steps: TraceStep[] = [];
  const log: StampedLog[] = [];
  /** Lean runs: log entries not built yet, with the time of their step. */
  const deferred: { at: number; entries: Lazy<readonly LogEntry[]> }[] = [];
  let ctx = initial;
  let cursor = options.startAt;
  let stoppedAt: string | undefined;

  // The hot path of load simulations: a step that answers synchronously is neither awaited nor
  // wrapped in a promise (an await per step costs more than most steps), and nothing is
  // allocated for empty logs.
  const failed = (step: Step<C>, err: unknown): StepResult<C> => {
    ctx = pipeline.onException(ctx, step.id, err);
    return {
      kind: 'respond',
      ctx,
      summary: `The simulator failed inside this step: ${err instanceof Error ? err.message : String(err)}`,
      log: [`Execution failed due to an internal error`],
    };
  };
  const finish = (step: Step<C>, at: number, t0: number, before: Snapshot | undefined, result: StepResult<C>, outcome: Outcome): Outcome => {
    if (result.ctx !== undefined) ctx = result.ctx;
    const simulated = result.kind === 'skip' ? 0 : (step.overheadMs ?? 0) + (result.durationMs ?? 0);
    const durationMs = virtual ? simulated : performance.now() - t0;
    let messages: readonly string[] = NO_LOG;
    if (result.log !== undefined) {
      if (lean) deferred.push({ at, entries: result.log });
      else {
        const entries = typeof result.log === 'function' ? result.log() : result.log;
        if (entries.length > 0) {
          const m: string[] = [];
          for (const entry of entries) {
            log.push(stamp(entry, at));
            m.push(typeof entry === 'string' ? entry : entry.message);
          }
          messages = m;
        }
      }
    }
    const summary = typeof result.summary === 'string' ? result.summary : lean ? '' : result.summary();
    const traceStep: TraceStep = record
      ? {
          step: step.id,
          phase: step.phase,
          outcome,
          at,
          durationMs,
          summary,
          before,
          after: pipeline.snapshot(ctx),
          log: messages,
          ...(result.detail ? { detail: result.detail } : {}),
        }
      : result.detail
        ? { step: step.id, phase: step.phase, outcome, at, durationMs, summary, log: messages, detail: result.detail }
        : { step: step.id, phase: step.phase, outcome, at, durationMs, summary, log: messages };
    steps.push(traceStep);
    cursor = at + durationMs;
    return outcome;
  };
  const runOne = (step: Step<C>): Outcome | Promise<Outcome> => {
    const at = virtual ? cursor : options.clock.now();
    const t0 = virtual ? 0 : performance.now();
    const before = record ? pipeline.snapshot(ctx) : undefined;
    let result: StepResult<C>;
    try {
      const r = step.run(ctx, { now: at });
      if (isPromise(r)) {
        return r.then(
          (res) => finish(step, at, t0, before, res, res.kind),
          (err: unknown) => finish(step, at, t0, before, failed(step, err), 'error'),
        );
      }
      result = r;
    } catch (err) {
      return finish(step, at, t0, before, failed(step, err), 'error');
    }
    return finish(step, at, t0, before, result, result.kind);
  };

  for (const step of pipeline.steps) {
    let outcome = runOne(step);
    if (typeof outcome !== 'string') outcome = await outcome;
    if (outcome === 'respond' || outcome === 'error') {
      stoppedAt = step.id;
      break;
    }
  }
  if (ctx.error !== undefined) {
    const o = runOne(pipeline.onError);
    if (typeof o !== 'string') await o;
  }
  for (const step of pipeline.finally) {
    const o = runOne(step);
    if (typeof o !== 'string') await o;
  }

  const endedAt = virtual ? cursor : options.clock.now();
  if (deferred.length === 0) return { ctx, steps, log, startedAt: options.startAt, endedAt, ...(stoppedAt ? { stoppedAt } : {}) };
  let built: StampedLog[] | undefined;
  return {
    ctx,
    steps,
    get log(): StampedLog[] {
      if (!built) {
        built = [];
        for (const d of deferred) for (const entry of typeof d.entries === 'function' ? d.entries() : d.entries) built.push(stamp(entry, d.at));
      }
      return built;
    },
    startedAt: options.startAt,
    endedAt,
    ...(stoppedAt ? { stoppedAt } : {}),
  };
}

const NO_LOG: readonly string[] = Object.freeze([]);

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

function stamp(entry: LogEntry, at: number): StampedLog {
  return typeof entry === 'string' ? { at, message: entry } : { at: at + entry.offsetMs, message: entry.message };
}
