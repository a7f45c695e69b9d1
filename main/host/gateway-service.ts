/**
 * The one implementation of GatewayApi over the engine. Hosts wrap it in a transport (Electron
 * IPC in main/electron/, the WebSocket bridge in main/web/); each renderer (a window, a browser
 * tab) is one GatewayConnection with its own sessions and traces, and all of them share the list
 * of scenarios.
 *
 * Calls arrive as (name, untrusted args). The connection validates the arguments against the
 * call's schema, runs it, and always answers with an ApiResult: a bad call gets an error value,
 * never an exception.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isGatewayCall } from '../../engine/api/calls';
import { type Track, loadTracks } from '../../engine/scenario/library';
import {
  type ApiError,
  type ApiErrorCode,
  type ApiResult,
  type ComposerInfo,
  GATEWAY_API_VERSION,
  type GatewayCallArgs,
  type GatewayCallName,
  type GatewayCallValue,
  type GatewayEventName,
  type GatewayEvents,
  type HostKind,
  type ScenarioSummary,
  type SessionInfo,
  type TraceOrigin,
} from '../../engine/api/types';
import { estimateCost } from '../../engine/compare/compare';
import { compareRequest } from '../../engine/compare/request';
import { loadOpenApiAsScenario } from '../../engine/import/openapi-scenario';
import { loadScenarioFile, looksLikeScenario } from '../../engine/scenario/loader';
import { ScenarioSession } from '../../engine/scenario/session';
import { formatIssue, type LoadIssue, type LoadResult, type Scenario } from '../../engine/scenario/types';
import type { LoadResult as LoadRunResult } from '../../engine/load/types';
import type { GatewayType, Trace } from '../../engine/trace/types';
import { LiveEndpoint } from '../live/live-endpoint';
import { LiveTracePacer } from './live-trace-pacer';
import { findScenarios } from '../cli/commands/check';
import { traceToHar } from './har';
import { listTemplateExamples, renderPlayground } from './templates';
import { loadStepOf, runLoad } from './load-runs';
import { checkArgs } from './schemas';

export interface GatewayServiceOptions {
  readonly host: HostKind;
  readonly appVersion: string;
  /** The bundled scenarios (searched recursively for scenario files). */
  readonly bundledDir: string;
  /** Electron: show the native open dialog and return the chosen path (null when dismissed). */
  readonly showOpenDialog?: () => Promise<string | null>;
}

export type EventSink = <E extends GatewayEventName>(event: E, payload: GatewayEvents[E]) => void;

/** A failure with an API error code, thrown inside handlers and turned into an ApiResult. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: readonly LoadIssue[],
  ) {
    super(message);
  }
}

/** A scenario or OpenAPI file the user opened (a browser upload is saved to a private temp folder first). */
interface FileEntry {
  readonly ref: string;
  readonly fileName: string;
  readonly path: string;
  /** For an upload: its private folder, which problems are reported relative to. */
  readonly uploadDir?: string;
}

const MAX_TRACES_PER_CONNECTION = 1000;

export class GatewayService {
  private readonly files: FileEntry[] = [];
  private nextFile = 1;
  private readonly connections = new Set<GatewayConnection>();
  private readonly summaryCache = new Map<string, { mtimeMs: number; summary: ScenarioSummary }>();
  private uploads?: string;

  constructor(readonly options: GatewayServiceOptions) {}

  connect(emit: EventSink): GatewayConnection {
    const c = new GatewayConnection(this, emit);
    this.connections.add(c);
    return c;
  }

