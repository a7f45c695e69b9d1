/**
 * The live endpoint: a real HTTP listener on 127.0.0.1 that serves a scenario's (or an OpenAPI
 * document's) API through the same engine, on the system clock. curl, Postman, a browser front
 * end or a load generator talk to it; every request becomes a trace, and only a bounded window
 * of recent traces is kept so memory stays flat under load.
 *
 * A WebSocket API is served on the same origin: `ws://127.0.0.1:<port>/<stage>` for clients
 * (wscat, browsers; websocket-adapter.ts), and its @connections management API over plain HTTP
 * at `/<stage>/@connections/<connectionId>`. Connects, messages, disconnects and @connections
 * calls all become traces.
 *
 * The scenario's identity provider is served under the same origin
 * (/_gateway-lab/identity/...), with tokens whose `iss` is that URL, so real clients can fetch
 * tokens and authorizers fetch the JWKS over real HTTP.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SystemClock } from '../../engine/core/clock';
import type { HttpRequest, HttpResponse } from '../../engine/core/http';
import { ScenarioSession } from '../../engine/scenario/session';
import type { Scenario } from '../../engine/scenario/types';
import type { GatewayType, Trace } from '../../engine/trace/types';
import { WebSocketAdapter } from './websocket-adapter';

export const IDENTITY_PATH = '/_gateway-lab/identity';

export interface LiveEndpointOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  /** Which API of a comparison scenario to serve (default: the first). */
  readonly gateway?: GatewayType;
  /** How many recent traces to keep (default 200). */
  readonly keepTraces?: number;
}

export type TraceListener = (trace: Trace) => void;

export class LiveEndpoint {
  private readonly recent: Trace[] = [];
  private readonly listeners = new Set<TraceListener>();
  private websocket?: { readonly adapter: WebSocketAdapter; readonly unsubscribe: () => void };
  private constructor(
    private readonly server: http.Server,
    readonly session: ScenarioSession,
    readonly origin: string,
    readonly gateway: GatewayType,
    private readonly keep: number,
  ) {}

  static async start(scenario: Scenario, options: LiveEndpointOptions = {}): Promise<LiveEndpoint> {
    const server = http.createServer();
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let session: ScenarioSession;
    try {
      session = await ScenarioSession.open(liveScenario(scenario, `${origin}${IDENTITY_PATH}`), {
        clock: new SystemClock(),
        // Real traffic gets fresh ids on every start, as AWS's would.
        seed: `${scenario.seed}:${randomUUID()}`,
        allowNetwork: true,
        identityInProcess: false,
      });
    } catch (err) {
      server.close();
      throw err;
    }
    const gateway = options.gateway ?? scenario.gateways[0]!;
    const live = new LiveEndpoint(server, session, origin, gateway, options.keepTraces ?? 200);
    server.on('request', (req, res) => live.onRequest(req, res));
    const ws = session.websocket;
    if (gateway === 'WEBSOCKET' && ws) {
      // Every WebSocket event (and every @connections call, whoever makes it) reaches us from the API host.
      live.websocket = { adapter: WebSocketAdapter.attach(server, ws.host), unsubscribe: ws.host.subscribe((t) => live.record(t)) };
    }
    return live;
  }

  /** The URL clients call: the origin plus the stage for REST APIs. */
  get url(): string {
    if (this.gateway === 'REST') return `${this.origin}/${this.session.scenario.stage.name}`;
    if (this.gateway === 'WEBSOCKET') return `${this.origin.replace(/^http:/, 'ws:')}/${this.session.scenario.stage.name}`;
    // HTTP APIs: the root URL serves the $default stage; a named stage is the first path segment.
    const api = this.session.scenario.apis.HTTP;
    const stage = api?.kind === 'http' ? Object.keys(api.definition.stages ?? {})[0] : undefined;
    return stage && stage !== '$default' ? `${this.origin}/${stage}` : this.origin;
  }

  /** The most recent traces, oldest first. */
  traces(): readonly Trace[] {
    return this.recent;
  }

