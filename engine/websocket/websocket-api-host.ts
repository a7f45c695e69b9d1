/**
 * One WebSocket API as a gateway hosts it: the draft, deployments and stages, the connections
 * (on the engine clock), the three lifecycles — connect, message, disconnect — each a pipeline
 * whose every step is traced, and the @connections management API.
 *
 * Hosts drive it with a ConnectionSink per client: the scenario's simulated clients record the
 * frames they get; the live endpoint (main/live/websocket-adapter.ts) writes them to real
 * sockets. Time is the engine clock's: idle timeouts and the 2-hour limit fire when a host
 * calls `expire(now)` (the scenario runner after every step, the live endpoint on a timer).
 */
import type { HttpRequest, HttpResponse } from '../core/http';
import { getHeader, request as makeRequest } from '../core/http';
import { isoTime } from '../core/time-format';
import { type PipelineRun, runPipeline } from '../pipeline/runner';
import type { Pipeline } from '../pipeline/types';
import { truncateLogLine } from '../rest/java-format';
import { TRACE_VERSION, type Trace, type TraceStep, type WebSocketFrame, type WebSocketServiceCall, type WebSocketTraceInfo } from '../trace/types';
import {
  type Connection,
  type ConnectionSink,
  ConnectionRegistry,
  type ConnectionSnapshot,
  type DeliveredFrame,
  MAX_MESSAGE_BYTES,
  defaultCloseReason,
} from './connections';
import type { ConnectionInfo, EventType, InboundMessage, WebSocketInvocation } from './context';
import type { WebSocketDeps } from './deps';
import { type WEBSOCKET_METRICS, v2DimensionSets } from '../services/metrics';
import { MANAGEMENT_LATENCY_MS, type ManagementOperation, type ManagementResult, type ManagementTarget, forbidden, gone } from './management-api';
import type { Deployment, Stage, WebSocketApi } from './model';
import { apiKeyStep } from './steps/api-key';
import { authorizerStep } from './steps/authorizer';
import { connectionStep } from './steps/connection';
import { errorResponseStep } from './steps/error-response';
import { integrationStep } from './steps/integration';
import { integrationRequestStep } from './steps/integration-request';
import { integrationResponseStep } from './steps/integration-response';
import { lifecycleRouteStep, routeSelectionStep } from './steps/route';
import { routeResponseStep } from './steps/route-response';

export interface ConnectOptions {
  /** Arrival time; defaults to the clock's now. */
  readonly at?: number;
  /** A name for people (the scenario's client name). */
  readonly label?: string;
  readonly snapshots?: boolean;
}

export interface ConnectResult {
  readonly accepted: boolean;
  readonly connectionId?: string;
  /** 101 when accepted; otherwise the refusal's status. */
  readonly statusCode: number;
  /** The Sec-WebSocket-Protocol of the 101 response, when the $connect integration chose one. */
  readonly subprotocol?: string;
  readonly body: string;
  readonly trace: Trace;
}

export interface CloseOptions {
  readonly at?: number;
  /** $disconnect is best effort: false simulates an event that never arrives. */
  readonly deliverDisconnect?: boolean;
}

export class WebSocketApiHost implements ManagementTarget {
  private draftApi: WebSocketApi;
  private readonly deployments = new Map<string, Deployment>();
  private readonly stages = new Map<string, Stage>();
  private readonly registry = new ConnectionRegistry();
  private readonly listeners = new Set<(trace: Trace) => void>();
  /** $disconnect events waiting to run (after a DeleteConnection or a 1009), in order. */
  private readonly pendingDisconnects: { conn: Connection; code: number; reason: string; at: number }[] = [];
  private flushing = false;
  private readonly pipelines: Record<EventType, Pipeline<WebSocketInvocation>>;

