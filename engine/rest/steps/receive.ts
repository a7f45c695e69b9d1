import { bodyBytes } from '../../core/http';
import { type Step, next, reject } from '../../pipeline/types';
import type { RestInvocation } from '../context';

/** 10 MB, the REST API payload limit. */
export const MAX_PAYLOAD_BYTES = 10_485_760;

/** The payload limit is checked before anything else, and answered in plain text. */
export const receive: Step<RestInvocation> = {
  id: 'receive',
  phase: 'connection',
  run(ctx) {
    const size = bodyBytes(ctx.request.body, ctx.request.isBase64Encoded);
    if (size > MAX_PAYLOAD_BYTES) {
      return reject(
        ctx,
        { type: 'REQUEST_TOO_LARGE', message: null },
        `The body is ${size} bytes; REST APIs accept at most 10 MB, so API Gateway answers 413 before routing.`,
        { detail: { bytes: size, limit: MAX_PAYLOAD_BYTES } },
      );
    }
    return next(ctx, `Received ${ctx.request.method} ${ctx.request.path}${size ? ` with a ${size}-byte body` : ''}.`, {
      detail: { bytes: size },
    });
  },
};
