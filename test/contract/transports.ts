/**
 * GatewayApi over each transport, for the contract tests: the same service behind Electron IPC
 * (the real main-side handlers and the real preload client, over a fake ipcMain/ipcRenderer pair
 * that structured-clones like Electron) and behind the real WebSocket bridge on 127.0.0.1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type { GatewayApi } from '../../engine/api/types';
import { registerGatewayIpc, type SenderEvent } from '../../main/electron/ipc';
import { createIpcGatewayApi } from '../../main/electron/preload-api';
import { isTrustedAppFrame } from '../../main/electron/security';
import { GatewayService } from '../../main/host/gateway-service';
import { startWebHost } from '../../main/web/server';
import { createWebSocketGatewayApi } from '../../renderer/src/api/ws-client';

export const BUNDLED = fileURLToPath(new URL('../../scenarios', import.meta.url));

export interface Harness {
  readonly api: GatewayApi;
  readonly service: GatewayService;
  close(): Promise<void>;
}

export type TransportName = 'ipc' | 'websocket';

export interface IpcOptions {
  /** The frame the fake renderer calls from. */
  frame?: { url: string; parent: unknown };
  showOpenDialog?: () => Promise<string | null>;
}

type Handler = (event: SenderEvent, ...args: unknown[]) => Promise<unknown>;

export async function ipcHarness(options: IpcOptions = {}): Promise<Harness & { invokeRaw(channel: string, ...args: unknown[]): Promise<unknown> }> {
  const service = new GatewayService({
    host: 'electron',
    appVersion: '0.0.0-test',
    bundledDir: BUNDLED,
    ...(options.showOpenDialog ? { showOpenDialog: options.showOpenDialog } : {}),
  });
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Set<(e: unknown, m: unknown) => void>>();
  const frame = options.frame ?? { url: 'app://gateway-lab/index.html', parent: null };
  const sender = {
    id: 1,
    isDestroyed: () => false,
    send: (channel: string, message: unknown) => {
      const copy = structuredClone(message);
      queueMicrotask(() => {
        for (const l of listeners.get(channel) ?? []) l({}, copy);
      });
    },
  };
  const ipcMain = {
    handle: (channel: string, h: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, h);
    },
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
  const host = registerGatewayIpc({
    ipcMain: ipcMain as unknown as Parameters<typeof registerGatewayIpc>[0]['ipcMain'],
    service,
    isTrustedFrame: (f) => isTrustedAppFrame(f, undefined),
  });
  const invokeRaw = async (channel: string, ...args: unknown[]) => {
    const h = handlers.get(channel);
    // What Electron does for a channel nobody handles.
    if (!h) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    const event = { senderFrame: frame, sender } as unknown as SenderEvent;
    return structuredClone(await h(event, ...structuredClone(args)));
  };
  const api = createIpcGatewayApi({
    invoke: invokeRaw,
    on: (channel, l) => {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(l);
    },
    removeListener: (channel, l) => void listeners.get(channel)?.delete(l),
  });
  return {
    api,
    service,
    invokeRaw,
    async close() {
      await host.dispose();
      await service.close();
    },
  };
}

export async function webSocketHarness(): Promise<Harness & { url: string; port: number; rendererDir: string }> {
  const rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-lab-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Gateway Lab</title>');
  const service = new GatewayService({ host: 'web', appVersion: '0.0.0-test', bundledDir: BUNDLED });
  const host = await startWebHost({ service, rendererDir, port: 0 });
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { origin: `http://127.0.0.1:${host.port}` });
  const api = createWebSocketGatewayApi(socket);
  await api.ready;
  return {
    api,
    service,
    url: host.url,
    port: host.port,
    rendererDir,
    async close() {
      api.close();
      await host.close();
      await service.close();
      fs.rmSync(rendererDir, { recursive: true, force: true });
    },
  };
}

export function harness(name: TransportName, ipc: IpcOptions = {}): Promise<Harness> {
  return name === 'ipc' ? ipcHarness(ipc) : webSocketHarness();
}

/** The value of an ok result; fails the test with the error otherwise. */
export function value<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Collect a kind of event until `count` arrived (or the timeout). */
export function collect<T>(subscribe: (l: (p: T) => void) => () => void, count = 1, timeoutMs = 5000): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got: T[] = [];
    const timer = setTimeout(() => {
      off();
      reject(new Error(`only ${got.length} of ${count} event(s) arrived`));
    }, timeoutMs);
    const off = subscribe((p) => {
      got.push(p);
      if (got.length >= count) {
        clearTimeout(timer);
        off();
        resolve(got);
      }
    });
  });
}
