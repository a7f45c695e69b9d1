/**
 * Integration request: what the backend receives.
 *  - AWS_PROXY (Lambda): the event of reference B5 (CONNECT, MESSAGE or DISCONNECT);
 *  - HTTP_PROXY: the message passes through as the body;
 *  - AWS, HTTP, MOCK: a request template, chosen by the integration's
 *    templateSelectionExpression (`${request.body.type}`, or a static value; `$default` is the
 *    catch-all), renders the body; without a matching template the message passes through
 *    (passthroughBehavior WHEN_NO_MATCH). Then requestParameters map `route.request.header.X`,
 *    `route.request.querystring.X` (on $connect), `context.X`, `stageVariables.X` or `'static'`
 *    values onto `integration.request.header.Y` / `integration.request.querystring.Y`.
 */
import { createHash } from 'node:crypto';
import { firstValues, getHeader, parseQuery } from '../../core/http';
import { amzDate } from '../../core/time-format';
import { lambdaFunctionFromUri } from '../../model/rest';
import { type LogEntry, type Step, next, reject, skip } from '../../pipeline/types';
import { logHeaders } from '../../rest/java-format';
import { substituteStageVariables } from '../../rest/parameter-mapping';
import { TemplateError, renderTemplateDetailed } from '../../vtl';
import type { EndpointRequest, WebSocketInvocation } from '../context';
import { buildProxyEvent, contextVariables } from '../events';
import { awsEndpointUrl } from '../../backends/aws-services';
import { type Integration, awsServiceTarget } from '../model';
import { evaluateSelectionExpression } from '../selection-expression';

