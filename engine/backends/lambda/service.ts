/**
 * The simulated Lambda service: functions, their warm and cold execution environments
 * (containers), and invocations with Lambda's error shapes and CloudWatch log lines.
 *
 * Concurrency follows Lambda: a container serves one invocation at a time; an invocation that
 * finds every container busy (on the engine clock) gets a new one and pays a cold start.
 */
import type { IdGenerator, SeededRandom } from '../../core/random';
import { performance } from 'node:perf_hooks';
import { isoTime } from '../../core/time-format';
import { type FunctionErrorPayload, type HostServices, Sandbox, type SandboxResult } from './sandbox';

export interface FunctionConfig {
  readonly name: string;
  /** Handler source (CommonJS `exports.handler = …` or ESM `export const handler = …`). */
  readonly code?: string;
  /** A fixed result instead of code: returned as-is on every invocation. */
  readonly response?: unknown;
  /** Export name of the handler. */
  readonly handler: string;
  readonly filename: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** Simulated run time of every invocation, on the engine clock. */
  readonly latencyMs: number;
  /** Simulated Init Duration of a cold start. */
  readonly coldStartMs: number;
  readonly environment: Readonly<Record<string, string>>;
  /** Simulated concurrency limit; beyond it Lambda throttles (TooManyRequestsException). */
  readonly reservedConcurrency: number;
  /**
   * The function's resource-based policy: who may invoke it. Absent: the statement the console
   * adds when you pick the function in an integration (API Gateway, from any API). `[]`: no
   * policy at all, as when infrastructure as code forgets AWS::Lambda::Permission.
   */
  readonly permissions?: readonly FunctionPermission[];
}

/** One statement of a function's resource-based policy (lambda:InvokeFunction, Allow). */
export interface FunctionPermission {
  /** e.g. apigateway.amazonaws.com */
  readonly principal: string;
  /** ArnLike condition on the caller, with * and ? wildcards; absent: any source. */
  readonly sourceArn?: string;
}

/** Who calls Invoke: a service principal and the ARN it calls from (API Gateway's X-Amz-Source-Arn). */
export interface InvokeCaller {
  readonly principal: string;
  readonly sourceArn: string;
  /**
   * The integration carries credentials (an IAM role API Gateway assumes): the role's own
   * policy grants lambda:InvokeFunction, so the resource policy is not consulted. (?) the
   * simulator assumes the role allows it.
   */
  readonly role?: string;
}

export const FUNCTION_DEFAULTS = {
  handler: 'handler',
  filename: 'index.js',
  timeoutSeconds: 3,
  memorySize: 128,
  latencyMs: 12,
  coldStartMs: 180,
  // A simulated concurrency cap (real accounts start at 1,000); each warm container is a QuickJS runtime.
  reservedConcurrency: 100,
} as const;

export interface LambdaInvokeResult {
  readonly requestId: string;
  /** The Invoke API's HTTP status: 200 even when the function itself failed. */
  readonly statusCode: number;
  /** JSON text: the function's result, or its error object when `functionError` is set. */
  readonly payload: string;
  readonly functionError?: 'Unhandled';
  readonly error?: FunctionErrorPayload;
  /** Total simulated time, cold start included. */
  readonly durationMs: number;
  readonly initDurationMs?: number;
  readonly coldStart: boolean;
  /** CloudWatch Logs lines for this invocation. */
  readonly logs: readonly string[];
  readonly containerId?: string;
  /** An Event invocation: the run that happened after Lambda answered 202. */
  readonly asyncRun?: { readonly durationMs: number; readonly coldStart: boolean; readonly error?: FunctionErrorPayload; readonly payload: string };
}

/** IAM's ArnLike: `*` any run of characters, `?` one character, everything else literal. */
export function arnLike(pattern: string, arn: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(arn);
}

