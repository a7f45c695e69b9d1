/**
 * Integration request: turn the method request into the request the backend receives.
 *  - proxy integrations pass the request through (AWS_PROXY wraps it in the 1.0 event);
 *  - non-proxy integrations choose a mapping template by Content-Type, or pass the body through
 *    according to passthroughBehavior (or answer 415), then apply parameter mappings.
 * Mapping a header API Gateway controls itself (Content-Length...) is a configuration error: 500.
 */
import { createHash } from 'node:crypto';
import { firstValues, getHeader, mediaType, parseQuery, type MultiMap } from '../../core/http';
import { amzDate } from '../../core/time-format';
import { lambdaFunctionFromUri } from '../../model/rest';
import { type LogEntry, type Step, next, reject } from '../../pipeline/types';
import { TemplateError, renderTemplateDetailed } from '../../vtl';
import type { EndpointRequest, RestInvocation } from '../context';
import { contextVariables } from '../context-variables';
import { logHeaders } from '../java-format';
import { resolveRequestSource, substituteStageVariables } from '../parameter-mapping';
import { buildProxyEvent } from '../proxy-event';

/** Recorded: these targets fail for every integration type... */
const FORBIDDEN_ALWAYS = ['content-length', 'transfer-encoding'];
/** ...and these too for Lambda (AWS, AWS_PROXY) integrations. */
const FORBIDDEN_LAMBDA = ['authorization', 'connection', 'expect', 'proxy-authenticate', 'te'];

