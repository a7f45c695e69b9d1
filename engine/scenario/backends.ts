/**
 * Scenario backends: small HTTP servers on 127.0.0.1 that stand in for the services an API
 * calls (https://orders.example.com ...). Fixed routes, an httpbin-style echo, or a sandboxed
 * function. The gateway's HTTP client sends requests for the declared origin here.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gateway } from '../gateway';
import { httpDate } from '../core/time-format';
import type { BackendConfig, BackendRoute } from './types';

export interface RunningBackends {
  close(): Promise<void>;
  readonly ports: Readonly<Record<string, number>>;
}

export async function startBackends(backends: Readonly<Record<string, BackendConfig>>, gateway: Gateway): Promise<RunningBackends> {
  const servers: http.Server[] = [];
  const ports: Record<string, number> = {};
  for (const b of Object.values(backends)) {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        handle(b, req, Buffer.concat(chunks), gateway).then(
          (r) => {
            // The backend's clock is the scenario's virtual clock, so traces stay repeatable.
            res.writeHead(r.status, { Date: httpDate(gateway.clock.now()), ...r.headers });
            res.end(r.body);
          },
          (err: unknown) => {
            res.writeHead(500, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ message: `backend ${b.name} failed: ${err instanceof Error ? err.message : String(err)}` }));
          },
        );
      });
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    ports[b.name] = port;
    servers.push(server);
    gateway.http.mapOrigin(new URL(b.url).origin, { host: '127.0.0.1', port, latencyMs: b.latencyMs });
  }
  return {
    ports,
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
}

async function handle(b: BackendConfig, req: http.IncomingMessage, body: Buffer, gateway: Gateway): Promise<Reply> {
  const url = new URL(req.url ?? '/', b.url);
  const method = (req.method ?? 'GET').toUpperCase();
  const route = b.routes.find((r) => (!r.method || r.method.toUpperCase() === method || r.method === 'ANY') && pathMatches(r, url.pathname));
  if (route) {
    const isText = typeof route.body === 'string';
    const text = route.body === undefined ? '' : isText ? (route.body as string) : JSON.stringify(route.body);
    return {
      status: route.status ?? 200,
      headers: { 'Content-Type': isText ? 'text/plain' : 'application/json', ...route.headers },
      body: text,
    };
  }
  const headers: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i]!] = req.rawHeaders[i + 1]!;
  if (b.function) {
    const query: Record<string, string> = Object.fromEntries(url.searchParams.entries());
    const event = { method, path: url.pathname, query, headers, body: body.toString('utf8') };
    const result = await gateway.lambda.invoke(b.function, JSON.stringify(event), { now: gateway.clock.now() });
    if (result.functionError) {
      return { status: 500, headers: { 'Content-Type': 'application/json' }, body: result.payload };
    }
    const out = JSON.parse(result.payload) as { statusCode?: number; headers?: Record<string, string>; body?: unknown } | null;
    const outBody = out?.body === undefined ? '' : typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
    return { status: out?.statusCode ?? 200, headers: { 'Content-Type': 'application/json', ...(out?.headers ?? {}) }, body: outBody };
  }
  if (b.echo) {
    const text = body.toString('utf8');
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    const args: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) args[k] = args[k] === undefined ? v : ([] as string[]).concat(args[k]!, v);
    const echo = { args, data: text, files: {}, form: {}, headers, json, method, origin: req.socket.remoteAddress ?? '127.0.0.1', url: url.toString() };
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(echo, null, 2) };
  }
  return { status: 404, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message: `${b.name} has no route for ${method} ${url.pathname}` }) };
}

function pathMatches(route: BackendRoute, path: string): boolean {
  const pattern = new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
  return pattern.test(path);
}
