import { getHeader } from '../../core/http';
import { httpDate } from '../../core/time-format';
import { type Step, next, skip } from '../../pipeline/types';
import type { HttpInvocation } from '../context';
import { responseCorsHeaders } from '../cors';

/**
 * CORS headers on every response to a request with an Origin, when the API has a CORS
 * configuration: the backend's own Access-Control-* headers are dropped and the configured
 * ones added. (?) We also add them to the gateway's own errors (401, 403, 429, 5xx).
 */
export const corsHeaders: Step<HttpInvocation> = {
  id: 'corsHeaders',
  phase: 'methodResponse',
  run(ctx) {
    const cors = ctx.api?.corsConfiguration;
    if (!cors) return skip('No CORS configuration: whatever CORS headers the backend sends pass through unchanged.');
    if (ctx.preflight && ctx.response?.statusCode === 204) return skip('The preflight answer already carries its CORS headers.');
    const origin = getHeader(ctx.request.headers, 'origin');
    const response = ctx.response!;
    const dropped = Object.keys(response.headers).filter((k) => k.toLowerCase().startsWith('access-control-'));
    if (!origin) {
      if (dropped.length === 0) return skip('The request has no Origin header, so no CORS headers are added.');
    }
    const headers: Record<string, readonly string[]> = {};
    for (const [k, v] of Object.entries(response.headers)) if (!k.toLowerCase().startsWith('access-control-')) headers[k] = v;
    const added = origin ? responseCorsHeaders(cors, origin) : {};
    for (const [k, v] of Object.entries(added)) headers[k] = [v];
    const parts: string[] = [];
    if (dropped.length) parts.push(`dropped the backend's ${dropped.join(', ')} (the API's CORS configuration wins)`);
    if (Object.keys(added).length) parts.push(`added ${Object.keys(added).join(', ')} for Origin ${origin}`);
    else if (origin) parts.push(`the origin ${origin} is not in allowOrigins, so no CORS headers are added and the browser will block the response`);
    return next({ ...ctx, response: { ...response, headers } }, `CORS: ${parts.join('; ')}.`, { detail: { origin: origin ?? null, added, dropped } });
  },
};

/** Date, Content-Length and apigw-requestid on every response (lowercase names, as HTTP/2 clients see them). */
export const finalize: Step<HttpInvocation> = {
  id: 'respond',
  phase: 'methodResponse',
  run(ctx, env) {
    const response = ctx.response!;
    const bytes = response.isBase64Encoded ? Buffer.from(response.body, 'base64').length : Buffer.byteLength(response.body);
    const headers: Record<string, readonly string[]> = { date: [httpDate(env.now)] };
    for (const [k, v] of Object.entries(response.headers)) headers[k.toLowerCase()] = v;
    headers['content-length'] = [String(bytes)];
    headers['apigw-requestid'] = [ctx.requestId];
    return next({ ...ctx, response: { ...response, headers } }, `Sent ${response.statusCode} (${bytes} bytes) with apigw-requestid ${ctx.requestId}.`, {
      detail: { statusCode: response.statusCode, bytes },
    });
  },
};