  /** @internal */
  forget(c: GatewayConnection): void {
    this.connections.delete(c);
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections].map((c) => c.close()));
    if (this.uploads) fs.rmSync(this.uploads, { recursive: true, force: true });
  }

  /**
   * Add a file by path (the Electron menu and dialog, `gateway-lab web <file>`). A file that does
   * not load is not added: the error lists its problems.
   */
  addFile(file: string): ScenarioSummary {
    const abs = path.resolve(file);
    const existing = this.files.find((f) => f.path === abs);
    const entry: FileEntry = existing ?? { ref: `file:${this.nextFile}`, fileName: path.basename(abs), path: abs };
    return this.add(entry, !existing);
  }

  /**
   * Add a file from its text (a browser upload): saved to a private temporary folder, then loaded
   * like any file. It arrives without its neighbours, so relative references in it (an OpenAPI
   * file, handler code, a .functions.yaml) cannot be found and are reported as such.
   */
  addText(name: string, text: string): ScenarioSummary {
    const safe = path.basename(name.replace(/\\/g, '/')).replace(/[^\w.\- ]/g, '_').replace(/^\.+/, '') || 'scenario.yaml';
    this.uploads ??= fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-lab-uploads-'));
    const dir = path.join(this.uploads, String(this.nextFile));
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, safe);
    fs.writeFileSync(file, text, { mode: 0o600 });
    try {
      return this.add({ ref: `file:${this.nextFile}`, fileName: safe, path: file, uploadDir: dir }, true);
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  private add(entry: FileEntry, isNew: boolean): ScenarioSummary {
    const result = loadEntry(entry);
    if (!result.ok) throw invalid(entry, result.errors);
    const summary = this.summarize(entry, result);
    if (isNew) {
      this.nextFile++;
      this.files.push(entry);
      this.broadcast('scenarioAdded', summary);
    }
    return summary;
  }

  listScenarios(): ScenarioSummary[] {
    const bundled = fs.existsSync(this.options.bundledDir) ? findScenarios(this.options.bundledDir) : [];
    const out: ScenarioSummary[] = [];
    for (const file of bundled) {
      const rel = path.relative(this.options.bundledDir, file).split(path.sep).join('/');
      const ref = `bundled:${rel}`;
      const mtimeMs = fs.statSync(file).mtimeMs;
      const cached = this.summaryCache.get(ref);
      if (cached && cached.mtimeMs === mtimeMs) {
        out.push(cached.summary);
        continue;
      }
      const summary = this.summarize({ ref, fileName: rel, path: file }, loadScenarioFile(file));
      this.summaryCache.set(ref, { mtimeMs, summary });
      out.push(summary);
    }
    for (const entry of this.files) out.push(this.summarize(entry, loadEntry(entry)));
    return out;
  }

  /** Load a scenario by ref, fresh from its file. */
  load(ref: string): { summary: ScenarioSummary; scenario: Scenario; warnings: readonly LoadIssue[] } {
    const entry = this.resolve(ref);
    const result = loadEntry(entry);
    const summary = this.summarize(entry, result);
    if (!result.ok) throw invalid(entry, result.errors);
    return { summary, scenario: result.scenario, warnings: result.warnings };
  }

  private resolve(ref: string): FileEntry {
    if (ref.startsWith('bundled:')) {
      const rel = ref.slice('bundled:'.length);
      const file = path.resolve(this.options.bundledDir, rel);
      const inside = file.startsWith(path.resolve(this.options.bundledDir) + path.sep);
      if (!inside || !fs.existsSync(file) || !looksLikeScenario(file)) throw new ApiFailure('not-found', `no bundled scenario "${rel}"`);
      return { ref, fileName: rel, path: file };
    }
    const entry = this.files.find((f) => f.ref === ref);
    if (!entry) throw new ApiFailure('not-found', `no scenario "${ref}" (open the file first)`);
    return entry;
  }

  private summarize(entry: FileEntry, result: LoadResult): ScenarioSummary {
    const source = entry.ref.startsWith('bundled:') ? 'bundled' : 'file';
    const kind = isOpenApiEntry(entry) ? 'openapi' : 'scenario';
    if (!result.ok) {
      return {
        ref: entry.ref, source, kind, fileName: entry.fileName, id: entry.fileName, title: entry.fileName,
        teaches: [], gateways: [], stepCount: 0, problems: result.errors,
      };
    }
    const s = result.scenario;
    return {
      ref: entry.ref,
      source,
      kind,
      fileName: entry.fileName,
      id: s.id,
      title: s.title,
      ...(s.topic ? { topic: s.topic } : {}),
      ...(s.level ? { level: s.level } : {}),
      teaches: s.teaches,
      gateways: s.gateways,
      stepCount: s.steps.length,
      ...(source === 'bundled' ? this.tracksOf(s.id) : {}),
    };
  }

  /** Where the bundled library's tracks (tracks.yaml) place a scenario. */
  private tracksOf(id: string): Pick<ScenarioSummary, 'tracks'> {
    const file = path.join(this.options.bundledDir, 'tracks.yaml');
    if (this.trackCache?.file !== file) this.trackCache = { file, tracks: fs.existsSync(file) ? loadTracks(file) : [] };
    const found = this.trackCache.tracks.flatMap((t) => {
      const i = t.scenarios.findIndex((e) => e.id === id);
      return i < 0 ? [] : [{ id: t.id, title: t.title, position: i + 1, ...(t.scenarios[i]!.label ? { label: t.scenarios[i]!.label! } : {}) }];
    });
    return found.length > 0 ? { tracks: found } : {};
  }

  private trackCache?: { readonly file: string; readonly tracks: readonly Track[] };

  broadcast: EventSink = (event, payload) => {
    for (const c of this.connections) c.emit(event, payload);
  };
}