  constructor(
    api: WebSocketApi,
    private readonly deps: WebSocketDeps,
    readonly region = 'us-east-1',
    readonly accountId = '123456789012',
  ) {
    this.draftApi = api;
    const findStage = (name: string) => {
      const stage = this.stages.get(name);
      const deployment = stage ? this.deployments.get(stage.deploymentId) : undefined;
      return stage && deployment ? { stage, deployment } : undefined;
    };
    const common = {
      onError: errorResponseStep,
      finally: [],
      snapshot: snapshotOf,
      onException: (ctx: WebSocketInvocation, stepId: string, err: unknown): WebSocketInvocation => ({
        ...ctx,
        error: { type: 'INTERNAL_ERROR', message: 'Internal server error', statusCode: 500 },
        integrationError: `simulator error in ${stepId}: ${err instanceof Error ? err.message : String(err)}`,
      }),
    };
    const integration = [integrationRequestStep(region), integrationStep(deps), integrationResponseStep];
    this.pipelines = {
      CONNECT: { ...common, steps: [connectionStep(findStage), lifecycleRouteStep, authorizerStep(deps), apiKeyStep(deps.usage), ...integration, routeResponseStep] },
      MESSAGE: { ...common, steps: [connectionStep(findStage), routeSelectionStep, ...integration, routeResponseStep] },
      DISCONNECT: { ...common, steps: [connectionStep(findStage), lifecycleRouteStep, ...integration, routeResponseStep] },
    };
  }

  get id(): string {
    return this.draftApi.id;
  }

  get draft(): WebSocketApi {
    return this.draftApi;
  }

  /** Replace the draft. Nothing changes for clients until the next deploy. */
  setDraft(api: WebSocketApi): void {
    this.draftApi = api;
  }

  deploy(stageName: string, options: { description?: string; variables?: Record<string, string>; stageDescription?: string } = {}): Deployment {
    const deployment: Deployment = {
      id: this.deps.ids.deploymentId(),
      createdDate: this.deps.clock.now(),
      ...(options.description ? { description: options.description } : {}),
      api: structuredClone(this.draftApi),
    };
    this.deployments.set(deployment.id, deployment);
    const existing = this.stages.get(stageName);
    this.stages.set(stageName, {
      stageName,
      variables: options.variables ?? existing?.variables ?? {},
      ...(options.stageDescription ?? existing?.description ? { description: options.stageDescription ?? existing?.description } : {}),
      deploymentId: deployment.id,
    });
    return deployment;
  }

  hasStage(name: string): boolean {
    return this.stages.has(name);
  }

  getStage(name: string): Stage | undefined {
    return this.stages.get(name);
  }

  listStages(): Stage[] {
    return [...this.stages.values()];
  }

  /** `wss://{api}.execute-api.{region}.amazonaws.com/{stage}`: what clients connect to. */
  url(stage: string): string {
    return `wss://${this.id}.execute-api.${this.region}.amazonaws.com/${stage}`;
  }

  /** The @connections endpoint for handler code: `https://{domainName}/{stage}`. */
  connectionsEndpoint(stage: string): string {
    return `https://${this.id}.execute-api.${this.region}.amazonaws.com/${stage}`;
  }

