/**
 * Integration response: turn the backend's answer into what the route would send back.
 *  - AWS_PROXY (Lambda): `{ statusCode, body }`; the body is the reply. A function error is an
 *    integration failure ("Internal server error" frame; 502 on $connect, recorded in wscat
 *    transcripts). A result without a numeric statusCode is passed through whole as the reply
 *    (?), and on $connect counts as 200 (?).
 *  - HTTP_PROXY: the backend's body is the reply.
 *  - AWS, HTTP, MOCK: an integration response is chosen by key — regular expressions `/…/`
 *    matched against the selection value ($integration.response.body.errorMessage for Lambda,
 *    the status code for HTTP, MOCK and DynamoDB), else `$default` — and its template (chosen by
 *    its templateSelectionExpression, `$default` as catch-all) renders the reply; without a
 *    template the body passes through.
 * On `$connect` the result decides the handshake: 2xx accepts, anything else refuses with
 * that status. On `$disconnect` the result goes nowhere.
 */
import { type Step, next, reject, skip } from '../../pipeline/types';
import { TemplateError, renderTemplateDetailed } from '../../vtl';
import type { WebSocketInvocation } from '../context';
import { contextVariables } from '../events';
import { evaluateSelectionExpression } from '../selection-expression';

export const integrationResponseStep: Step<WebSocketInvocation> = {
  id: 'integrationResponse',
  phase: 'integrationResponse',
  run(input) {
    let ctx = input;
    const integration = ctx.route?.integration;
    const res = ctx.endpointResponse;
    if (!integration || !res) return skip('There is no integration response to map.');
    const failure = (summary: string, statusCode: number, extra: Record<string, unknown> = {}) =>
      reject(
        { ...ctx, errorKind: 'execution' as const, integrationError: summary },
        { type: 'INTEGRATION_FAILURE', message: 'Internal server error', statusCode },
        ctx.eventType === 'CONNECT'
          ? `${summary} The handshake is refused with ${statusCode}.`
          : ctx.eventType === 'MESSAGE'
            ? `${summary} The client gets the "Internal server error" frame (even on a one-way route); the connection stays open.`
            : `${summary} Nobody hears about it: the connection is already closed.`,
        { log: [`Execution failed due to configuration error: ${summary}`], detail: extra },
      );

    if (integration.type === 'AWS_PROXY') {
      if (res.functionError) {
        return failure(`The function failed (${res.functionError.errorType}: ${res.functionError.errorMessage}).`, 502, { functionError: res.functionError });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(res.body);
      } catch {
        parsed = undefined;
      }
      const o = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
      // $connect: a Sec-WebSocket-Protocol header in the result is the subprotocol the handshake accepts.
      const subprotocol = ctx.eventType === 'CONNECT' ? headerValue(o?.headers, 'sec-websocket-protocol') : undefined;
      if (subprotocol !== undefined) ctx = { ...ctx, subprotocol };
      const status = o && (typeof o.statusCode === 'number' || (typeof o.statusCode === 'string' && /^\d{3}$/.test(o.statusCode))) ? Number(o.statusCode) : undefined;
      let data: string;
      if (status !== undefined) data = o!.body === undefined || o!.body === null ? '' : typeof o!.body === 'string' ? o!.body : JSON.stringify(o!.body);
      else data = res.body === 'null' ? '' : res.body;
      return decided(ctx, status ?? 200, data, o?.isBase64Encoded === true, status === undefined ? 'The function returned no statusCode, so its whole output is the reply (?).' : `The function returned statusCode ${status}${data ? ' and a body' : ' and no body'}.`);
    }
    if (integration.type === 'HTTP_PROXY') {
      return decided(ctx, res.statusCode, res.body, false, `The backend answered ${res.statusCode}; its body passes through.`);
    }

    // Non-proxy: select an integration response.
    const isLambda = ctx.endpointRequest?.functionName !== undefined;
    const selectionValue = isLambda ? (res.functionError?.errorMessage ?? '') : String(res.statusCode);
    const keys = integration.integrationResponses;
    const match =
      keys.find((r) => r.key !== '$default' && (isLambda ? res.functionError !== undefined : true) && fullMatch(r.key.slice(1, -1), selectionValue)) ??
      keys.find((r) => r.key === '$default');
    const selectionDetail = { selectionExpression: isLambda ? '$integration.response.body.errorMessage' : '$integration.response.statuscode', selectionValue, keys: keys.map((k) => k.key) };
    if (!match) {
      return failure(`No integration response matches "${selectionValue}" and there is no $default integration response.`, 500, selectionDetail);
    }
    const templates = match.responseTemplates;
    let tKey = '$default';
    if (match.templateSelectionExpression) {
      const r = evaluateSelectionExpression(match.templateSelectionExpression, {
        body: ctx.message?.data ?? '',
        integrationResponse: { statusCode: res.statusCode, headers: res.headers },
      });
      tKey = r.ok ? r.value : '$default';
    }
    const chosen = templates[tKey] !== undefined ? tKey : templates.$default !== undefined ? '$default' : undefined;
    let data = res.body;
    let templateDetail: Record<string, unknown> | undefined;
    if (chosen !== undefined) {
      try {
        const rendered = renderTemplateDetailed(templates[chosen]!, undefined, {
          input: { body: res.body, params: { path: {}, querystring: {}, header: {} } },
          context: { ...contextVariables(ctx), integration: { status: res.statusCode, latency: res.latencyMs } },
          stageVariables: { ...(ctx.stage?.variables ?? {}) },
        });
        data = rendered.output;
        templateDetail = { key: chosen, template: templates[chosen], reads: rendered.reads, output: rendered.output };
      } catch (err) {
        const where = err instanceof TemplateError ? ` at line ${err.line}, column ${err.column}` : '';
        return failure(`The "${chosen}" response template failed${where}: ${err instanceof Error ? err.message : String(err)}.`, 500, { template: templates[chosen] });
      }
    }
    const accepted = isLambda ? !res.functionError && res.statusCode < 300 : res.statusCode >= 200 && res.statusCode < 300;
    const status = isLambda && res.functionError ? 500 : res.statusCode;
    const summary = `Integration response "${match.key}" matched ${isLambda ? (res.functionError ? `the error message "${selectionValue}"` : 'a successful invocation') : `status ${res.statusCode}`}${chosen ? `; its "${chosen}" template rendered the reply` : '; no template, so the body passes through'}.`;
    const out = decided(ctx, accepted ? (isLambda ? 200 : status) : status, data, false, summary);
    return { ...out, detail: { ...selectionDetail, integrationResponse: match.key, ...(templateDetail ? { template: templateDetail } : {}) } };
  },
};

function decided(ctx: WebSocketInvocation, statusCode: number, data: string, binary: boolean, summary: string) {
  if (ctx.eventType === 'CONNECT' && (statusCode < 200 || statusCode > 299)) {
    return reject(
      { ...ctx, errorKind: 'integration' as const },
      { type: 'CONNECT_REJECTED', message: '', statusCode, body: '' },
      `${summary} On $connect a non-2xx result refuses the handshake: the client sees "Unexpected server response: ${statusCode}" and no connection exists.`,
      { log: [`Method completed with status: ${statusCode}`] },
    );
  }
  const reply = { data, binary };
  return next({ ...ctx, reply, ...(statusCode >= 400 ? { errorKind: 'integration' as const } : {}) }, summary, {
    log: ctx.eventType === 'DISCONNECT' ? [] : [`Method completed with status: ${statusCode}`],
    detail: { statusCode, reply: data },
  });
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const hit = Object.entries(headers as Record<string, unknown>).find(([k]) => k.toLowerCase() === name);
  return hit && hit[1] !== undefined && hit[1] !== null ? String(hit[1]) : undefined;
}

/** Java's String.matches: the whole value must match. */
function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, 's').test(value);
  } catch {
    return false;
  }
}
