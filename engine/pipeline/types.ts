import type { HttpResponse } from '../core/http';
import type { Phase, Snapshot } from '../trace/types';

/**
 * Every invocation context carries the response once there is one, and the gateway error
 * that ended the request, if any. Contexts are immutable: steps return new ones.
 */
export interface PipelineContext {
  readonly response?: HttpResponse;
  readonly error?: GatewayError;
}

/** An error as a value: which gateway response to produce, and the message it carries. */
export interface GatewayError {
  /** A gateway response type (`MISSING_AUTHENTICATION_TOKEN`, `THROTTLED`...) or a gateway-specific code. */
  readonly type: string;
  /** `$context.error.message`; null renders as `{"message":null}`. */
  readonly message: string | null;
  /** Overrides the type's default status (e.g. Lambda-proxy integration failures answer 502). */
  readonly statusCode?: number;
  /** Extra response headers (e.g. `www-authenticate` on HTTP API JWT failures). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Overrides the rendered body entirely (e.g. `{"Message": "..."}` with a capital M). */
  readonly body?: string;
}

/** An execution-log message, stamped `offsetMs` after the step started. */
export type LogEntry = string | { readonly message: string; readonly offsetMs: number };

interface StepReport {
  /**
   * One plain-language line: what happened and why. A function is called only when the trace
   * is kept whole; the unsampled requests of a load simulation (lean runs) never build it.
   */
  readonly summary: Lazy<string>;
  /** Execution-log messages; a function is called only when someone reads the log. */
  readonly log?: Lazy<readonly LogEntry[]>;
  /** Simulated time this step took (virtual clock). Real time is measured on the system clock. */
  readonly durationMs?: number;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** A value, or a function that computes it when (and only if) it is needed. */
export type Lazy<T> = T | (() => T);

export type StepResult<C> =
  | (StepReport & { readonly kind: 'continue'; readonly ctx: C })
  | (StepReport & { readonly kind: 'respond'; readonly ctx: C })
  | (StepReport & { readonly kind: 'skip'; readonly ctx?: C });

export interface StepEnv {
  /** When this step starts (epoch ms): the engine clock, advanced by the steps before it. */
  readonly now: number;
}

export interface Step<C> {
  readonly id: string;
  readonly phase: Phase;
  /** Fixed simulated overhead of the step on the virtual clock, added to its own durationMs. */
  readonly overheadMs?: number;
  run(ctx: C, env: StepEnv): StepResult<C> | Promise<StepResult<C>>;
}

export interface Pipeline<C extends PipelineContext> {
  readonly steps: readonly Step<C>[];
  /** Turns `ctx.error` into a response (the gateway-response step). */
  readonly onError: Step<C>;
  /** Always run last, whatever happened (response headers, metrics, access logs). */
  readonly finally: readonly Step<C>[];
  /** What the trace records before and after each step. */
  snapshot(ctx: C): Snapshot;
  /** A step threw: record it and turn it into an error the gateway can answer with. */
  onException(ctx: C, stepId: string, err: unknown): C;
}

// The helpers build results of one shape, without spreading `extra` (they run for every step
// of every request of a load simulation).
function result<C>(kind: StepResult<C>['kind'], ctx: C | undefined, summary: Lazy<string>, extra: Omit<StepReport, 'summary'> | undefined): StepResult<C> {
  return (
    extra === undefined
      ? { kind, ctx, summary }
      : { kind, ctx, summary, log: extra.log, durationMs: extra.durationMs, detail: extra.detail }
  ) as StepResult<C>;
}

export const next = <C>(ctx: C, summary: Lazy<string>, extra?: Omit<StepReport, 'summary'>): StepResult<C> => result('continue', ctx, summary, extra);

export const respond = <C>(ctx: C, summary: Lazy<string>, extra?: Omit<StepReport, 'summary'>): StepResult<C> => result('respond', ctx, summary, extra);

export const skip = <C>(summary: Lazy<string>, extra?: Omit<StepReport, 'summary'> & { ctx?: C }): StepResult<C> => result('skip', extra?.ctx, summary, extra);

/** End the request with a gateway error; the pipeline's onError step renders it. */
export const reject = <C extends PipelineContext>(
  ctx: C,
  error: GatewayError,
  summary: Lazy<string>,
  extra?: Omit<StepReport, 'summary'>,
): StepResult<C> => result('respond', { ...ctx, error }, summary, extra);

/**
 * `() => fn(...args)`, made outside the caller: for lazy logs and summaries on hot paths (an
 * arrow written in an object literal gets a name at run time under some build tools, which
 * costs more than the arrow itself).
 */
export function defer<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): () => R {
  return () => fn(...args);
}