  /** Every trace this API produces (connects, messages, disconnects, @connections calls). */
  subscribe(listener: (trace: Trace) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  connections(): ConnectionSnapshot[] {
    return this.registry.all().map((c) => this.registry.snapshot(c));
  }

  connection(id: string): ConnectionSnapshot | undefined {
    const c = this.registry.get(id);
    return c ? this.registry.snapshot(c) : undefined;
  }

  /**
   * A client asks to connect: `request` is the upgrade request (`GET /{stage}?query` with its
   * headers). $connect runs while the handshake waits; the result says whether it succeeded.
   */
  async connect(request: HttpRequest, sink: ConnectionSink, options: ConnectOptions = {}): Promise<ConnectResult> {
    const at = options.at ?? this.deps.clock.now();
    await this.expire(at);
    const stageName = decodeURIComponent(request.path.replace(/^\/+/, '').split('/')[0] ?? '');
    const connectionId = this.deps.ids.connectionId();
    const requestId = this.deps.ids.extendedRequestId();
    const headers = { ...request.headers, ...(getHeader(request.headers, 'x-amzn-trace-id') ? {} : { 'X-Amzn-Trace-Id': [this.deps.ids.traceId(at)] }) };
    const ua = getHeader(request.headers, 'user-agent');
    const info: ConnectionInfo = { connectionId, connectedAt: at, sourceIp: request.sourceIp, ...(ua !== undefined ? { userAgent: ua } : {}), headers, rawQuery: request.rawQuery };
    const conn: Connection = { info, stage: stageName, ...(options.label !== undefined ? { label: options.label } : {}), lastActiveAt: at, state: 'connecting', sink };
    this.registry.add(conn);
    const ctx: WebSocketInvocation = { ...this.base('CONNECT', requestId, at, info, stageName) };
    const run = await runPipeline(this.pipelines.CONNECT, ctx, { clock: this.deps.clock, startAt: at, snapshots: options.snapshots ?? true });
    const handshake = run.ctx.handshake ?? { statusCode: 500, body: '{"message": "Internal server error"}' };
    const accepted = handshake.statusCode === 101;
    if (accepted) {
      conn.info = run.ctx.connection;
      conn.state = 'open';
      conn.lastActiveAt = run.endedAt;
    } else {
      this.registry.remove(connectionId);
    }
    const response: HttpResponse = accepted
      ? { statusCode: 101, headers: { Connection: ['upgrade'], Upgrade: ['websocket'], ...(handshake.subprotocol !== undefined ? { 'Sec-WebSocket-Protocol': [handshake.subprotocol] } : {}) }, body: '', isBase64Encoded: false }
      : { statusCode: handshake.statusCode, headers: handshake.body ? { 'Content-Type': ['application/json'] } : {}, body: handshake.body, isBase64Encoded: false };
    const trace = this.toTrace(run, request, response, {
      connectionId,
      ...(options.label !== undefined ? { client: options.label } : {}),
      ...(run.ctx.route ? { routeKey: run.ctx.route.routeKey } : {}),
      frames: this.fanOutFrames(run.ctx),
    });
    this.record(run.ctx, run.endedAt);
    this.emit(trace);
    await this.flush();
    return { accepted, ...(accepted ? { connectionId } : {}), statusCode: handshake.statusCode, ...(handshake.subprotocol !== undefined ? { subprotocol: handshake.subprotocol } : {}), body: handshake.body, trace };
  }

  /** A message from the client. Undefined when the connection is not open (closed, or never was). */
  async message(connectionId: string, message: InboundMessage, options: { at?: number; snapshots?: boolean } = {}): Promise<Trace | undefined> {
    const at = options.at ?? this.deps.clock.now();
    await this.expire(at);
    const conn = this.registry.get(connectionId);
    if (!conn || conn.state !== 'open') return undefined;
    conn.lastActiveAt = Math.max(conn.lastActiveAt, at);
    const requestId = this.deps.ids.extendedRequestId();
    const ctx: WebSocketInvocation = { ...this.base('MESSAGE', requestId, at, conn.info, conn.stage), messageId: this.deps.ids.extendedRequestId(), message };
    const run = await runPipeline(this.pipelines.MESSAGE, ctx, { clock: this.deps.clock, startAt: at, snapshots: options.snapshots ?? true });
    const frames: WebSocketFrame[] = this.fanOutFrames(run.ctx);
    const closed: NonNullable<WebSocketTraceInfo['closed']>[number][] = [];
    if (run.ctx.send && conn.state === 'open') {
      const frame = { connectionId, data: run.ctx.send.data, binary: run.ctx.send.binary, at: run.endedAt, source: run.ctx.send.source };
      this.deliver(conn, frame);
      frames.push(this.frameRecord(frame));
    }
    if (run.ctx.closeConnection && conn.state === 'open') {
      const { code, reason } = run.ctx.closeConnection;
      this.closeByGateway(conn, code, reason, run.endedAt);
      closed.push({ connectionId, ...(conn.label !== undefined ? { client: conn.label } : {}), code, reason, at: run.endedAt });
    }
    for (const c of run.ctx.serviceCalls ?? []) {
      if (c.service === 'execute-api' && c.method === 'DeleteConnection' && c.ok) {
        const id = (c.args as { ConnectionId?: string }).ConnectionId ?? '';
        const target = this.registry.get(id);
        closed.push({ connectionId: id, ...(target?.label !== undefined ? { client: target.label } : {}), code: 1000, reason: defaultCloseReason(1000), at: c.at });
      }
    }
    const request = makeRequest({ method: 'MESSAGE', path: `/${conn.stage}`, body: message.data, isBase64Encoded: message.binary, sourceIp: conn.info.sourceIp });
    const reply = run.ctx.send;
    const response: HttpResponse = { statusCode: run.ctx.error?.statusCode ?? 200, headers: {}, body: reply?.data ?? '', isBase64Encoded: reply?.binary ?? false };
    frames.sort((a, b) => a.at - b.at);
    const trace = this.toTrace(run, request, response, {
      connectionId,
      ...(conn.label !== undefined ? { client: conn.label } : {}),
      ...(run.ctx.route ? { routeKey: run.ctx.route.routeKey } : {}),
      ...(run.ctx.messageId ? { messageId: run.ctx.messageId } : {}),
      frames,
      ...(closed.length ? { closed } : {}),
    });
    this.record(run.ctx, run.endedAt, frames.filter((f) => f.source !== 'postToConnection').length);
    this.emit(trace);
    await this.flush();
    return trace;
  }

  /**
   * The client closes the connection: with a close frame (`code`; none gives 1005, as a
   * browser's `ws.close()` does) or without one (`drop`: 1006). $disconnect follows.
   */
  async clientClose(connectionId: string, code: number | undefined, reason = '', options: CloseOptions = {}): Promise<Trace | undefined> {
    const at = options.at ?? this.deps.clock.now();
    await this.expire(at);
    const conn = this.registry.get(connectionId);
    if (!conn || conn.state !== 'open') return undefined;
    const statusCode = code ?? 1005;
    conn.state = 'closed';
    conn.closed = { at, code: statusCode, reason, by: 'client' };
    if (options.deliverDisconnect === false) return undefined;
    const trace = await this.runDisconnect(conn, statusCode, reason || defaultCloseReason(statusCode), at);
    await this.flush();
    return trace;
  }

  /** The client vanishes without a close frame (a killed process, a lost network): 1006. */
  clientDrop(connectionId: string, options: CloseOptions = {}): Promise<Trace | undefined> {
    return this.clientClose(connectionId, 1006, '', options);
  }

  /**
   * Close connections whose idle timeout (10 minutes without a message) or 2-hour limit has
   * passed by `now`, earliest first, each at its own deadline; returns their $disconnect traces.
   */
  async expire(now: number): Promise<Trace[]> {
    this.registry.prune();
    const traces: Trace[] = [];
    for (;;) {
      const due = this.registry.due(now)[0];
      if (!due) break;
      const { connection, at, why } = due;
      // Recorded close code for both limits is undocumented; 1001 "Going away" (?).
      this.closeByGateway(connection, 1001, 'Going away', at, false);
      traces.push(await this.runDisconnect(connection, 1001, 'Going away', at, why));
    }
    traces.push(...(await this.flush()));
    return traces;
  }

  // ---- @connections -------------------------------------------------------------------------

  manage(op: ManagementOperation, connectionId: string, data: string | undefined, at: number): ManagementResult {
    if (!/^[A-Za-z0-9+/_-]{10,}=*$/.test(connectionId)) {
      return { statusCode: 400, errorType: 'BadRequestException', message: `Invalid connectionId: ${connectionId}`, body: JSON.stringify({ message: `Invalid connectionId: ${connectionId}` }), elapsedMs: 2 };
    }
    const conn = this.registry.get(connectionId);
    // Not established yet (inside $connect), closed, or unknown: all Gone.
    if (!conn || conn.state !== 'open') return gone(op);
    const latency = MANAGEMENT_LATENCY_MS[op];
    if (op === 'GetConnection') {
      const value = {
        ConnectedAt: isoTime(conn.info.connectedAt),
        Identity: { SourceIp: conn.info.sourceIp, ...(conn.info.userAgent !== undefined ? { UserAgent: conn.info.userAgent } : {}) },
        LastActiveAt: isoTime(conn.lastActiveAt),
      };
      const body = JSON.stringify({
        connectedAt: value.ConnectedAt,
        identity: { sourceIp: conn.info.sourceIp, userAgent: conn.info.userAgent ?? null },
        lastActiveAt: value.LastActiveAt,
      });
      return { statusCode: 200, body, value, elapsedMs: latency };
    }
    if (op === 'DeleteConnection') {
      this.closeByGateway(conn, 1000, defaultCloseReason(1000), at + latency);
      return { statusCode: 204, body: '', value: {}, elapsedMs: latency };
    }
    const text = data ?? '';
    if (Buffer.byteLength(text, 'utf8') > MAX_MESSAGE_BYTES) {
      return { statusCode: 413, errorType: 'PayloadTooLargeException', message: 'Message too long', body: '{"message":"Message too long"}', elapsedMs: latency };
    }
    this.deliver(conn, { connectionId, data: text, binary: false, at: at + latency, source: 'postToConnection' });
    this.putMetric('MessageCount', conn.stage, 1, at + latency);
    return { statusCode: 200, body: '', value: {}, elapsedMs: latency };
  }

  /**
   * The management API over HTTP (a `request` step of a scenario, the live endpoint):
   * `POST|GET|DELETE /{stage}/@connections/{connectionId}` (the id URL-encoded: `%3D` for `=`).
   */
  async handleManagementRequest(req: HttpRequest, options: { at?: number } = {}): Promise<Trace> {
    const at = options.at ?? this.deps.clock.now();
    await this.expire(at);
    const requestId = this.deps.ids.requestId();
    const segments = req.path.replace(/^\/+/, '').split('/');
    const stage = decodeURIComponent(segments[0] ?? '');
    const ok = segments[1] === '@connections' || segments[1] === '%40connections';
    const connectionId = ok ? decodeURIComponent(segments.slice(2).join('/')) : '';
    const op: ManagementOperation | undefined = ({ POST: 'PostToConnection', GET: 'GetConnection', DELETE: 'DeleteConnection' } as Record<string, ManagementOperation>)[req.method];
    let result: ManagementResult;
    let summary: string;
    if (!ok || !this.hasStage(stage)) {
      result = forbidden();
      summary = ok
        ? `No stage named "${stage}": the @connections URL must be https://{api}.execute-api.{region}.amazonaws.com/{stage}/@connections/{id}. 403 Forbidden.`
        : `This is not an @connections URL (expected /{stage}/@connections/{id}; the stage is easy to forget): 403 Forbidden.`;
    } else if (!op || connectionId === '') {
      result = { statusCode: 403, errorType: 'ForbiddenException', message: 'Forbidden', body: '{"message":"Forbidden"}', elapsedMs: 1 };
      summary = `@connections supports POST, GET and DELETE on /{stage}/@connections/{id}: 403.`;
    } else {
      const body = req.body === null ? undefined : req.isBase64Encoded ? Buffer.from(req.body, 'base64').toString('utf8') : req.body;
      const target = this.registry.get(connectionId);
      result = this.manage(op, connectionId, body, at);
      summary = describeManagement(op, connectionId, target?.label, result);
    }
    const detail = { operation: op ?? req.method, connectionId, statusCode: result.statusCode, ...(result.errorType ? { errorType: result.errorType } : {}) };
    const step: TraceStep = { step: 'connectionsApi', phase: 'integration', outcome: result.statusCode < 400 ? 'continue' : 'respond', at, durationMs: result.elapsedMs, summary, log: [], detail };
    const headers: Record<string, string[]> = { 'x-amzn-RequestId': [requestId], ...(result.errorType ? { 'x-amzn-ErrorType': [result.errorType] } : {}), ...(result.body ? { 'Content-Type': ['application/json'] } : {}) };
    const target = this.registry.get(connectionId);
    const frames: WebSocketFrame[] =
      op === 'PostToConnection' && result.statusCode === 200
        ? [{ at: at + result.elapsedMs, connectionId, ...(target?.label !== undefined ? { client: target.label } : {}), data: req.body ?? '', binary: false, source: 'postToConnection' }]
        : [];
    const trace: Trace = {
      version: TRACE_VERSION,
      id: requestId,
      api: { type: 'WEBSOCKET', id: this.id, name: this.draftApi.name, stage },
      request: req,
      response: { statusCode: result.statusCode, headers, body: result.body, isBase64Encoded: false },
      startedAt: at,
      durationMs: result.elapsedMs,
      steps: [step],
      ...(result.statusCode >= 400 ? { stoppedAt: 'connectionsApi' } : {}),
      executionLog: [],
      websocket: {
        eventType: 'MANAGEMENT',
        connectionId,
        ...(target?.label !== undefined ? { client: target.label } : {}),
        frames,
        ...(op === 'DeleteConnection' && result.statusCode === 204 ? { closed: [{ connectionId, ...(target?.label !== undefined ? { client: target.label } : {}), code: 1000, reason: defaultCloseReason(1000), at: at + result.elapsedMs }] } : {}),
      },
    };
    this.emit(trace);
    await this.flush();
    return trace;
  }

  // ---- internals ------------------------------------------------------------------------------

  private base(eventType: EventType, requestId: string, at: number, info: ConnectionInfo, stageName: string): WebSocketInvocation {
    return {
      eventType,
      requestId,
      extendedRequestId: requestId,
      receivedAt: at,
      apiId: this.id,
      apiName: this.draftApi.name,
      region: this.region,
      accountId: this.accountId,
      connection: info,
      stageName,
    };
  }

  private deliver(conn: Connection, frame: DeliveredFrame): void {
    // Direction-agnostic idle: a message either way keeps the connection alive (?).
    conn.lastActiveAt = Math.max(conn.lastActiveAt, frame.at);
    conn.sink.deliver(frame);
  }

  /** API Gateway closes a connection: the client gets a close frame; $disconnect follows (queued). */
  private closeByGateway(conn: Connection, code: number, reason: string, at: number, queue = true): void {
    if (conn.state === 'closed') return;
    conn.state = 'closed';
    conn.closed = { at, code, reason, by: 'gateway' };
    conn.sink.close(code, reason, at);
    if (queue) this.pendingDisconnects.push({ conn, code, reason, at });
  }

  private async flush(): Promise<Trace[]> {
    if (this.flushing) return [];
    this.flushing = true;
    const out: Trace[] = [];
    try {
      for (let next = this.pendingDisconnects.shift(); next; next = this.pendingDisconnects.shift()) {
        out.push(await this.runDisconnect(next.conn, next.code, next.reason, next.at));
      }
    } finally {
      this.flushing = false;
    }
    return out;
  }

  private async runDisconnect(conn: Connection, statusCode: number, reason: string, at: number, why?: 'idle' | 'maxDuration'): Promise<Trace> {
    const requestId = this.deps.ids.extendedRequestId();
    const ctx: WebSocketInvocation = { ...this.base('DISCONNECT', requestId, at, conn.info, conn.stage), disconnect: { statusCode, reason } };
    const run = await runPipeline(this.pipelines.DISCONNECT, ctx, { clock: this.deps.clock, startAt: at });
    const request = makeRequest({ method: 'DISCONNECT', path: `/${conn.stage}`, sourceIp: conn.info.sourceIp });
    const trace = this.toTrace(run, request, { statusCode: 200, headers: {}, body: '', isBase64Encoded: false }, {
      connectionId: conn.info.connectionId,
      ...(conn.label !== undefined ? { client: conn.label } : {}),
      ...(run.ctx.route ? { routeKey: run.ctx.route.routeKey } : {}),
      frames: this.fanOutFrames(run.ctx),
      disconnect: { statusCode, reason },
    });
    const withWhy: Trace = why
      ? {
          ...trace,
          steps: [
            {
              step: why === 'idle' ? 'idleTimeout' : 'maxDuration',
              phase: 'connection',
              outcome: 'continue',
              at,
              durationMs: 0,
              summary:
                why === 'idle'
                  ? `No message for 10 minutes: API Gateway closes the idle connection (close code 1001). Clients keep connections alive by sending a message (protocol pings do not count).`
                  : `The connection reached its 2-hour maximum: API Gateway closes it (1001), however busy it is. Clients must reconnect.`,
              log: [],
            },
            ...trace.steps,
          ],
        }
      : trace;
    this.record(run.ctx, run.endedAt);
    this.emit(withWhy);
    return withWhy;
  }

  /** Frames the integration's @connections calls delivered (a broadcast's fan-out). */
  private fanOutFrames(ctx: WebSocketInvocation): WebSocketFrame[] {
    const frames: WebSocketFrame[] = [];
    for (const c of ctx.serviceCalls ?? []) {
      if (c.service !== 'execute-api' || c.method !== 'PostToConnection' || !c.ok) continue;
      const a = c.args as { ConnectionId: string; Data: string };
      const target = this.registry.get(a.ConnectionId);
      frames.push({ at: c.at + c.elapsedMs, connectionId: a.ConnectionId, ...(target?.label !== undefined ? { client: target.label } : {}), data: a.Data, binary: false, source: 'postToConnection' });
    }
    return frames;
  }

  private frameRecord(f: DeliveredFrame): WebSocketFrame {
    const label = this.registry.get(f.connectionId)?.label;
    return { at: f.at, connectionId: f.connectionId, ...(label !== undefined ? { client: label } : {}), data: f.data, binary: f.binary, source: f.source };
  }

  private toTrace(run: PipelineRun<WebSocketInvocation>, request: HttpRequest, response: HttpResponse, info: Omit<WebSocketTraceInfo, 'eventType'>): Trace {
    const ctx = run.ctx;
    const functionLogs = run.steps.flatMap((s) => (Array.isArray(s.detail?.functionLogs) ? (s.detail!.functionLogs as string[]) : []));
    const serviceCalls = this.serviceCallRecords(ctx);
    return {
      version: TRACE_VERSION,
      id: ctx.requestId,
      api: { type: 'WEBSOCKET', id: this.id, name: ctx.apiName, stage: ctx.stageName },
      request,
      response,
      startedAt: run.startedAt,
      durationMs: run.endedAt - run.startedAt,
      steps: run.steps,
      ...(run.stoppedAt ? { stoppedAt: run.stoppedAt } : {}),
      ...(ctx.error ? { gatewayResponse: { type: ctx.error.type, statusCode: ctx.error.statusCode ?? (ctx.eventType === 'CONNECT' ? ctx.handshake?.statusCode ?? 500 : 200) } } : {}),
      executionLog: run.log.map((e) => `${isoTime(e.at)} (${ctx.requestId}) ${truncateLogLine(e.message)}`),
      ...(functionLogs.length ? { functionLogs } : {}),
      websocket: { eventType: ctx.eventType, ...info, ...(serviceCalls.length ? { serviceCalls } : {}) },
    };
  }

  /** The integration's calls to simulated services, for the trace: who each call was about and how it ended. */
  private serviceCallRecords(ctx: WebSocketInvocation): WebSocketServiceCall[] {
    const out: WebSocketServiceCall[] = [];
    for (const c of ctx.serviceCalls ?? []) {
      const args = (c.args ?? {}) as { ConnectionId?: unknown; TableName?: unknown };
      const target = typeof args.ConnectionId === 'string' ? args.ConnectionId : typeof args.TableName === 'string' ? args.TableName : undefined;
      const client = c.service === 'execute-api' && target !== undefined ? this.registry.get(target)?.label : undefined;
      const okStatus = c.service === 'execute-api' && c.method === 'DeleteConnection' ? 204 : 200;
      out.push({
        at: c.at,
        service: c.service,
        method: c.method,
        ...(target !== undefined ? { target } : {}),
        ...(client !== undefined ? { client } : {}),
        statusCode: c.ok ? okStatus : (c.error?.statusCode ?? 500),
        ...(c.error ? { error: `${c.error.code}${c.error.message ? `: ${c.error.message}` : ''}` } : {}),
        elapsedMs: c.elapsedMs,
      });
    }
    return out;
  }

  /** One sample under each dimension set WebSocket APIs publish: ApiId, ApiId+Stage (ApiId+Stage+Route needs detailed metrics, not simulated). */
  private putMetric(name: (typeof WEBSOCKET_METRICS)[number], stage: string, value: number, at: number): void {
    for (const d of v2DimensionSets(this.id, stage)) this.deps.metrics.put(name, d, value, at);
  }

  /**
   * CloudWatch metrics (reference B5): ConnectCount (events sent to the $connect integration),
   * MessageCount (messages from and to clients), IntegrationError, ClientError, ExecutionError
   * (published as 0 or 1 per event, as API Gateway does, so averages work) and IntegrationLatency.
   */
  private record(ctx: WebSocketInvocation, at: number, outbound = 0): void {
    if (!ctx.stage) return; // an unknown stage has no metrics
    const stage = ctx.stageName;
    if (ctx.eventType === 'CONNECT' && ctx.endpointRequest) this.putMetric('ConnectCount', stage, 1, at);
    if (ctx.eventType === 'MESSAGE') this.putMetric('MessageCount', stage, 1 + outbound, at);
    if (ctx.eventType !== 'DISCONNECT') {
      this.putMetric('ClientError', stage, ctx.errorKind === 'client' ? 1 : 0, at);
      this.putMetric('IntegrationError', stage, ctx.errorKind === 'integration' ? 1 : 0, at);
      this.putMetric('ExecutionError', stage, ctx.errorKind === 'execution' ? 1 : 0, at);
    }
    if (ctx.endpointResponse) this.putMetric('IntegrationLatency', stage, ctx.endpointResponse.latencyMs, at);
  }

  private emit(trace: Trace): void {
    for (const l of this.listeners) l(trace);
  }
}

function describeManagement(op: ManagementOperation, id: string, label: string | undefined, r: ManagementResult): string {
  const who = label ? `${id} (${label})` : id;
  if (r.statusCode === 410) return `${op} ${who}: 410 GoneException — the connection is closed, unknown, or not established yet. Delete the id from your table.`;
  if (r.statusCode === 413) return `${op} ${who}: 413 PayloadTooLargeException — data over 128 KB.`;
  if (r.statusCode >= 400) return `${op} ${who}: ${r.statusCode} ${r.errorType}.`;
  if (op === 'PostToConnection') return `PostToConnection ${who}: 200, the data reaches the client as a frame.`;
  if (op === 'GetConnection') return `GetConnection ${who}: 200 ${r.body}.`;
  return `DeleteConnection ${who}: 204; API Gateway closes the connection and runs $disconnect.`;
}

/** What the trace records before and after each step. */
function snapshotOf(ctx: WebSocketInvocation): Record<string, unknown> {
  return {
    event: {
      eventType: ctx.eventType,
      connectionId: ctx.connection.connectionId,
      ...(ctx.message ? { message: ctx.message.data, binary: ctx.message.binary } : {}),
      ...(ctx.disconnect ? { disconnect: ctx.disconnect } : {}),
      stage: ctx.stageName,
    },
    ...(ctx.route ? { route: { routeKey: ctx.route.routeKey, twoWay: ctx.route.routeResponses.$default !== undefined, integration: ctx.route.integration?.type ?? null } } : {}),
    ...(ctx.selection ? { selection: ctx.selection } : {}),
    ...(ctx.authorizer ? { authorizer: ctx.authorizer } : {}),
    ...(ctx.endpointRequest ? { integrationRequest: ctx.endpointRequest } : {}),
    ...(ctx.endpointResponse ? { endpointResponse: ctx.endpointResponse } : {}),
    ...(ctx.serviceCalls ? { serviceCalls: ctx.serviceCalls } : {}),
    ...(ctx.reply ? { reply: ctx.reply } : {}),
    ...(ctx.send ? { send: ctx.send } : {}),
    ...(ctx.handshake ? { handshake: ctx.handshake } : {}),
    ...(ctx.error ? { error: ctx.error } : {}),
  };
}
