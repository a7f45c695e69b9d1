import { bodyBytes } from '../../core/http';
import { type Step, next, reject } from '../../pipeline/types';
import type { HttpInvocation } from '../context';
import { httpError } from '../errors';
import { HTTP_API_LIMITS } from '../model';

/** The 10 MB payload limit is checked before anything else. */
export const receive: Step<HttpInvocation> = {
  id: 'receive',
  phase: 'connection',
  run(ctx) {
    const size = bodyBytes(ctx.request.body, ctx.request.isBase64Encoded);
    if (size > HTTP_API_LIMITS.payloadBytes) {
      return reject(ctx, httpError('REQUEST_TOO_LARGE'), `The body is ${size} bytes; HTTP APIs accept at most 10 MB, so the request is refused before routing.`, {
        detail: { bytes: size, limit: HTTP_API_LIMITS.payloadBytes },
      });
    }
    return next(ctx, `Received ${ctx.request.method} ${ctx.request.path}${ctx.request.rawQuery ? `?${ctx.request.rawQuery}` : ''}${size ? ` with a ${size}-byte body` : ''}.`, {
      detail: { bytes: size },
    });
  },
};
