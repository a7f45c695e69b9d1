/**
 * Simulated WebSocket clients for scenarios: named clients (alice, bob...) connect with headers
 * and a query string, send messages, receive frames, close or vanish, and wait — all on the
 * engine clock. Each step reports every trace it caused (a message, the broadcast it started,
 * the $disconnect a 1009 triggered) and checks what each client saw.
 *
 * Simulated clients behave like browsers and wscat: one frame per message, and `close()`
 * without a code sends a close frame without status (the gateway reports 1005).
 */
import { isDeepStrictEqual } from 'node:util';
import { getHeaderValues } from '../core/http';
import type { SeededRandom } from '../core/random';
import type { Gateway } from '../gateway';
import type { Check } from '../scenario/expect';
import { checkExpectation } from '../scenario/expect';
import type { StepOutcome } from '../scenario/session';
import { toHttpRequest } from '../scenario/session';
import type { Expectation, RequestSpec, Scenario, ScenarioStep } from '../scenario/types';
import type { ServicesSnapshot, Trace } from '../trace/types';
import type { ConnectionSink, DeliveredFrame } from './connections';
import { MAX_FRAME_BYTES } from './connections';
import { type WebSocketApiDefinition, webSocketApiFromDefinition } from './definition';
import { mergePatch } from '../scenario/merge-patch';
import type { WebSocketApiHost } from './websocket-api-host';

interface SimulatedClient {
  readonly name: string;
  connectionId?: string;
  state: 'connecting' | 'open' | 'closed' | 'refused';
  readonly inbox: DeliveredFrame[];
  readonly closes: { code: number; reason: string; at: number; by: 'client' | 'gateway' }[];
}

export class WebSocketScenario {
  readonly host: WebSocketApiHost;
  private readonly clients = new Map<string, SimulatedClient>();
  /** The traces of the step being run (undefined between steps: the live endpoint's traffic is not kept here). */
  private collected?: Trace[];
  /** Each collected trace with the services' state before and after it. */
  private readonly withServices = new Map<Trace, Trace>();
  private lastServices?: ServicesSnapshot;
  private readonly random: SeededRandom;
  private definition: WebSocketApiDefinition;

  constructor(
    private readonly gateway: Gateway,
    definition: WebSocketApiDefinition,
    private readonly scenario: Scenario,
    /** The session's simulated services as plain JSON (tables, connections...), recorded on each trace. */
    private readonly servicesState?: () => ServicesSnapshot,
  ) {
    this.definition = definition;
    this.host = gateway.createWebSocketApi(definition);
    this.random = gateway.random.fork('websocket-clients');
    this.host.subscribe((t) => {
      if (!this.collected) return;
      let trace = t;
      if (this.servicesState) {
        const after = this.servicesState();
        trace = { ...t, services: { before: this.lastServices ?? after, after } };
        this.lastServices = after;
        this.withServices.set(t, trace);
      }
      this.collected.push(trace);
    });
    if (scenario.stage.deploy) this.deploy();
  }