export class LambdaError extends Error {
  constructor(
    readonly code: 'ResourceNotFoundException' | 'TooManyRequestsException' | 'InvalidRequestContentException' | 'AccessDeniedException',
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

interface Container {
  readonly id: string;
  busyUntil: number;
  inFlight: boolean;
  /** The container's code failed to initialise: every invocation reports this error. */
  initError?: FunctionErrorPayload;
}

export interface InvokeOptions {
  /** Virtual time at which the invocation starts. */
  readonly now: number;
  readonly hostServices?: HostServices;
  /** The caller, checked against the function's resource-based policy; absent: not checked (the function's own account). */
  readonly caller?: InvokeCaller;
  /**
   * `Event`: asynchronous invocation. Lambda queues the event and answers 202 with an empty
   * payload at once; the function still runs (its logs and duration are in the result's
   * `asyncRun`), but its result or error never reaches the caller.
   */
  readonly invocationType?: 'RequestResponse' | 'Event';
  /** The caller built the payload with JSON.stringify (a proxy event): it needs no JSON check. */
  readonly payloadIsJson?: boolean;
}

/** Time Lambda takes to accept an asynchronous (Event) invocation and answer 202. (?) simulated. */
export const ASYNC_ACCEPT_MS = 15;

/** Baseline memory of the Node.js runtime that REPORT lines add to the sandbox heap. (?) simulated. */
const RUNTIME_BASELINE_MB = 64;
/** Real CPU time allowed for handler code, whatever its simulated timeout. */
const MAX_CPU_BUDGET_MS = 10_000;

export class LambdaService {
  private readonly functions = new Map<string, FunctionConfig>();
  private readonly containers = new Map<string, Container[]>();
  private containerSeq = 0;

  constructor(
    private readonly ids: IdGenerator,
    private readonly random: SeededRandom,
    private readonly sandbox: Sandbox = new Sandbox(),
    readonly region = 'us-east-1',
    readonly accountId = '123456789012',
    /**
     * On the system clock (the live endpoint) durations are measured, not simulated, and a
     * container is busy exactly while an invocation runs in it.
     */
    private readonly realTime = false,
  ) {}

  register(config: FunctionConfig): void {
    this.functions.set(config.name, config);
    this.retire(config.name);
  }

  /** Replace a function's code or settings: like an UpdateFunctionCode, all containers go cold. */
  update(name: string, patch: Partial<FunctionConfig>): void {
    const existing = this.functions.get(name);
    if (!existing) throw new LambdaError('ResourceNotFoundException', `Function not found: ${this.arn(name)}`, 404);
    this.register({ ...existing, ...patch });
  }

  get(name: string): FunctionConfig | undefined {
    return this.functions.get(name);
  }

  list(): FunctionConfig[] {
    return [...this.functions.values()];
  }

  arn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
  }

  /** Warm containers right now (for the UI's services panel). */
  containerCount(name: string): number {
    return this.containers.get(name)?.length ?? 0;
  }

  async invoke(name: string, payload: string, options: InvokeOptions): Promise<LambdaInvokeResult> {
    const fn = this.functions.get(name);
    if (!fn) throw new LambdaError('ResourceNotFoundException', `Function not found: ${this.arn(name)}`, 404);
    if (options.caller && !options.caller.role && !this.allows(fn, options.caller)) {
      throw new LambdaError(
        'AccessDeniedException',
        `${options.caller.principal} is not authorized to perform: lambda:InvokeFunction on resource: ${this.arn(name)} from ${options.caller.sourceArn}: no statement of the function's resource-based policy allows it`,
        403,
      );
    }
    if (options.invocationType === 'Event') return this.invokeAsync(name, payload, options);
    // The Invoke API only accepts JSON: a mapping template that produced invalid JSON (an
    // apostrophe escaped as \' by $util.escapeJavaScript) is refused before any code runs.
    // An empty payload is allowed (the handler gets {}); anything else must parse.
    if (!options.payloadIsJson) {
      if (/^\s*$/.test(payload)) payload = '{}';
      try {
        JSON.parse(payload);
      } catch (err) {
        throw new LambdaError('InvalidRequestContentException', `Could not parse request body into json: ${err instanceof Error ? err.message : String(err)}`, 400);
      }
    }
    const requestId = this.ids.lambdaRequestId();
    const seed = this.random.nextUint32();

    if (fn.code === undefined) return this.fixedResponse(fn, requestId);

    const pool = this.containers.get(name) ?? [];
    this.containers.set(name, pool);
    let container = pool.find((c) => !c.inFlight && (this.realTime || c.busyUntil <= options.now) && this.isAlive(c));
    let coldStart = false;
    const t0 = performance.now();
    if (!container) {
      for (let i = pool.length - 1; i >= 0; i--) if (!this.isAlive(pool[i]!)) pool.splice(i, 1);
      if (pool.length >= fn.reservedConcurrency) {
        throw new LambdaError('TooManyRequestsException', 'Rate Exceeded.', 429);
      }
      container = this.reserveContainer(fn, pool);
      coldStart = true;
    }
    container.inFlight = true;
    try {
      if (coldStart) await this.initContainer(fn, container);
      return await this.run(fn, container, coldStart, requestId, seed, payload, options, t0);
    } finally {
      container.inFlight = false;
    }
  }

  /** Whether the function's resource-based policy lets this caller invoke it. */
  allows(fn: FunctionConfig, caller: InvokeCaller): boolean {
    if (fn.permissions === undefined) return caller.principal === 'apigateway.amazonaws.com';
    return fn.permissions.some((p) => p.principal === caller.principal && (p.sourceArn === undefined || arnLike(p.sourceArn, caller.sourceArn)));
  }

  /**
   * InvocationType Event: Lambda accepts the event (202, empty payload) and runs the function
   * afterwards. The simulation runs it right away on the virtual clock, so its logs can be shown,
   * but reports only the 202 to the caller. Lambda's retries of a failed async run (two, by
   * default) are not simulated.
   */
  private async invokeAsync(name: string, payload: string, options: InvokeOptions): Promise<LambdaInvokeResult> {
    const run = await this.invoke(name, payload, { ...options, invocationType: 'RequestResponse', now: options.now + ASYNC_ACCEPT_MS });
    return {
      requestId: run.requestId,
      statusCode: 202,
      payload: '',
      durationMs: ASYNC_ACCEPT_MS,
      coldStart: false,
      logs: run.logs,
      ...(run.containerId ? { containerId: run.containerId } : {}),
      asyncRun: { durationMs: run.durationMs, coldStart: run.coldStart, payload: run.payload, ...(run.error ? { error: run.error } : {}) },
    };
  }

  private async run(
    fn: FunctionConfig,
    container: Container,
    coldStart: boolean,
    requestId: string,
    seed: number,
    payload: string,
    options: InvokeOptions,
    t0: number,
  ): Promise<LambdaInvokeResult> {
    const name = fn.name;
    const measuredInit = coldStart ? performance.now() - t0 : 0;
    const initDurationMs = coldStart ? (this.realTime ? measuredInit : fn.coldStartMs) : 0;
    const startTime = options.now + initDurationMs;
    const timeoutMs = fn.timeoutSeconds * 1000;
    let result: SandboxResult;
    if (container.initError) {
      result = { ok: false, error: container.initError, failure: 'exception', logs: [], elapsedMs: 0, memoryUsedBytes: 0 };
    } else {
      result = await this.sandbox.invoke({
        containerId: container.id,
        event: payload,
        context: {
          functionName: fn.name,
          invokedFunctionArn: this.arn(fn.name),
          memoryLimitInMB: fn.memorySize,
          awsRequestId: requestId,
          logStreamName: `2026/01/15/[$LATEST]${container.id.replace(/[^a-f0-9]/g, '').padEnd(32, '0').slice(0, 32)}`,
          deadline: startTime + timeoutMs,
        },
        startTime: startTime + fn.latencyMs,
        timeoutMs: Math.max(0, timeoutMs - fn.latencyMs),
        cpuBudgetMs: Math.min(timeoutMs, MAX_CPU_BUDGET_MS),
        seed,
        ...(options.hostServices ? { hostServices: options.hostServices } : {}),
      });
    }

    const simulatedMs = this.realTime ? performance.now() - t0 - measuredInit : fn.latencyMs;
    const runMs = Math.min(timeoutMs, simulatedMs + (Number.isFinite(result.elapsedMs) ? result.elapsedMs : timeoutMs));
    const timedOut = !result.ok && result.failure === 'timeout';
    const durationMs = timedOut ? timeoutMs : runMs;
    container.busyUntil = options.now + initDurationMs + durationMs;
    if (!result.ok && (result.failure === 'oom' || result.failure === 'timeout')) {
      // Lambda tears that execution environment down; the next call starts cold.
      this.removeContainer(name, container);
    }

    const error = result.ok ? undefined : this.lambdaError(result, requestId, fn);
    const logs = this.cloudWatchLines(fn, requestId, startTime, durationMs, initDurationMs, result, error);
    return {
      requestId,
      statusCode: 200,
      payload: result.ok ? result.value : JSON.stringify(error),
      ...(error ? { functionError: 'Unhandled' as const, error } : {}),
      durationMs: initDurationMs + durationMs,
      ...(coldStart ? { initDurationMs } : {}),
      coldStart,
      logs,
      containerId: container.id,
    };
  }

  async close(): Promise<void> {
    await this.sandbox.close();
  }

  private fixedResponse(fn: FunctionConfig, requestId: string): LambdaInvokeResult {
    const payload = JSON.stringify(fn.response === undefined ? null : fn.response);
    return {
      requestId,
      statusCode: 200,
      payload,
      durationMs: fn.latencyMs,
      coldStart: false,
      logs: [
        `START RequestId: ${requestId} Version: $LATEST`,
        `END RequestId: ${requestId}`,
        `REPORT RequestId: ${requestId}\tDuration: ${fn.latencyMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(fn.latencyMs)} ms\tMemory Size: ${fn.memorySize} MB\tMax Memory Used: ${RUNTIME_BASELINE_MB} MB`,
      ],
    };
  }

  /** A new (cold) container, counted against concurrency before its code has loaded. */
  private reserveContainer(fn: FunctionConfig, pool: Container[]): Container {
    const c: Container = { id: `${fn.name}-${++this.containerSeq}`, busyUntil: 0, inFlight: false };
    pool.push(c);
    return c;
  }

  private async initContainer(fn: FunctionConfig, c: Container): Promise<void> {
    const id = c.id;
    const heapMb = Math.max(16, Math.min(256, fn.memorySize - RUNTIME_BASELINE_MB));
    const r = await this.sandbox.createContainer(id, {
      code: fn.code ?? '',
      filename: fn.filename,
      handler: fn.handler,
      env: {
        AWS_REGION: this.region,
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        ...fn.environment,
      },
      memoryLimitBytes: heapMb * 1024 * 1024,
    });
    if (!r.ok) c.initError = r.error;
  }

  private isAlive(c: Container): boolean {
    return c.inFlight || c.initError !== undefined || this.sandbox.hasContainer(c.id);
  }

  private removeContainer(name: string, c: Container): void {
    const pool = this.containers.get(name);
    if (pool) pool.splice(pool.indexOf(c), 1);
    this.sandbox.disposeContainer(c.id);
  }

  private retire(name: string): void {
    for (const c of this.containers.get(name) ?? []) this.sandbox.disposeContainer(c.id);
    this.containers.delete(name);
  }

  /** Lambda's error payloads, as the Node.js runtime reports them. (?) for the exact wording of timeouts and OOM. */
  private lambdaError(result: Extract<SandboxResult, { ok: false }>, requestId: string, fn: FunctionConfig): FunctionErrorPayload {
    switch (result.failure) {
      case 'timeout':
        return {
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${requestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
        };
      case 'oom':
        return {
          errorType: 'Runtime.OutOfMemory',
          errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
        };
      default:
        return result.error;
    }
  }

  private cloudWatchLines(
    fn: FunctionConfig,
    requestId: string,
    startTime: number,
    durationMs: number,
    initDurationMs: number,
    result: SandboxResult,
    error: FunctionErrorPayload | undefined,
  ): string[] {
    const lines = [`START RequestId: ${requestId} Version: $LATEST`];
    for (const l of result.logs) lines.push(`${isoTime(l.t)}\t${requestId}\t${l.level}\t${l.msg}`);
    if (error && !result.ok) {
      if (result.failure === 'timeout') {
        lines.push(`${isoTime(startTime + durationMs)} ${requestId} Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`);
      } else {
        lines.push(`${isoTime(startTime + durationMs)}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(error)}`);
      }
    }
    lines.push(`END RequestId: ${requestId}`);
    const usedMb = RUNTIME_BASELINE_MB + Math.ceil(result.memoryUsedBytes / (1024 * 1024));
    lines.push(
      `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(durationMs))} ms\t` +
        `Memory Size: ${fn.memorySize} MB\tMax Memory Used: ${Math.min(fn.memorySize, usedMb)} MB` +
        (initDurationMs > 0 ? `\tInit Duration: ${initDurationMs.toFixed(2)} ms` : ''),
    );
    return lines;
  }
}

/** Time API Gateway spends reaching Lambda's Invoke endpoint, on the virtual clock, for every gateway type. (?) */
export const LAMBDA_INVOKE_OVERHEAD_MS = 3;

/** What an integration step shows about a Lambda invocation: the function, its container and its log. */
export function invocationDetail(functionName: string, result: LambdaInvokeResult, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    functionName,
    lambdaRequestId: result.requestId,
    coldStart: result.coldStart,
    initDurationMs: result.initDurationMs ?? 0,
    functionDurationMs: result.durationMs,
    functionLogs: result.logs,
    ...extra,
    ...(result.error ? { functionError: result.error } : {}),
  };
}
