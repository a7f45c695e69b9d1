/**
 * GatewayApi over Electron IPC, main side: one `ipcMain.handle` per call. Every handler first
 * checks the sender (the app's own top-level frame, on the app's own origin), then hands the
 * untrusted arguments to the connection, which validates them against the call's schema. A bad
 * call gets an error value, never an exception.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { EVENT_CHANNEL, GATEWAY_API_CALLS, ipcChannel } from '../../engine/api/calls';
import type { ApiResult } from '../../engine/api/types';
import type { GatewayConnection, GatewayService } from '../host/gateway-service';

/** What the handlers need of a sender: enough for the check, and a fake in the contract tests. */
export type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'> & { readonly sender: Pick<WebContents, 'id' | 'isDestroyed' | 'send'> };

export interface IpcHostOptions {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  readonly service: GatewayService;
  /** True when the frame may use the API: the app's own page, top-level. */
  readonly isTrustedFrame: (frame: NonNullable<SenderEvent['senderFrame']>) => boolean;
}

/** Serialize as JSON would: the same values reach the renderer as over the WebSocket bridge. */
function plain<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export interface IpcHost {
  /** Close the sessions of a WebContents whose page is gone (closed, crashed or reloaded). */
  release(webContentsId: number): Promise<void>;
  dispose(): Promise<void>;
}

export function registerGatewayIpc(options: IpcHostOptions): IpcHost {
  const { ipcMain, service, isTrustedFrame } = options;
  // One connection (sessions, traces) per WebContents, closed when it goes away.
  const connections = new Map<number, GatewayConnection>();

  const connectionFor = (sender: SenderEvent['sender']): GatewayConnection => {
    let c = connections.get(sender.id);
    if (!c) {
      c = service.connect((event, payload) => {
        if (!sender.isDestroyed()) sender.send(EVENT_CHANNEL, { event, payload: plain(payload) });
      });
      connections.set(sender.id, c);
    }
    return c;
  };

  for (const call of GATEWAY_API_CALLS) {
    ipcMain.handle(ipcChannel(call), async (event: SenderEvent, ...args: unknown[]): Promise<ApiResult<unknown>> => {
      const frame = event.senderFrame;
      let trusted = false;
      try {
        trusted = frame !== null && isTrustedFrame(frame);
      } catch {
        trusted = false;
      }
      if (!trusted) return { ok: false, error: { code: 'forbidden', message: 'this page may not use the Gateway Lab API' } };
      try {
        return plain(await connectionFor(event.sender).call(call, args));
      } catch (err) {
        return { ok: false, error: { code: 'engine-error', message: err instanceof Error ? err.message : String(err) } };
      }
    });
  }

  return {
    async release(id) {
      const c = connections.get(id);
      connections.delete(id);
      await c?.close();
    },
    async dispose() {
      for (const call of GATEWAY_API_CALLS) ipcMain.removeHandler(ipcChannel(call));
      await Promise.all([...connections.values()].map((c) => c.close()));
      connections.clear();
    },
  };
}

