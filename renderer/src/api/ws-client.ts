/**
 * GatewayApi over the web host's WebSocket bridge (main/web/server.ts). Used by the renderer in a
 * browser and by the contract tests in Node, so it needs nothing but a WebSocket-like object.
 */
import { GATEWAY_API_CALLS, type BridgeMessage, isGatewayEvent } from '../../../engine/api/calls';
import type { ApiResult, GatewayApi, GatewayEventName, GatewayEvents } from '../../../engine/api/types';

/** The part of the WebSocket interface used here (browsers' WebSocket and the `ws` package both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const OPEN = 1;

export interface WebSocketGatewayApi extends GatewayApi {
  /** Resolves when the socket is open; rejects if it never opens. */
  readonly ready: Promise<void>;
  close(): void;
}

export function createWebSocketGatewayApi(socket: WebSocketLike): WebSocketGatewayApi {
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, (r: ApiResult<unknown>) => void>();
  const queued: string[] = [];
  const listeners = new Map<GatewayEventName, Set<(payload: unknown) => void>>();

  const dispatch = (event: GatewayEventName, payload: unknown) => {
    for (const l of [...(listeners.get(event) ?? [])]) {
      try {
        l(payload);
      } catch (err) {
        // A listener's failure is the listener's: report it without breaking the others.
        setTimeout(() => {
          throw err;
        });
      }
    }
  };

  const ready = new Promise<void>((resolve, reject) => {
    if (socket.readyState === OPEN) resolve();
    socket.addEventListener('open', () => {
      for (const m of queued.splice(0)) socket.send(m);
      resolve();
      dispatch('connection', { state: 'open' });
    });
    socket.addEventListener('close', () => {
      const wasClosed = closed;
      closed = true;
      reject(new Error('the connection to the Gateway Lab host closed'));
      for (const [, done] of pending) done({ ok: false, error: { code: 'transport', message: 'the connection to the Gateway Lab host closed' } });
      pending.clear();
      if (!wasClosed) dispatch('connection', { state: 'closed' });
    });
  });
  ready.catch(() => undefined);

  socket.addEventListener('message', ({ data }) => {
    let msg: BridgeMessage;
    try {
      msg = JSON.parse(String(data)) as BridgeMessage;
    } catch {
      return;
    }
    if (msg.type === 'result') {
      const done = pending.get(msg.id);
      pending.delete(msg.id);
      done?.(msg.result as ApiResult<unknown>);
    } else if (msg.type === 'event' && isGatewayEvent(msg.event)) {
      dispatch(msg.event, msg.payload);
    }
  });

  const api: Record<string, unknown> = {};
  for (const call of GATEWAY_API_CALLS) {
    api[call] = (...args: unknown[]): Promise<ApiResult<unknown>> => {
      if (closed) return Promise.resolve({ ok: false, error: { code: 'transport', message: 'the connection to the Gateway Lab host is closed' } });
      let n = args.length;
      while (n > 0 && args[n - 1] === undefined) n--;
      const id = nextId++;
      let text: string;
      try {
        text = JSON.stringify({ id, call, args: args.slice(0, n) });
      } catch (err) {
        return Promise.resolve({ ok: false, error: { code: 'invalid-argument', message: `the arguments are not JSON: ${String(err)}` } });
      }
      return new Promise((resolve) => {
        pending.set(id, resolve);
        if (socket.readyState === OPEN) socket.send(text);
        else queued.push(text);
      });
    };
  }
  api.on = <E extends GatewayEventName>(event: E, listener: (payload: GatewayEvents[E]) => void) => {
    if (!isGatewayEvent(event)) throw new TypeError(`unknown Gateway Lab event "${String(event)}"`);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => {
      set.delete(l);
    };
  };
  api.ready = ready;
  api.close = () => socket.close();
  return api as unknown as WebSocketGatewayApi;
}