  /** The API's connections as the services panel shows them, by connection id. */
  connectionsState(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const c of this.host.connections()) out[c.connectionId] = c;
    return out;
  }

  get apiId(): string {
    return this.host.id;
  }

  /** The steps this driver runs (everything a WebSocket scenario does with its API). */
  handles(step: ScenarioStep): boolean {
    return !!(step.connect || step.send || step.close || step.drop || step.request || step.deploy || step.edit || step.wait !== undefined);
  }

  /** The management API as the session's runtime (ad-hoc requests from the app). */
  async handleRequest(req: Parameters<WebSocketApiHost['handleManagementRequest']>[0]): Promise<Trace> {
    const trace = await this.host.handleManagementRequest(req);
    this.gateway.clock.advanceTo(trace.startedAt + trace.durationMs);
    return trace;
  }

  /** Replace `{{connection.NAME}}` with that client's connection id. */
  substitute<T>(value: T, requestId?: string): T {
    const text = JSON.stringify(value);
    if (text === undefined || !text.includes('{{')) return value;
    return JSON.parse(
      text.replace(/\{\{(connection\.([^}]+)|requestId)\}\}/g, (m, _all: string, name: string | undefined) => {
        if (name === undefined) return requestId ?? m;
        return this.clients.get(name)?.connectionId ?? m;
      }),
    ) as T;
  }

  async run(step: ScenarioStep, withTokens: (spec: RequestSpec) => RequestSpec): Promise<StepOutcome> {
    const collected: Trace[] = [];
    this.collected = collected;
    this.withServices.clear();
    this.lastServices = this.servicesState?.();
    try {
      return await this.runStep(step, withTokens, collected);
    } finally {
      this.collected = undefined;
    }
  }

  private async runStep(step: ScenarioStep, withTokens: (spec: RequestSpec) => RequestSpec, collected: Trace[]): Promise<StepOutcome> {
    const clock = this.gateway.clock;
    const marks = new Map([...this.clients.values()].map((c) => [c.name, { inbox: c.inbox.length, closes: c.closes.length }]));
    let primary: Trace | undefined;
    let summary = '';
    let kind: StepOutcome['kind'] = 'say';
    // Timeouts that fell due before this step happen first.
    await this.host.expire(clock.now());

    if (step.connect) {
      kind = 'connect';
      const spec = this.substitute(step.connect);
      const existing = this.clients.get(spec.client);
      if (existing && (existing.state === 'open' || existing.state === 'connecting')) throw new Error(`client ${spec.client} is already connected`);
      const client: SimulatedClient = { name: spec.client, state: 'connecting', inbox: existing?.inbox ?? [], closes: existing?.closes ?? [] };
      this.clients.set(spec.client, client);
      if (!marks.has(client.name)) marks.set(client.name, { inbox: client.inbox.length, closes: client.closes.length });
      const tokenised = withTokens({ method: 'GET', path: `/${spec.stage ?? this.scenario.stage.name}`, ...(spec.headers ? { headers: spec.headers } : {}), ...(spec.query ? { query: spec.query } : {}), ...(spec.sourceIp ? { sourceIp: spec.sourceIp } : {}) });
      const req = toHttpRequest({ ...tokenised, headers: { ...this.handshakeHeaders(), ...(tokenised.headers ?? {}) } });
      const result = await this.host.connect(req, this.sink(client), { label: client.name });
      client.state = result.accepted ? 'open' : 'refused';
      if (result.connectionId) client.connectionId = result.connectionId;
      primary = result.trace;
      summary = result.accepted
        ? `${client.name} connects → 101, connection ${result.connectionId}`
        : `${client.name} connects → ${result.statusCode}: the handshake is refused${result.body ? ` (${result.body})` : ''}`;
      // A client that asked for subprotocols fails the connection itself when the 101 names none of
      // them (RFC 6455 4.1): no close frame, so API Gateway sees 1006 and runs $disconnect.
      const asked = getHeaderValues(req.headers, 'sec-websocket-protocol').flatMap((v) => v.split(',')).map((p) => p.trim()).filter(Boolean);
      if (result.accepted && result.connectionId && asked.length > 0 && (result.subprotocol === undefined || !asked.includes(result.subprotocol))) {
        client.state = 'closed';
        client.closes.push({ code: 1006, reason: '', at: clock.now(), by: 'client' });
        await this.host.clientDrop(result.connectionId, { at: result.trace.startedAt + result.trace.durationMs });
        summary = `${client.name} connects → 101 without the subprotocol it asked for (${asked.join(', ')}): the client fails the connection (a browser says "Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received")`;
      }
    } else if (step.send) {
      kind = 'send';
      const spec = this.substitute(step.send);
      const client = this.client(spec.client);
      const text = typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
      const data = spec.binary ? Buffer.from(text, 'utf8').toString('base64') : text;
      const bytes = Buffer.byteLength(text, 'utf8');
      const frameSizes = spec.fragment ? splitSizes(bytes, MAX_FRAME_BYTES) : [bytes];
      if (client.state !== 'open' || !client.connectionId) {
        summary = `${client.name} cannot send: its connection is ${client.state === 'refused' ? 'not open (the handshake was refused)' : 'closed'}`;
      } else {
        const trace = await this.host.message(client.connectionId, { data, binary: spec.binary ?? false, frameSizes });
        if (trace) primary = trace;
        const route = trace?.websocket?.routeKey;
        summary = `${client.name} sends ${previewOf(text, 60)} → ${route ? `route ${route}` : trace?.stoppedAt ? `stopped at ${trace.stoppedAt}` : 'nothing'}`;
      }
    } else if (step.close) {
      kind = 'close';
      const spec = step.close;
      const client = this.client(spec.client);
      if (client.state === 'open' && client.connectionId) {
        client.state = 'closed';
        client.closes.push({ code: spec.code ?? 1005, reason: spec.reason ?? '', at: clock.now(), by: 'client' });
        const trace = await this.host.clientClose(client.connectionId, spec.code, spec.reason ?? '');
        if (trace) primary = trace;
        summary = `${client.name} closes the connection${spec.code ? ` with ${spec.code}` : ' (close frame without status)'}`;
      } else summary = `${client.name} has no open connection to close`;
    } else if (step.drop) {
      kind = 'drop';
      const spec = step.drop;
      const client = this.client(spec.client);
      if (client.state === 'open' && client.connectionId) {
        client.state = 'closed';
        client.closes.push({ code: 1006, reason: '', at: clock.now(), by: 'client' });
        const trace = await this.host.clientDrop(client.connectionId, { deliverDisconnect: spec.deliverDisconnect ?? true });
        if (trace) primary = trace;
        summary = `${client.name} vanishes without a close frame${spec.deliverDisconnect === false ? '; the best-effort $disconnect event is lost' : ''}`;
      } else summary = `${client.name} has no open connection to drop`;
    } else if (step.wait !== undefined) {
      kind = 'wait';
      clock.advance(step.wait * 1000);
      const expired = await this.host.expire(clock.now());
      primary = expired.at(-1);
      summary = `${step.wait} seconds pass on the virtual clock${expired.length ? `; ${expired.map((t) => t.websocket?.client ?? t.websocket?.connectionId).join(', ')} closed by the gateway` : ''}.`;
    } else if (step.request) {
      kind = 'request';
      const spec = withTokens(this.substitute(step.request));
      for (let i = 0; i < (step.repeat ?? 1); i++) primary = await this.host.handleManagementRequest(toHttpRequest(spec));
      summary = `${spec.method} ${spec.path} → ${primary!.response.statusCode}`;
    } else if (step.edit) {
      const next = mergePatch(this.definition, step.edit as unknown as WebSocketApiDefinition);
      const api = webSocketApiFromDefinition(next, { id: this.host.id, ids: this.gateway.ids, region: this.gateway.region, accountId: this.gateway.accountId, previous: this.host.draft });
      this.definition = next;
      this.host.setDraft(api);
      return { step, kind: 'edit', summary: 'The draft API changed. Connected clients still get the deployed version until the next deploy.', traces: {}, checks: [], passed: true };
    } else if (step.deploy) {
      const d = this.deploy(step.deploy.stage, step.deploy.description);
      return { step, kind: 'deploy', summary: `Deployed the API as deployment ${d.id} to stage "${step.deploy.stage ?? this.scenario.stage.name}".`, traces: {}, checks: [], passed: true };
    }

    const all = [...collected];
    if (primary) primary = this.withServices.get(primary) ?? primary;
    const end = Math.max(clock.now(), ...all.map((t) => t.startedAt + t.durationMs), ...all.flatMap((t) => (t.websocket?.frames ?? []).map((f) => f.at)));
    clock.advanceTo(end);
    const checks = step.expect ? this.check(step.expect, primary, all, marks) : [];
    return {
      step,
      kind,
      summary,
      traces: primary ? { WEBSOCKET: primary } : {},
      allTraces: all,
      checks,
      passed: checks.every((c) => c.passed),
    };
  }

  private deploy(stageName = this.scenario.stage.name, description?: string) {
    const s = this.scenario.stage;
    return this.host.deploy(stageName, { ...(description ? { description } : {}), ...(stageName === s.name ? { variables: { ...s.variables } } : {}) });
  }

  private client(name: string): SimulatedClient {
    const c = this.clients.get(name);
    if (!c) throw new Error(`client ${name} has not connected`);
    return c;
  }

  private sink(client: SimulatedClient): ConnectionSink {
    return {
      deliver: (frame) => client.inbox.push(frame),
      close: (code, reason, at) => {
        client.state = 'closed';
        client.closes.push({ code, reason, at, by: 'gateway' });
      },
    };
  }

  /** What a browser sends with an upgrade request. Sec-WebSocket-Key is random, as in a browser. */
  private handshakeHeaders(): Record<string, string> {
    return {
      'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits',
      'Sec-WebSocket-Key': Buffer.from(Array.from({ length: 16 }, () => this.random.int(256))).toString('base64'),
      'Sec-WebSocket-Version': '13',
    };
  }

  private check(expect: Expectation, primary: Trace | undefined, all: Trace[], marks: Map<string, { inbox: number; closes: number }>): Check[] {
    const checks: Check[] = [];
    const e = this.substitute(expect, primary?.id);
    const { frames, closed, route, tables, metrics, ...generic } = e;
    const needsPrimary = ['status', 'body', 'bodyContains', 'headers', 'stoppedAt', 'gatewayResponse'].some((k) => (generic as Record<string, unknown>)[k] !== undefined);
    if (primary) {
      const merged: Trace = {
        ...primary,
        executionLog: all.flatMap((t) => t.executionLog),
        functionLogs: all.flatMap((t) => t.functionLogs ?? []),
      };
      checks.push(...checkExpectation(generic, merged));
    } else if (needsPrimary) {
      checks.push({ what: 'trace', passed: false, expected: 'a request, connection or message in this step', actual: null });
    } else if (generic.logIncludes || generic.functionLogIncludes) {
      checks.push(...checkExpectation({ ...(generic.logIncludes ? { logIncludes: generic.logIncludes } : {}), ...(generic.functionLogIncludes ? { functionLogIncludes: generic.functionLogIncludes } : {}) }, emptyTrace(all)));
    }
    for (const [name, want] of Object.entries(frames ?? {})) {
      const c = this.clients.get(name);
      const got = c ? c.inbox.slice(marks.get(name)?.inbox ?? 0).map((f) => f.data) : [];
      const passed = got.length === want.length && want.every((w, i) => frameMatches(w, got[i]!));
      checks.push({ what: `frames to ${name}`, passed, expected: want, actual: got.map(parseOrText) });
    }
    for (const [name, want] of Object.entries(closed ?? {})) {
      const c = this.clients.get(name);
      const during = c ? c.closes.slice(marks.get(name)?.closes ?? 0) : [];
      const last = during.at(-1);
      if (want === null) {
        checks.push({ what: `${name} still connected`, passed: !!c && c.state === 'open', expected: 'open', actual: c ? (c.state === 'open' ? 'open' : `${c.state}${last ? ` (${last.code})` : ''}`) : 'never connected' });
      } else {
        const code = typeof want === 'number' ? want : want.code;
        const reason = typeof want === 'number' ? undefined : want.reason;
        const passed = !!last && last.code === code && (reason === undefined || last.reason === reason);
        checks.push({ what: `${name} closed`, passed, expected: reason === undefined ? code : { code, reason }, actual: last ? { code: last.code, reason: last.reason, by: last.by } : 'not closed in this step' });
      }
    }
    if (route !== undefined) {
      const actual = primary?.websocket?.routeKey ?? null;
      checks.push({ what: 'route', passed: actual === route, expected: route, actual });
    }
    for (const [name, want] of Object.entries(tables ?? {})) {
      const snap = this.gateway.tables.snapshot(name);
      const items = (snap?.items ?? []) as Record<string, unknown>[];
      if (!snap) {
        checks.push({ what: `table ${name}`, passed: false, expected: 'a table', actual: 'no such table' });
        continue;
      }
      if (want.count !== undefined) checks.push({ what: `table ${name} count`, passed: items.length === want.count, expected: want.count, actual: items.length });
      for (const item of want.contains ?? []) checks.push({ what: `table ${name} contains`, passed: items.some((i) => isSubset(item, i)), expected: item, actual: items });
      for (const item of want.lacks ?? []) checks.push({ what: `table ${name} lacks`, passed: !items.some((i) => isSubset(item, i)), expected: item, actual: items });
    }
    for (const [name, want] of Object.entries(metrics ?? {})) {
      const actual = this.gateway.metrics.total({ metricName: name, dimensions: { ApiId: this.host.id } });
      checks.push({ what: `metric ${name}`, passed: actual === want, expected: want, actual });
    }
    return checks;
  }
}

