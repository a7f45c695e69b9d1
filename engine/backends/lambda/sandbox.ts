/**
 * The host side of the Lambda sandbox: one worker thread running QuickJS (sandbox-worker.mjs),
 * containers inside it, and the bridge for calls from handler code to the engine's simulated
 * services. Handler code never runs on this thread and never as Node code.
 */
import { Worker } from 'node:worker_threads';

/** The error object Lambda reports for a failed invocation (`X-Amz-Function-Error`). */
export interface FunctionErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

export type SandboxFailure = 'exception' | 'timeout' | 'oom' | 'serialize';

export interface SandboxLog {
  readonly t: number;
  readonly level: string;
  readonly msg: string;
}

export type SandboxResult =
  | { readonly ok: true; readonly value: string; readonly logs: SandboxLog[]; readonly elapsedMs: number; readonly memoryUsedBytes: number }
  | {
      readonly ok: false;
      readonly error: FunctionErrorPayload;
      readonly failure: SandboxFailure;
      readonly logs: SandboxLog[];
      readonly elapsedMs: number;
      readonly memoryUsedBytes: number;
    };

/**
 * A call from handler code (`__hostCall(service, method, args)`) to a simulated service.
 * `call.at` is the virtual time of the call (the invocation's start plus the time its code has
 * used so far); `elapsedMs` is how long the call takes on the virtual clock.
 */
export type HostServices = (
  service: string,
  method: string,
  args: unknown,
  call?: HostCallInfo,
) => Promise<{ readonly value?: unknown; readonly elapsedMs?: number }>;

export interface HostCallInfo {
  readonly at: number;
}

export class HostServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = code;
  }
}

export interface ContainerSpec {
  readonly code: string;
  readonly filename: string;
  readonly handler: string;
  readonly env: Readonly<Record<string, string>>;
  readonly memoryLimitBytes: number;
}

export interface InvokeSpec {
  readonly containerId: string;
  readonly event: string;
  readonly context: Readonly<Record<string, unknown>>;
  /** Virtual epoch ms at which the handler starts. */
  readonly startTime: number;
  /** Virtual time budget (the function's timeout). */
  readonly timeoutMs: number;
  /** Real CPU time allowed before the sandbox interrupts the code. */
  readonly cpuBudgetMs: number;
  readonly seed: number;
  readonly hostServices?: HostServices;
}

interface Pending {
  readonly resolve: (r: SandboxResult) => void;
  readonly hostServices?: HostServices;
  readonly cpuBudgetMs: number;
  readonly containerId: string;
}

/** Extra real time the worker gets beyond the CPU budget before it is presumed stuck and replaced. */
const WATCHDOG_GRACE_MS = 3000;
/** How often the watchdog looks, while invocations are pending. */
const WATCHDOG_PERIOD_MS = 500;

