import { findHeaderName, getHeader } from '../../core/http';
import { type Step, next } from '../../pipeline/types';
import type { RestInvocation } from '../context';
import { finalizeResponse } from '../response-headers';

/** The method response goes back to the client with the headers API Gateway always adds. */
export const methodResponse: Step<RestInvocation> = {
  id: 'methodResponse',
  phase: 'methodResponse',
  run(ctx, env) {
    const response = finalizeResponse(ctx, ctx.response!, env.now);
    // What a browser will make of it: a cross-origin call needs Access-Control-Allow-Origin.
    const origin = getHeader(ctx.request.headers, 'origin');
    const corsNote =
      origin !== undefined && !findHeaderName(response.headers, 'access-control-allow-origin')
        ? ` It carries no Access-Control-Allow-Origin, so a browser page on ${origin} cannot read it and reports a CORS error${
            ctx.route?.method.integration?.type.endsWith('_PROXY') ? ' (with a proxy integration the backend must send the header itself)' : ''
          }.`
        : '';
    return next({ ...ctx, response }, `API Gateway returns ${response.statusCode} to the client.${corsNote}`, {
      log: ['Successfully completed execution', `Method completed with status: ${response.statusCode}`],
      ...(corsNote ? { detail: { corsBlocked: true, origin } } : {}),
    });
  },
};
