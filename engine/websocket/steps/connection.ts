/**
 * Connection: the event arrives on a stage. For CONNECT, the upgrade URL names the stage
 * (`wss://{api}.execute-api.{region}.amazonaws.com/{stage}`); an unknown stage refuses the
 * handshake. For MESSAGE, the size limits apply before anything else: a message over 128 KB,
 * or a single frame over 32 KB, closes the connection with 1009 (reference B4). For DISCONNECT,
 * the connection is already gone: what follows only informs the backend.
 *
 * Every event uses the stage's current deployment: a redeploy changes routes for connections
 * that are already open (?).
 */
import { getHeader } from '../../core/http';
import { type Step, next, reject } from '../../pipeline/types';
import { MAX_FRAME_BYTES, MAX_MESSAGE_BYTES } from '../connections';
import type { WebSocketInvocation } from '../context';
import type { Deployment, Stage } from '../model';

export type StageLookup = (name: string) => { stage: Stage; deployment: Deployment } | undefined;

export function connectionStep(findStage: StageLookup): Step<WebSocketInvocation> {
  return {
    id: 'connection',
    phase: 'connection',
    overheadMs: 1,
    run(ctx) {
      const found = findStage(ctx.stageName);
      const conn = ctx.connection;
      const ua = conn.userAgent ?? getHeader(conn.headers, 'user-agent') ?? 'null';
      if (!found) {
        return reject(
          ctx,
          { type: 'STAGE_NOT_FOUND', message: 'Forbidden', statusCode: 403 },
          `No stage named "${ctx.stageName}" is deployed on this API, so the upgrade is refused with 403. The WebSocket URL ends with the stage: wss://…/${ctx.stageName || '{stage}'}.`,
          { detail: { stage: ctx.stageName } },
        );
      }
      const withStage: WebSocketInvocation = { ...ctx, stage: found.stage, api: found.deployment.api };
      const log = [`Extended Request Id: ${ctx.extendedRequestId}`];
      if (ctx.eventType === 'CONNECT') {
        return next(withStage, `An upgrade request reached stage "${found.stage.stageName}"; API Gateway gave it connection id ${conn.connectionId} and holds the handshake until $connect finishes.`, {
          log,
          detail: { connectionId: conn.connectionId, stage: found.stage.stageName, deploymentId: found.deployment.id, userAgent: ua, sourceIp: conn.sourceIp },
        });
      }
      if (ctx.eventType === 'DISCONNECT') {
        const d = ctx.disconnect!;
        return next(withStage, `Connection ${conn.connectionId} closed (${d.statusCode}${d.reason ? ` "${d.reason}"` : ''}). $disconnect is best effort: it informs the backend; nothing can be sent to this client any more.`, {
          log,
          detail: { connectionId: conn.connectionId, disconnectStatusCode: d.statusCode, disconnectReason: d.reason },
        });
      }
      const msg = ctx.message!;
      const bytes = msg.binary ? Buffer.from(msg.data, 'base64').length : Buffer.byteLength(msg.data, 'utf8');
      const frames = msg.frameSizes ?? [];
      const bigFrame = frames.find((f) => f > MAX_FRAME_BYTES);
      if (bytes > MAX_MESSAGE_BYTES || bigFrame !== undefined) {
        const why =
          bytes > MAX_MESSAGE_BYTES
            ? `The message is ${bytes} bytes, over the 128 KB (${MAX_MESSAGE_BYTES} bytes) message limit`
            : `The message came in a ${bigFrame}-byte frame, over the 32 KB frame limit (split larger messages into frames of at most 32 KB)`;
        return reject(
          { ...withStage, errorKind: 'client' },
          { type: 'MESSAGE_TOO_BIG', message: 'Message too big' },
          `${why}: API Gateway closes the connection with code 1009 and the message reaches no route.`,
          { detail: { bytes, frameSizes: frames, maxMessageBytes: MAX_MESSAGE_BYTES, maxFrameBytes: MAX_FRAME_BYTES } },
        );
      }
      return next(withStage, `A ${msg.binary ? 'binary' : 'text'} message of ${bytes} bytes arrived on connection ${conn.connectionId}.`, {
        log,
        detail: { bytes, binary: msg.binary, ...(frames.length ? { frameSizes: frames } : {}), messageId: ctx.messageId },
      });
    },
  };
}