export class Sandbox {
  private worker?: Worker;
  private generation = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly creating = new Map<string, (r: { ok: boolean; error?: FunctionErrorPayload }) => void>();
  /** Containers known to the current worker generation. */
  private readonly live = new Set<string>();
  /**
   * One watchdog for the worker rather than a timer per invocation (a timer per request was a
   * measurable share of a busy Lambda route's garbage): the worker runs invocations one at a
   * time and answers each, so it is stuck when it has said nothing for longer than the largest
   * pending CPU budget plus a grace period. Queued invocations do not count against it.
   */
  private watchdog: NodeJS.Timeout | undefined;
  private lastHeardAt = 0;

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./sandbox-worker.mjs', import.meta.url));
    worker.unref();
    const generation = ++this.generation;
    worker.on('message', (msg: WorkerMessage) => this.onMessage(msg));
    worker.on('error', (err) => this.onWorkerDeath(generation, err));
    worker.on('exit', (code) => this.onWorkerDeath(generation, new Error(`sandbox worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  hasContainer(containerId: string): boolean {
    return this.live.has(containerId);
  }

  /** Load handler code into a new container. Resolves with the init error, if any. */
  createContainer(containerId: string, spec: ContainerSpec): Promise<{ ok: boolean; error?: FunctionErrorPayload }> {
    const worker = this.ensureWorker();
    return new Promise((resolve) => {
      this.creating.set(containerId, (r) => {
        if (r.ok) this.live.add(containerId);
        resolve(r);
      });
      worker.postMessage({ type: 'create', containerId, ...spec });
    });
  }

  disposeContainer(containerId: string): void {
    if (!this.live.delete(containerId)) return;
    this.worker?.postMessage({ type: 'dispose', containerId });
  }

  invoke(spec: InvokeSpec): Promise<SandboxResult> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve) => {
      // The worker enforces the CPU budget itself; this watchdog only catches a worker that
      // stopped answering altogether (then it is replaced and the invocation times out).
      if (this.pending.size === 0) this.lastHeardAt = performance.now();
      this.pending.set(id, { resolve, cpuBudgetMs: spec.cpuBudgetMs, containerId: spec.containerId, ...(spec.hostServices ? { hostServices: spec.hostServices } : {}) });
      this.armWatchdog();
      worker.postMessage({
        type: 'invoke',
        id,
        containerId: spec.containerId,
        event: spec.event,
        context: JSON.stringify(spec.context),
        startTime: spec.startTime,
        timeoutMs: spec.timeoutMs,
        cpuBudgetMs: spec.cpuBudgetMs,
        seed: spec.seed,
      });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.live.clear();
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    if (w) await w.terminate();
  }

  private armWatchdog(): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(() => {
      if (this.pending.size === 0) {
        clearInterval(this.watchdog);
        this.watchdog = undefined;
        return;
      }
      let budget = 0;
      for (const p of this.pending.values()) budget = Math.max(budget, p.cpuBudgetMs);
      if (performance.now() - this.lastHeardAt > budget + WATCHDOG_GRACE_MS) this.replaceStuckWorker();
    }, WATCHDOG_PERIOD_MS);
    this.watchdog.unref();
  }

  private onMessage(msg: WorkerMessage): void {
    this.lastHeardAt = performance.now();
    switch (msg.type) {
      case 'created': {
        const done = this.creating.get(msg.containerId);
        this.creating.delete(msg.containerId);
        done?.({ ok: msg.ok, ...(msg.error ? { error: msg.error } : {}) });
        return;
      }
      case 'result': {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (!msg.ok && (msg.failure === 'oom' || msg.failure === 'timeout')) this.live.delete(p.containerId);
        p.resolve(
          msg.ok
            ? { ok: true, value: msg.value ?? 'null', logs: msg.logs, elapsedMs: msg.elapsedMs, memoryUsedBytes: msg.memoryUsedBytes ?? 0 }
            : {
                ok: false,
                error: msg.error ?? { errorType: 'Error', errorMessage: 'unknown error' },
                failure: msg.failure ?? 'exception',
                logs: msg.logs,
                elapsedMs: msg.elapsedMs,
                memoryUsedBytes: msg.memoryUsedBytes ?? 0,
              },
        );
        return;
      }
      case 'host-call': {
        const p = this.pending.get(msg.id);
        const reply = (r: { ok: boolean; value?: string; error?: unknown; elapsedMs?: number }) => {
          // The worker was waiting on us, not stuck: its clock starts again now.
          this.lastHeardAt = performance.now();
          this.worker?.postMessage({ type: 'host-reply', id: msg.id, callId: msg.callId, ...r });
        };
        if (!p?.hostServices) {
          reply({ ok: false, error: { name: 'UnknownService', message: `No service "${msg.service}" is available to this function`, statusCode: 400 } });
          return;
        }
        let args: unknown;
        try {
          args = JSON.parse(msg.args);
        } catch {
          args = null;
        }
        p.hostServices(msg.service, msg.method, args, { at: msg.at ?? 0 }).then(
          (r) => reply({ ok: true, value: r.value === undefined ? undefined : JSON.stringify(r.value), elapsedMs: r.elapsedMs ?? 0 }),
          (err: unknown) =>
            reply({
              ok: false,
              error:
                err instanceof HostServiceError
                  ? { name: err.code, code: err.code, message: err.message, statusCode: err.statusCode }
                  : { name: 'InternalFailure', message: err instanceof Error ? err.message : String(err), statusCode: 500 },
            }),
        );
        return;
      }
    }
  }

  private replaceStuckWorker(): void {
    const w = this.worker;
    if (!w) return;
    this.onWorkerDeath(this.generation, new Error('the sandbox stopped responding and was restarted'));
    void w.terminate();
  }

  private onWorkerDeath(generation: number, err: Error): void {
    if (generation !== this.generation) return;
    this.generation++;
    this.worker = undefined;
    this.live.clear();
    for (const [containerId, done] of this.creating) {
      done({ ok: false, error: { errorType: 'Runtime.SandboxError', errorMessage: err.message } });
      this.creating.delete(containerId);
    }
    for (const [id, p] of this.pending) {
      p.resolve({
        ok: false,
        error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out' },
        failure: 'timeout',
        logs: [],
        elapsedMs: Number.POSITIVE_INFINITY,
        memoryUsedBytes: 0,
      });
      this.pending.delete(id);
    }
  }
}

type WorkerMessage =
  | { type: 'created'; containerId: string; ok: boolean; error?: FunctionErrorPayload }
  | {
      type: 'result';
      id: number;
      ok: boolean;
      value?: string;
      error?: FunctionErrorPayload;
      failure?: SandboxFailure;
      logs: SandboxLog[];
      elapsedMs: number;
      memoryUsedBytes?: number;
    }
  | { type: 'host-call'; id: number; callId: number; service: string; method: string; args: string; at?: number };