/** Scenario files have top-level `id` and `steps`; anything with `openapi:` or `swagger:` is an API document. */
function isOpenApiEntry(entry: FileEntry): boolean {
  if (looksLikeScenario(entry.path)) return false;
  try {
    return /^\s*["']?(openapi|swagger)["']?\s*:/m.test(fs.readFileSync(entry.path, 'utf8').slice(0, 4096));
  } catch {
    return false;
  }
}

function loadEntry(entry: FileEntry): LoadResult {
  const result = isOpenApiEntry(entry) ? loadOpenApiAsScenario(entry.path) : loadScenarioFile(entry.path);
  const dir = entry.uploadDir;
  if (!dir) return result;
  // An upload's problems name the file as the user knows it, not its temporary copy.
  const rename = (i: LoadIssue): LoadIssue => (i.file.startsWith(dir + path.sep) ? { ...i, file: path.relative(dir, i.file) } : i);
  return result.ok ? { ...result, warnings: result.warnings.map(rename) } : { ok: false, errors: result.errors.map(rename), warnings: result.warnings.map(rename) };
}

function invalid(entry: FileEntry, errors: readonly LoadIssue[]): ApiFailure {
  const first = errors[0] ? `: ${formatIssue(errors[0])}` : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new ApiFailure('scenario-invalid', `${entry.fileName} cannot be opened${first}${more}`, errors);
}


interface OpenSession {
  readonly id: string;
  readonly ref: string;
  readonly summary: ScenarioSummary;
  readonly session: ScenarioSession;
  /** Calls on one session run one at a time: the engine session has one clock. */
  queue: Promise<unknown>;
  /** The session's API served on a real listener (its own engine session, on the system clock). */
  live?: { readonly endpoint: LiveEndpoint; readonly unsubscribe: () => void; readonly pacer: LiveTracePacer };
}

type Handlers = { [K in GatewayCallName]: (...args: GatewayCallArgs<K>) => Promise<GatewayCallValue<K>> };

export class GatewayConnection {
  private readonly sessions = new Map<string, OpenSession>();
  private readonly traces = new Map<string, { trace: Trace; region: string }>();
  private nextSession = 1;
  /** Running load simulations, to cancel them. */
  private readonly loads = new Map<string, { readonly controller: AbortController; readonly sessionId: string }>();
  private nextRun = 1;
  private closed = false;

  constructor(
    private readonly service: GatewayService,
    private readonly sink: EventSink,
  ) {}

  emit: EventSink = (event, payload) => {
    if (this.closed) return;
    try {
      this.sink(event, payload);
    } catch {
      // A transport that cannot deliver (a closed window or socket) drops the event.
    }
  };

  /** Run a call with untrusted arguments. Never throws. */
  async call(name: unknown, argv: unknown): Promise<ApiResult<unknown>> {
    if (this.closed) return fail('transport', 'the connection is closed');
    if (!isGatewayCall(name)) return fail('invalid-argument', `unknown call "${String(name)}"`);
    let args: unknown;
    try {
      // JSON only, the same over both transports (IPC's structured clone carries more).
      args = JSON.parse(JSON.stringify(argv ?? []));
    } catch {
      return fail('invalid-argument', `${name}: the arguments are not plain JSON`);
    }
    const problem = checkArgs(name, args);
    if (problem) return fail('invalid-argument', problem);
    try {
      const handler = this.handlers[name] as (...a: unknown[]) => Promise<unknown>;
      const value = await handler(...(args as unknown[]));
      return { ok: true, value };
    } catch (err) {
      if (err instanceof ApiFailure) return { ok: false, error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } };
      return fail('engine-error', err instanceof Error ? err.message : String(err));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.service.forget(this);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    this.traces.clear();
    await Promise.allSettled(all.map((s) => this.shutdown(s)));
  }

  /** Stop a session's live endpoint (if any) and close the session. */
  private async shutdown(s: OpenSession): Promise<void> {
    // A running load simulation holds the session's queue: stop it rather than wait for it.
    for (const run of this.loads.values()) if (run.sessionId === s.id) run.controller.abort();
    await this.stopLiveEndpoint(s);
    await s.queue.then(() => s.session.close());
  }

  private async stopLiveEndpoint(s: OpenSession): Promise<boolean> {
    const live = s.live;
    if (!live) return false;
    s.live = undefined;
    live.unsubscribe();
    await live.endpoint.close();
    // The list ends on the last request served.
    live.pacer.flush();
    live.pacer.close();
    this.emit('live', null);
    return true;
  }

  private session(id: string): OpenSession {
    const s = this.sessions.get(id);
    if (!s) throw new ApiFailure('not-found', `no open session "${id}"`);
    return s;
  }

  private serial<T>(s: OpenSession, fn: () => Promise<T>): Promise<T> {
    const run = s.queue.then(fn, fn);
    s.queue = run.catch(() => undefined);
    return run;
  }

  private record(s: OpenSession, trace: Trace, origin: TraceOrigin): void {
    this.keep(s, trace);
    this.emit('trace', { sessionId: s.id, origin, trace });
  }

  /** Every trace stays exportable (a bounded window), whether or not the client was sent it. */
  private keep(s: OpenSession, trace: Trace): void {
    const key = `${s.id}\u0000${trace.id}`;
    this.traces.delete(key);
    this.traces.set(key, { trace, region: s.session.gateway.region });
    if (this.traces.size > MAX_TRACES_PER_CONNECTION) this.traces.delete(this.traces.keys().next().value!);
  }

  private async open(ref: string): Promise<SessionInfo> {
    const { summary, scenario, warnings } = this.service.load(ref);
    let session: ScenarioSession;
    try {
      session = await ScenarioSession.open(scenario);
    } catch (err) {
      throw new ApiFailure('engine-error', `cannot start ${summary.fileName}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (this.closed) {
      await session.close();
      throw new ApiFailure('transport', 'the connection is closed');
    }
    const id = `s${this.nextSession++}`;
    this.sessions.set(id, { id, ref, summary, session, queue: Promise.resolve() });
    return { sessionId: id, scenario: summary, stage: scenario.stage.name, steps: scenario.steps, warnings, composer: composerInfo(session) };
  }

  private readonly handlers: Handlers = {
    hostInfo: async () => ({
      host: this.service.options.host,
      apiVersion: GATEWAY_API_VERSION,
      appVersion: this.service.options.appVersion,
      gateways: ['REST', 'HTTP', 'WEBSOCKET'],
      capabilities: { nativeFileDialog: this.service.options.showOpenDialog !== undefined, compare: true, load: true, live: true },
    }),

    listScenarios: async () => this.service.listScenarios(),

    openScenarioDialog: async () => {
      const show = this.service.options.showOpenDialog;
      if (!show) throw new ApiFailure('unsupported-in-host', 'this host has no native file dialog: use openScenarioText with the file’s contents');
      const file = await show();
      if (file === null) throw new ApiFailure('cancelled', 'no file was chosen');
      return this.service.addFile(file);
    },

    openScenarioText: async ({ name, text }) => this.service.addText(name, text),

    openSession: async (ref) => this.open(ref),

    resetSession: async (sessionId) => {
      const s = this.session(sessionId);
      await this.handlers.closeSession(sessionId);
      return this.open(s.ref);
    },

    closeSession: async (sessionId) => {
      const s = this.session(sessionId);
      this.sessions.delete(sessionId);
      await this.shutdown(s);
      return null;
    },

    runStep: async (sessionId, stepIndex) => {
      const s = this.session(sessionId);
      const steps = s.session.scenario.steps;
      const step = steps.find((st) => st.index === stepIndex);
      if (!step) throw new ApiFailure('not-found', `the scenario has no step ${stepIndex} (it has ${steps.length})`);
      const outcome = await this.serial(s, () => s.session.run(step));
      // A WebSocket step can cause several traces (a message, the $disconnect it triggered...): send them all.
      for (const trace of outcome.allTraces ?? Object.values(outcome.traces)) if (trace) this.record(s, trace, 'step');
      const load: Partial<Record<GatewayType, Omit<LoadRunResult, 'samples'>>> = {};
      for (const [type, r] of Object.entries(outcome.load ?? {}) as [GatewayType, LoadRunResult | undefined][]) {
        if (!r) continue;
        const { samples, ...rest } = r;
        for (const t of samples) this.record(s, t, 'load');
        load[type] = rest;
      }
      return {
        sessionId,
        stepIndex,
        kind: outcome.kind,
        summary: outcome.summary,
        traces: outcome.traces,
        checks: outcome.checks,
        passed: outcome.passed,
        ...(outcome.allTraces ? { allTraceIds: outcome.allTraces.map((t) => t.id) } : {}),
        services: s.session.servicesState(),
        nextStepIndex: stepIndex < steps.length ? stepIndex + 1 : null,
        ...(outcome.load ? { load } : {}),
      };
    },

    sendRequest: async (sessionId, request, gateway) => {
      const s = this.session(sessionId);
      const type: GatewayType = gateway ?? s.session.scenario.gateways[0] ?? 'REST';
      if (!s.session.scenario.gateways.includes(type)) {
        throw new ApiFailure('invalid-argument', `the scenario has no ${type} API (it has ${s.session.scenario.gateways.join(', ')})`);
      }
      const trace = await this.serial(s, () => s.session.send(request, type));
      this.record(s, trace, 'request');
      return trace;
    },

    compare: async (sessionId, request, gateways) => {
      const s = this.session(sessionId);
      const has = s.session.scenario.gateways;
      for (const g of gateways) {
        if (g === 'WEBSOCKET') throw new ApiFailure('invalid-argument', 'a WebSocket API takes messages over a connection, not HTTP requests: compare REST and HTTP APIs');
        if (!has.includes(g)) throw new ApiFailure('invalid-argument', `the scenario has no ${g} API (it has ${has.join(', ')})`);
      }
      const { traces, ...rest } = await this.serial(s, () => compareRequest(s.session, request, gateways));
      for (const { trace } of traces) this.record(s, trace, 'compare');
      return { sessionId, lanes: traces, ...rest };
    },
    estimateCost: async ({ gateways, ...traffic }) => estimateCost(gateways, traffic),

    listTemplates: async () => listTemplateExamples(path.join(this.service.options.bundledDir, 'templates')),
    renderTemplate: async (template, input) => renderPlayground(template, input ?? {}),

    startLoad: async (sessionId, spec) => {
      const s = this.session(sessionId);
      const type: GatewayType = spec.gateway ?? s.session.scenario.gateways[0] ?? 'REST';
      if (!s.session.scenario.gateways.includes(type)) {
        throw new ApiFailure('invalid-argument', `the scenario has no ${type} API (it has ${s.session.scenario.gateways.join(', ')})`);
      }
      const runId = `load${this.nextRun++}`;
      const controller = new AbortController();
      this.loads.set(runId, { controller, sessionId });
      // Runs in the session's queue (one clock); the call answers at once, the run reports by events.
      void this.serial(s, () => runLoad(s.session, runId, type, loadStepOf(spec), controller.signal, this.emit, (t) => this.record(s, t, 'load'))).finally(() =>
        this.loads.delete(runId),
      );
      return { runId, sessionId };
    },
    cancelLoad: async (runId) => {
      const run = this.loads.get(runId);
      if (!run) throw new ApiFailure('not-found', `no running load "${runId}"`);
      run.controller.abort();
      return null;
    },
    startLive: async (sessionId, options) => {
      const s = this.session(sessionId);
      if (s.live) throw new ApiFailure('invalid-argument', `the session's API is already served at ${s.live.endpoint.url}`);
      const gateway = options?.gateway ?? s.session.scenario.gateways[0]!;
      if (!s.session.scenario.gateways.includes(gateway)) {
        throw new ApiFailure('invalid-argument', `the scenario has no ${gateway} API (it has ${s.session.scenario.gateways.join(', ')})`);
      }
      let endpoint: LiveEndpoint;
      try {
        endpoint = await LiveEndpoint.start(s.session.scenario, { port: options?.port ?? 0, gateway });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EADDRINUSE') throw new ApiFailure('invalid-argument', `port ${options?.port} is in use; choose another, or 0 for a free one`);
        throw new ApiFailure('engine-error', `cannot start the live endpoint: ${e.message ?? String(err)}`);
      }
      if (!this.sessions.has(sessionId) || this.closed) {
        await endpoint.close();
        throw new ApiFailure('not-found', `session "${sessionId}" closed while its live endpoint started`);
      }
      // Live traffic reaches the client at a readable pace (live-trace-pacer.ts), with counts.
      const pacer = new LiveTracePacer((trace, unlisted) => this.emit('trace', { sessionId, origin: 'live', trace, ...(unlisted > 0 ? { unlisted } : {}) }));
      const unsubscribe = endpoint.subscribe((trace) => {
        this.keep(s, trace);
        pacer.offer(trace);
      });
      s.live = { endpoint, unsubscribe, pacer };
      const info = { sessionId, url: endpoint.url, port: Number(new URL(endpoint.origin).port), gateway };
      this.emit('live', info);
      return info;
    },
    stopLive: async (sessionId) => {
      const s = this.session(sessionId);
      if (!(await this.stopLiveEndpoint(s))) throw new ApiFailure('not-found', `session "${sessionId}" has no live endpoint`);
      return null;
    },

    exportTrace: async (sessionId, traceId, format) => {
      const found = this.traces.get(`${sessionId}\u0000${traceId}`);
      if (!found) throw new ApiFailure('not-found', `no trace "${traceId}" in session "${sessionId}"`);
      const { trace, region } = found;
      if (format === 'json') {
        return { fileName: `trace-${trace.id}.json`, mimeType: 'application/json', content: `${JSON.stringify(trace, null, 2)}\n` };
      }
      const har = traceToHar(trace, { region, appVersion: this.service.options.appVersion });
      return { fileName: `trace-${trace.id}.har`, mimeType: 'application/json', content: `${JSON.stringify(har, null, 2)}\n` };
    },
  };
}

/** The endpoints, identities and API keys the request composer offers for a session's API. */
function composerInfo(session: ScenarioSession): ComposerInfo {
  const { scenario } = session;
  const endpoints: { gateway: GatewayType; method: string; path: string }[] = [];
  const rest = scenario.apis.REST;
  if (rest?.kind === 'rest') {
    for (const [resource, methods] of Object.entries(rest.definition.resources ?? {})) {
      for (const method of Object.keys(methods ?? {})) endpoints.push({ gateway: 'REST', method, path: `/${scenario.stage.name}${resource}` });
    }
  }
  const http = scenario.apis.HTTP;
  if (http?.kind === 'http') {
    const stage = session.http?.listStages()[0]?.stageName ?? '$default';
    const prefix = stage === '$default' ? '' : `/${stage}`;
    for (const [key, route] of Object.entries(http.definition.routes ?? {})) {
      if (!route) continue;
      const [method, routePath] = key === '$default' ? ['ANY', '/'] : key.split(' ');
      endpoints.push({ gateway: 'HTTP', method: method!, path: `${prefix}${routePath ?? '/'}` });
    }
  }
  if (scenario.apis.WEBSOCKET) {
    for (const method of ['POST', 'GET', 'DELETE']) endpoints.push({ gateway: 'WEBSOCKET', method, path: `/${scenario.stage.name}/@connections/{connectionId}` });
  }
  const clients = [...new Set(scenario.steps.map((s) => s.connect?.client).filter((c): c is string => !!c))];
  const idp = scenario.identity;
  return {
    endpoints,
    ...(idp ? { identity: { issuer: idp.issuer, users: Object.keys(idp.users), tokens: Object.keys(idp.tokens ?? {}) } } : {}),
    apiKeys: Object.entries(scenario.usage.apiKeys ?? {}).filter(([, k]) => k !== null).map(([name]) => name),
    clients,
  };
}

function fail(code: ApiErrorCode, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}

/** The app's version, from package.json next to this checkout or the packaged app. */
export function readAppVersion(root: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
