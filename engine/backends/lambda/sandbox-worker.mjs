// @ts-check
/**
 * The Lambda sandbox: runs untrusted handler code from scenario files in QuickJS, on a worker
 * thread, never as Node code. Plain JavaScript so the same file loads under tsx, Vitest, the
 * Electron main process and the packaged app without a compile step.
 *
 * One QuickJS runtime per warm container (its own heap, memory limit and interrupt handler).
 * Inside, the handler sees a Lambda-like world: `exports.handler` / `export const handler`,
 * `console`, `process.env` (a plain object: there is no host process), `setTimeout` on the
 * simulation's virtual clock, `Date` and `Math.random` that are deterministic per invocation,
 * and `__hostCall(service, method, args)` for the simulated AWS services the engine offers.
 *
 * Protocol (main → worker):
 *   { type: 'create', containerId, code, filename, handler, env, memoryLimitBytes }
 *   { type: 'invoke', id, containerId, event, context, startTime, timeoutMs, cpuBudgetMs, seed }
 *   { type: 'host-reply', id, callId, ok, value?, error?, elapsedMs? }
 *   { type: 'dispose', containerId }
 * Worker → main:
 *   { type: 'created', containerId, ok, error? }
 *   { type: 'result', id, ok, value?, error?, failure?, logs, elapsedMs, memoryUsedBytes }
 *   { type: 'host-call', id, callId, service, method, args, at }   (at: virtual time of the call)
 */
import { parentPort } from 'node:worker_threads';
import { newQuickJSWASMModule, RELEASE_SYNC } from 'quickjs-emscripten';
import { SERVICE_CLIENTS_PRELUDE, sdkModuleSource } from './service-clients.mjs';

if (!parentPort) throw new Error('sandbox-worker must run on a worker thread');
const port = parentPort;
const quickjs = await newQuickJSWASMModule(RELEASE_SYNC);

