/**
 * Integration response: turn what the backend said into the method response.
 *  - AWS_PROXY: the function's result must have the proxy shape, or the client gets 502;
 *  - HTTP_PROXY: status, headers and body pass through (reserved headers renamed);
 *  - non-proxy: a selection pattern picks an integration response (Lambda: matched against the
 *    errorMessage; HTTP, AWS and MOCK: against the status code), then the payload is converted
 *    (binary or text, contentHandling), header mappings and a response template chosen by
 *    Accept produce the method response. A Lambda error that no pattern catches comes back as
 *    200 with the error JSON — the "always 200" lesson.
 */
import { getHeader, mediaType, type MultiMap } from '../../core/http';
import { type LogEntry, type Step, defer, next, reject } from '../../pipeline/types';
import type { IntegrationResponse } from '../../model/rest';
import { TemplateError, renderTemplateDetailed, templateReadsContext } from '../../vtl';
import type { RestInvocation } from '../context';
import { isBinaryMediaType } from '../binary';
import { type Conversion, bytesOf, convertResponsePayload } from '../content-handling';
import { contextVariables, templateContext } from '../context-variables';
import { javaMap } from '../java-format';
import { contextValue, jsonPathString } from '../parameter-mapping';
import { parseProxyResult } from '../proxy-response';
import { remapBackendHeaders } from '../response-headers';
import { inputParams } from './integration-request';

const CONFIGURATION_ERROR = { type: 'API_CONFIGURATION_ERROR', message: 'Internal server error' } as const;

/** The client's first Accept media type; none means application/json. */
function acceptOf(ctx: RestInvocation): string {
  return mediaType(getHeader(ctx.request.headers, 'accept')) || 'application/json';
}

const NO_VARS: Record<string, unknown> = {};

const NO_BYTES = Buffer.alloc(0);
/** What convertResponsePayload answers for text kept as text, without the bytes (the body is used as is). */
function textConversion(body: string): Conversion {
  return { ok: true, payload: { bytes: body === '' ? NO_BYTES : Buffer.from(body, 'utf8'), binary: false }, converted: 'none' };
}

/** No lone surrogates: the text survives a UTF-8 round trip unchanged. */
function isWellFormed(text: string): boolean {
  const f = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return f ? f.call(text) : !/[\uD800-\uDFFF]/.test(text);
}

/** Integrations are frozen with the deployment: their response lists are worked out once. */
const responseLists = new WeakMap<object, readonly IntegrationResponse[]>();
function responsesOf(integration: { readonly integrationResponses: Readonly<Record<string, IntegrationResponse>> }): readonly IntegrationResponse[] {
  let list = responseLists.get(integration);
  if (!list) responseLists.set(integration, (list = Object.values(integration.integrationResponses)));
  return list;
}

