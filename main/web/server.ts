/**
 * The web host: the built renderer and the GatewayApi WebSocket bridge on 127.0.0.1, so the same
 * UI runs in any browser (and the end-to-end tests drive it with Chromium).
 *
 * Only this machine can connect (127.0.0.1), and only the app's own page may use the bridge: the
 * Host header must name this server (no DNS rebinding) and a WebSocket's Origin must be this
 * server's origin (no cross-site WebSocket hijacking from another page in the same browser).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_PATH, type BridgeMessage, isGatewayCall } from '../../engine/api/calls';
import type { ApiResult } from '../../engine/api/types';
import { CONTENT_SECURITY_POLICY } from '../host/content-security-policy';
import type { GatewayService } from '../host/gateway-service';
import { contentType, fileForUrlPath } from '../host/static-files';

export interface WebHostOptions {
  readonly service: GatewayService;
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  /** 0: a free port. */
  readonly port: number;
}

export interface WebHost {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}


const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const rendererDir = path.resolve(options.rendererDir);
  let port = options.port;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  const server = http.createServer((req, res) => {
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (!allowedHosts().includes(req.headers.host ?? '')) return send(421, 'Misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method not allowed', { allow: 'GET, HEAD' });
    let urlPath: string;
    try {
      urlPath = new URL(req.url ?? '/', 'http://host').pathname;
    } catch {
      return send(400, 'Bad request');
    }
    const file = fileForUrlPath(rendererDir, urlPath === '/favicon.ico' ? '/favicon.svg' : urlPath);
    if (file === null) return send(403, 'Forbidden');
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return send(404, 'Not found');
      const html = path.extname(file) === '.html';
      res.writeHead(200, {
        'content-type': contentType(file),
        'content-length': String(st.size),
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'cache-control': html ? 'no-store' : 'no-cache',
      });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).pipe(res);
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const pathname = (req.url ?? '').split('?')[0];
    const ok = pathname === BRIDGE_PATH && allowedHosts().includes(req.headers.host ?? '') && allowedOrigins().includes(req.headers.origin ?? '');
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => bridge(ws, options.service));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One WebSocket = one GatewayConnection: calls in, results and events out, as JSON text frames. */
function bridge(ws: WebSocket, service: GatewayService): void {
  const send = (m: BridgeMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const connection = service.connect((event, payload) => send({ type: 'event', event, payload }));
  ws.on('close', () => void connection.close());
  ws.on('error', () => void connection.close());
  ws.on('message', (data, isBinary) => {
    void (async () => {
      let id: number | null = null;
      let result: ApiResult<unknown>;
      try {
        if (isBinary) throw new Error('binary frames are not part of the protocol');
        const msg = JSON.parse(data.toString()) as { id?: unknown; call?: unknown; args?: unknown };
        if (typeof msg !== 'object' || msg === null) throw new Error('a message is a JSON object');
        if (typeof msg.id === 'number' && Number.isSafeInteger(msg.id)) id = msg.id;
        if (id === null) throw new Error('a call needs a numeric id');
        if (!isGatewayCall(msg.call)) throw new Error(`unknown call "${String(msg.call)}"`);
        if (!Array.isArray(msg.args)) throw new Error('args must be an array');
        result = await connection.call(msg.call, msg.args);
      } catch (err) {
        result = { ok: false, error: { code: 'invalid-argument', message: err instanceof Error ? err.message : String(err) } };
      }
      // A message without a usable id still gets its error, under id -1.
      send({ type: 'result', id: id ?? -1, result });
    })();
  });
}
