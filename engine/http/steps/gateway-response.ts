import { type Step, next } from '../../pipeline/types';
import type { HttpInvocation } from '../context';
import { errorBody } from '../errors';

/**
 * The request was stopped by the gateway itself: answer with the fixed HTTP API error for it.
 * HTTP APIs have no gateway responses to customise: the status and body are always these.
 */
export const gatewayResponse: Step<HttpInvocation> = {
  id: 'gatewayResponse',
  phase: 'gatewayResponse',
  run(ctx) {
    const error = ctx.error!;
    const statusCode = error.statusCode ?? 500;
    const headers: Record<string, string[]> = { 'content-type': ['application/json'] };
    for (const [k, v] of Object.entries(error.headers ?? {})) headers[k.toLowerCase()] = [v];
    const body = error.body ?? errorBody(error.message);
    return next({ ...ctx, response: { statusCode, headers, body, isBase64Encoded: false } }, `${statusCode} ${body}: HTTP APIs answer with fixed error bodies; they cannot be customised.`, {
      detail: { type: error.type, statusCode },
    });
  },
};
