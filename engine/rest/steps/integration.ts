/**
 * Integration: call the backend (or not, for MOCK) within timeoutInMillis. The Lambda timeline
 * can outlive the integration: a 35-second function still runs after API Gateway gave up at
 * 29 seconds with 504.
 */
import { type InvokeCaller, LambdaError, LAMBDA_INVOKE_OVERHEAD_MS, invocationDetail } from '../../backends/lambda/service';
import { httpDate } from '../../core/time-format';
import { type LogEntry, type Step, type StepEnv, type StepResult, next, reject, skip } from '../../pipeline/types';
import type { EndpointResponse, ExecutionLogStyle, RestInvocation } from '../context';
import type { RestDeps } from '../deps';
import { javaMap } from '../java-format';
import { bodyOf, bytesOf } from '../content-handling';


/**
 * API Gateway as Lambda sees it: the service principal, calling from the method's ARN (the
 * X-Amz-Source-Arn header it sends), or with the integration's credentials role. The console's
 * Test button calls from `…/test-invoke-stage/…` (?), which a stage-scoped permission does not cover.
 */
function lambdaCaller(ctx: RestInvocation, headers: Readonly<Record<string, string>>): InvokeCaller {
  const integration = ctx.route!.method.integration!;
  const sourceArn =
    Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-amz-source-arn')?.[1] ??
    `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${ctx.apiId}/${ctx.testInvoke ? 'test-invoke-stage' : (ctx.stage?.name ?? 'null')}/${ctx.route!.httpMethod}${ctx.route!.resource.path}`;
  return { principal: 'apigateway.amazonaws.com', sourceArn, ...(integration.credentials ? { role: integration.credentials } : {}) };
}

/** `X-Amz-Invocation-Type` mapped onto a Lambda custom integration's request: `Event` invokes asynchronously. */
function invocationType(headers: Readonly<Record<string, string>>): string | undefined {
  return Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-amz-invocation-type')?.[1];
}

