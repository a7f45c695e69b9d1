import { type Step, next } from '../../pipeline/types';
import type { RestInvocation } from '../context';
import { finalizeResponse } from '../response-headers';

/** The method response goes back to the client with the headers API Gateway always adds. */
export const methodResponse: Step<RestInvocation> = {
  id: 'methodResponse',
  phase: 'methodResponse',
  run(ctx, env) {
    const response = finalizeResponse(ctx, ctx.response!, env.now);
    return next({ ...ctx, response }, `API Gateway returns ${response.statusCode} to the client.`, {
      log: ['Successfully completed execution', `Method completed with status: ${response.statusCode}`],
    });
  },
};