export function integrationRequestStep(region: string): Step<RestInvocation> {
  return {
    id: 'integrationRequest',
    phase: 'integrationRequest',
    overheadMs: 1,
    run(ctx, env) {
      const integration = ctx.route!.method.integration;
      if (!integration) {
        return reject(ctx, { type: 'API_CONFIGURATION_ERROR', message: 'Internal server error' }, 'This method has no integration, so there is nothing to call: 500.', {
          log: ['Execution failed due to configuration error: No integration defined for method'],
        });
      }
      const vars = contextVariables(ctx, env.now);
      const isLambda = integration.type === 'AWS_PROXY' || (integration.type === 'AWS' && /:lambda:path/.test(integration.uri ?? ''));

      for (const target of Object.keys(integration.requestParameters)) {
        const m = /^integration\.request\.header\.(.+)$/i.exec(target);
        const name = m?.[1]?.toLowerCase();
        if (name && (FORBIDDEN_ALWAYS.includes(name) || (isLambda && FORBIDDEN_LAMBDA.includes(name)))) {
          return reject(
            ctx,
            { type: 'API_CONFIGURATION_ERROR', message: 'Internal server error' },
            `The integration maps the header ${m![1]}, which API Gateway manages itself; that is a configuration error, answered with 500.`,
            { log: [`Execution failed due to configuration error: Invalid mapping expression specified: ${target}`] },
          );
        }
      }

      if (integration.type === 'AWS_PROXY') {
        if ((integration.httpMethod ?? 'POST').toUpperCase() !== 'POST') {
          return reject(
            ctx,
            { type: 'API_CONFIGURATION_ERROR', message: 'Internal server error' },
            `Lambda is always invoked with POST, but this integration uses ${integration.httpMethod}: a configuration error (500).`,
            { log: ['Execution failed due to configuration error: Lambda integrations must use POST as the integration HTTP method'] },
          );
        }
        const fn = substituteStageVariables(lambdaFunctionFromUri(integration.uri) ?? '', ctx.stage?.variables ?? {});
        const event = buildProxyEvent(ctx);
        const body = JSON.stringify(event);
        const req = lambdaEndpointRequest(ctx, region, fn, body, env.now);
        return next(
          { ...ctx, endpointRequest: req },
          `Lambda proxy integration: the whole request becomes a payload-1.0 event for function ${fn}; no mapping templates apply.`,
          { log: endpointLog(req), detail: { functionName: fn, event } },
        );
      }

      const overrides: Record<string, string> = {};
      const mapped = { header: {} as Record<string, string>, querystring: {} as Record<string, string>, path: {} as Record<string, string> };
      for (const [target, source] of Object.entries(integration.requestParameters)) {
        const m = /^integration\.request\.(header|querystring|path)\.(.+)$/.exec(target);
        if (!m) continue;
        const value = resolveRequestSource(source, ctx, vars);
        if (value !== undefined) mapped[m[1] as 'header' | 'querystring' | 'path'][m[2]!] = value;
        overrides[target] = value ?? '(missing)';
      }
      // The console maps same-named path parameters for you (e.g. {proxy}); do the same when
      // the integration names a path parameter in its URI without an explicit mapping.
      for (const [name, value] of Object.entries(ctx.route!.pathParameters)) {
        if (mapped.path[name] === undefined && (integration.uri ?? '').includes(`{${name}}`)) mapped.path[name] = value;
      }

      if (integration.type === 'HTTP_PROXY') {
        const uri = buildUri(integration.uri ?? '', mapped.path, ctx.stage?.variables ?? {});
        const clientQuery = parseQuery(ctx.request.rawQuery);
        const query: Record<string, string[]> = Object.fromEntries(Object.entries(clientQuery).map(([k, v]) => [k, [...v]]));
        for (const [k, v] of Object.entries(mapped.querystring)) query[k] = [v];
        const headers: Record<string, string> = { ...firstValues(ctx.request.headers), ...mapped.header };
        delete headers['Host'];
        delete headers['host'];
        const method = !integration.httpMethod || integration.httpMethod === 'ANY' ? ctx.route!.httpMethod : integration.httpMethod;
        const req: EndpointRequest = {
          uri,
          httpMethod: method,
          headers,
          query,
          body: ctx.request.body ?? '',
          isBase64Encoded: ctx.request.isBase64Encoded,
        };
        return next({ ...ctx, endpointRequest: req }, `HTTP proxy integration: the request passes through to ${method} ${uri}.`, {
          log: endpointLog(req),
          detail: { mappings: overrides },
        });
      }

      // Non-proxy: MOCK, HTTP, AWS. Choose a template or pass the body through.
      const contentType = mediaType(getHeader(ctx.request.headers, 'content-type')) ?? 'application/json';
      const templates = integration.requestTemplates;
      const template = templates[contentType];
      const hasTemplates = Object.keys(templates).length > 0;
      const behavior = integration.passthroughBehavior;
      let body = ctx.request.body ?? '';
      const log: LogEntry[] = [];
      let templateDetail: Record<string, unknown> | undefined;
      let requestOverride: { header: Record<string, string>; querystring: Record<string, string>; path: Record<string, string> } | undefined;
      let decision: string;
      if (template === undefined) {
        if ((hasTemplates && behavior !== 'WHEN_NO_MATCH') || (!hasTemplates && behavior === 'NEVER')) {
          return reject(
            ctx,
            { type: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Media Type' },
            `No mapping template for Content-Type ${contentType}, and passthroughBehavior is ${behavior}: API Gateway refuses the request with 415.`,
            {
              log: [`Request body passthrough disabled for content type ${contentType}`, 'Execution failed: Unsupported Media Type'],
              detail: { contentType, passthroughBehavior: behavior, templates: Object.keys(templates) },
            },
          );
        }
        decision = hasTemplates
          ? `No template for ${contentType}; passthroughBehavior ${behavior} passes the body through unchanged.`
          : `No mapping templates; the body passes through unchanged.`;
      } else {
        try {
          const rendered = renderTemplateDetailed(template, undefined, {
            input: {
              body: ctx.request.body ?? '',
              params: {
                path: { ...ctx.route!.pathParameters },
                querystring: firstValues(parseQuery(ctx.request.rawQuery)),
                header: firstValues(ctx.request.headers),
              },
            },
            context: vars,
            stageVariables: { ...(ctx.stage?.variables ?? {}) },
          });
          body = rendered.output;
          requestOverride = rendered.requestOverride;
          templateDetail = { contentType, template, reads: rendered.reads, output: rendered.output };
          decision = `Rendered the ${contentType} mapping template.`;
        } catch (err) {
          const where = err instanceof TemplateError ? ` at line ${err.line}, column ${err.column}` : '';
          return reject(
            ctx,
            { type: 'API_CONFIGURATION_ERROR', message: 'Internal server error' },
            `The ${contentType} request template failed${where}: ${err instanceof Error ? err.message : String(err)}. API Gateway answers 500.`,
            {
              log: [`Execution failed due to configuration error: Unable to transform request`],
              detail: { contentType, template, error: err instanceof Error ? err.message : String(err) },
            },
          );
        }
      }
      if (requestOverride) {
        Object.assign(mapped.header, requestOverride.header);
        Object.assign(mapped.querystring, requestOverride.querystring);
        Object.assign(mapped.path, requestOverride.path);
      }

      let req: EndpointRequest;
      if (integration.type === 'MOCK') {
        req = { uri: 'mock://', httpMethod: ctx.route!.httpMethod, headers: mapped.header, query: {}, body, isBase64Encoded: false };
      } else if (integration.type === 'AWS' && isLambda) {
        const fn = substituteStageVariables(lambdaFunctionFromUri(integration.uri) ?? '', ctx.stage?.variables ?? {});
        req = lambdaEndpointRequest(ctx, region, fn, body, env.now, mapped.header);
      } else {
        const uri = buildUri(integration.uri ?? '', mapped.path, ctx.stage?.variables ?? {});
        const query: MultiMap = Object.fromEntries(Object.entries(mapped.querystring).map(([k, v]) => [k, [v]]));
        req = {
          uri,
          httpMethod: integration.httpMethod ?? ctx.route!.httpMethod,
          headers: mapped.header,
          query,
          body,
          isBase64Encoded: false,
        };
      }
      if (integration.type !== 'MOCK') log.push(...endpointLog(req));
      return next({ ...ctx, endpointRequest: req }, `${decision}${integration.type === 'MOCK' ? ' MOCK integrations call no backend.' : ''}`, {
        log,
        detail: { ...(templateDetail ? { template: templateDetail } : {}), mappings: overrides, passthroughBehavior: behavior },
      });
    },
  };
}

function buildUri(template: string, pathParams: Record<string, string>, stageVariables: Readonly<Record<string, string>>): string {
  return substituteStageVariables(template, stageVariables).replace(/\{([^}+]+)\+?\}/g, (m, name: string) => pathParams[name] ?? m);
}