const patterns = new Map<string, RegExp | null>();
/** The compiled selection pattern; null when invalid (it never matches; the model loader reports it). */
function patternOf(source: string): RegExp | null {
  let re = patterns.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${source})$`);
    } catch {
      re = null;
    }
    if (patterns.size > 1000) patterns.clear();
    patterns.set(source, re);
  }
  return re;
}

export const integrationResponse: Step<RestInvocation> = {
  id: 'integrationResponse',
  phase: 'integrationResponse',
  overheadMs: 1,
  run(ctx, env) {
    const integration = ctx.route!.method.integration!;
    const res = ctx.endpointResponse!;
    const api = ctx.api!;
    const requestTraceId = getHeader(ctx.request.headers, 'x-amzn-trace-id');

    if (integration.type === 'AWS_PROXY') {
      if (res.functionError) {
        const lambdaId = res.headers['x-amzn-RequestId'] ?? '';
        return reject(
          { ...ctx, integrationError: res.functionError.errorMessage },
          { ...CONFIGURATION_ERROR, statusCode: 502 },
          `The function failed (${res.functionError.errorType}: ${res.functionError.errorMessage}). With a proxy integration any function error is a 502 "Internal server error" for the client.`,
          {
            log: [`Lambda execution failed with status 200 due to customer function error: ${res.functionError.errorMessage}. Lambda request id: ${lambdaId}`],
            detail: { functionError: res.functionError },
          },
        );
      }
      const parsed = parseProxyResult(res.body);
      if (!parsed.ok) {
        return reject(
          { ...ctx, integrationError: 'Malformed Lambda proxy response' },
          { ...CONFIGURATION_ERROR, statusCode: 502 },
          `The function returned successfully, but not in the proxy shape: ${parsed.problem}. API Gateway answers 502 "Internal server error".`,
          {
            log: ['Execution failed due to configuration error: Malformed Lambda proxy response'],
            detail: { problem: parsed.problem, payload: res.body },
          },
        );
      }
      const r = parsed.result;
      // The base64 text is decoded only when the client's Accept names a binary media type (recorded);
      // otherwise the client gets the base64 text itself.
      const decode = r.isBase64Encoded && isBinaryMediaType(api.binaryMediaTypes, mediaType(getHeader(ctx.request.headers, 'accept')));
      const headers = remapBackendHeaders(r.headers, 'AWS_PROXY');
      if (requestTraceId && !Object.keys(headers).some((h) => h.toLowerCase() === 'x-amzn-trace-id')) headers['X-Amzn-Trace-Id'] = [requestTraceId];
      const response = { statusCode: r.statusCode, headers: headers as MultiMap, body: r.body, isBase64Encoded: decode };
      return next(
        { ...ctx, response },
        `The function's proxy result is well formed: status ${r.statusCode}, ${Object.keys(r.headers).length} header(s), a ${r.body.length}-character body${r.isBase64Encoded ? (decode ? ', base64-decoded to binary because Accept matches binaryMediaTypes' : ', returned as base64 text because Accept matches no binaryMediaTypes entry') : ''}.`,
        { log: defer(methodResponseLog, decode ? '[Binary Data]' : response.body, headers) },
      );
    }

    if (integration.type === 'HTTP_PROXY') {
      const headers = remapBackendHeaders(Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, [v]])), 'HTTP_PROXY');
      const response = { statusCode: res.statusCode, headers: headers as MultiMap, body: res.body, isBase64Encoded: res.isBase64Encoded };
      return next({ ...ctx, response }, `HTTP proxy: the backend's ${res.statusCode} response passes through unchanged.`, {
        log: defer(methodResponseLog, res.isBase64Encoded ? '[Binary Data]' : res.body, headers),
      });
    }

    // Non-proxy integrations.
    const isLambda = res.functionError !== undefined || ctx.endpointRequest?.functionName !== undefined;
    const selector = res.functionError ? res.functionError.errorMessage : isLambda ? undefined : String(res.statusCode);
    const chosen = selectIntegrationResponse(responsesOf(integration), selector);
    const selectorText = selector === undefined ? 'a successful Lambda result (default response)' : res.functionError ? `errorMessage "${selector}"` : `status ${selector}`;
    if (!chosen) {
      return reject(ctx, CONFIGURATION_ERROR, `No integration response matches ${selectorText}, and there is no default one: 500.`, {
        log: [`Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: ${res.statusCode}`],
        detail: { selector, patterns: Object.values(integration.integrationResponses).map((r) => r.selectionPattern ?? '') },
      });
    }
    const methodResponse = ctx.route!.method.methodResponses[chosen.statusCode];
    if (!methodResponse) {
      return reject(
        ctx,
        CONFIGURATION_ERROR,
        `The integration response maps to status ${chosen.statusCode}, but the method declares no ${chosen.statusCode} method response: 500.`,
        { log: [`Execution failed due to configuration error: Output mapping refers to an invalid method response: ${chosen.statusCode}`] },
      );
    }

    // $context is built only when a mapping can read it (a hot path of load runs).
    const vars = Object.keys(chosen.responseParameters).length > 0 ? contextVariables(ctx, env.now) : NO_VARS;
    const headers: Record<string, string[]> = {};
    for (const [target, source] of Object.entries(chosen.responseParameters)) {
      const m = /^method\.response\.header\.(.+)$/.exec(target);
      if (!m) continue;
      const value = resolveResponseSource(source, ctx, vars);
      if (value !== undefined) headers[m[1]!] = [value];
    }

    // Binary or text, and what the client asked for (first Accept media type).
    const accept = acceptOf(ctx);
    const payloadType = mediaType(Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1]);
    const payloadBinary = isBinaryMediaType(api.binaryMediaTypes, payloadType);
    const acceptBinary = isBinaryMediaType(api.binaryMediaTypes, accept);
    // Text in, text out, nothing to convert (almost every response): no bytes round trip.
    const plainText = !payloadBinary && !acceptBinary && chosen.contentHandling === undefined && !res.isBase64Encoded && isWellFormed(res.body);
    const conversion = plainText ? textConversion(res.body) : convertResponsePayload(bytesOf(res.body, res.isBase64Encoded), payloadBinary, acceptBinary, chosen.contentHandling);
    if (!conversion.ok) {
      return reject(
        ctx,
        CONFIGURATION_ERROR,
        `The ${payloadType ?? 'untyped'} payload is text and the client accepts ${accept}${chosen.contentHandling ? ` (contentHandling ${chosen.contentHandling})` : ''}, so API Gateway base64-decodes it — and ${conversion.reason}: 500.`,
        {
          log: ['Execution failed due to configuration error: Unable to transform response'],
          detail: { payloadType, payloadBinary, accept, acceptBinary, contentHandling: chosen.contentHandling ?? null },
        },
      );
    }
    const payload = conversion.payload;

    const templates = Object.entries(chosen.responseTemplates);
    const picked = templates.find(([ct]) => ct.toLowerCase() === accept) ?? templates[0];
    let body = plainText ? res.body : payload.binary ? payload.bytes.toString('base64') : payload.bytes.toString('utf8');
    let isBase64Encoded = payload.binary;
    const carried = ctx.overrides?.responseOverride;
    let status = Number(chosen.statusCode);
    let overrideStatus = typeof carried?.status === 'number' ? carried.status : undefined;
    let overrideHeaders: Record<string, string> = stringMap(carried?.header);
    let templateDetail: Record<string, unknown> | undefined;
    const log: LogEntry[] = [];
    if (picked && picked[1] !== '' && !payload.binary) {
      try {
        const rendered = renderTemplateDetailed(picked[1], undefined, {
          input: { body, params: () => inputParams(ctx) },
          context: templateReadsContext(picked[1]) ? templateContext(ctx) : NO_VARS,
          stageVariables: { ...(ctx.stage?.variables ?? {}) },
        });
        body = rendered.output;
        templateDetail = { contentType: picked[0], template: picked[1], reads: rendered.reads, output: rendered.output };
        overrideStatus = rendered.responseOverride.status ?? overrideStatus;
        overrideHeaders = { ...overrideHeaders, ...rendered.responseOverride.header };
      } catch (err) {
        const where = err instanceof TemplateError ? ` at line ${err.line}, column ${err.column}` : '';
        return reject(ctx, CONFIGURATION_ERROR, `The ${picked[0]} response template failed${where}: ${err instanceof Error ? err.message : String(err)}.`, {
          log: ['Execution failed due to configuration error: Unable to transform response'],
        });
      }
    } else if (picked && picked[1] === '') {
      body = '';
      isBase64Encoded = false;
    }
    // $context.responseOverride.status is applied only when valid (100-599) (?).
    if (overrideStatus !== undefined && overrideStatus >= 100 && overrideStatus <= 599) status = overrideStatus;
    for (const [k, v] of Object.entries(overrideHeaders)) headers[k] = [v];

    // Every non-proxy response carries a trace id: Lambda's own, else the request's (recorded).
    const lambdaTrace = isLambda ? res.headers['X-Amzn-Trace-Id'] : undefined;
    const traceId = lambdaTrace ? (ctx.logStyle === '2017' ? lambdaTrace.split(';').reverse().join(';') : lambdaTrace) : requestTraceId;
    if (traceId && !Object.keys(headers).some((h) => h.toLowerCase() === 'x-amzn-trace-id')) headers['X-Amzn-Trace-Id'] = [traceId];
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = [picked?.[0] ?? 'application/json'];
    const final = integration.type === 'MOCK' ? headers : remapBackendHeaders(headers, integration.type);
    const logged = defer(withMethodResponseLog, log, isBase64Encoded ? '[Binary Data]' : body, final);
    const response = { statusCode: status, headers: final as MultiMap, body, isBase64Encoded };
    const patternText = chosen.selectionPattern ? `pattern /${chosen.selectionPattern}/` : 'the default integration response';
    const conversionText = conversion.converted !== 'none' ? ` The payload was ${conversion.converted} (${payloadBinary ? 'binary' : 'text'} payload, Accept ${accept}${chosen.contentHandling ? `, ${chosen.contentHandling}` : ''}).` : '';
    return next(
      { ...ctx, response },
      `${selectorText[0]!.toUpperCase()}${selectorText.slice(1)} selected ${patternText} → method response ${chosen.statusCode}${status !== Number(chosen.statusCode) ? `, overridden to ${status}` : ''}.${conversionText}`,
      { log: logged, detail: { selector, statusCode: status, ...(templateDetail ? { template: templateDetail } : {}), payloadBinary, acceptBinary } },
    );
  },
};

