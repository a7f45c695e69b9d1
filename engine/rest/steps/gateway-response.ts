import { getHeader } from '../../core/http';
import { type Step, next } from '../../pipeline/types';
import type { RestInvocation } from '../context';
import { renderGatewayResponse } from '../gateway-responses';
import { finalizeResponse } from '../response-headers';

/**
 * The request was stopped by API Gateway itself: answer with the gateway response of that type
 * (default or customised). It never passes through method or integration responses.
 */
export const gatewayResponse: Step<RestInvocation> = {
  id: 'gatewayResponse',
  phase: 'gatewayResponse',
  run(ctx, env) {
    const error = ctx.error!;
    const { response, effective } = renderGatewayResponse(ctx, error, env.now);
    const final = effective.type === 'REQUEST_TOO_LARGE' ? response : finalizeResponse(ctx, response, env.now);
    // Requests that never reached a method (unknown route, payload too large) leave no execution log.
    // Requests throttled at the stage, method or account level never reached the method either.
    const throttledEarly = ctx.throttledBy === 'account' || ctx.throttledBy === 'stage' || ctx.throttledBy === 'method';
    const log = ctx.route && !throttledEarly ? [`Method completed with status: ${final.statusCode}`] : [];
    const fromBrowser = getHeader(ctx.request.headers, 'origin') !== undefined;
    const cors = !fromBrowser || Object.keys(final.headers).some((h) => h.toLowerCase() === 'access-control-allow-origin');
    return next(
      { ...ctx, response: final },
      `${effective.type} gateway response from ${effective.source}: ${final.statusCode}${cors ? '' : ' ; it carries no Access-Control-Allow-Origin header, so the browser will hide this status behind a CORS error'}.`,
      {
        log,
        detail: {
          type: effective.type,
          statusCode: final.statusCode,
          customised: !effective.isDefault,
          source: effective.source,
          responseParameters: effective.responseParameters,
        },
      },
    );
  },
};
