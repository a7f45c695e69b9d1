/**
 * What each transport adds around the contract: the IPC sender check, the web host's Host and
 * Origin checks, static files and their headers, malformed bridge messages, and cleanup when a
 * renderer goes away.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ipcChannel } from '../../engine/api/calls';
import { CONTENT_SECURITY_POLICY } from '../../main/host/content-security-policy';
import { ipcHarness, value, webSocketHarness } from './transports';

function get(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Open a raw bridge socket; resolves with it open, or with the HTTP status that refused it. */
function rawSocket(port: number, origin: string | undefined, host = `127.0.0.1:${port}`): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { ...(origin ? { origin } : {}), headers: { host } });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

function nextMessage(ws: WebSocket): Promise<any> {
  return new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
}

describe('Electron IPC transport', () => {
  it('refuses calls from a frame that is not the app’s page', async () => {
    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///tmp/x.html', parent: null },
      { url: 'app://gateway-lab/index.html', parent: {} },
      { url: 'app://other/index.html', parent: null },
    ]) {
      const h = await ipcHarness({ frame });
      const r = await h.api.listScenarios();
      expect(r).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
      await h.close();
    }
  });

  it('answers raw invokes with bad arguments with an error value', async () => {
    const h = await ipcHarness();
    expect(await h.invokeRaw(ipcChannel('runStep'), 's1', 10n)).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('not plain JSON') } });
    expect(await h.invokeRaw(ipcChannel('runStep'), new Map(), new Date())).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await h.invokeRaw(ipcChannel('openSession'), 'bundled:rest/hello-mock.yaml', undefined, undefined)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await h.invokeRaw(ipcChannel('openSession'), 'bundled:rest/hello-mock.yaml')).toMatchObject({ ok: true });
    await expect(h.invokeRaw('gateway-lab:nope')).rejects.toThrow(/No handler registered/);
    // The preload exposes the GatewayApi functions and nothing else.
    const api = h.api as unknown as Record<string, unknown>;
    expect(api.ipcRenderer).toBeUndefined();
    expect(Object.keys(api).sort()).toEqual(
      ['cancelLoad', 'closeSession', 'compare', 'estimateCost', 'exportTrace', 'hostInfo', 'listScenarios', 'listTemplates', 'on', 'openScenarioDialog', 'openScenarioText', 'openSession', 'renderTemplate', 'resetSession', 'runStep', 'sendRequest', 'startLive', 'startLoad', 'stopLive'].sort(),
    );
    await h.close();
  });
});

describe('web host', () => {
  let h: Awaited<ReturnType<typeof webSocketHarness>>;
  beforeAll(async () => {
    h = await webSocketHarness();
    fs.mkdirSync(path.join(h.rendererDir, 'assets'));
    fs.writeFileSync(path.join(h.rendererDir, 'assets', 'app.js'), 'console.log(1)');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('listens on 127.0.0.1 and prints that URL', () => {
    expect(h.url).toBe(`http://127.0.0.1:${h.port}/`);
  });

  it('serves the renderer with a strict CSP', async () => {
    const index = await get(h.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    const js = await get(h.port, '/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await get(h.port, '/nope.js')).status).toBe(404);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/assets/../../etc/passwd']) {
      const r = await get(h.port, p);
      expect([403, 404], p).toContain(r.status);
    }
  });

  it('refuses other Host names (DNS rebinding) and methods', async () => {
    expect((await get(h.port, '/', { host: 'evil.example' })).status).toBe(421);
    expect((await get(h.port, '/', { host: `localhost:${h.port}` })).status).toBe(200);
  });

  it('refuses bridge connections from other origins', async () => {
    expect(await rawSocket(h.port, 'https://evil.example')).toBe(403);
    expect(await rawSocket(h.port, undefined)).toBe(403);
    expect(await rawSocket(h.port, `http://127.0.0.1:${h.port}`, 'evil.example')).toBe(403);
    const ok = await rawSocket(h.port, `http://localhost:${h.port}`, `localhost:${h.port}`);
    expect(ok).toBeInstanceOf(WebSocket);
    (ok as WebSocket).close();
  });

  it('answers malformed messages with an error, and keeps the connection', async () => {
    const ws = (await rawSocket(h.port, `http://127.0.0.1:${h.port}`)) as WebSocket;
    for (const [msg, id] of [
      ['not json', -1],
      ['[]', -1],
      [JSON.stringify({ call: 'hostInfo', args: [] }), -1],
      [JSON.stringify({ id: 7, call: 'nope', args: [] }), 7],
      [JSON.stringify({ id: 8, call: 'hostInfo', args: {} }), 8],
      [JSON.stringify({ id: 9, call: 'runStep', args: ['s1'] }), 9],
    ] as const) {
      const reply = nextMessage(ws);
      ws.send(msg);
      expect(await reply, msg).toMatchObject({ type: 'result', id, result: { ok: false, error: { code: 'invalid-argument' } } });
    }
    const reply = nextMessage(ws);
    ws.send(JSON.stringify({ id: 10, call: 'hostInfo', args: [] }));
    expect(await reply).toMatchObject({ type: 'result', id: 10, result: { ok: true, value: { host: 'web' } } });
    ws.close();
  });

  it('closes a socket’s sessions when it goes away, and the client reports the loss', async () => {
    const other = await webSocketHarness();
    const { sessionId } = value(await other.api.openSession('bundled:rest/hello-mock.yaml'));
    const closed = new Promise((resolve) => other.api.on('connection', resolve));
    await other.close();
    expect(await closed).toEqual({ state: 'closed' });
    expect(await other.api.runStep(sessionId, 1)).toMatchObject({ ok: false, error: { code: 'transport' } });
  });
});
