/**
 * Route response (reference B2). A route answers the client only if it has a route response
 * (key `$default`): then the integration's reply goes back as a frame. Without one the route
 * is one-way and the reply is dropped, whatever the backend returned — the backend can still
 * talk to the client through the @connections API.
 *
 * On `$connect` this is where the handshake completes: 101 Switching Protocols, and from now
 * on the connection id can receive messages.
 */
import { getHeader } from '../../core/http';
import { type Step, next, skip } from '../../pipeline/types';
import type { WebSocketInvocation } from '../context';
import { isTwoWay } from '../model';

export const routeResponseStep: Step<WebSocketInvocation> = {
  id: 'routeResponse',
  phase: 'methodResponse',
  run(ctx) {
    if (ctx.eventType === 'CONNECT') {
      const asked = getHeader(ctx.connection.headers, 'sec-websocket-protocol');
      const note =
        ctx.subprotocol !== undefined
          ? ` The $connect integration chose the subprotocol "${ctx.subprotocol}" (Sec-WebSocket-Protocol in its response).`
          : asked
            ? ` The client asked for the subprotocol(s) "${asked}", but the $connect integration returned no Sec-WebSocket-Protocol header: browsers and ws clients then fail the connection themselves.`
            : '';
      return next(
        { ...ctx, handshake: { statusCode: 101, body: '', ...(ctx.subprotocol !== undefined ? { subprotocol: ctx.subprotocol } : {}) } },
        `The handshake completes (101 Switching Protocols): connection ${ctx.connection.connectionId} is open, and the @connections API can reach it from now on.${note}`,
        { log: ['Successfully completed execution'], ...(asked || ctx.subprotocol ? { detail: { requested: asked ?? null, subprotocol: ctx.subprotocol ?? null } } : {}) },
      );
    }
    if (ctx.eventType === 'DISCONNECT') return skip('$disconnect has nobody to answer: its result is discarded.', { log: ['Successfully completed execution'] });
    const route = ctx.route;
    if (!route) return skip('No route ran.');
    if (!isTwoWay(route)) {
      return skip(
        ctx.reply?.data
          ? `Route ${route.routeKey} has no route response, so it is one-way: the integration's reply (${preview(ctx.reply.data)}) is dropped and the client gets nothing.`
          : `Route ${route.routeKey} has no route response (one-way): nothing goes back to the client.`,
        { log: ['Successfully completed execution'], detail: { twoWay: false, dropped: ctx.reply?.data ?? null } },
      );
    }
    if (!ctx.reply || ctx.reply.data === '') {
      return skip(`Route ${route.routeKey} is two-way, but the integration returned no body: nothing to send.`, { log: ['Successfully completed execution'], detail: { twoWay: true } });
    }
    return next({ ...ctx, send: { ...ctx.reply, source: 'routeResponse' } }, `Route ${route.routeKey} has a $default route response, so the reply goes back to the client as a frame: ${preview(ctx.reply.data)}.`, {
      log: ['Successfully completed execution'],
      detail: { twoWay: true, frame: ctx.reply.data },
    });
  },
};

function preview(s: string): string {
  return s.length > 80 ? `${JSON.stringify(s.slice(0, 80))}…` : JSON.stringify(s);
}
