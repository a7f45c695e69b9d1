/**
 * Real WebSocket clients (wscat, a browser, the `ws` package) on a simulated WebSocket API: this
 * adapter answers the `upgrade` requests of an http.Server on 127.0.0.1 and carries frames
 * between the sockets and a WebSocketApiHost. The engine decides everything, exactly as for the
 * scenario's simulated clients: $connect runs while the upgrade waits (101, or the refusal's
 * status as a plain HTTP response), each message goes through route selection, frames the
 * engine sends (route responses, error frames, @connections posts) are written to the socket,
 * and a close from either side runs $disconnect. Idle timeouts and the 2-hour limit run on the
 * engine clock, checked every second.
 *
 * The live endpoint (live-endpoint.ts) attaches it to its server; tests attach it to their own.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { HttpRequest } from '../../engine/core/http';
import type { ConnectionSink, DeliveredFrame } from '../../engine/websocket/connections';
import type { WebSocketApiHost } from '../../engine/websocket/websocket-api-host';

export interface WebSocketAdapterOptions {
  /** How often idle and 2-hour limits are checked (ms, default 1000). */
  readonly sweepIntervalMs?: number;
}

/**
 * ws itself refuses larger messages (with 1009) before the engine sees them. Well above the
 * 128 KB quota, so the engine's own 1009 (with its trace) is what clients normally get.
 */
const SOCKET_MAX_PAYLOAD = 1024 * 1024;

export class WebSocketAdapter {
  /** The subprotocol $connect chose for each pending upgrade (none: the 101 carries no Sec-WebSocket-Protocol). */
  private readonly subprotocols = new WeakMap<http.IncomingMessage, string>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: SOCKET_MAX_PAYLOAD,
    perMessageDeflate: false,
    // API Gateway answers with the subprotocol the $connect integration returned, or with none.
    handleProtocols: (_offered, req) => this.subprotocols.get(req) ?? false,
  });
  private readonly sockets = new Map<string, WebSocket>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    void this.upgrade(req, socket, head).catch(() => socket.destroy());
  };

  private constructor(
    private readonly server: http.Server,
    readonly host: WebSocketApiHost,
    options: WebSocketAdapterOptions,
  ) {
    server.on('upgrade', this.onUpgrade);
    this.sweeper = setInterval(() => void this.host.expire(Date.now()).catch(() => undefined), options.sweepIntervalMs ?? 1000);
    this.sweeper.unref();
  }

  /** Answer the server's WebSocket upgrades with this API. */
  static attach(server: http.Server, host: WebSocketApiHost, options: WebSocketAdapterOptions = {}): WebSocketAdapter {
    return new WebSocketAdapter(server, host, options);
  }

  /** Open sockets, by connection id. */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Stop answering upgrades and drop every socket (the server is the caller's to close). */
  close(): void {
    this.server.off('upgrade', this.onUpgrade);
    clearInterval(this.sweeper);
    for (const ws of this.sockets.values()) ws.terminate();
    this.sockets.clear();
    this.wss.close();
  }

  private async upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return refuse(socket, 400, '');
    const request = upgradeRequest(req);
    const peer = `${request.sourceIp}:${req.socket.remotePort ?? 0}`;
    // Frames can come before the socket exists (a @connections post right after $connect): keep them.
    let ws: WebSocket | undefined;
    const pending: (DeliveredFrame | { close: [number, string] })[] = [];
    let closedByGateway = false;
    const sink: ConnectionSink = {
      deliver: (frame) => (ws ? send(ws, frame) : pending.push(frame)),
      close: (code, reason) => {
        closedByGateway = true;
        if (ws) ws.close(code, reason);
        else pending.push({ close: [code, reason] });
      },
    };
    const result = await this.host.connect(request, sink, { label: peer, at: Date.now() });
    if (!result.accepted || !result.connectionId) return refuse(socket, result.statusCode, result.body);
    const id = result.connectionId;
    if (result.subprotocol !== undefined) this.subprotocols.set(req, result.subprotocol);
    if (socket.destroyed) {
      // The client gave up while $connect ran: for API Gateway that is a disconnect.
      await this.host.clientDrop(id);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (client) => {
      ws = client;
      this.sockets.set(id, client);
      for (const p of pending.splice(0)) {
        if ('close' in p) client.close(...p.close);
        else send(client, p);
      }
      client.on('message', (data: RawData, isBinary: boolean) => {
        const bytes = toBuffer(data);
        const message = isBinary ? { data: bytes.toString('base64'), binary: true } : { data: bytes.toString('utf8'), binary: false };
        void this.host.message(id, message, { at: Date.now() }).catch(() => undefined);
      });
      client.on('close', (code: number, reason: Buffer) => {
        this.sockets.delete(id);
        if (closedByGateway) return;
        // 1005: a close frame without a status; 1006: no close frame at all (the peer vanished).
        const text = reason.toString('utf8');
        const done = code === 1006 ? this.host.clientDrop(id, { at: Date.now() }) : this.host.clientClose(id, code === 1005 ? undefined : code, text, { at: Date.now() });
        void done.catch(() => undefined);
      });
      client.on('error', () => client.terminate());
    });
  }
}

function send(ws: WebSocket, frame: DeliveredFrame): void {
  if (ws.readyState !== WebSocket.OPEN) return;
  ws.send(frame.binary ? Buffer.from(frame.data, 'base64') : frame.data, { binary: frame.binary });
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** The handshake refused: a plain HTTP response with the status $connect (or the authorizer) chose. */
function refuse(socket: Duplex, statusCode: number, body: string): void {
  if (socket.destroyed) return;
  const payload = Buffer.from(body, 'utf8');
  socket.end(
    `HTTP/1.1 ${statusCode} ${http.STATUS_CODES[statusCode] ?? 'Error'}\r\n` +
      `Connection: close\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n${body}`,
  );
}

/** The upgrade request as the engine sees it: `GET /{stage}?query` with the client's headers. */
function upgradeRequest(req: http.IncomingMessage): HttpRequest {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const headers: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    // Hop-by-hop handshake headers are the gateway's business, not the backend's (?).
    if (/^(connection|upgrade)$/i.test(name)) continue;
    (headers[name] ??= []).push(req.rawHeaders[i + 1]!);
  }
  return {
    method: 'GET',
    path: q < 0 ? raw : raw.slice(0, q),
    rawQuery: q < 0 ? '' : raw.slice(q + 1),
    headers,
    body: null,
    isBase64Encoded: false,
    sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
  };
}
