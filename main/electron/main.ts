/**
 * The Electron main process: one window on the renderer, the engine behind GatewayApi over IPC.
 *
 * Security (Electron's checklist, DESIGN.md "Hosts"): contextIsolation, sandbox, no Node in the
 * renderer, a strict CSP sent with every page, the page served from a custom `app:` origin (not
 * file://), navigation and new windows denied, permission requests denied, every IPC call
 * sender-checked and schema-validated. Handler code from scenarios runs in QuickJS on a worker
 * thread (the engine's sandbox), never on this thread.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, Menu, type MenuItemConstructorOptions, type OpenDialogOptions, app, dialog, ipcMain, net, protocol, screen, session, shell } from 'electron';
import { GatewayService, readAppVersion } from '../host/gateway-service';
import { contentType, fileForUrlPath } from '../host/static-files';
import { registerGatewayIpc } from './ipc';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, denyAllPermissions, hardenWebContents, isSafeExternalUrl, isTrustedAppFrame } from './security';
import { loadWindowState, trackWindowState } from './window-state';

const isDev = !app.isPackaged;
/** electron-vite's dev server, in development only. */
const devUrl = isDev ? process.env.ELECTRON_RENDERER_URL : undefined;
const devOrigin = devUrl ? new URL(devUrl).origin : undefined;

const appRoot = app.getAppPath();
const rendererDir = path.join(appRoot, 'out', 'renderer');
const preloadPath = path.join(appRoot, 'out', 'preload', 'index.cjs');
const bundledDir = app.isPackaged ? path.join(process.resourcesPath, 'scenarios') : path.join(appRoot, 'scenarios');

// Every renderer sandboxed, whatever its webPreferences say.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let mainWindow: BrowserWindow | null = null;

const DEVELOPER_GUIDE = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/welcome.html';

async function chooseFile(): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Open a scenario or an OpenAPI document',
    properties: ['openFile'],
    filters: [
      { name: 'Scenarios and OpenAPI documents', extensions: ['yaml', 'yml', 'json'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

const service = new GatewayService({ host: 'electron', appVersion: readAppVersion(appRoot), bundledDir, showOpenDialog: chooseFile });

const ipc = registerGatewayIpc({
  ipcMain,
  service,
  isTrustedFrame: (frame) => isTrustedAppFrame(frame, devOrigin),
});


/** app://gateway-lab/<path> → out/renderer/<path>, confined to that folder, with the CSP. */
function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('Not found', { status: 404 });
    const file = fileForUrlPath(rendererDir, url.pathname);
    if (file === null) return new Response('Forbidden', { status: 403 });
    const res = await net.fetch(pathToFileURL(file).toString()).catch(() => null);
    if (!res || !res.ok) return new Response('Not found', { status: 404 });
    return new Response(res.body, {
      status: 200,
      headers: {
        'content-type': contentType(file),
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
    });
  });
}

function createWindow(): BrowserWindow {
  const stateDir = app.getPath('userData');
  const state = loadWindowState(stateDir, screen.getAllDisplays());
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Gateway Lab',
    backgroundColor: '#0f1420',
    webPreferences: {
      // Reviewed (Electronegativity PRELOAD_JS_CHECK): the preload exposes exactly the GatewayApi
      // functions through contextBridge, each a validated, sender-checked IPC call.
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click must not open links in new windows either.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (state.maximized) win.maximize();
  trackWindowState(win, stateDir);
  win.once('ready-to-show', () => win.show());
  const id = win.webContents.id;
  // A reloaded or closed page starts over: its sessions are closed (before the new page runs).
  win.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) void ipc.release(id);
  });
  win.webContents.on('render-process-gone', () => void ipc.release(id));
  win.on('closed', () => {
    void ipc.release(id);
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

async function openFromMenu(): Promise<void> {
  const file = await chooseFile();
  if (file === null) return;
  try {
    service.addFile(file);
  } catch (err) {
    dialog.showErrorBox('Cannot open the file', err instanceof Error ? err.message : String(err));
  }
}

function buildMenu(): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Scenario or OpenAPI…', accelerator: 'CmdOrCtrl+O', click: () => void openFromMenu() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload', accelerator: 'CmdOrCtrl+R' },
        ...(isDev ? [{ role: 'toggleDevTools' as const }] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'API Gateway Developer Guide',
          // A fixed https URL (Electronegativity OPEN_EXTERNAL_JS_CHECK reviewed).
          click: () => void shell.openExternal(DEVELOPER_GUIDE), // eng-disable OPEN_EXTERNAL_JS_CHECK
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}

app.on('web-contents-created', (_event, contents) => {
  hardenWebContents(contents, (url) => {
    // Only https links to known documentation hosts (Electronegativity OPEN_EXTERNAL_JS_CHECK reviewed).
    if (isSafeExternalUrl(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => {
  void ipc.dispose().then(() => service.close());
});

/** Scenario or OpenAPI files named on the command line (`gateway-lab start file.yaml`). */
function openCommandLineFiles(): void {
  for (const arg of process.argv.slice(app.isPackaged ? 1 : 2)) {
    if (arg.startsWith('-') || !/\.(ya?ml|json)$/i.test(arg)) continue;
    try {
      service.addFile(path.resolve(arg));
    } catch (err) {
      dialog.showErrorBox(`Cannot open ${path.basename(arg)}`, err instanceof Error ? err.message : String(err));
    }
  }
}

await app.whenReady();
denyAllPermissions(session.defaultSession);
openCommandLineFiles();
serveRenderer();
Menu.setApplicationMenu(buildMenu());
mainWindow = createWindow();
app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
});