function lambdaEndpointRequest(
  ctx: RestInvocation,
  region: string,
  fn: string,
  body: string,
  now: number,
  extraHeaders: Record<string, string> = {},
): EndpointRequest {
  const fnArn = fn.startsWith('arn:') ? fn : `arn:aws:lambda:${region}:${ctx.accountId}:function:${fn}`;
  const uri = `https://lambda.${region}.amazonaws.com/2015-03-31/functions/${fnArn}/invocations`;
  const stage = ctx.testInvoke ? 'null' : (ctx.stage?.name ?? 'null');
  const headers: Record<string, string> = {
    'x-amzn-lambda-integration-tag': ctx.requestId,
    Authorization: `AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/${amzDate(now).slice(0, 8)}/${region}/lambda/aws4_request, SignedHeaders=accept;host;x-amz-date, Signature=${createHash('sha256').update(ctx.requestId).digest('hex')}`,
    'X-Amz-Date': amzDate(now),
    'x-amzn-apigateway-api-id': ctx.apiId,
    // Today's console Test leaves X-Amz-Source-Arn out (recorded); the 2017 example and real requests carry it.
    ...(ctx.testInvoke && ctx.logStyle === 'current'
      ? {}
      : { 'X-Amz-Source-Arn': `arn:aws:execute-api:${region}:${ctx.accountId}:${ctx.apiId}/${stage}/${ctx.route!.httpMethod}${ctx.route!.resource.path}` }),
    Accept: 'application/json',
    'User-Agent': `AmazonAPIGateway_${ctx.apiId}`,
    ...extraHeaders,
    'X-Amz-Security-Token': SECURITY_TOKEN,
  };
  return { uri, httpMethod: 'POST', headers, query: {}, body, isBase64Encoded: false, functionName: fn };
}

/** A session token of realistic length, so the logged header line is truncated as AWS's is. */
const SECURITY_TOKEN = `IQoJb3JpZ2luX2VjE${'GatewayLabSimulatedSessionToken'.repeat(24)}`;

function endpointLog(req: EndpointRequest): LogEntry[] {
  return [
    `Endpoint request URI: ${req.uri}${queryString(req.query)}`,
    `Endpoint request headers: ${logHeaders(req.headers)}`,
    `Endpoint request body after transformations: ${req.body}`,
  ];
}

function queryString(query: MultiMap): string {
  const parts = Object.entries(query).flatMap(([k, vs]) => vs.map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`));
  return parts.length ? `?${parts.join('&')}` : '';
}
