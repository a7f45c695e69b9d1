import { getHeader } from '../../core/http';
import { type Step, respond, skip } from '../../pipeline/types';
import type { HttpInvocation } from '../context';
import { browserVerdict, preflightHeaders } from '../cors';

/**
 * A CORS preflight on an API with a CORS configuration is answered here by the gateway: 204 with
 * the configured Access-Control-* headers; the integration is never called.
 * (?) When the preflight matched a route, that route's authorizer ran first (the AWS-documented
 * `$default`-with-authorizer trap, and the same for `ANY` routes [obs]); the integration of the
 * matched route is still not called.
 */
export const corsPreflight: Step<HttpInvocation> = {
  id: 'corsPreflight',
  phase: 'integration',
  run(ctx) {
    if (!ctx.preflight) {
      return skip(ctx.api?.corsConfiguration ? 'Not a preflight (an OPTIONS request with Origin and Access-Control-Request-Method).' : 'The API has no CORS configuration.');
    }
    const cors = ctx.api!.corsConfiguration!;
    const origin = getHeader(ctx.request.headers, 'origin')!;
    const method = getHeader(ctx.request.headers, 'access-control-request-method') ?? '';
    const requested = getHeader(ctx.request.headers, 'access-control-request-headers');
    const headers = preflightHeaders(cors, origin);
    const verdict = browserVerdict(cors, origin, method, requested);
    const response = {
      statusCode: 204,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      body: '',
      isBase64Encoded: false,
    };
    return respond(
      { ...ctx, response },
      `CORS preflight for ${method} from ${origin}: the gateway answers 204 itself from corsConfiguration, without calling any integration${verdict ? `; but ${verdict}` : '; the browser may now send the real request'}.`,
      { detail: { origin, requestMethod: method, requestHeaders: requested ?? null, headers, ...(verdict ? { browser: verdict } : {}) } },
    );
  },
};
