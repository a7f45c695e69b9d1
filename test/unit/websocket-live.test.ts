/**
 * WebSocket APIs over real sockets on 127.0.0.1: `ws` clients against the live endpoint (the
 * adapter in main/live/websocket-adapter.ts), the same engine the scenarios drive. The chat
 * room's Lambda functions store ids in the table and broadcast through @connections; the
 * @connections API is called over plain HTTP on the same origin.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FUNCTION_DEFAULTS } from '../../engine/backends/lambda/service';
import { SystemClock } from '../../engine/core/clock';
import { Gateway } from '../../engine/gateway';
import { loadScenarioFile } from '../../engine/scenario/loader';
import type { Trace } from '../../engine/trace/types';
import { LiveEndpoint } from '../../main/live/live-endpoint';
import { WebSocketAdapter } from '../../main/live/websocket-adapter';

const root = path.resolve(import.meta.dirname, '../..');

/** A real client that remembers every frame and how it closed. */
class Client {
  readonly frames: string[] = [];
  closed?: { code: number; reason: string };
  private waiters: (() => void)[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.frames.push(d.toString());
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static open(url: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const c = new Client(ws);
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Resolve when `test` holds (checked on every frame or close), or fail after 5 s. */
  until(test: () => boolean, what: string): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames)}`)), 5000);
      const check = () => {
        if (!test()) return this.waiters.push(check);
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  private wake(): void {
    const w = this.waiters.splice(0);
    for (const f of w) f();
  }
}

/** The status a refused upgrade answers with, and its body. */
function refusal(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => reject(new Error('the handshake was accepted')));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', () => undefined);
  });
}

function nextTrace(live: LiveEndpoint, test: (t: Trace) => boolean): Promise<Trace> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no such trace')), 5000);
    const off = live.subscribe((t) => {
      if (!test(t)) return;
      clearTimeout(timer);
      off();
      resolve(t);
    });
  });
}

describe('the chat room on the live endpoint, with real ws clients', () => {
  let live: LiveEndpoint;
  beforeAll(async () => {
    const r = loadScenarioFile(path.join(root, 'scenarios/websocket/chat-room.yaml'));
    if (!r.ok) throw new Error('scenario invalid');
    live = await LiveEndpoint.start(r.scenario, { port: 0 });
  });
  afterAll(() => live.close());

  /** Connect, and learn the connection id from the CONNECT trace. */
  async function join(): Promise<{ client: Client; id: string }> {
    const traced = nextTrace(live, (t) => t.websocket?.eventType === 'CONNECT');
    const client = await Client.open(live.url);
    const id = (await traced).websocket!.connectionId;
    return { client, id };
  }

  it('serves ws://127.0.0.1:<port>/<stage>; $connect runs the Lambda that stores the id', async () => {
    expect(live.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/production$/);
    const { client, id } = await join();
    expect(id).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    const items = live.session.gateway.tables.snapshot('connections')!.items;
    expect(items).toContainEqual({ connectionId: id });
    client.ws.close(1000);
    await client.until(() => client.closed !== undefined, 'close');
  });

  it('broadcasts: a Lambda posts to every connection through @connections, and $disconnect deletes ids', async () => {
    const alice = await join();
    const bob = await join();
    const carol = await join();
    alice.client.ws.send(JSON.stringify({ action: 'sendmessage', message: 'hello, everyone!' }));
    for (const c of [alice, bob, carol]) await c.client.until(() => c.client.frames.includes('hello, everyone!'), 'the broadcast');

    // Carol vanishes without a close frame (1006): $disconnect still runs on the live endpoint.
    const gone = nextTrace(live, (t) => t.websocket?.eventType === 'DISCONNECT' && t.websocket.connectionId === carol.id);
    carol.client.ws.terminate();
    const disconnect = await gone;
    expect(disconnect.websocket!.disconnect).toEqual({ statusCode: 1006, reason: 'Connection was closed abnormally' });
    expect(live.session.gateway.tables.snapshot('connections')!.items).not.toContainEqual({ connectionId: carol.id });

    bob.client.ws.send(JSON.stringify({ action: 'sendmessage', message: 'still here?' }));
    await alice.client.until(() => alice.client.frames.includes('still here?'), 'the second broadcast');
    await bob.client.until(() => bob.client.frames.includes('still here?'), 'the sender’s copy');
    alice.client.ws.close();
    bob.client.ws.close();
  });

  it('offers the @connections API over HTTP on the same origin: POST, GET, DELETE, then 410 Gone', async () => {
    const { client, id } = await join();
    const api = `${live.origin}/production/@connections/${encodeURIComponent(id)}`;

    const post = await fetch(api, { method: 'POST', body: 'pushed from outside' });
    expect(post.status).toBe(200);
    await client.until(() => client.frames.includes('pushed from outside'), 'the posted frame');

    const get = await fetch(api);
    expect(get.status).toBe(200);
    const info = (await get.json()) as { connectedAt: string; identity: { sourceIp: string }; lastActiveAt: string };
    expect(info.identity.sourceIp).toBe('127.0.0.1');
    expect(Date.parse(info.connectedAt)).toBeLessThanOrEqual(Date.parse(info.lastActiveAt));

    const big = await fetch(api, { method: 'POST', body: 'x'.repeat(128 * 1024 + 1) });
    expect(big.status).toBe(413);

    const del = await fetch(api, { method: 'DELETE' });
    expect(del.status).toBe(204);
    await client.until(() => client.closed !== undefined, 'the close frame');
    expect(client.closed!.code).toBe(1000);

    const again = await fetch(api, { method: 'POST', body: 'anyone?' });
    expect(again.status).toBe(410);
    expect(again.headers.get('x-amzn-errortype')).toBe('GoneException');

    const noStage = await fetch(`${live.origin}/@connections/${encodeURIComponent(id)}`, { method: 'POST', body: 'x' });
    expect(noStage.status).toBe(403);
  });

  it('answers a message with no route and no $default with the Forbidden frame, and keeps the connection', async () => {
    const { client, id } = await join();
    client.ws.send('not json at all');
    await client.until(() => client.frames.length > 0, 'the error frame');
    expect(client.frames[0]).toMatch(new RegExp(`^\\{"message": "Forbidden", "connectionId":"${id.replace(/[+=]/g, '\\$&')}", "requestId":"[A-Za-z0-9_-]{15}="\\}$`));
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    client.ws.close();
  });

  it('closes a connection with 1009 when a message is over 128 KB', async () => {
    const { client } = await join();
    client.ws.send(JSON.stringify({ action: 'sendmessage', message: 'x'.repeat(130 * 1024) }));
    await client.until(() => client.closed !== undefined, 'the 1009 close');
    expect(client.closed).toEqual({ code: 1009, reason: 'Message too big' });
  });
});

describe('a $connect authorizer over real sockets', () => {
  let live: LiveEndpoint;
  beforeAll(async () => {
    const r = loadScenarioFile(path.join(root, 'scenarios/websocket/connect-authorizer.yaml'));
    if (!r.ok) throw new Error('scenario invalid');
    live = await LiveEndpoint.start(r.scenario, { port: 0 });
  });
  afterAll(() => live.close());

  it('refuses the upgrade with 401 without a token, 403 on a deny, and the $connect status when it refuses', async () => {
    expect(await refusal(live.url)).toEqual({ status: 401, body: '{"message":"Unauthorized"}' });
    expect((await refusal(`${live.url}?token=guess`)).status).toBe(403);
    expect((await refusal(`${live.url}?token=bob-token`)).status).toBe(403);
  });

  it('accepts a valid query-string token; the authorizer context reaches every message', async () => {
    const c = await Client.open(`${live.url}?token=alice-token`);
    c.ws.send(JSON.stringify({ action: 'whoami' }));
    await c.until(() => c.frames.length > 0, 'the whoami reply');
    expect(JSON.parse(c.frames[0]!)).toEqual({ principalId: 'alice', user: 'alice', plan: 'free' });
    c.ws.close();
  });
});

describe('subprotocols over real sockets', () => {
  it('the 101 carries the Sec-WebSocket-Protocol $connect returned; without it a ws client fails the connection', async () => {
    const gateway = new Gateway({ clock: new SystemClock() });
    gateway.lambda.register({
      ...FUNCTION_DEFAULTS,
      environment: {},
      name: 'connect',
      code: `exports.handler = async (e) => (e.headers['Sec-WebSocket-Protocol'] || '').includes('myprotocol') ? { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'myprotocol' } } : { statusCode: 200 };`,
    });
    const host = gateway.createWebSocketApi({ routes: { $connect: { integration: { integrationType: 'AWS_PROXY', function: 'connect' } } } });
    host.deploy('dev');
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const adapter = WebSocketAdapter.attach(server, host);
    try {
      const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/dev`;
      const ok = new WebSocket(url, ['chat1', 'myprotocol']);
      await new Promise((resolve, reject) => (ok.once('open', resolve), ok.once('error', reject)));
      expect(ok.protocol).toBe('myprotocol');
      ok.close();
      const failed = new WebSocket(url, ['other']);
      const err = await new Promise<Error>((resolve) => failed.once('error', resolve));
      expect(err.message).toMatch(/Server sent no subprotocol/);
    } finally {
      adapter.close();
      await new Promise<void>((r) => server.close(() => r()));
      await gateway.close();
    }
  });
});

