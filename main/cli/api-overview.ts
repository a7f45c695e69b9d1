/**
 * The API of a scenario, in a few lines, for `gateway-lab run`: what a learner would see in the
 * console's resource tree (REST), route list (HTTP) or route list (WebSocket), so the narration
 * never depends on reading the scenario file. It describes the API as the scenario starts; the
 * steps' edits and deploys change it later.
 */
import type { RestApiDefinition, IntegrationDefinition, IntegrationResponseDefinition } from '../../engine/model/rest-definition';
import type { HttpApiDefinition, HttpIntegrationDefinition } from '../../engine/http/definition';
import type { WebSocketApiDefinition } from '../../engine/websocket/definition';
import type { Scenario } from '../../engine/scenario/types';

/** Templates longer than this are named, not printed. */
const TEMPLATE_MAX = 200;

export function describeApi(s: Scenario): string[] {
  const lines: string[] = [];
  for (const source of Object.values(s.apis)) {
    if (!source) continue;
    if (source.kind === 'rest') lines.push(...describeRest(source.definition, s.stage.name));
    else if (source.kind === 'http') lines.push(...describeHttp(source.definition));
    else lines.push(...describeWebSocket(source.definition, s.stage.name));
  }
  return lines;
}

function describeRest(api: RestApiDefinition, stage: string): string[] {
  const rows: [string, string, string][] = [];
  for (const [resource, methods] of Object.entries(api.resources ?? {})) {
    for (const [verb, m] of Object.entries(methods ?? {})) {
      if (!m) continue;
      const extras = [
        m.authorizationType === 'AWS_IAM' ? 'IAM authorization' : '',
        m.authorizer ?? m.authorizerId ? `authorizer "${m.authorizer ?? m.authorizerId}"` : '',
        m.apiKeyRequired ? 'API key required' : '',
        m.requestValidator ?? m.requestValidatorId ? `request validator "${m.requestValidator ?? m.requestValidatorId}"` : '',
      ].filter(Boolean);
      rows.push([verb, `/${stage}${resource === '/' ? '/' : resource}`, [restIntegration(m.integration), ...extras].join('; ')]);
    }
  }
  return [`The API: REST API "${api.name ?? 'api'}", deployed to stage "${stage}" (every URL starts with /${stage})`, ...table(rows)];
}

function restIntegration(i: IntegrationDefinition | undefined): string {
  if (!i) return 'no integration';
  switch (i.type) {
    case 'AWS_PROXY':
      return `Lambda proxy integration → function ${i.function ?? i.uri ?? '?'}`;
    case 'AWS':
      return i.function ? `Lambda custom (non-proxy) integration → function ${i.function}` : `AWS service integration → ${i.uri ?? '?'}`;
    case 'HTTP_PROXY':
      return `HTTP proxy integration → ${i.httpMethod ?? ''} ${i.uri ?? '?'}`.replace('  ', ' ');
    case 'HTTP':
      return `HTTP (non-proxy) integration → ${i.httpMethod ?? ''} ${i.uri ?? '?'}`.replace('  ', ' ');
    case 'MOCK': {
      const template = firstResponseTemplate(i.integrationResponses);
      return `MOCK integration (no backend)${template ? `; its integration response's mapping template: ${template}` : ''}`;
    }
    default:
      return `${i.type} integration`;
  }
}

function firstResponseTemplate(responses: IntegrationDefinition['integrationResponses']): string | undefined {
  const list: IntegrationResponseDefinition[] = Array.isArray(responses) ? responses : Object.values(responses ?? {});
  const ok = list.find((r) => !r.selectionPattern) ?? list[0];
  const text = Object.values(ok?.responseTemplates ?? {})[0];
  if (text === undefined) return undefined;
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length <= TEMPLATE_MAX ? flat : `(a ${text.split('\n').length}-line template)`;
}

function describeHttp(api: HttpApiDefinition): string[] {
  const stages = Object.entries(api.stages ?? {}).filter(([, st]) => st);
  const stage = stages[0]?.[0] ?? '$default';
  const where = stage === '$default' ? 'served at the root URL, no stage name in the path' : `every URL starts with /${stage}`;
  const rows: [string, string, string][] = [];
  for (const [key, route] of Object.entries(api.routes ?? {})) {
    if (!route) continue;
    const name = route.target?.replace(/^integrations\//, '');
    const integration = route.integration ?? (name ? api.integrations?.[name] : undefined) ?? undefined;
    const auth = route.authorizationType && route.authorizationType !== 'NONE' ? `; ${route.authorizationType} authorization` : '';
    const [method, routePath] = key === '$default' ? ['$default', '(any request no other route matches)'] : key.split(' ');
    rows.push([method!, routePath ?? '', `${httpIntegration(integration ?? undefined)}${auth}`]);
  }
  return [`The API: HTTP API "${api.name ?? 'api'}", stage "${stage}" (${where})`, ...table(rows)];
}

function httpIntegration(i: HttpIntegrationDefinition | undefined): string {
  if (!i) return 'no integration';
  if (i.integrationType === 'AWS_PROXY') return `Lambda function ${i.function ?? i.integrationUri ?? '?'} (payload format ${String(i.payloadFormatVersion ?? '2.0')})`;
  return `HTTP proxy → ${i.integrationMethod ?? 'ANY'} ${i.integrationUri ?? '?'}`;
}

function describeWebSocket(api: WebSocketApiDefinition, stage: string): string[] {
  const rows: [string, string, string][] = [];
  for (const [key, route] of Object.entries(api.routes ?? {})) {
    if (!route) continue;
    const i = route.integration;
    const what = !i
      ? 'no integration'
      : i.integrationType === 'AWS_PROXY'
        ? `Lambda proxy integration → function ${i.function ?? i.integrationUri ?? '?'}`
        : i.integrationType === 'MOCK'
          ? 'MOCK integration (no backend)'
          : `${i.integrationType} integration`;
    const twoWay = route.routeResponses && Object.keys(route.routeResponses).length > 0 ? '; two-way (a route response sends the reply back)' : '; one-way (nothing is sent back)';
    rows.push([key, '', `${what}${twoWay}`]);
  }
  return [
    `The API: WebSocket API "${api.name ?? 'api'}", stage "${stage}"; messages are routed by ${api.routeSelectionExpression ?? '$request.body.action'}`,
    ...table(rows),
  ];
}

function table(rows: [string, string, string][]): string[] {
  const w0 = Math.max(0, ...rows.map((r) => r[0].length));
  const w1 = Math.max(0, ...rows.map((r) => r[1].length));
  return rows.map(([a, b, c]) => `  ${a.padEnd(w0)} ${b ? `${b.padEnd(w1)} ` : w1 ? ' '.repeat(w1 + 1) : ''}${c}`.trimEnd());
}
