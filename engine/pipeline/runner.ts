import { performance } from 'node:perf_hooks';
import type { Clock } from '../core/clock';
import type { Mutable, Outcome, Snapshot, TraceStep } from '../trace/types';
import type { Lazy, LogEntry, Pipeline, PipelineContext, Step, StepResult } from './types';

export interface StampedLog {
  readonly at: number;
  readonly message: string;
}

export interface PipelineRun<C> {
  readonly ctx: C;
  readonly steps: TraceStep[];
  /** The execution log; in lean runs empty, see `deferredLog` and executionLogOf(). */
  readonly log: StampedLog[];
  /** Lean runs: log entries not built yet, with the time of their step. */
  readonly deferredLog?: readonly DeferredLog[];
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
   * Lean run (unsampled load-simulation requests): summaries are not built, step logs are left
   * empty and skipped steps are not recorded; executionLogOf(run) still gives the execution
   * log, built only if read.
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
  const run = new Execution(pipeline, initial, options);
  const steps = pipeline.steps;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    let outcome = run.step(step);
    if (typeof outcome !== 'string') outcome = await outcome;
    if (outcome === 'respond' || outcome === 'error') {
      run.stoppedAt = step.id;
      break;
    }
  }
  if (run.ctx.error !== undefined) {
    const o = run.step(pipeline.onError);
    if (typeof o !== 'string') await o;
  }
  const fin = pipeline.finally;
  for (let i = 0; i < fin.length; i++) {
    const o = run.step(fin[i]!);
    if (typeof o !== 'string') await o;
  }
  return run.result();
}

/**
 * One request going through a pipeline. The hot path of load simulations: a step that answers
 * synchronously is neither awaited nor wrapped in a promise (an await per step costs more than
 * most steps), nothing is allocated for empty logs, and lean runs build neither summaries nor
 * log lines unless someone asks for them.
 */
class Execution<C extends PipelineContext> {
  readonly steps: TraceStep[] = [];
  readonly log: StampedLog[] = [];
  /** Lean runs: log entries not built yet, with the time of their step. */
  private deferred: DeferredLog[] | undefined;
  ctx: C;
  cursor: number;
  stoppedAt: string | undefined;
  private readonly virtual: boolean;
  private readonly record: boolean;
  private readonly lean: boolean;
  /**
   * System clock: epoch ms = performance.now() + epochOffset, and a step starts when the one
   * before it ended (`lastMark`), so each step reads the clock once. Two reads per step (epoch
   * and monotonic) were a measurable share of a live MOCK request.
   */
  private readonly epochOffset: number = 0;
  private lastMark: number = 0;

  constructor(
    private readonly pipeline: Pipeline<C>,
    initial: C,
    private readonly options: RunOptions,
  ) {
    this.ctx = initial;
    this.cursor = options.startAt;
    this.virtual = options.clock.kind === 'virtual';
    this.record = options.snapshots ?? true;
    this.lean = options.lean ?? false;
    if (!this.virtual) {
      this.lastMark = performance.now();
      this.epochOffset = options.clock.now() - this.lastMark;
    }
  }

  /** The last snapshot and the context it was taken of: a step's after is the next step's before. */
  private snapCtx: C | undefined;
  private snap: Snapshot | undefined;

  private snapshot(ctx: C): Snapshot {
    if (ctx !== this.snapCtx || this.snap === undefined) {
      this.snap = this.pipeline.snapshot(ctx);
      this.snapCtx = ctx;
    }
    return this.snap;
  }

  step(step: Step<C>): Outcome | Promise<Outcome> {
    const t0 = this.virtual ? 0 : this.lastMark;
    // Whole milliseconds, as Date.now() gives them ($context.requestTimeEpoch, log times), and
    // never before the request arrived.
    const at = this.virtual ? this.cursor : Math.max(this.options.startAt, Math.floor(this.epochOffset + t0));
    const before = this.record ? this.snapshot(this.ctx) : undefined;
    let result: StepResult<C>;
    try {
      const r = step.run(this.ctx, { now: at });
      if (isPromise(r)) {
        return r.then(
          (res) => this.finish(step, at, t0, before, res, res.kind),
          (err: unknown) => this.finish(step, at, t0, before, this.failed(step, err), 'error'),
        );
      }
      result = r;
    } catch (err) {
      return this.finish(step, at, t0, before, this.failed(step, err), 'error');
    }
    return this.finish(step, at, t0, before, result, result.kind);
  }

