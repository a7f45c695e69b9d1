/**
 * "Enable CORS" for REST APIs, done the way the console does it (reference §4), as an
 * expansion of the inline definition:
 *  - an OPTIONS method on the resource: no authorization, no API key, a MOCK integration whose
 *    request template answers 200, and an integration response that sets
 *    Access-Control-Allow-Headers / -Methods / -Origin;
 *  - Access-Control-Allow-Origin on the 200 method and integration responses of the resource's
 *    other methods — non-proxy ones only: a proxy integration has no integration response, so
 *    its backend must send the headers itself;
 *  - optionally (the new console's checkboxes) the same headers on DEFAULT_4XX and DEFAULT_5XX,
 *    the fix for the gateway errors that otherwise carry none.
 * Nothing is added to child resources, and nothing changes until a deploy, as in AWS.
 */
import type { DefinitionIssue, MethodDefinition, RestApiDefinition } from './rest-definition';

export interface CorsDefinition {
  /** Access-Control-Allow-Origin (default `*`). */
  allowOrigin?: string;
  /** Access-Control-Allow-Headers (default the console's list). */
  allowHeaders?: string | string[];
  /** Access-Control-Allow-Methods (default the resource's methods and OPTIONS). */
  allowMethods?: string[];
  /** Access-Control-Allow-Credentials: true. */
  allowCredentials?: boolean;
  /** Access-Control-Max-Age, seconds. */
  maxAge?: number;
  /** Also put the headers on DEFAULT_4XX and DEFAULT_5XX gateway responses. */
  gatewayResponses?: boolean;
}

export const CONSOLE_ALLOW_HEADERS = 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token';
const ANY_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

const quoted = (v: string) => `'${v}'`;

/** The header values "Enable CORS" sets on a resource. */
export function corsHeaders(c: CorsDefinition, verbs: readonly string[]): Record<string, string> {
  const methods =
    c.allowMethods?.map((m) => m.toUpperCase()) ??
    [...new Set([...verbs.flatMap((v) => (v === 'ANY' ? ANY_METHODS : [v])), 'OPTIONS'])].sort();
  return {
    'Access-Control-Allow-Headers': Array.isArray(c.allowHeaders) ? c.allowHeaders.join(',') : (c.allowHeaders ?? CONSOLE_ALLOW_HEADERS),
    'Access-Control-Allow-Methods': methods.join(','),
    'Access-Control-Allow-Origin': c.allowOrigin ?? '*',
    ...(c.allowCredentials ? { 'Access-Control-Allow-Credentials': 'true' } : {}),
    ...(c.maxAge !== undefined ? { 'Access-Control-Max-Age': String(c.maxAge) } : {}),
  };
}

export function expandCors(def: RestApiDefinition, issues: DefinitionIssue[]): RestApiDefinition {
  if (!def.cors || Object.keys(def.cors).length === 0) return def;
  const out: RestApiDefinition = structuredClone({ ...def, cors: undefined });
  delete out.cors;
  out.resources ??= {};
  for (const [path, c] of Object.entries(def.cors)) {
    if (!c) continue;
    const methods: Record<string, MethodDefinition> = { ...(out.resources[path] ?? {}) };
    const verbs = Object.keys(methods).map((v) => v.toUpperCase());
    if (verbs.includes('OPTIONS')) {
      issues.push({ path: ['cors', path], message: `${path} already has an OPTIONS method; "Enable CORS" would replace it. Remove one of the two.` });
      continue;
    }
    const headers = corsHeaders(c, verbs);
    const origin = headers['Access-Control-Allow-Origin']!;
    for (const [verb, md] of Object.entries(methods)) {
      const integration = md.integration;
      if (!integration || integration.type === 'AWS_PROXY' || integration.type === 'HTTP_PROXY') continue;
      const target = 'method.response.header.Access-Control-Allow-Origin';
      const responses = integration.integrationResponses;
      if (Array.isArray(responses)) {
        const r200 = responses.find((r) => String(r.statusCode ?? '200') === '200');
        if (r200) r200.responseParameters = { [target]: quoted(origin), ...(r200.responseParameters ?? {}) };
      } else {
        const list = responses ?? { '200': {} };
        if (list['200']) list['200'] = { ...list['200'], responseParameters: { [target]: quoted(origin), ...(list['200'].responseParameters ?? {}) } };
        integration.integrationResponses = list;
      }
      const mr = md.methodResponses?.['200'];
      if (mr) mr.responseParameters = { [target]: false, ...(mr.responseParameters ?? {}) };
      methods[verb] = md;
    }
    methods.OPTIONS = {
      authorizationType: 'NONE',
      apiKeyRequired: false,
      methodResponses: {
        '200': {
          responseParameters: Object.fromEntries(Object.keys(headers).map((h) => [`method.response.header.${h}`, false])),
          responseModels: { 'application/json': 'Empty' },
        },
      },
      integration: {
        type: 'MOCK',
        passthroughBehavior: 'WHEN_NO_MATCH',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        integrationResponses: {
          '200': {
            responseParameters: Object.fromEntries(Object.entries(headers).map(([h, v]) => [`method.response.header.${h}`, quoted(v)])),
            responseTemplates: { 'application/json': '' },
          },
        },
      },
    };
    out.resources[path] = methods;
    if (c.gatewayResponses) {
      out.gatewayResponses ??= {};
      for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
        const existing = out.gatewayResponses[type] ?? {};
        out.gatewayResponses[type] = {
          ...existing,
          responseParameters: {
            'gatewayresponse.header.Access-Control-Allow-Origin': quoted(origin),
            'gatewayresponse.header.Access-Control-Allow-Headers': quoted(headers['Access-Control-Allow-Headers']!),
            ...(existing.responseParameters ?? {}),
          },
        };
      }
    }
  }
  return out;
}