describe('the WebSocket adapter on any http.Server', () => {
  it('drives a WebSocketApiHost without the live endpoint: MOCK two-way route, idle timeout on the engine clock', async () => {
    const gateway = new Gateway({ clock: new SystemClock() });
    const host = gateway.createWebSocketApi({
      routes: {
        echo: {
          integration: { integrationType: 'MOCK', requestTemplates: { $default: '{"statusCode": 200}' }, integrationResponses: { $default: { responseTemplates: { $default: '{"you":"$context.connectionId"}' } } } },
          routeResponses: { $default: {} },
        },
      },
    });
    host.deploy('dev');
    const server = http.createServer((_req, res) => res.writeHead(426).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const adapter = WebSocketAdapter.attach(server, host, { sweepIntervalMs: 20 });
    try {
      const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect((await refusal(`${url}/nostage`)).status).toBe(403);
      const c = await Client.open(`${url}/dev`);
      c.ws.send('{"action":"echo"}');
      await c.until(() => c.frames.length === 1, 'the echo');
      const id = (JSON.parse(c.frames[0]!) as { you: string }).you;
      expect(host.connection(id)?.state).toBe('open');
      // Ten idle minutes pass on the engine clock: pretend the last message was that long ago.
      (host as unknown as { registry: { get(id: string): { lastActiveAt: number } } }).registry.get(id).lastActiveAt -= 10 * 60_000;
      await c.until(() => c.closed !== undefined, 'the idle close');
      expect(c.closed).toEqual({ code: 1001, reason: 'Going away' });
    } finally {
      adapter.close();
      await new Promise<void>((r) => server.close(() => r()));
      await gateway.close();
    }
  });
});