function splitSizes(bytes: number, max: number): number[] {
  const out: number[] = [];
  for (let left = bytes; left > 0; left -= max) out.push(Math.min(max, left));
  return out.length ? out : [0];
}

function frameMatches(want: unknown, got: string | undefined): boolean {
  if (got === undefined) return false;
  if (typeof want === 'string') return want === got;
  try {
    return isDeepStrictEqual(JSON.parse(got), want);
  } catch {
    return false;
  }
}

function parseOrText(s: string): unknown {
  try {
    const v = JSON.parse(s) as unknown;
    return typeof v === 'object' && v !== null ? v : s;
  } catch {
    return s;
  }
}

function isSubset(want: unknown, got: unknown): boolean {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    if (got === null || typeof got !== 'object' || Array.isArray(got)) return false;
    return Object.entries(want).every(([k, v]) => isSubset(v, (got as Record<string, unknown>)[k]));
  }
  return isDeepStrictEqual(want, got);
}

function previewOf(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function emptyTrace(all: Trace[]): Trace {
  return {
    version: 1,
    id: '',
    api: { type: 'WEBSOCKET', id: '', name: '', stage: '' },
    request: { method: '', path: '', rawQuery: '', headers: {}, body: null, isBase64Encoded: false, sourceIp: '' },
    response: { statusCode: 0, headers: {}, body: '', isBase64Encoded: false },
    startedAt: 0,
    durationMs: 0,
    steps: [],
    executionLog: all.flatMap((t) => t.executionLog),
    functionLogs: all.flatMap((t) => t.functionLogs ?? []),
  };
}

/** CLI lines for a WebSocket trace: what happened on the connection, then the frames it caused. */
/**
 * One line per WebSocket event, then one per frame sent and per failed @connections call.
 * Messages and frames are cut at 60 characters unless `full` (a scenario run prints them whole).
 */
export function describeWebSocketTrace(t: Trace, origin: number, { full = false }: { full?: boolean } = {}): string[] {
  const ws = t.websocket;
  const preview = (s: string) => previewOf(s, full ? Infinity : 60);
  if (!ws) return [];
  const who = ws.client ?? ws.connectionId;
  const ms = (at: number) => `+${Math.round(at - origin)} ms`;
  const lines: string[] = [];
  switch (ws.eventType) {
    case 'CONNECT':
      lines.push(`CONNECT ${who} ${t.request.path}${t.request.rawQuery ? `?${t.request.rawQuery}` : ''} → ${t.response.statusCode}${t.response.statusCode === 101 ? ` (connection ${ws.connectionId})` : ' (refused)'}`);
      break;
    case 'MESSAGE':
      lines.push(`MESSAGE ${who}: ${preview(t.request.body ?? '')} → ${ws.routeKey ? `route ${ws.routeKey}` : `stopped at ${t.stoppedAt}`}`);
      break;
    case 'DISCONNECT':
      lines.push(`DISCONNECT ${who} (${ws.disconnect?.statusCode} ${ws.disconnect?.reason})${ws.routeKey ? ' → $disconnect' : ' (no $disconnect route)'}`);
      break;
    case 'MANAGEMENT':
      lines.push(`${t.request.method} ${t.request.path} → ${t.response.statusCode}`);
      break;
  }
  for (const f of ws.frames) lines.push(`  ⇒ ${f.client ?? f.connectionId} [${f.source}, ${ms(f.at)}]: ${preview(f.data)}`);
  // Calls that delivered no frame: failures (a broadcast's 410 Gone) and the other @connections operations.
  for (const c of ws.serviceCalls ?? []) {
    if (c.service !== 'execute-api' || (c.method === 'PostToConnection' && c.statusCode === 200)) continue;
    const whom = c.client ? `${c.client} (${c.target})` : (c.target ?? '');
    lines.push(`  ${c.statusCode >= 400 ? '✗' : '→'} ${c.method} ${whom} [${ms(c.at)}]: ${c.statusCode}${c.error ? ` ${c.error}` : ''}`);
  }
  for (const c of ws.closed ?? []) lines.push(`  ✕ ${c.client ?? c.connectionId} closed by the gateway (${c.code} ${c.reason})`);
  return lines;
}
