/**
 * OpenAPI 3.0 / Swagger 2.0 with `x-amazon-apigateway-*` extensions → REST API definition: the
 * format `aws apigateway get-export` produces. This first version reads paths, methods, their
 * parameters and `x-amazon-apigateway-integration`; extensions it does not read yet are listed
 * as warnings, never silently dropped.
 */
import fs from 'node:fs';
import type { IntegrationDefinition, MethodDefinition, RestApiDefinition } from '../model/rest-definition';
import type { LoadIssue } from '../scenario/types';
import { type DocPath, formatPath, parseYamlSource } from './yaml-source';

const HTTP_VERBS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

export interface OpenApiImport {
  readonly definition?: RestApiDefinition;
  readonly issues: readonly LoadIssue[];
}

export function importOpenApi(file: string): OpenApiImport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return { issues: [{ file, line: 1, column: 1, path: '', message: `cannot read the OpenAPI document: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, severity: 'error' }] };
  }
  return importOpenApiText(text, file);
}

export function importOpenApiText(text: string, file: string): OpenApiImport {
  const src = parseYamlSource(text);
  const issues: LoadIssue[] = [];
  const report = (p: DocPath, message: string, severity: 'error' | 'warning' = 'error') => {
    const pos = src.locate(p);
    issues.push({ file, line: pos.line, column: pos.column, path: formatPath(p), message, severity });
  };
  if (src.syntaxErrors.length) {
    return { issues: src.syntaxErrors.map((e) => ({ file, line: e.line, column: e.column, path: '', message: `syntax error: ${e.message}`, severity: 'error' as const })) };
  }
  const doc = src.value as Record<string, any> | null;
  if (!doc || typeof doc !== 'object' || (!doc.openapi && !doc.swagger)) {
    report([], 'not an OpenAPI document: expected an "openapi: 3.0.x" or "swagger: \'2.0\'" field');
    return { issues };
  }
  if (!doc.paths || typeof doc.paths !== 'object') {
    report([], 'the document has no paths');
    return { issues };
  }

  const resources: Record<string, Record<string, MethodDefinition>> = {};
  const ignored = new Set<string>();
  for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    if (!p.startsWith('/')) report(['paths', p], 'a path starts with "/"');
    const methods: Record<string, MethodDefinition> = {};
    const shared = Array.isArray(item?.parameters) ? item.parameters : [];
    for (const [key, op] of Object.entries(item ?? {})) {
      const verb = key === 'x-amazon-apigateway-any-method' ? 'ANY' : HTTP_VERBS.includes(key) ? key.toUpperCase() : undefined;
      if (!verb) {
        if (key.startsWith('x-amazon-apigateway')) ignored.add(key);
        continue;
      }
      const at: DocPath = ['paths', p, key];
      const method: MethodDefinition = {};
      const requestParameters: Record<string, boolean> = {};
      for (const param of [...shared, ...(Array.isArray(op?.parameters) ? op.parameters : [])]) {
        const loc = param?.in === 'query' ? 'querystring' : param?.in;
        if (['path', 'querystring', 'header'].includes(loc) && param.name) requestParameters[`method.request.${loc}.${param.name}`] = param.required === true;
      }
      if (Object.keys(requestParameters).length) method.requestParameters = requestParameters;
      if (op?.['x-amazon-apigateway-api-key-source']) ignored.add('x-amazon-apigateway-api-key-source');
      for (const k of Object.keys(op ?? {})) if (k.startsWith('x-amazon-apigateway') && k !== 'x-amazon-apigateway-integration') ignored.add(k);
      const xi = op?.['x-amazon-apigateway-integration'];
      if (!xi) {
        report(at, 'no x-amazon-apigateway-integration: API Gateway cannot import a method without an integration');
        continue;
      }
      const integration = integrationFrom(xi, [...at, 'x-amazon-apigateway-integration'], report);
      if (integration) method.integration = integration;
      methods[verb] = method;
    }
    resources[p] = methods;
  }
  for (const k of Object.keys(doc)) if (k.startsWith('x-amazon-apigateway')) ignored.add(k);
  if (doc.components?.securitySchemes || doc.securityDefinitions) ignored.add('securitySchemes');
  if (ignored.size) {
    report([], `these parts are not imported yet and were ignored: ${[...ignored].sort().join(', ')}`, 'warning');
  }
  const definition: RestApiDefinition = { name: doc.info?.title ?? 'imported-api', resources };
  return { ...(issues.some((i) => i.severity === 'error') ? {} : { definition }), issues };
}

function integrationFrom(xi: Record<string, any>, at: DocPath, report: (p: DocPath, m: string) => void): IntegrationDefinition | undefined {
  const type = String(xi.type ?? '').toUpperCase();
  if (!['MOCK', 'AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY'].includes(type)) {
    report([...at, 'type'], `unknown integration type "${xi.type}"; expected mock, aws, aws_proxy, http or http_proxy`);
    return undefined;
  }
  const responses: Record<string, { statusCode: string; selectionPattern?: string; responseParameters?: Record<string, string>; responseTemplates?: Record<string, string> }> = {};
  for (const [pattern, r] of Object.entries((xi.responses ?? {}) as Record<string, Record<string, any>>)) {
    const status = String(r?.statusCode ?? '200');
    responses[status] = {
      statusCode: status,
      ...(pattern === 'default' ? {} : { selectionPattern: pattern }),
      ...(r?.responseParameters ? { responseParameters: r.responseParameters } : {}),
      ...(r?.responseTemplates ? { responseTemplates: r.responseTemplates } : {}),
    };
  }
  const passthrough = xi.passthroughBehavior ? String(xi.passthroughBehavior).toUpperCase() : undefined;
  return {
    type: type as IntegrationDefinition['type'],
    ...(xi.httpMethod ? { httpMethod: String(xi.httpMethod) } : {}),
    ...(xi.uri ? { uri: String(xi.uri) } : {}),
    ...(xi.requestParameters ? { requestParameters: xi.requestParameters } : {}),
    ...(xi.requestTemplates ? { requestTemplates: xi.requestTemplates } : {}),
    ...(passthrough ? { passthroughBehavior: passthrough as IntegrationDefinition['passthroughBehavior'] } : {}),
    ...(xi.contentHandling ? { contentHandling: xi.contentHandling } : {}),
    ...(xi.timeoutInMillis ? { timeoutInMillis: Number(xi.timeoutInMillis) } : {}),
    ...(xi.cacheKeyParameters ? { cacheKeyParameters: xi.cacheKeyParameters } : {}),
    ...(xi.cacheNamespace ? { cacheNamespace: xi.cacheNamespace } : {}),
    ...(Object.keys(responses).length ? { integrationResponses: responses } : {}),
  };
}
