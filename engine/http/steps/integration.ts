/**
 * Integration: invoke the Lambda function or call the HTTP backend, within timeoutInMillis
 * (at most 30 s). A timeout is 503 {"message":"Service Unavailable"} [obs] while a Lambda keeps
 * running to its end; a function error is 500 {"message":"Internal Server Error"}.
 */
import { LambdaError, LAMBDA_INVOKE_OVERHEAD_MS, invocationDetail } from '../../backends/lambda/service';
import { buildQuery, getHeader, parseQuery } from '../../core/http';
import { lambdaFunctionFromUri } from '../../model/rest';
import { type Step, next, reject, skip } from '../../pipeline/types';
import { type HttpInvocation, httpDomainName } from '../context';
import type { HttpDeps } from '../deps';
import { httpError } from '../errors';


/** Hop-by-hop headers a proxy never forwards, plus those the client's connection owns. */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'te', 'upgrade', 'proxy-connection']);

/**
 * The source ARN API Gateway calls Lambda from: `{apiId}/{stage}/{METHOD}{routePath}`, or
 * `{apiId}/{stage}/$default` for the $default route. (?) the exact form for HTTP APIs.
 */
function integrationSourceArn(ctx: HttpInvocation): string {
  const route = ctx.route!;
  const stage = ctx.stage?.name ?? '$default';
  const tail = route.route.routeKey === '$default' ? '$default' : `${ctx.request.method}${route.route.routeKey.slice(route.route.routeKey.indexOf(' ') + 1)}`;
  return `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${ctx.apiId}/${stage}/${tail}`;
}

export function substituteStageVariables(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_m, name: string) => variables[name] ?? '');
}

/**
 * Where an HTTP proxy sends the request: `{name}` / `{proxy}` in the URI take path parameters;
 * `overwrite:path` replaces the path; the `$default` route passes the full request path
 * (reference A1); the (mapped) query string is appended.
 */
export function httpProxyUrl(ctx: HttpInvocation): string {
  const route = ctx.route!;
  const integration = route.integration!;
  let uri = substituteStageVariables(integration.integrationUri, ctx.stage!.variables);
  uri = uri.replace(/\{([A-Za-z0-9._-]+?)\+?\}/g, (m, name: string) => route.pathParameters[name] ?? m);
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return uri;
  }
  if (ctx.mapped?.pathOverwritten) url.pathname = ctx.mapped.path;
  else if (route.route.routeKey === '$default' && (url.pathname === '/' || url.pathname === '')) url.pathname = route.path;
  const query = ctx.mapped ? buildQuery(ctx.mapped.query) : ctx.request.rawQuery;
  const base = `${url.origin}${url.pathname}`;
  const existing = url.search.replace(/^\?/, '');
  const all = [existing, query].filter(Boolean).join('&');
  return all ? `${base}?${all}` : base;
}