/** Code every container runs before the handler module. It only touches the sandbox's own globals. */
const PRELUDE = String.raw`
(function () {
  var g = globalThis;
  var RealDate = Date;
  var hostNow = g.__hostNow, hostLog = g.__hostLog, hostCall = g.__hostCall, hostSettle = g.__hostSettle;
  var hostTimer = g.__hostTimer;
  delete g.__hostNow; delete g.__hostLog; delete g.__hostCall; delete g.__hostSettle; delete g.__hostTimer;

  function FakeDate(a, b, c, d, e, f, h) {
    if (!(this instanceof FakeDate)) return new RealDate(hostNow()).toString();
    switch (arguments.length) {
      case 0: return new RealDate(hostNow());
      case 1: return new RealDate(a);
      default: return new RealDate(a, b, c === undefined ? 1 : c, d || 0, e || 0, f || 0, h || 0);
    }
  }
  FakeDate.prototype = RealDate.prototype;
  FakeDate.now = function () { return hostNow(); };
  FakeDate.UTC = RealDate.UTC;
  FakeDate.parse = RealDate.parse;
  g.Date = FakeDate;

  // Deterministic Math.random, reseeded for every invocation (mulberry32).
  var seed = 1;
  g.__reseed = function (s) { seed = s >>> 0; };
  Math.random = function () {
    seed = (seed + 0x6d2b79f5) | 0;
    var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  function inspect(v, depth) {
    if (typeof v === 'string') return depth ? "'" + v + "'" : v;
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'function') return '[Function: ' + (v.name || 'anonymous') + ']';
      return String(v);
    }
    if (v instanceof Error) return v.stack ? v.name + ': ' + v.message + '\n' + v.stack : v.name + ': ' + v.message;
    if ((depth || 0) > 2) return Array.isArray(v) ? '[Array]' : '[Object]';
    try {
      if (Array.isArray(v)) return '[ ' + v.map(function (x) { return inspect(x, (depth || 0) + 1); }).join(', ') + ' ]';
      var keys = Object.keys(v);
      if (keys.length === 0) return '{}';
      return '{ ' + keys.map(function (k) { return k + ': ' + inspect(v[k], (depth || 0) + 1); }).join(', ') + ' }';
    } catch (e) { return '[object]'; }
  }
  function logger(level) {
    return function () {
      var parts = [];
      for (var i = 0; i < arguments.length; i++) parts.push(inspect(arguments[i], 0));
      hostLog(level, parts.join(' '));
    };
  }
  g.console = { log: logger('INFO'), info: logger('INFO'), warn: logger('WARN'), error: logger('ERROR'),
                debug: logger('DEBUG'), trace: logger('TRACE') };

  // Virtual timers: the worker fires them in due order when nothing else is runnable.
  var timers = {}, nextTimer = 1;
  g.setTimeout = function (fn, ms) {
    var id = nextTimer++;
    var args = Array.prototype.slice.call(arguments, 2);
    timers[id] = function () { fn.apply(undefined, args); };
    hostTimer(id, Math.max(0, Number(ms) || 0));
    return id;
  };
  g.clearTimeout = function (id) { delete timers[id]; };
  g.setImmediate = function (fn) { return g.setTimeout(fn, 0); };
  g.__fireTimer = function (id) { var f = timers[id]; delete timers[id]; if (f) f(); };

  // Calls into the engine's simulated services; each returns a promise.
  var calls = {}, nextCall = 1;
  g.__hostCall = function (service, method, args) {
    var id = nextCall++;
    return new Promise(function (resolve, reject) {
      calls[id] = { resolve: resolve, reject: reject };
      hostCall(id, service, method, JSON.stringify(args === undefined ? null : args));
    });
  };
  g.__hostReply = function (id, ok, json) {
    var c = calls[id]; delete calls[id];
    if (!c) return;
    var v = json === undefined ? undefined : JSON.parse(json);
    if (ok) c.resolve(v);
    else { var e = new Error(v && v.message || 'Service error'); if (v) { e.name = v.name || 'Error'; e.code = v.code; e.statusCode = v.statusCode; e.$metadata = { httpStatusCode: v.statusCode }; } c.reject(e); }
  };

  function errorPayload(err) {
    if (err instanceof Error) {
      // Frames of this runtime shim are Gateway Lab's, not the user's: leave them out, and show
      // the handler's file where Lambda keeps it.
      var trace = String(err.stack || '').split('\n').filter(function (l) { return l.trim() !== '' && l.indexOf('lambda-runtime.js') < 0; })
        .map(function (l) { return l.replace(/\((index\.m?js):/, '(/var/task/$1:'); });
      return { errorType: err.name || 'Error', errorMessage: String(err.message), trace: [err.name + ': ' + err.message].concat(trace) };
    }
    // Lambda's Node.js runtime reports a thrown string as errorType "string".
    return { errorType: typeof err, errorMessage: typeof err === 'string' ? err : inspect(err, 0), trace: [] };
  }
  function settleValue(v) {
    var json;
    try { json = JSON.stringify(v === undefined ? null : v); }
    catch (e) {
      hostSettle(false, JSON.stringify({ errorType: 'Error', errorMessage: 'Unable to stringify response body' }), 'serialize');
      return;
    }
    hostSettle(true, json, '');
  }

  g.__invoke = function (handler, eventJson, contextJson, seedValue) {
    g.__reseed(seedValue);
    var event = JSON.parse(eventJson);
    var ctxData = JSON.parse(contextJson);
    var deadline = ctxData.deadline;
    var settled = false;
    function done(ok, v) {
      if (settled) return; settled = true;
      if (ok) settleValue(v); else hostSettle(false, JSON.stringify(errorPayload(v)), 'exception');
    }
    var context = {
      functionName: ctxData.functionName, functionVersion: '$LATEST', invokedFunctionArn: ctxData.invokedFunctionArn,
      memoryLimitInMB: String(ctxData.memoryLimitInMB), awsRequestId: ctxData.awsRequestId,
      logGroupName: '/aws/lambda/' + ctxData.functionName, logStreamName: ctxData.logStreamName,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: function () { return Math.max(0, deadline - hostNow()); },
      done: function (err, res) { if (err) done(false, err); else done(true, res); },
      succeed: function (res) { done(true, res); },
      fail: function (err) { done(false, err); }
    };
    try {
      var callback = function (err, res) { if (err !== null && err !== undefined) done(false, err); else done(true, res); };
      var r = handler(event, context, callback);
      if (r && typeof r.then === 'function') r.then(function (v) { done(true, v); }, function (e) { done(false, e); });
      else if (handler.length < 3) done(true, r);
    } catch (e) { done(false, e); }
  };
})();
`;

