/**
 * Just enough of the `electron` module to run the built main process (out/main/index.js) under
 * Node, where the Electron binary is not available, and record what it asked Electron to do.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const USER_DATA = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-lab-userdata-'));

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export const recorded = {
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  ipcHandlers: new Map<string, Handler>(),
  windows: [] as FakeBrowserWindow[],
  menuTemplate: null as unknown[] | null,
  opened: [] as string[],
  permissionRequest: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
  permissionCheck: null as null | ((...a: unknown[]) => boolean),
  deviceCheck: null as null | ((...a: unknown[]) => boolean),
};

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly sent: { channel: string; message: unknown }[] = [];
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  mainFrame = { url: 'app://gateway-lab/index.html', parent: null };
  isDestroyed() {
    return false;
  }
  send(channel: string, message: unknown) {
    this.sent.push({ channel, message: structuredClone(message) });
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
}

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  getAppPath: () => ROOT,
  getPath: (name: string) => (name === 'userData' ? USER_DATA : os.tmpdir()),
  whenReady: () => Promise.resolve(),
  sandboxed: false,
  enableSandbox() {
    this.sandboxed = true;
  },
  quit: () => undefined,
});

export class FakeBrowserWindow extends EventEmitter {
  static getAllWindows = () => recorded.windows;
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  constructor(readonly options: Record<string, any>) {
    super();
    recorded.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  maximize() {}
  show() {}
  isDestroyed() {
    return false;
  }
  isMaximized() {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: this.options.width, height: this.options.height };
  }
}

export const electron = {
  app,
  BrowserWindow: FakeBrowserWindow,
  ipcMain: {
    handle: (channel: string, h: Handler) => void recorded.ipcHandlers.set(channel, h),
    removeHandler: (channel: string) => void recorded.ipcHandlers.delete(channel),
  },
  protocol: {
    registerSchemesAsPrivileged: (s: unknown[]) => void recorded.schemes.push(...s),
    handle: (scheme: string, h: (r: Request) => Promise<Response>) => void recorded.protocolHandlers.set(scheme, h),
  },
  net: {
    // Electron's net.fetch reads file: URLs; Node's fetch does not.
    fetch: async (url: string) => {
      const file = fileURLToPath(url);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return new Response('', { status: 404 });
      return new Response(fs.readFileSync(file));
    },
  },
  Menu: {
    buildFromTemplate: (t: unknown[]) => {
      recorded.menuTemplate = t;
      return { template: t };
    },
    setApplicationMenu: () => undefined,
  },
  dialog: {
    showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    showErrorBox: () => undefined,
  },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h: typeof recorded.permissionRequest) => void (recorded.permissionRequest = h),
      setPermissionCheckHandler: (h: typeof recorded.permissionCheck) => void (recorded.permissionCheck = h),
      setDevicePermissionHandler: (h: typeof recorded.deviceCheck) => void (recorded.deviceCheck = h),
    },
  },
  shell: { openExternal: async (url: string) => void recorded.opened.push(url) },
};
