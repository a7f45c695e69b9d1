/**
 * GatewayApi over Electron IPC, renderer side: what the preload exposes. Each call is one
 * `ipcRenderer.invoke` on its own channel; events arrive on one channel and are dispatched by name.
 * No Electron import here, so the contract tests can run it against a fake ipcRenderer.
 */
import { EVENT_CHANNEL, GATEWAY_API_CALLS, ipcChannel, isGatewayEvent } from '../../engine/api/calls';
import type { ApiResult, GatewayApi, GatewayEventName, GatewayEvents } from '../../engine/api/types';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, message: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, message: unknown) => void): unknown;
}

/** Trailing undefined arguments are dropped, as JSON does over the WebSocket bridge. */
function trim(args: unknown[]): unknown[] {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return args.slice(0, n);
}

export function createIpcGatewayApi(ipc: IpcRendererLike): GatewayApi {
  const api: Record<string, unknown> = {};
  for (const call of GATEWAY_API_CALLS) {
    api[call] = async (...args: unknown[]): Promise<ApiResult<unknown>> => {
      try {
        return (await ipc.invoke(ipcChannel(call), ...trim(args))) as ApiResult<unknown>;
      } catch (err) {
        return { ok: false, error: { code: 'transport', message: err instanceof Error ? err.message : String(err) } };
      }
    };
  }
  api.on = <E extends GatewayEventName>(event: E, listener: (payload: GatewayEvents[E]) => void) => {
    if (!isGatewayEvent(event)) throw new TypeError(`unknown Gateway Lab event "${String(event)}"`);
    if (typeof listener !== 'function') throw new TypeError('the listener must be a function');
    const handler = (_e: unknown, message: unknown) => {
      const m = message as { event?: unknown; payload?: unknown } | null;
      if (m && m.event === event) listener(m.payload as GatewayEvents[E]);
    };
    ipc.on(EVENT_CHANNEL, handler);
    return () => {
      ipc.removeListener(EVENT_CHANNEL, handler);
    };
  };
  return Object.freeze(api) as unknown as GatewayApi;
}