export function integrationStep(deps: HttpDeps): Step<HttpInvocation> {
  return {
    id: 'integration',
    phase: 'integration',
    async run(ctx, env) {
      if (ctx.preflight) return skip('A CORS preflight never reaches the backend.');
      const integration = ctx.route!.integration!;
      const timeoutMs = integration.timeoutInMillis;

      if (integration.integrationType === 'AWS_PROXY') {
        const fn = substituteStageVariables(lambdaFunctionFromUri(integration.integrationUri) ?? '', ctx.stage!.variables);
        let result;
        try {
          result = await deps.lambda.invoke(fn, JSON.stringify(ctx.lambdaEvent ?? {}), {
            now: env.now + LAMBDA_INVOKE_OVERHEAD_MS,
            ...(deps.hostServices ? { hostServices: deps.hostServices } : {}),
            caller: { principal: 'apigateway.amazonaws.com', sourceArn: integrationSourceArn(ctx) },
            payloadIsJson: true,
          });
        } catch (err) {
          if (!(err instanceof LambdaError)) throw err;
          const unbound = err.code === 'ResourceNotFoundException';
          const denied = err.code === 'AccessDeniedException';
          return reject(
            // (?) the wording HTTP APIs give $context.integrationErrorMessage for a Lambda 403.
            { ...ctx, integrationError: denied ? 'Invalid permissions on Lambda function' : err.message },
            httpError('INTERNAL_SERVER_ERROR'),
            unbound
              ? `No function named "${fn}" exists in this simulation (add it under functions: in the scenario): 500 {"message":"Internal Server Error"}.`
              : denied
                ? `Lambda refused to let API Gateway invoke ${fn}: no statement of the function's resource-based policy allows apigateway.amazonaws.com from ${integrationSourceArn(ctx)}. The function never ran: 500 {"message":"Internal Server Error"}. Fix: add the permission (aws lambda add-permission, AWS::Lambda::Permission).`
                : `Lambda refused the invocation (${err.code}: ${err.message}): 500 {"message":"Internal Server Error"}.`,
            { durationMs: LAMBDA_INVOKE_OVERHEAD_MS, detail: { functionName: fn, error: err.code } },
          );
        }
        const latency = LAMBDA_INVOKE_OVERHEAD_MS + result.durationMs;
        const lambdaDetail = invocationDetail(fn, result, { payload: result.payload });
        if (latency > timeoutMs) {
          return reject(
            { ...ctx, integrationError: 'Integration timeout' },
            httpError('SERVICE_UNAVAILABLE'),
            `The function needed ${Math.round(latency)} ms but the integration timeout is ${timeoutMs} ms: the client gets 503 {"message":"Service Unavailable"} while the function keeps running to its end.`,
            { durationMs: timeoutMs, detail: { ...lambdaDetail, timeoutMs, keptRunningUntilMs: latency } },
          );
        }
        if (result.error) {
          return reject(
            { ...ctx, integrationError: result.error.errorMessage, integrationServiceStatus: result.statusCode },
            httpError('INTERNAL_SERVER_ERROR'),
            `${fn} failed with ${result.error.errorType ?? 'Error'}: ${result.error.errorMessage}. HTTP APIs answer 500 {"message":"Internal Server Error"} (REST: 502 "Internal server error").`,
            { durationMs: latency, detail: lambdaDetail },
          );
        }
        return next(
          {
            ...ctx,
            integrationServiceStatus: result.statusCode,
            integrationResult: { statusCode: result.statusCode, headers: {}, body: result.payload, isBase64Encoded: false, latencyMs: latency },
          },
          `Invoked ${fn}${result.coldStart ? ` (cold start: ${result.initDurationMs} ms of init)` : ' (warm)'}; it returned after ${Math.round(result.durationMs)} ms.`,
          { durationMs: latency, detail: lambdaDetail },
        );
      }

      // HTTP_PROXY: a real HTTP call.
      const url = httpProxyUrl(ctx);
      const method = !integration.integrationMethod || integration.integrationMethod === 'ANY' ? ctx.request.method : integration.integrationMethod;
      const source = ctx.mapped?.headers ?? ctx.request.headers;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(source)) if (!NOT_FORWARDED.has(k.toLowerCase())) headers[k.toLowerCase()] = v.join(',');
      // (?) HTTP APIs add an RFC 7239 Forwarded header towards HTTP backends.
      headers['forwarded'] = `for=${ctx.request.sourceIp};host=${getHeader(ctx.request.headers, 'host') ?? httpDomainName(ctx)};proto=https`;
      const res = await deps.http.send({
        method,
        url,
        headers,
        body: ctx.request.body ?? '',
        isBase64Encoded: ctx.request.isBase64Encoded,
        timeoutMs,
      });
      if (!res.ok) {
        if (res.reason === 'timeout') {
          return reject(
            { ...ctx, integrationError: 'Integration timeout' },
            httpError('SERVICE_UNAVAILABLE'),
            `${method} ${url} did not answer within ${timeoutMs} ms: 503 {"message":"Service Unavailable"}.`,
            { durationMs: timeoutMs, detail: { url, method, timeoutMs } },
          );
        }
        // (?) An unreachable HTTP backend: 500.
        return reject(
          { ...ctx, integrationError: res.message },
          httpError('INTERNAL_SERVER_ERROR'),
          `The backend could not be reached (${res.message}): 500 {"message":"Internal Server Error"}.`,
          { durationMs: res.latencyMs, detail: { url, method, error: res.message } },
        );
      }
      const resHeaders: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(res.headers)) resHeaders[k.toLowerCase()] = [v];
      return next(
        { ...ctx, integrationResult: { statusCode: res.statusCode, headers: resHeaders, body: res.body, isBase64Encoded: res.isBase64Encoded, latencyMs: res.latencyMs } },
        `${method} ${url} answered ${res.statusCode} after ${Math.round(res.latencyMs)} ms.`,
        { durationMs: res.latencyMs, detail: { url, method, requestHeaders: headers, statusCode: res.statusCode, query: parseQuery(url.split('?')[1] ?? '') } },
      );
    },
  };
}