  private failed(step: Step<C>, err: unknown): StepResult<C> {
    this.ctx = this.pipeline.onException(this.ctx, step.id, err);
    return {
      kind: 'respond',
      ctx: this.ctx,
      summary: `The simulator failed inside this step: ${err instanceof Error ? err.message : String(err)}`,
      log: [`Execution failed due to an internal error`],
    };
  }

  private finish(step: Step<C>, at: number, t0: number, before: Snapshot | undefined, result: StepResult<C>, outcome: Outcome): Outcome {
    if (result.ctx !== undefined) this.ctx = result.ctx;
    const simulated = result.kind === 'skip' ? 0 : (step.overheadMs ?? 0) + (result.durationMs ?? 0);
    let durationMs = simulated;
    if (!this.virtual) {
      const t1 = performance.now();
      durationMs = t1 - t0;
      this.lastMark = t1;
    }
    let messages: readonly string[] = NO_LOG;
    if (result.log !== undefined) {
      if (this.lean) (this.deferred ??= []).push({ at, entries: result.log });
      else {
        const entries = typeof result.log === 'function' ? result.log() : result.log;
        if (entries.length > 0) {
          const m: string[] = [];
          for (let i = 0; i < entries.length; i++) {
            const entry = entries[i]!;
            this.log.push(stamp(entry, at));
            m.push(typeof entry === 'string' ? entry : entry.message);
          }
          messages = m;
        }
      }
    }
    if (this.lean && outcome === 'skip') {
      // Nothing happened here and nobody will look: no trace step.
      this.cursor = at + durationMs;
      return outcome;
    }
    const summary = typeof result.summary === 'string' ? result.summary : this.lean ? '' : result.summary();
    // Built with plain assignments: a conditional spread here costs more than the step itself
    // on the live endpoint's hot path.
    const traceStep: Mutable<TraceStep> = { step: step.id, phase: step.phase, outcome, at, durationMs, summary, log: messages };
    if (this.record) {
      traceStep.before = before;
      traceStep.after = this.snapshot(this.ctx);
    }
    if (result.detail) traceStep.detail = result.detail;
    this.steps.push(traceStep);
    this.cursor = at + durationMs;
    return outcome;
  }

  result(): PipelineRun<C> {
    const endedAt = this.virtual ? this.cursor : Math.max(this.options.startAt, this.epochOffset + this.lastMark);
    const stopped = this.stoppedAt ? { stoppedAt: this.stoppedAt } : {};
    // A plain object: an object literal with a getter, made per request, defeats V8's young
    // generation (its objects get promoted), which costs lean runs several times their work.
    if (!this.deferred) return { ctx: this.ctx, steps: this.steps, log: this.log, startedAt: this.options.startAt, endedAt, ...stopped };
    return { ctx: this.ctx, steps: this.steps, log: this.log, deferredLog: this.deferred, startedAt: this.options.startAt, endedAt, ...stopped };
  }
}

const NO_LOG: readonly string[] = Object.freeze([]);

export interface DeferredLog {
  readonly at: number;
  readonly entries: Lazy<readonly LogEntry[]>;
}

/** The whole execution log of a run, building the lines a lean run deferred. */
export function executionLogOf(run: PipelineRun<unknown>): StampedLog[] {
  if (!run.deferredLog) return run.log;
  const out: StampedLog[] = [];
  for (const d of run.deferredLog) for (const entry of typeof d.entries === 'function' ? d.entries() : d.entries) out.push(stamp(entry, d.at));
  return out;
}

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

function stamp(entry: LogEntry, at: number): StampedLog {
  return typeof entry === 'string' ? { at, message: entry } : { at: at + entry.offsetMs, message: entry.message };
}