function stringMap(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object') return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, String(x)]));
}

/**
 * Patterns are Java regexes that must match the whole selector; `.` does not cross newlines.
 * The default response has an empty (or no) pattern. A successful Lambda result only selects
 * the default.
 */
export function selectIntegrationResponse(responses: readonly IntegrationResponse[], selector: string | undefined): IntegrationResponse | undefined {
  if (selector !== undefined) {
    for (const r of responses) {
      if (!r.selectionPattern) continue;
      if (patternOf(r.selectionPattern)?.test(selector)) return r;
    }
  }
  return responses.find((r) => !r.selectionPattern);
}

function resolveResponseSource(source: string, ctx: RestInvocation, vars: Record<string, unknown>): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const res = ctx.endpointResponse!;
  let m = /^integration\.response\.(header|multivalueheader)\.(.+)$/.exec(source);
  if (m) {
    const name = Object.keys(res.headers).find((k) => k.toLowerCase() === m![2]!.toLowerCase());
    return name === undefined ? undefined : res.headers[name];
  }
  if (source === 'integration.response.body') return res.body;
  m = /^integration\.response\.body\.(.+)$/.exec(source);
  if (m) return jsonPathString(res.body, m[1]!);
  m = /^stageVariables\.(.+)$/.exec(source);
  if (m) return ctx.stage?.variables[m[1]!];
  m = /^context\.(.+)$/.exec(source);
  if (m) return contextValue(vars, m[1]!);
  return undefined;
}

function withMethodResponseLog(log: LogEntry[], body: string, headers: Readonly<Record<string, readonly string[]>>): LogEntry[] {
  return [...log, ...methodResponseLog(body, headers)];
}

function methodResponseLog(body: string, headers: Readonly<Record<string, readonly string[]>>): LogEntry[] {
  return [`Method response body after transformations: ${body}`, `Method response headers: ${javaMap(firstOf(headers))}`];
}

function firstOf(headers: Readonly<Record<string, readonly string[]>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = v.join(',');
  return out;
}
