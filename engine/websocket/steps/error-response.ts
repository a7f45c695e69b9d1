/**
 * What the client learns when API Gateway stops an event (WebSocket APIs have no customizable
 * gateway responses):
 *  - CONNECT: the handshake is refused with an HTTP status (401, 403, 500, 502, or the
 *    $connect integration's own non-2xx status) and no connection exists;
 *  - MESSAGE: a text frame `{"message": "Forbidden", "connectionId":"…", "requestId":"…"}`
 *    (note the spacing, recorded in wscat transcripts) and the connection stays open — except
 *    for a message over the size limits, which closes the connection with 1009;
 *  - DISCONNECT: nothing; the connection is already closed.
 */
import { type Step, respond } from '../../pipeline/types';
import type { WebSocketInvocation } from '../context';

export const errorResponseStep: Step<WebSocketInvocation> = {
  id: 'errorResponse',
  phase: 'gatewayResponse',
  run(ctx) {
    const error = ctx.error!;
    if (ctx.eventType === 'CONNECT') {
      const statusCode = error.statusCode ?? 500;
      const body = error.body ?? `{"message":${JSON.stringify(error.message)}}`;
      return respond(
        { ...ctx, handshake: { statusCode, body } },
        `The upgrade is answered with HTTP ${statusCode} instead of 101: the client never gets a connection${body ? ` (body ${body})` : ''}.`,
        { log: [`Method completed with status: ${statusCode}`] },
      );
    }
    if (ctx.eventType === 'DISCONNECT') {
      return respond(ctx, `The ${error.type} error goes nowhere: the client is already gone.`, { log: [`Execution failed: ${error.message ?? error.type}`] });
    }
    if (error.type === 'MESSAGE_TOO_BIG') {
      return respond(
        { ...ctx, closeConnection: { code: 1009, reason: 'Message too big' } },
        'API Gateway closes the connection with code 1009 (Message Too Big); $disconnect follows.',
        { log: ['Execution failed: Message too big'] },
      );
    }
    const data = `{"message": ${JSON.stringify(error.message ?? '')}, "connectionId":${JSON.stringify(ctx.connection.connectionId)}, "requestId":${JSON.stringify(ctx.requestId)}}`;
    return respond(
      { ...ctx, send: { data, binary: false, source: 'error' } },
      `The client gets the error frame ${data}; the connection stays open.`,
      { log: [`Execution failed: ${error.message ?? error.type}`] },
    );
  },
};
