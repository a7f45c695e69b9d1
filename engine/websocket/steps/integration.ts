/**
 * Integration: call the backend within timeoutInMillis (at most 29 s). Lambda runs sandboxed;
 * every call its code makes to a simulated service (a table, the @connections API) is recorded
 * with its virtual time, so the trace shows a broadcast's fan-out message by message. HTTP
 * integrations make a real call; DynamoDB actions go to the table service; MOCK calls nothing.
 */
import { HostServiceError, type HostServices } from '../../backends/lambda/sandbox';
import { LambdaError } from '../../backends/lambda/service';
import { httpDate } from '../../core/time-format';
import { type LogEntry, type Step, next, reject, skip } from '../../pipeline/types';
import { javaMap } from '../../rest/java-format';
import { mockStatus } from '../../rest/steps/integration';
import type { EndpointResponse, ServiceCall, WebSocketInvocation } from '../context';
import type { WebSocketDeps } from '../deps';

/** Time API Gateway spends reaching Lambda's invoke endpoint, on the virtual clock. (?) */
const LAMBDA_INVOKE_OVERHEAD_MS = 3;

export function integrationStep(deps: WebSocketDeps): Step<WebSocketInvocation> {
  return {
    id: 'integration',
    phase: 'integration',
    async run(ctx, env) {
      const integration = ctx.route?.integration;
      const req = ctx.endpointRequest;
      if (!integration || !req) return skip('Nothing to call.');
      const timeoutMs = integration.timeoutInMillis;

      if (integration.type === 'MOCK') {
        const statusCode = mockStatus(req.body);
        const endpointResponse: EndpointResponse = { statusCode, headers: {}, body: '', latencyMs: 0 };
        return next({ ...ctx, endpointResponse }, `MOCK integration: no backend is called; the request template selected status ${statusCode}.`, { detail: { statusCode } });
      }

      if (req.service) {
        const target = req.service;
        const query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, [v]]));
        const res = deps.aws.invoke({ target, httpMethod: req.httpMethod, headers: req.headers, query, body: Buffer.from(req.body, 'utf8') }, env.now);
        const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, [v]]));
        const body = res.body.toString('utf8');
        const endpointResponse: EndpointResponse = { statusCode: res.statusCode, headers, body, latencyMs: res.latencyMs };
        const op = String(res.detail.operation ?? target.value);
        return next(
          { ...ctx, endpointResponse },
          `${target.service.toUpperCase()} ${op} answered ${res.statusCode}${res.statusCode < 300 ? '' : `: ${body}`} after ${res.latencyMs} ms (simulated service).`,
          { log: receivedLog(req.uri, endpointResponse), durationMs: res.latencyMs, detail: { service: res.detail } },
        );
      }

      if (req.functionName !== undefined) {
        const fn = req.functionName;
        const calls: ServiceCall[] = [];
        const recorder: HostServices = async (service, method, args, call) => {
          // On the system clock (the live endpoint) the call happens now; on a virtual clock, at the handler's virtual time.
          const at = deps.clock.kind === 'system' ? deps.clock.now() : (call?.at ?? env.now);
          try {
            const r = await deps.hostServices(service, method, args, { at });
            calls.push({ at, service, method, args, ok: true, result: r.value, elapsedMs: r.elapsedMs ?? 0 });
            return r;
          } catch (err) {
            const e = err instanceof HostServiceError ? { code: err.code, message: err.message, statusCode: err.statusCode } : { code: 'InternalFailure', message: err instanceof Error ? err.message : String(err), statusCode: 500 };
            calls.push({ at, service, method, args, ok: false, error: e, elapsedMs: 0 });
            throw err;
          }
        };
        let result;
        try {
          result = await deps.lambda.invoke(fn, req.body, { now: env.now + LAMBDA_INVOKE_OVERHEAD_MS, hostServices: recorder });
        } catch (err) {
          if (!(err instanceof LambdaError)) throw err;
          return reject(
            { ...ctx, integrationError: err.message, errorKind: 'execution' },
            { type: 'INTEGRATION_FAILURE', message: 'Internal server error', statusCode: 500 },
            err.code === 'ResourceNotFoundException'
              ? `No function named "${fn}" exists in this simulation. Add it under functions: in the scenario.`
              : `Lambda refused the invocation (${err.code}: ${err.message}).`,
            {
              log: [`Sending request to ${req.uri}`, `Lambda invocation failed with status: ${err.statusCode}. Lambda request id: ${deps.ids.lambdaRequestId()}`, `Execution failed due to configuration error: ${err.message}`],
              durationMs: LAMBDA_INVOKE_OVERHEAD_MS,
              detail: { functionName: fn, error: err.code },
            },
          );
        }
        const latency = LAMBDA_INVOKE_OVERHEAD_MS + result.durationMs;
        const lambdaDetail = {
          functionName: fn,
          lambdaRequestId: result.requestId,
          coldStart: result.coldStart,
          initDurationMs: result.initDurationMs ?? 0,
          functionDurationMs: result.durationMs,
          functionLogs: result.logs,
          ...(calls.length ? { serviceCalls: calls } : {}),
          ...(result.error ? { functionError: result.error } : {}),
        };
        const withCalls = calls.length ? { serviceCalls: calls } : {};
        if (latency > timeoutMs) {
          return reject(
            { ...ctx, ...withCalls, integrationError: 'Endpoint request timed out', errorKind: 'execution' },
            // The frame says "Endpoint request timed out", as wscat transcripts show (?); $connect answers 504.
            { type: 'INTEGRATION_TIMEOUT', message: 'Endpoint request timed out', statusCode: 504 },
            `The function needed ${Math.round(latency)} ms but the integration timeout is ${timeoutMs} ms: API Gateway gives up (the function keeps running to its end).`,
            { log: [`Sending request to ${req.uri}`, { message: 'Execution failed due to a timeout error', offsetMs: timeoutMs }], durationMs: timeoutMs, detail: { ...lambdaDetail, timeoutMs } },
          );
        }
        const endpointResponse: EndpointResponse = {
          statusCode: result.statusCode,
          headers: {
            Date: [httpDate(env.now + latency)],
            'Content-Type': ['application/json'],
            'Content-Length': [String(Buffer.byteLength(result.payload))],
            Connection: ['keep-alive'],
            'x-amzn-RequestId': [result.requestId],
            'X-Amz-Executed-Version': ['$LATEST'],
            ...(result.functionError ? { 'X-Amz-Function-Error': [result.functionError] } : {}),
          },
          body: result.payload,
          latencyMs: latency,
          ...(result.error ? { functionError: { errorType: result.error.errorType, errorMessage: result.error.errorMessage } } : {}),
        };
        const fanOut = calls.filter((c) => c.service === 'execute-api' && c.method === 'PostToConnection');
        const gone = fanOut.filter((c) => !c.ok && c.error?.statusCode === 410).length;
        const calledWhat = calls.length
          ? ` It made ${calls.length} service call${calls.length === 1 ? '' : 's'}${fanOut.length ? `, ${fanOut.length} of them PostToConnection${gone ? ` (${gone} answered 410 Gone)` : ''}` : ''}.`
          : '';
        return next(
          { ...ctx, ...withCalls, endpointResponse },
          `Invoked ${fn}${result.coldStart ? ` (cold start: ${result.initDurationMs} ms of init)` : ' (warm)'}; it ${result.error ? `failed with ${result.error.errorType}: ${result.error.errorMessage}` : 'returned'} after ${Math.round(result.durationMs)} ms.${calledWhat}`,
          { log: [...receivedLog(req.uri, endpointResponse), { message: `AWS Integration Endpoint RequestId : ${result.requestId}`, offsetMs: latency }], durationMs: latency, detail: lambdaDetail },
        );
      }

      // HTTP and HTTP_PROXY: a real call.
      const q = Object.entries(req.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
      const url = q.length ? `${req.uri}${req.uri.includes('?') ? '&' : '?'}${q.join('&')}` : req.uri;
      const res = await deps.http.send({ method: req.httpMethod, url, headers: req.headers, body: req.body, isBase64Encoded: false, timeoutMs });
      if (!res.ok) {
        const timedOut = res.reason === 'timeout';
        return reject(
          { ...ctx, integrationError: res.message, errorKind: 'execution' },
          { type: timedOut ? 'INTEGRATION_TIMEOUT' : 'INTEGRATION_FAILURE', message: timedOut ? 'Endpoint request timed out' : 'Internal server error', statusCode: timedOut ? 504 : 500 },
          timedOut ? `The backend did not answer within ${timeoutMs} ms.` : `The backend could not be reached (${res.message}).`,
          { log: [`Sending request to ${url}`, timedOut ? 'Execution failed due to a timeout error' : `Execution failed due to configuration error: ${res.message}`], durationMs: res.latencyMs },
        );
      }
      const headers: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(res.headers)) headers[k] = [v];
      const endpointResponse: EndpointResponse = { statusCode: res.statusCode, headers, body: res.body, latencyMs: res.latencyMs };
      return next({ ...ctx, endpointResponse }, `${req.httpMethod} ${url} answered ${res.statusCode} after ${Math.round(res.latencyMs)} ms.`, {
        log: receivedLog(url, endpointResponse),
        durationMs: res.latencyMs,
        detail: { url, statusCode: res.statusCode },
      });
    },
  };
}

function receivedLog(uri: string, res: EndpointResponse): LogEntry[] {
  const at = res.latencyMs;
  const single: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) single[k] = v.join(',');
  return [
    `Sending request to ${uri}`,
    { message: `Received response. Status: ${res.statusCode}, Integration latency: ${Math.round(res.latencyMs)} ms`, offsetMs: at },
    { message: `Endpoint response headers: ${javaMap(single)}`, offsetMs: at },
    { message: `Endpoint response body before transformations: ${res.body}`, offsetMs: at },
  ];
}