  subscribe(listener: TraceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.websocket?.unsubscribe();
    this.websocket?.adapter.close();
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
    await this.session.close();
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Past 10 MB the gateway answers 413 anyway; stop buffering what it would refuse.
      if (size <= 10_485_760 + 1) chunks.push(c);
    });
    req.on('end', () => {
      void this.serve(req, Buffer.concat(chunks), res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: `Gateway Lab failed to serve this request: ${err instanceof Error ? err.message : String(err)}` }));
      });
    });
    req.on('error', () => res.destroy());
  }

  private async serve(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    if (rawUrl.startsWith(IDENTITY_PATH)) return this.serveIdentity(rawUrl, res);
    const trace = await this.session.handleHttp(toHttpRequest(req, body), this.gateway);
    writeResponse(res, trace.response, req.method === 'HEAD');
    // The WebSocket API host reports its @connections traces itself (subscribed in start).
    if (!this.websocket) this.record(trace);
  }

  private record(trace: Trace): void {
    this.recent.push(trace);
    if (this.recent.length > this.keep) this.recent.splice(0, this.recent.length - this.keep);
    for (const l of this.listeners) l(trace);
  }

  private serveIdentity(rawUrl: string, res: http.ServerResponse): void {
    const idp = this.session.identity;
    const url = new URL(rawUrl, this.origin);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(value));
    };
    if (!idp) return json(404, { message: 'this scenario declares no identity provider' });
    const rest = url.pathname.slice(IDENTITY_PATH.length);
    if (rest === '/.well-known/openid-configuration') return json(200, idp.openidConfiguration());
    if (rest === '/.well-known/jwks.json') return json(200, idp.jwks());
    if (rest === '/token') {
      // A development convenience, not OAuth: /token?name=alice mints the scenario's named token.
      const name = url.searchParams.get('name') ?? url.searchParams.get('user');
      if (!name) return json(400, { message: 'pass ?name=<token or user name from the scenario>' });
      try {
        const token = idp.mintNamed(name);
        return json(200, { access_token: token, token_type: 'Bearer', expires_in: idp.config.tokenLifetimeSeconds ?? 3600 });
      } catch (err) {
        return json(400, { message: err instanceof Error ? err.message : String(err) });
      }
    }
    return json(404, { message: 'unknown identity endpoint' });
  }
}

/** The scenario as the live endpoint serves it: its issuer moved under the live origin. */
export function liveScenario(scenario: Scenario, issuer: string): Scenario {
  const original = scenario.identity?.issuer;
  if (!original) return scenario;
  let text = JSON.stringify(scenario.apis).split(JSON.stringify(original).slice(1, -1)).join(issuer);
  // Cognito authorizers name the pool by ARN; point them at the live issuer too.
  const pool = /^https:\/\/cognito-idp\.([^.]+)\.amazonaws\.com\/(.+)$/.exec(original);
  if (pool) text = text.replace(new RegExp(`arn:aws:cognito-idp:${pool[1]}:[0-9]*:userpool/${pool[2]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g'), issuer);
  const rewritten = JSON.parse(text) as Scenario['apis'];
  return { ...scenario, apis: rewritten, identity: { ...scenario.identity!, issuer } };
}

export function toHttpRequest(req: http.IncomingMessage, body: Buffer): HttpRequest {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const headers: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) (headers[req.rawHeaders[i]!] ??= []).push(req.rawHeaders[i + 1]!);
  let text: string | null = null;
  let isBase64Encoded = false;
  if (body.length > 0) {
    const decoded = body.toString('utf8');
    if (Buffer.byteLength(decoded) === body.length && !decoded.includes('\uFFFD')) text = decoded;
    else {
      text = body.toString('base64');
      isBase64Encoded = true;
    }
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: q < 0 ? raw : raw.slice(0, q),
    rawQuery: q < 0 ? '' : raw.slice(q + 1),
    headers,
    body: text,
    isBase64Encoded,
    sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
  };
}

/** Connection management is the HTTP server's job; the trace's hop-by-hop headers are not copied. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade']);

export function writeResponse(res: http.ServerResponse, response: HttpResponse, head: boolean): void {
  // One flat [name, value, name, value...] list: writeHead takes it as is, without the
  // per-header bookkeeping of setHeader (a measurable share of a MOCK request's cost).
  const flat: string[] = [];
  for (const name in response.headers) {
    if (HOP_BY_HOP.has(name.toLowerCase())) continue;
    const values = response.headers[name]!;
    for (let i = 0; i < values.length; i++) flat.push(name, values[i]!);
  }
  res.writeHead(response.statusCode, flat);
  if (head) res.end();
  // A string body lets Node send the headers and the body in one write instead of a writev.
  else if (response.isBase64Encoded) res.end(Buffer.from(response.body, 'base64'));
  else res.end(response.body, 'utf8');
}