/**
 * @typedef {{ rt: import('quickjs-emscripten').QuickJSRuntime, vm: import('quickjs-emscripten').QuickJSContext,
 *   handler: import('quickjs-emscripten').QuickJSHandle, invokeFn: import('quickjs-emscripten').QuickJSHandle,
 *   fireTimer: import('quickjs-emscripten').QuickJSHandle, hostReply: import('quickjs-emscripten').QuickJSHandle,
 *   memoryLimitBytes: number, inv: Invocation | null, invocations: number, memoryUsedBytes: number }} Container
 * @typedef {{ id: number, startTime: number, elapsed: number, timeoutMs: number, cpuDeadline: number,
 *   logs: { t: number, level: string, msg: string }[], timers: { id: number, due: number }[],
 *   pendingCalls: number, settled: boolean, interrupted: boolean }} Invocation
 */

/** @type {Map<string, Container>} */
const containers = new Map();
/** @type {Map<number, string>} invocation id → container id */
const invocations = new Map();

port.on('message', (msg) => {
  try {
    switch (msg.type) {
      case 'create':
        return create(msg);
      case 'invoke':
        return invoke(msg);
      case 'host-reply':
        return hostReply(msg);
      case 'dispose':
        return dispose(msg.containerId);
    }
  } catch (err) {
    // A failure of the sandbox machinery itself: report it against the invocation, keep serving.
    if (msg.type === 'invoke' || msg.type === 'host-reply') {
      finish(msg.id, containers.get(invocations.get(msg.id) ?? msg.containerId), false, {
        errorType: 'Runtime.SandboxError',
        errorMessage: String(err && /** @type {Error} */ (err).message || err),
      }, 'exception');
    } else if (msg.type === 'create') {
      port.postMessage({ type: 'created', containerId: msg.containerId, ok: false, error: { errorType: 'Runtime.SandboxError', errorMessage: String(err) } });
    }
  }
});