export function integrationRequestStep(region: string): Step<WebSocketInvocation> {
  return {
    id: 'integrationRequest',
    phase: 'integrationRequest',
    overheadMs: 1,
    run(ctx, env) {
      const integration = ctx.route?.integration;
      if (!ctx.route) return skip('No route runs for this event, so there is no integration to call.');
      if (!integration) return skip(`Route ${ctx.route.routeKey} has no integration: nothing is called.`);
      const messageBody = ctx.eventType === 'MESSAGE' ? (ctx.message?.data ?? '') : '';

      if (integration.type === 'AWS_PROXY') {
        const fn = substituteStageVariables(lambdaFunctionFromUri(integration.uri) ?? '', ctx.stage?.variables ?? {});
        const event = buildProxyEvent(ctx);
        const req = lambdaRequest(ctx, region, fn, JSON.stringify(event), env.now);
        return next({ ...ctx, endpointRequest: req }, `Lambda proxy integration: the ${ctx.eventType} event goes to ${fn} as it is; no templates apply.`, {
          log: endpointLog(req),
          detail: { functionName: fn, event },
        });
      }

      const vars = contextVariables(ctx);
      const mapped = mapParameters(integration, ctx, vars);
      if (integration.type === 'HTTP_PROXY') {
        const req: EndpointRequest = {
          uri: substituteStageVariables(integration.uri ?? '', ctx.stage?.variables ?? {}),
          httpMethod: integration.integrationMethod ?? 'POST',
          headers: { ...(ctx.eventType === 'CONNECT' ? firstValues(ctx.connection.headers) : {}), ...mapped.header },
          query: mapped.querystring,
          body: messageBody,
        };
        return next({ ...ctx, endpointRequest: req }, `HTTP proxy integration: the ${ctx.eventType === 'MESSAGE' ? 'message' : 'event'} passes through to ${req.httpMethod} ${req.uri}.`, {
          log: endpointLog(req),
          detail: { mappings: mapped },
        });
      }

      // Non-proxy: choose a request template.
      const templates = integration.requestTemplates;
      const names = Object.keys(templates);
      let selection = '$default';
      let selectionNote = 'no templateSelectionExpression, so $default';
      if (integration.templateSelectionExpression) {
        const r = evaluateSelectionExpression(integration.templateSelectionExpression, { body: messageBody });
        selection = r.ok ? r.value : '$default';
        selectionNote = r.ok ? `${integration.templateSelectionExpression} = "${r.value}"` : `${integration.templateSelectionExpression} cannot be evaluated (${r.reason}), so $default`;
      }
      const key = templates[selection] !== undefined ? selection : templates.$default !== undefined ? '$default' : undefined;
      let body = messageBody;
      let templateDetail: Record<string, unknown> | undefined;
      let decision: string;
      if (key === undefined) {
        if (names.length > 0 && integration.passthroughBehavior !== 'WHEN_NO_MATCH') {
          return reject(
            { ...ctx, errorKind: 'client' },
            { type: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Media Type', statusCode: 415 },
            `No request template matches ${selectionNote} and passthroughBehavior is ${integration.passthroughBehavior}: the message is refused. (?)`,
            { detail: { selection, templates: names } },
          );
        }
        decision = names.length > 0 ? `No request template for ${selectionNote}; the message passes through unchanged.` : 'No request templates: the message passes through unchanged.';
      } else {
        try {
          const rendered = renderTemplateDetailed(templates[key]!, undefined, {
            input: {
              body: messageBody,
              params: {
                path: {},
                querystring: firstValues(parseQuery(ctx.connection.rawQuery)),
                header: ctx.eventType === 'CONNECT' ? firstValues(ctx.connection.headers) : {},
              },
            },
            context: vars,
            stageVariables: { ...(ctx.stage?.variables ?? {}) },
          });
          body = rendered.output;
          Object.assign(mapped.header, rendered.requestOverride.header);
          Object.assign(mapped.querystring, rendered.requestOverride.querystring);
          templateDetail = { selection, key, template: templates[key], reads: rendered.reads, output: rendered.output };
          decision = `Template selection: ${selectionNote}; rendered the "${key}" request template.`;
        } catch (err) {
          const where = err instanceof TemplateError ? ` at line ${err.line}, column ${err.column}` : '';
          return reject(
            { ...ctx, errorKind: 'execution', integrationError: 'Unable to transform request' },
            { type: 'INTEGRATION_FAILURE', message: 'Internal server error', statusCode: 500 },
            `The "${key}" request template failed${where}: ${err instanceof Error ? err.message : String(err)}.`,
            { log: ['Execution failed due to configuration error: Unable to transform request'], detail: { key, template: templates[key], error: err instanceof Error ? err.message : String(err) } },
          );
        }
      }

      let req: EndpointRequest;
      const service = integration.type === 'AWS' ? awsServiceTarget(substituteStageVariables(integration.uri ?? '', ctx.stage?.variables ?? {})) : undefined;
      if (integration.type === 'MOCK') {
        req = { uri: 'mock://', httpMethod: 'POST', headers: mapped.header, query: {}, body };
      } else if (service) {
        // The simulated AWS services REST APIs use too (engine/backends/aws-services.ts).
        const json: Record<string, string> = service.service === 'dynamodb' ? { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `DynamoDB_20120810.${service.value}` } : {};
        req = { uri: awsEndpointUrl(service), httpMethod: integration.integrationMethod ?? 'POST', headers: { ...json, ...mapped.header }, query: mapped.querystring, body, service };
      } else if (integration.type === 'AWS') {
        const fn = substituteStageVariables(lambdaFunctionFromUri(integration.uri) ?? '', ctx.stage?.variables ?? {});
        req = lambdaRequest(ctx, region, fn, body, env.now, mapped.header);
      } else {
        req = {
          uri: substituteStageVariables(integration.uri ?? '', ctx.stage?.variables ?? {}),
          httpMethod: integration.integrationMethod ?? 'POST',
          headers: mapped.header,
          query: mapped.querystring,
          body,
        };
      }
      return next({ ...ctx, endpointRequest: req }, `${decision}${integration.type === 'MOCK' ? ' MOCK integrations call no backend.' : ''}`, {
        log: integration.type === 'MOCK' ? [] : endpointLog(req),
        detail: { ...(templateDetail ? { template: templateDetail } : { selection, templates: names }), mappings: mapped },
      });
    },
  };
}

/** requestParameters: integration.request.{header,querystring}.X ← a route request value, context, stage variable or 'static'. */
function mapParameters(integration: Integration, ctx: WebSocketInvocation, vars: Record<string, unknown>): { header: Record<string, string>; querystring: Record<string, string> } {
  const out = { header: {} as Record<string, string>, querystring: {} as Record<string, string> };
  const query = parseQuery(ctx.connection.rawQuery);
  for (const [target, source] of Object.entries(integration.requestParameters)) {
    const t = /^integration\.request\.(header|querystring)\.(.+)$/.exec(target);
    if (!t) continue;
    let value: string | undefined;
    let m: RegExpExecArray | null;
    if ((m = /^'(.*)'$/.exec(source))) value = m[1];
    else if ((m = /^route\.request\.header\.(.+)$/.exec(source))) value = getHeader(ctx.connection.headers, m[1]!);
    else if ((m = /^route\.request\.querystring\.(.+)$/.exec(source))) value = query[m[1]!]?.at(-1);
    else if ((m = /^route\.request\.multivaluequerystring\.(.+)$/.exec(source))) value = query[m[1]!]?.join(',');
    else if ((m = /^stageVariables\.(.+)$/.exec(source))) value = ctx.stage?.variables[m[1]!];
    else if ((m = /^context\.(.+)$/.exec(source))) {
      let cur: unknown = vars;
      for (const part of m[1]!.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
      value = cur === undefined || cur === null ? undefined : String(cur);
    }
    if (value !== undefined) out[t[1] as 'header' | 'querystring'][t[2]!] = value;
  }
  return out;
}

function lambdaRequest(ctx: WebSocketInvocation, region: string, fn: string, body: string, now: number, extra: Record<string, string> = {}): EndpointRequest {
  const fnArn = fn.startsWith('arn:') ? fn : `arn:aws:lambda:${region}:${ctx.accountId}:function:${fn}`;
  return {
    uri: `https://lambda.${region}.amazonaws.com/2015-03-31/functions/${fnArn}/invocations`,
    httpMethod: 'POST',
    headers: {
      'X-Amz-Date': amzDate(now),
      'x-amzn-apigateway-api-id': ctx.apiId,
      Accept: 'application/json',
      'User-Agent': `AmazonAPIGateway_${ctx.apiId}`,
      'X-Amz-Security-Token': `IQoJb3JpZ2luX2VjE${createHash('sha256').update(ctx.requestId).digest('base64').slice(0, 40)}`,
      ...extra,
    },
    query: {},
    body,
    functionName: fn,
  };
}

function endpointLog(req: EndpointRequest): LogEntry[] {
  const q = Object.entries(req.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return [
    `Endpoint request URI: ${req.uri}${q.length ? `?${q.join('&')}` : ''}`,
    `Endpoint request headers: ${logHeaders(req.headers)}`,
    `Endpoint request body after transformations: ${req.body}`,
  ];
}
