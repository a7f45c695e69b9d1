/**
 * The built Electron main process (out/main/index.js, what the packaged app runs), loaded under
 * Node with a stand-in `electron` module: the Electron binary cannot run here, but everything the
 * main process decides can be checked: the window's security settings, the `app:` protocol, the
 * IPC handlers over the bundled engine (scenario schema and Lambda sandbox worker included), the
 * permission, navigation and new-window policies, and the menu.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, GATEWAY_API_CALLS, ipcChannel } from '../../engine/api/calls';
import type { ApiResult } from '../../engine/api/types';
import { ensureBuilt } from '../../main/host/build';
import { CONTENT_SECURITY_POLICY } from '../../main/host/content-security-policy';
import { type FakeBrowserWindow, type FakeWebContents, ROOT, USER_DATA, recorded } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

let win: FakeBrowserWindow;

async function call(name: string, args: unknown[], frame: { url: string; parent: unknown } = { url: 'app://gateway-lab/index.html', parent: null }): Promise<ApiResult<any>> {
  const h = recorded.ipcHandlers.get(ipcChannel(name as (typeof GATEWAY_API_CALLS)[number]));
  if (!h) throw new Error(`no handler for ${name}`);
  return (await h({ senderFrame: frame, sender: win.webContents }, ...structuredClone(args))) as ApiResult<any>;
}

beforeAll(async () => {
  await ensureBuilt('all');
  await import(pathToFileURL(path.join(ROOT, 'out/main/index.js')).href);
  win = recorded.windows[0]!;
}, 180_000);

afterAll(async () => {
  const { app } = await import('./fake-electron');
  app.emit('before-quit');
  win?.emit('closed');
  await new Promise((r) => setTimeout(r, 100));
  fs.rmSync(USER_DATA, { recursive: true, force: true });
});

describe('Electron main process (built bundle, stand-in electron module)', () => {
  it('creates one window with the secure webPreferences and the app: page', async () => {
    expect(recorded.windows).toHaveLength(1);
    const prefs = win.options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(prefs.preload).toBe(path.join(ROOT, 'out/preload/index.cjs'));
    expect(fs.existsSync(prefs.preload)).toBe(true);
    expect(win.loadedUrl).toBe('app://gateway-lab/index.html');
    const { app } = await import('./fake-electron');
    expect(app.sandboxed).toBe(true);
    expect(recorded.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves the renderer on app://gateway-lab with the CSP, and nothing outside it', async () => {
    const handle = recorded.protocolHandlers.get('app')!;
    const index = await handle(new Request('app://gateway-lab/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<div id="root">');
    expect((await handle(new Request('app://gateway-lab/%2e%2e/%2e%2e/package.json'))).status).toBeGreaterThanOrEqual(403);
    expect((await handle(new Request('app://elsewhere/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://gateway-lab/missing.js'))).status).toBe(404);
  });

  it('registers one IPC handler per GatewayApi call, and nothing else', () => {
    expect([...recorded.ipcHandlers.keys()].sort()).toEqual(GATEWAY_API_CALLS.map(ipcChannel).sort());
  });

  it('runs scenarios through the bundled engine, Lambda sandbox worker included', async () => {
    const list = await call('listScenarios', []);
    expect(list.ok).toBe(true);
    const pets = (list.ok ? list.value : []).find((s: { id: string }) => s.id === 'rest-lambda-proxy-crud');
    expect(pets).toBeDefined();
    const session = await call('openSession', [pets.ref]);
    if (!session.ok) throw new Error(session.error.message);
    const step = await call('runStep', [session.value.sessionId, 1]);
    if (!step.ok) throw new Error(step.error.message);
    expect(step.value.passed).toBe(true);
    expect(step.value.traces.REST.steps.some((s: { step: string }) => s.step === 'integration')).toBe(true);
    expect(win.webContents.sent.some((m) => m.channel === EVENT_CHANNEL && (m.message as { event: string }).event === 'trace')).toBe(true);
    expect((await call('closeSession', [session.value.sessionId])).ok).toBe(true);
  });

  it('refuses IPC from other pages and frames, and bad arguments', async () => {
    expect(await call('listScenarios', [], { url: 'https://evil.example/', parent: null })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('listScenarios', [], { url: 'app://gateway-lab/index.html', parent: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('runStep', ['s1', 'x'])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const h = recorded.ipcHandlers.get(ipcChannel('hostInfo'))!;
    expect(await h({ senderFrame: null, sender: win.webContents })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('says it is the Electron host, with a native file dialog', async () => {
    expect(await call('hostInfo', [])).toMatchObject({ ok: true, value: { host: 'electron', capabilities: { nativeFileDialog: true } } });
    expect(await call('openScenarioDialog', [])).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });

  it('denies permissions, navigation, webviews and new windows; opens only vetted links outside', () => {
    let granted: boolean | undefined;
    recorded.permissionRequest!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect(recorded.permissionCheck!({}, 'clipboard-read')).toBe(false);
    expect(recorded.deviceCheck!({})).toBe(false);

    const wc: FakeWebContents = win.webContents;
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
      wc.emit(event, e, 'https://evil.example/');
      expect(e.defaultPrevented, event).toBe(true);
    }
    expect(wc.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'https://docs.aws.amazon.com/apigateway/' })).toEqual({ action: 'deny' });
    expect(recorded.opened).toEqual(['https://docs.aws.amazon.com/apigateway/']);
  });

  it('has the expected menus and shortcuts', () => {
    const items: { label?: string; role?: string; accelerator?: string }[] = [];
    const walk = (list: unknown[]) => {
      for (const i of list as { submenu?: unknown[] }[]) {
        items.push(i as never);
        if (Array.isArray(i.submenu)) walk(i.submenu);
      }
    };
    walk(recorded.menuTemplate!);
    expect(items.find((i) => i.label?.startsWith('Open Scenario'))?.accelerator).toBe('CmdOrCtrl+O');
    expect(items.find((i) => i.role === 'reload')?.accelerator).toBe('CmdOrCtrl+R');
    for (const role of ['zoomIn', 'zoomOut', 'resetZoom', 'toggleDevTools']) expect(items.some((i) => i.role === role), role).toBe(true);
  });

  it('closes a page’s sessions when it reloads', async () => {
    const session = await call('openSession', ['bundled:rest/hello-mock.yaml']);
    if (!session.ok) throw new Error(session.error.message);
    win.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true });
    expect((await call('runStep', [session.value.sessionId, 1])).ok).toBe(true);
    win.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    await new Promise((r) => setTimeout(r, 50));
    expect(await call('runStep', [session.value.sessionId, 2])).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('remembers the window size', () => {
    win.emit('close');
    const saved = JSON.parse(fs.readFileSync(path.join(USER_DATA, 'window-state.json'), 'utf8'));
    expect(saved).toMatchObject({ width: win.options.width, height: win.options.height, x: 10, y: 20, maximized: false });
  });
});