/** @param {any} msg */
function create(msg) {
  const rt = quickjs.newRuntime();
  rt.setMemoryLimit(msg.memoryLimitBytes);
  rt.setMaxStackSize(1024 * 1024);
  // `import` in handler modules reaches the bundled SDK v3 packages only (service-clients.mjs).
  rt.setModuleLoader((name) => sdkModuleSource(name) ?? { error: new Error(`Cannot find package '${name}' imported from /var/task/${msg.filename}`) });
  const vm = rt.newContext();
  /** @type {Container} */
  const c = /** @type {any} */ ({ rt, vm, memoryLimitBytes: msg.memoryLimitBytes, inv: null, invocations: 0, memoryUsedBytes: 0 });
  rt.setInterruptHandler(() => {
    const inv = c.inv;
    if (inv && Date.now() > inv.cpuDeadline) {
      inv.interrupted = true;
      return true;
    }
    return !inv && Date.now() > initDeadline;
  });
  let initDeadline = Date.now() + 5000;
  installHostFunctions(c);

  const fail = (/** @type {{errorType: string, errorMessage: string}} */ error) => {
    vm.dispose();
    rt.dispose();
    port.postMessage({ type: 'created', containerId: msg.containerId, ok: false, error });
  };

  const prelude = vm.evalCode(PRELUDE, 'lambda-runtime.js');
  if (prelude.error) {
    const e = vm.dump(prelude.error);
    prelude.error.dispose();
    return fail({ errorType: 'Runtime.SandboxError', errorMessage: `prelude failed: ${JSON.stringify(e)}` });
  }
  prelude.value.dispose();
  const clients = vm.evalCode(SERVICE_CLIENTS_PRELUDE, 'aws-sdk-clients.js');
  if (clients.error) {
    const e = vm.dump(clients.error);
    clients.error.dispose();
    return fail({ errorType: 'Runtime.SandboxError', errorMessage: `service clients failed: ${JSON.stringify(e)}` });
  }
  clients.value.dispose();
  const envJson = JSON.stringify(msg.env ?? {});
  const envResult = vm.evalCode(`globalThis.process = Object.freeze({ env: ${envJson} });`);
  if (envResult.error) envResult.error.dispose();
  else envResult.value.dispose();

  const isModule = /^\s*export\s/m.test(msg.code);
  let handler;
  if (isModule) {
    const r = vm.evalCode(msg.code, msg.filename, { type: 'module' });
    if (r.error) return fail(importError(vm, r.error, msg.filename));
    const state = vm.getPromiseState(r.value);
    if (state.type !== 'fulfilled') {
      r.value.dispose();
      if (state.type === 'rejected') return fail(importError(vm, state.error, msg.filename));
      return fail({ errorType: 'Runtime.ImportModuleError', errorMessage: 'Top-level await is not supported in the sandbox' });
    }
    handler = vm.getProp(state.value, msg.handler);
    if (state.value !== r.value) state.value.dispose();
    r.value.dispose();
  } else {
    const wrapped = `(function(){ var module = { exports: {} }; var exports = module.exports; var require = globalThis.__awsSdkRequire;\n${msg.code}\n;return module.exports; })()`;
    const r = vm.evalCode(wrapped, msg.filename);
    if (r.error) return fail(importError(vm, r.error, msg.filename));
    handler = vm.getProp(r.value, msg.handler);
    r.value.dispose();
  }
  if (vm.typeof(handler) !== 'function') {
    handler.dispose();
    return fail({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${msg.filename.replace(/\.m?js$/, '')}.${msg.handler} is undefined or not exported`,
    });
  }
  c.handler = handler;
  c.invokeFn = vm.getProp(vm.global, '__invoke');
  c.fireTimer = vm.getProp(vm.global, '__fireTimer');
  c.hostReply = vm.getProp(vm.global, '__hostReply');
  initDeadline = Infinity;
  containers.set(msg.containerId, c);
  port.postMessage({ type: 'created', containerId: msg.containerId, ok: true });
}

/**
 * @param {import('quickjs-emscripten').QuickJSContext} vm
 * @param {import('quickjs-emscripten').QuickJSHandle} handle
 * @param {string} filename
 */
function importError(vm, handle, filename) {
  const e = vm.dump(handle);
  handle.dispose();
  const name = e && e.name ? e.name : 'Error';
  const where = e && e.lineNumber ? ` (${filename}:${e.lineNumber})` : '';
  if (name === 'SyntaxError') return { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: `SyntaxError: ${e.message}${where}` };
  if (name === 'InternalError' && /interrupted/.test(String(e.message)))
    return { errorType: 'Runtime.ImportModuleError', errorMessage: 'Module initialisation did not finish within 5 seconds' };
  return { errorType: 'Runtime.ImportModuleError', errorMessage: `${name}: ${e && e.message ? e.message : String(e)}${where}` };
}

/** @param {Container} c */
function installHostFunctions(c) {
  const { vm } = c;
  const now = vm.newFunction('__hostNow', () => vm.newNumber(c.inv ? c.inv.startTime + c.inv.elapsed : 0));
  const log = vm.newFunction('__hostLog', (level, text) => {
    if (c.inv && c.inv.logs.length < 1000) {
      c.inv.logs.push({ t: c.inv.startTime + c.inv.elapsed, level: vm.getString(level), msg: vm.getString(text).slice(0, 16384) });
    }
  });
  const timer = vm.newFunction('__hostTimer', (id, ms) => {
    if (c.inv) c.inv.timers.push({ id: vm.getNumber(id), due: c.inv.elapsed + vm.getNumber(ms) });
  });
  const call = vm.newFunction('__hostCall', (callId, service, method, args) => {
    if (!c.inv) return;
    c.inv.pendingCalls++;
    port.postMessage({
      type: 'host-call',
      id: c.inv.id,
      callId: vm.getNumber(callId),
      service: vm.getString(service),
      method: vm.getString(method),
      args: vm.getString(args),
      at: c.inv.startTime + c.inv.elapsed,
    });
  });
  const settle = vm.newFunction('__hostSettle', (ok, json, kind) => {
    const inv = c.inv;
    if (!inv || inv.settled) return;
    inv.settled = true;
    const success = vm.dump(ok) === true;
    const text = vm.getString(json);
    const failure = success ? undefined : vm.getString(kind);
    // Running out of CPU budget or memory surfaces inside the handler as an InternalError
    // that its own promise rejects with; report what Lambda would: a timeout or an OOM kill.
    if (!success && inv.interrupted) {
      inv.settled = false;
      inv.elapsed = Math.max(inv.elapsed, inv.timeoutMs);
      return timeout(c, inv);
    }
    const error = success ? undefined : JSON.parse(text);
    if (error && error.errorType === 'InternalError' && /out of memory/.test(error.errorMessage)) {
      return finish(inv.id, c, false, { errorType: 'Runtime.OutOfMemory', errorMessage: 'Runtime exited with error: signal: killed' }, 'oom');
    }
    finish(inv.id, c, success, success ? text : error, failure);
  });
  for (const [name, fn] of /** @type {const} */ ([['__hostNow', now], ['__hostLog', log], ['__hostTimer', timer], ['__hostCall', call], ['__hostSettle', settle]])) {
    vm.setProp(vm.global, name, fn);
    fn.dispose();
  }
}

/** @param {any} msg */
function invoke(msg) {
  const c = containers.get(msg.containerId);
  if (!c) {
    port.postMessage({ type: 'result', id: msg.id, ok: false, error: { errorType: 'Runtime.SandboxError', errorMessage: 'container is gone' }, failure: 'exception', logs: [], elapsedMs: 0 });
    return;
  }
  /** @type {Invocation} */
  const inv = {
    id: msg.id,
    startTime: msg.startTime,
    elapsed: 0,
    timeoutMs: msg.timeoutMs,
    cpuDeadline: Date.now() + msg.cpuBudgetMs,
    logs: [],
    timers: [],
    pendingCalls: 0,
    settled: false,
    interrupted: false,
  };
  c.inv = inv;
  invocations.set(msg.id, msg.containerId);
  const { vm } = c;
  const ev = vm.newString(msg.event);
  const cx = vm.newString(msg.context);
  const seed = vm.newNumber(msg.seed);
  const r = vm.callFunction(c.invokeFn, vm.undefined, c.handler, ev, cx, seed);
  ev.dispose();
  cx.dispose();
  seed.dispose();
  if (r.error) return failFromHandle(c, inv, r.error);
  r.value.dispose();
  drive(c, inv);
}

/**
 * Run the container until the handler settles, waits on the engine, or runs out of time.
 * Virtual time moves only when nothing else can run: then the earliest timer fires.
 * @param {Container} c @param {Invocation} inv
 */
function drive(c, inv) {
  for (;;) {
    if (inv.settled || c.inv !== inv) return;
    const jobs = c.rt.executePendingJobs();
    if (jobs.error) return failFromHandle(c, inv, jobs.error);
    if (inv.settled) return;
    if (inv.pendingCalls > 0) return; // resumed by hostReply
    if (inv.timers.length === 0) {
      // Nothing left to run and no result: the function would wait until its timeout.
      inv.elapsed = Math.max(inv.elapsed, inv.timeoutMs);
      return timeout(c, inv);
    }
    inv.timers.sort((a, b) => a.due - b.due || a.id - b.id);
    const t = /** @type {{id: number, due: number}} */ (inv.timers.shift());
    if (t.due > inv.timeoutMs) {
      inv.elapsed = inv.timeoutMs;
      return timeout(c, inv);
    }
    inv.elapsed = Math.max(inv.elapsed, t.due);
    const id = c.vm.newNumber(t.id);
    const r = c.vm.callFunction(c.fireTimer, c.vm.undefined, id);
    id.dispose();
    if (r.error) return failFromHandle(c, inv, r.error);
    r.value.dispose();
  }
}

/** @param {any} msg */
function hostReply(msg) {
  const containerId = invocations.get(msg.id);
  const c = containerId === undefined ? undefined : containers.get(containerId);
  const inv = c?.inv;
  if (!c || !inv || inv.id !== msg.id || inv.settled) return;
  inv.pendingCalls--;
  inv.elapsed += Math.max(0, msg.elapsedMs ?? 0);
  const { vm } = c;
  const id = vm.newNumber(msg.callId);
  const ok = msg.ok ? vm.true : vm.false;
  const val = msg.ok ? (msg.value === undefined ? vm.undefined : vm.newString(msg.value)) : vm.newString(JSON.stringify(msg.error ?? {}));
  const r = vm.callFunction(c.hostReply, vm.undefined, id, ok, val);
  id.dispose();
  if (val !== vm.undefined) val.dispose();
  if (r.error) return failFromHandle(c, inv, r.error);
  r.value.dispose();
  if (inv.elapsed > inv.timeoutMs) return timeout(c, inv);
  drive(c, inv);
}

/**
 * An exception escaped QuickJS itself: out of memory, the CPU budget, or a stack overflow.
 * @param {Container} c @param {Invocation} inv @param {import('quickjs-emscripten').QuickJSHandle} handle
 */
function failFromHandle(c, inv, handle) {
  let e;
  try {
    e = c.vm.dump(handle);
  } catch {
    e = { name: 'InternalError', message: 'out of memory' };
  }
  try {
    handle.dispose();
  } catch {}
  const message = String(e && e.message ? e.message : e);
  if (inv.interrupted || /interrupted/.test(message)) {
    inv.elapsed = Math.max(inv.elapsed, inv.timeoutMs);
    return timeout(c, inv);
  }
  if (/out of memory/i.test(message)) {
    finish(inv.id, c, false, { errorType: 'Runtime.OutOfMemory', errorMessage: 'Runtime exited with error: signal: killed' }, 'oom');
    return;
  }
  finish(inv.id, c, false, { errorType: e?.name ?? 'Error', errorMessage: message, trace: [] }, 'exception');
}

/** @param {Container} c @param {Invocation} inv */
function timeout(c, inv) {
  if (inv.settled) return;
  inv.settled = true;
  finish(inv.id, c, false, { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out' }, 'timeout');
}

/**
 * @param {number} id @param {Container | undefined} c @param {boolean} ok @param {any} value @param {string | undefined} failure
 */
function finish(id, c, ok, value, failure) {
  const inv = c?.inv;
  invocations.delete(id);
  let memoryUsedBytes = 0;
  if (c) {
    // Measuring the heap costs more than a small invocation itself: sample it now and then.
    if (failure || c.invocations++ % 64 === 0) {
      try {
        const h = c.rt.computeMemoryUsage();
        const used = c.vm.getProp(h, 'memory_used_size');
        c.memoryUsedBytes = Math.max(c.memoryUsedBytes, c.vm.getNumber(used) || 0);
        used.dispose();
        h.dispose();
      } catch {}
    }
    memoryUsedBytes = c.memoryUsedBytes;
    c.inv = null;
  }
  port.postMessage({
    type: 'result',
    id,
    ok,
    ...(ok ? { value } : { error: value, failure }),
    logs: inv ? inv.logs : [],
    elapsedMs: inv ? inv.elapsed : 0,
    memoryUsedBytes,
  });
  // A runtime that ran out of memory or was interrupted is not trusted again: Lambda would
  // recycle that execution environment too.
  // Disposal waits for the stack to unwind: finish() may run inside a call into QuickJS.
  if (c && (failure === 'oom' || failure === 'timeout')) {
    for (const [key, value] of containers) if (value === c) {
      containers.delete(key);
      setImmediate(() => disposeContainer(c));
    }
  }
}

/** @param {string} containerId */
function dispose(containerId) {
  const c = containers.get(containerId);
  if (!c) return;
  containers.delete(containerId);
  disposeContainer(c);
}

/** @param {Container} c */
function disposeContainer(c) {
  for (const h of [c.handler, c.invokeFn, c.fireTimer, c.hostReply]) {
    try {
      h?.dispose();
    } catch {}
  }
  try {
    c.vm.dispose();
    c.rt.dispose();
  } catch {
    // A runtime left inconsistent by an out-of-memory error can fail to free; the worker
    // keeps serving the other containers.
  }
}