export function integrationStep(deps: RestDeps): Step<RestInvocation> {
  return {
    id: 'integration',
    phase: 'integration',
    // A cache hit answers at once (no promise, no await); everything else calls the backend.
    run(ctx, env) {
      if (ctx.cache?.status === 'hit') return skip('Served from the stage cache: the backend is not called.');
      return call(ctx, env);
    },
  };

  async function call(ctx: RestInvocation, env: StepEnv): Promise<StepResult<RestInvocation>> {
    {
      const integration = ctx.route!.method.integration!;
      const req = ctx.endpointRequest!;
      const timeoutMs = integration.timeoutInMillis;

      if (integration.type === 'MOCK') {
        const statusCode = mockStatus(req.body);
        const endpointResponse: EndpointResponse = { statusCode, headers: {}, body: '', isBase64Encoded: false, latencyMs: 0 };
        return next({ ...ctx, endpointResponse }, `MOCK integration: no backend is called; the request template selected status ${statusCode}.`, {
          detail: { statusCode },
        });
      }

      if (req.functionName !== undefined) {
        const fn = req.functionName;
        let result;
        try {
          result = await deps.lambda.invoke(fn, req.body, {
            now: env.now + LAMBDA_INVOKE_OVERHEAD_MS,
            ...(deps.hostServices ? { hostServices: deps.hostServices } : {}),
            caller: lambdaCaller(ctx, req.headers),
            ...(invocationType(req.headers) === 'Event' ? { invocationType: 'Event' as const } : {}),
            payloadIsJson: ctx.route?.method.integration?.type === 'AWS_PROXY',
          });
        } catch (err) {
          if (err instanceof LambdaError) {
            const unbound = err.code === 'ResourceNotFoundException';
            const denied = err.code === 'AccessDeniedException';
            // API Gateway's own wording for a Lambda 403 (the function's resource-based policy does not let it in).
            const logged = denied ? 'Invalid permissions on Lambda function' : err.message;
            return reject(
              { ...ctx, integrationError: logged },
              // An unbound function is the simulator's gap, not an AWS error: 502, with the fix in the summary.
              { type: 'API_CONFIGURATION_ERROR', message: 'Internal server error', ...(unbound ? { statusCode: 502 } : {}) },
              unbound
                ? `No code is bound to Lambda function "${fn}", so the simulator answers 502. Bind it: add it under functions: in the scenario, or in <name>.functions.yaml next to an OpenAPI document.`
                : denied
                  ? `Lambda refused to let API Gateway invoke ${fn}: no statement of the function's resource-based policy allows apigateway.amazonaws.com from ${lambdaCaller(ctx, req.headers).sourceArn}. The function never ran; the client gets 500. Fix: add the permission (aws lambda add-permission, AWS::Lambda::Permission) or give the integration credentials.`
                  : `Lambda refused the invocation (${err.code}: ${err.message}); API Gateway answers 500.`,
              {
                log: [
                  `Sending request to ${req.uri}`,
                  `Lambda invocation failed with status: ${err.statusCode}. Lambda request id: ${deps.ids.lambdaRequestId()}`,
                  `Execution failed due to configuration error: ${logged}`,
                ],
                durationMs: LAMBDA_INVOKE_OVERHEAD_MS,
                detail: { functionName: fn, error: err.code },
              },
            );
          }
          throw err;
        }
        const latency = LAMBDA_INVOKE_OVERHEAD_MS + result.durationMs;
        const lambdaDetail = invocationDetail(fn, result);
        if (latency > timeoutMs) {
          return reject(
            { ...ctx, integrationError: 'Endpoint request timed out' },
            { type: 'INTEGRATION_TIMEOUT', message: 'Endpoint request timed out' },
            `The function needed ${Math.round(latency)} ms but the integration timeout is ${timeoutMs} ms: the client gets 504 while the function keeps running to the end.`,
            {
              log: [`Sending request to ${req.uri}`, { message: 'Execution failed due to a timeout error', offsetMs: timeoutMs }],
              durationMs: timeoutMs,
              detail: { ...lambdaDetail, timeoutMs, keptRunningUntilMs: latency },
            },
          );
        }
        const headers = lambdaResponseHeaders(ctx.logStyle, {
          requestId: result.requestId,
          contentLength: Buffer.byteLength(result.payload),
          date: httpDate(env.now + latency),
          traceRoot: deps.ids.traceId(env.now).slice(5),
          ...(result.functionError ? { functionError: result.functionError } : {}),
        });
        const endpointResponse: EndpointResponse = {
          statusCode: result.statusCode,
          headers,
          body: result.payload,
          isBase64Encoded: false,
          latencyMs: latency,
          ...(result.error ? { functionError: result.error } : {}),
        };
        const async = result.asyncRun;
        return next(
          { ...ctx, endpointResponse },
          async
            ? `Invoked ${fn} asynchronously (X-Amz-Invocation-Type: Event): Lambda queued the event and answered 202 with an empty body after ${Math.round(result.durationMs)} ms. The function then ran for ${Math.round(async.durationMs)} ms${async.error ? ` and failed (${async.error.errorMessage})` : ''}; its result never comes back to API Gateway.`
            : `Invoked ${fn}${result.coldStart ? ` (cold start: ${result.initDurationMs} ms of init)` : ' (warm)'}; it ${result.error ? `failed with ${result.error.errorType}: ${result.error.errorMessage}` : 'returned'} after ${Math.round(result.durationMs)} ms.`,
          { log: receivedLog(ctx.logStyle, req.uri, endpointResponse), durationMs: latency, detail: lambdaDetail },
        );
      }

      if (req.service) {
        const target = req.service;
        if (!deps.aws) {
          return reject(ctx, { type: 'API_CONFIGURATION_ERROR', message: 'Internal server error' }, `No simulated ${target.service} service is available in this gateway: 500.`, {
            log: [`Execution failed due to configuration error: no ${target.service} endpoint`],
          });
        }
        const res = deps.aws.invoke(
          { target, httpMethod: req.httpMethod, headers: req.headers, query: req.query, body: bytesOf(req.body, req.isBase64Encoded) },
          env.now,
        );
        if (res.latencyMs > timeoutMs) {
          return reject(
            { ...ctx, integrationError: 'Endpoint request timed out' },
            { type: 'INTEGRATION_TIMEOUT', message: 'Endpoint request timed out' },
            `The ${target.service} call needed ${res.latencyMs} ms but the integration timeout is ${timeoutMs} ms: 504.`,
            { log: [`Sending request to ${req.uri}`, { message: 'Execution failed due to a timeout error', offsetMs: timeoutMs }], durationMs: timeoutMs, detail: { service: res.detail } },
          );
        }
        const endpointResponse: EndpointResponse = { statusCode: res.statusCode, headers: res.headers, ...bodyOf(res.body), latencyMs: res.latencyMs };
        const op = String(res.detail.operation ?? req.httpMethod);
        return next(
          { ...ctx, endpointResponse },
          `${target.service.toUpperCase()} ${op}${res.detail.error ? ` failed: ${String(res.detail.error)}` : ''} → ${res.statusCode} after ${res.latencyMs} ms (simulated service).`,
          { log: receivedLog(ctx.logStyle, req.uri, { ...endpointResponse, body: endpointResponse.isBase64Encoded ? '[Binary Data]' : endpointResponse.body }), durationMs: res.latencyMs, detail: { service: res.detail } },
        );
      }

      // HTTP and HTTP_PROXY: a real call.
      const query = Object.entries(req.query).flatMap(([k, vs]) => vs.map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`));
      const url = query.length ? `${req.uri}${req.uri.includes('?') ? '&' : '?'}${query.join('&')}` : req.uri;
      const res = await deps.http.send({
        method: req.httpMethod,
        url,
        headers: req.headers,
        body: req.body,
        isBase64Encoded: req.isBase64Encoded,
        timeoutMs,
      });
      if (!res.ok) {
        if (res.reason === 'timeout') {
          return reject(
            { ...ctx, integrationError: 'Endpoint request timed out' },
            { type: 'INTEGRATION_TIMEOUT', message: 'Endpoint request timed out' },
            `The backend did not answer within ${timeoutMs} ms: 504 Endpoint request timed out.`,
            { log: [`Sending request to ${url}`, { message: 'Execution failed due to a timeout error', offsetMs: timeoutMs }], durationMs: timeoutMs },
          );
        }
        // (?) AWS answers 500 for an unreachable HTTP backend; the gateway response type is INTEGRATION_FAILURE.
        return reject(
          { ...ctx, integrationError: res.message },
          { type: 'INTEGRATION_FAILURE', message: 'Internal server error', statusCode: 500 },
          `The backend could not be reached (${res.message}); API Gateway answers 500.`,
          { log: [`Sending request to ${url}`, `Execution failed due to configuration error: ${res.message}`], durationMs: res.latencyMs },
        );
      }
      const endpointResponse: EndpointResponse = {
        statusCode: res.statusCode,
        headers: res.headers,
        body: res.body,
        isBase64Encoded: res.isBase64Encoded,
        latencyMs: res.latencyMs,
      };
      return next({ ...ctx, endpointResponse }, `${req.httpMethod} ${url} answered ${res.statusCode} after ${Math.round(res.latencyMs)} ms.`, {
        log: receivedLog(ctx.logStyle, url, endpointResponse),
        durationMs: res.latencyMs,
        detail: { url, statusCode: res.statusCode },
      });
    }
  }
}

/** The status a MOCK request template asks for. AWS accepts non-strict JSON such as `{statusCode: 200}` (recorded). */
export function mockStatus(body: string): number {
  const m = /["']?statusCode["']?\s*:\s*["']?(\d{3})/.exec(body);
  return m ? Number(m[1]) : 200;
}

/**
 * The "Received response" lines. Today's console prints the status and the headers before the
 * body (recorded); the 2017 Developer Guide example prints the body first, without the status.
 */
function receivedLog(style: ExecutionLogStyle, uri: string, res: EndpointResponse): LogEntry[] {
  const at = res.latencyMs;
  const latency = Math.round(res.latencyMs);
  const headers = { message: `Endpoint response headers: ${javaMap(res.headers)}`, offsetMs: at };
  const body = { message: `Endpoint response body before transformations: ${res.body}`, offsetMs: at };
  return style === '2017'
    ? [`Sending request to ${uri}`, { message: `Received response. Integration latency: ${latency} ms`, offsetMs: at }, body, headers]
    : [`Sending request to ${uri}`, { message: `Received response. Status: ${res.statusCode}, Integration latency: ${latency} ms`, offsetMs: at }, headers, body];
}

/** Lambda's Invoke response headers, in the order each console style prints them. */
function lambdaResponseHeaders(
  style: ExecutionLogStyle,
  r: { requestId: string; contentLength: number; date: string; traceRoot: string; functionError?: string },
): Record<string, string> {
  const error: Record<string, string> = r.functionError ? { 'X-Amz-Function-Error': r.functionError } : {};
  if (style === '2017') {
    return {
      'x-amzn-Remapped-Content-Length': '0',
      'x-amzn-RequestId': r.requestId,
      Connection: 'keep-alive',
      'Content-Length': String(r.contentLength),
      Date: r.date,
      ...error,
      'X-Amzn-Trace-Id': `root=${r.traceRoot};sampled=0`,
      'Content-Type': 'application/json',
    };
  }
  return {
    Date: r.date,
    'Content-Type': 'application/json',
    'Content-Length': String(r.contentLength),
    Connection: 'keep-alive',
    'x-amzn-RequestId': r.requestId,
    'x-amzn-Remapped-Content-Length': '0',
    'X-Amz-Executed-Version': '$LATEST',
    ...error,
    'X-Amzn-Trace-Id': `Root=${r.traceRoot};Sampled=0`,
  };
}
