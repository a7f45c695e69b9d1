/**
 * OpenAPI 3.0 / Swagger 2.0 with `x-amazon-apigateway-*` extensions → REST API definition:
 * exactly the format `aws apigateway get-export` produces, so people can trace their own APIs.
 *
 * What is read: paths, methods and their parameters (→ required request parameters), request
 * bodies (→ request models), responses (→ method responses and their headers), the security
 * requirements (→ API keys, Lambda and Cognito authorizers with scopes), schemas (→ models),
 * and the extensions x-amazon-apigateway-integration(s), -authorizer, -authtype,
 * -request-validators, -request-validator, -gateway-responses, -api-key-source,
 * -binary-media-types. Anything else from AWS is reported as a warning naming what was ignored;
 * malformed documents are errors with the line and the path inside the document.
 */
import fs from 'node:fs';
import type {
  AuthorizerDefinition,
  IntegrationDefinition,
  IntegrationResponseDefinition,
  MethodDefinition,
  RestApiDefinition,
} from '../model/rest-definition';
import type { LoadIssue } from '../scenario/types';
import { type DocPath, formatPath, parseYamlSource } from './yaml-source';
import type { HttpApiDefinition } from '../http/definition';
import { importHttpApi, looksLikeHttpApi } from './openapi-http';

const HTTP_VERBS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/** Parts of the document the REST model has no place for, kept so an export can give them back. */
export interface OpenApiMetadata {
  readonly info?: Record<string, unknown>;
  readonly servers?: unknown[];
}

export interface OpenApiImport {
  /** Set for a REST API document. */
  readonly definition?: RestApiDefinition;
  /** Set for an HTTP API document (apigatewayv2 export). */
  readonly httpDefinition?: HttpApiDefinition;
  readonly metadata?: OpenApiMetadata;
  readonly issues: readonly LoadIssue[];
}

/** Extensions understood here; every other x-amazon-apigateway-* key produces a warning. */
const KNOWN_ROOT = new Set([
  'x-amazon-apigateway-api-key-source',
  'x-amazon-apigateway-binary-media-types',
  'x-amazon-apigateway-gateway-responses',
  'x-amazon-apigateway-request-validators',
  'x-amazon-apigateway-request-validator',
]);
const KNOWN_OPERATION = new Set(['x-amazon-apigateway-integration', 'x-amazon-apigateway-request-validator']);

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
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || (!doc.openapi && !doc.swagger)) {
    report([], 'not an OpenAPI document: expected an "openapi: 3.0.x" or "swagger: \'2.0\'" field');
    return { issues };
  }
  const swagger2 = String(doc.swagger ?? '').startsWith('2');
  if (!doc.paths || typeof doc.paths !== 'object') {
    report([], 'the document has no paths');
    return { issues };
  }
  const metadata: OpenApiMetadata = { ...(doc.info ? { info: doc.info } : {}), ...(doc.servers ? { servers: doc.servers } : {}) };
  if (!swagger2 && looksLikeHttpApi(doc)) {
    const httpDefinition = importHttpApi(doc, report);
    return { ...(issues.some((i) => i.severity === 'error') ? {} : { httpDefinition, metadata }), issues };
  }
  const ignored = new Set<string>();

  // Schemas → models. Swagger 2.0 references (#/definitions/X) are rewritten to 3.0's.
  const schemas = (swagger2 ? doc.definitions : doc.components?.schemas) ?? {};
  const models: NonNullable<RestApiDefinition['models']> = {};
  for (const [name, schema] of Object.entries(schemas as Record<string, unknown>)) {
    if (!schema || typeof schema !== 'object') report([swagger2 ? 'definitions' : 'components', ...(swagger2 ? [] : ['schemas']), name], 'a schema must be an object');
    else models[name] = { contentType: 'application/json', schema: swagger2 ? rewriteRefs(schema) : schema };
  }

  // Security schemes → authorizers, and which scheme is the API key.
  const schemes = ((swagger2 ? doc.securityDefinitions : doc.components?.securitySchemes) ?? {}) as Record<string, Record<string, any>>;
  const schemesPath: DocPath = swagger2 ? ['securityDefinitions'] : ['components', 'securitySchemes'];
  const authorizers: Record<string, AuthorizerDefinition> = {};
  const apiKeySchemes = new Set<string>();
  for (const [name, scheme] of Object.entries(schemes)) {
    const x = scheme?.['x-amazon-apigateway-authorizer'];
    const authtype = String(scheme?.['x-amazon-apigateway-authtype'] ?? '').toLowerCase();
    if (x) {
      const type = String(x.type ?? '').toUpperCase();
      if (!['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'].includes(type)) {
        report([...schemesPath, name, 'x-amazon-apigateway-authorizer', 'type'], `unknown authorizer type "${x.type}" (expected token, request or cognito_user_pools${type === 'JWT' ? '; JWT authorizers belong to HTTP APIs' : ''})`);
        continue;
      }
      // An explicit identitySource wins; otherwise the scheme's header names the token (TOKEN, Cognito).
      const identitySource = x.identitySource ?? (type !== 'REQUEST' && scheme.name && scheme.name !== 'Authorization' ? `method.request.header.${scheme.name}` : undefined);
      authorizers[name] = {
        type: type as AuthorizerDefinition['type'],
        ...(x.authorizerUri ? { authorizerUri: String(x.authorizerUri) } : {}),
        ...(identitySource ? { identitySource: String(identitySource) } : {}),
        ...(x.identityValidationExpression ? { identityValidationExpression: String(x.identityValidationExpression) } : {}),
        ...(x.authorizerResultTtlInSeconds !== undefined ? { authorizerResultTtlInSeconds: Number(x.authorizerResultTtlInSeconds) } : {}),
        ...(x.providerARNs ? { providerARNs: x.providerARNs } : {}),
      };
    } else if (authtype === 'awssigv4') {
      // IAM authorization: no authorizer object; methods using it become AWS_IAM.
    } else if (scheme?.type === 'apiKey' && String(scheme.name).toLowerCase() === 'x-api-key' && scheme.in === 'header') {
      apiKeySchemes.add(name);
    } else {
      report([...schemesPath, name], `security scheme "${name}" is not one API Gateway understands (an API key, a Lambda or Cognito authorizer, or awsSigv4); ignored`, 'warning');
    }
  }

  const integrations = (swagger2 ? doc['x-amazon-apigateway-integrations'] : doc.components?.['x-amazon-apigateway-integrations']) ?? {};
  const defaultValidator = doc['x-amazon-apigateway-request-validator'] as string | undefined;
  const resources: Record<string, Record<string, MethodDefinition>> = {};
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
      if (!op || typeof op !== 'object') {
        report(at, 'an operation must be an object');
        continue;
      }
      for (const k of Object.keys(op)) if (k.startsWith('x-amazon-apigateway') && !KNOWN_OPERATION.has(k)) ignored.add(k);
      const method: MethodDefinition = {};
      if (op.operationId) method.operationName = String(op.operationId);

      const requestParameters: Record<string, boolean> = {};
      const requestModels: Record<string, string> = {};
      for (const param of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
        const resolved = resolveParameter(param, doc, swagger2);
        if (!resolved) continue;
        if (resolved.in === 'body') {
          const ref = modelRef(resolved.schema);
          if (ref) for (const ct of op.consumes ?? doc.consumes ?? ['application/json']) requestModels[ct] = ref;
          continue;
        }
        const loc = resolved.in === 'query' ? 'querystring' : resolved.in;
        if (['path', 'querystring', 'header'].includes(loc) && resolved.name) {
          requestParameters[`method.request.${loc}.${resolved.name}`] = resolved.required === true;
        }
      }
      for (const [ct, media] of Object.entries((op.requestBody?.content ?? {}) as Record<string, { schema?: unknown }>)) {
        const ref = modelRef(media?.schema);
        if (ref) requestModels[ct] = ref;
      }
      if (Object.keys(requestParameters).length) method.requestParameters = requestParameters;
      if (Object.keys(requestModels).length) method.requestModels = requestModels;

      const methodResponses: NonNullable<MethodDefinition['methodResponses']> = {};
      for (const [status, r] of Object.entries((op.responses ?? {}) as Record<string, Record<string, any>>)) {
        if (!/^\d{3}$/.test(status)) continue;
        const responseParameters = Object.fromEntries(Object.keys(r?.headers ?? {}).map((h) => [`method.response.header.${h}`, false]));
        const responseModels: Record<string, string> = {};
        if (swagger2) {
          const ref = modelRef(r?.schema);
          if (ref) for (const ct of op.produces ?? doc.produces ?? ['application/json']) responseModels[ct] = ref;
        } else {
          for (const [ct, media] of Object.entries((r?.content ?? {}) as Record<string, { schema?: unknown }>)) {
            const ref = modelRef(media?.schema);
            if (ref) responseModels[ct] = ref;
          }
        }
        methodResponses[status] = {
          ...(Object.keys(responseParameters).length ? { responseParameters } : {}),
          ...(Object.keys(responseModels).length ? { responseModels } : {}),
        };
      }
      if (op.responses) method.methodResponses = methodResponses;

      for (const requirement of (op.security ?? doc.security ?? []) as Record<string, string[]>[]) {
        for (const [name, scopes] of Object.entries(requirement ?? {})) {
          if (apiKeySchemes.has(name)) method.apiKeyRequired = true;
          else if (authorizers[name]) {
            method.authorizer = name;
            if (Array.isArray(scopes) && scopes.length) method.authorizationScopes = scopes;
          } else if (String(schemes[name]?.['x-amazon-apigateway-authtype'] ?? '').toLowerCase() === 'awssigv4') method.authorizationType = 'AWS_IAM';
          else if (!schemes[name]) report([...at, 'security'], `security requirement "${name}" names no security scheme`);
        }
      }
      const validator = op['x-amazon-apigateway-request-validator'] ?? defaultValidator;
      if (validator) method.requestValidator = String(validator);

      let xi = op['x-amazon-apigateway-integration'];
      if (xi?.$ref) {
        const name = String(xi.$ref).split('/').pop()!;
        xi = integrations[name];
        if (!xi) report([...at, 'x-amazon-apigateway-integration', '$ref'], `no integration named "${name}" under x-amazon-apigateway-integrations`);
      }
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

  for (const k of Object.keys(doc)) if (k.startsWith('x-amazon-apigateway') && !KNOWN_ROOT.has(k)) ignored.add(k);
  if (ignored.size) report([], `not simulated, ignored: ${[...ignored].sort().join(', ')}`, 'warning');

  const definition: RestApiDefinition = {
    name: String(doc.info?.title ?? 'imported-api'),
    ...(doc.info?.description ? { description: String(doc.info.description) } : {}),
    ...(doc['x-amazon-apigateway-binary-media-types'] ? { binaryMediaTypes: doc['x-amazon-apigateway-binary-media-types'] } : {}),
    ...(doc['x-amazon-apigateway-api-key-source'] ? { apiKeySource: String(doc['x-amazon-apigateway-api-key-source']).toUpperCase() as 'HEADER' | 'AUTHORIZER' } : {}),
    resources,
    ...(Object.keys(authorizers).length ? { authorizers } : {}),
    ...(Object.keys(models).length ? { models } : {}),
    ...(doc['x-amazon-apigateway-request-validators'] ? { requestValidators: doc['x-amazon-apigateway-request-validators'] } : {}),
    ...(doc['x-amazon-apigateway-gateway-responses'] ? { gatewayResponses: doc['x-amazon-apigateway-gateway-responses'] } : {}),
  };
  return { ...(issues.some((i) => i.severity === 'error') ? {} : { definition, metadata }), issues };
}

function resolveParameter(param: unknown, doc: Record<string, any>, swagger2: boolean): Record<string, any> | undefined {
  const p = param as Record<string, any> | null;
  if (!p || typeof p !== 'object') return undefined;
  if (typeof p.$ref === 'string') {
    const name = p.$ref.split('/').pop() ?? '';
    return (swagger2 ? doc.parameters?.[name] : doc.components?.parameters?.[name]) as Record<string, any> | undefined;
  }
  return p;
}

/** The model a schema refers to (`#/components/schemas/Pet`, `#/definitions/Pet`), if it is a plain reference. */
function modelRef(schema: unknown): string | undefined {
  const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  return typeof ref === 'string' ? ref.split('/').pop() : undefined;
}

function rewriteRefs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(rewriteRefs);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, k === '$ref' && typeof x === 'string' ? x.replace('#/definitions/', '#/components/schemas/') : rewriteRefs(x)]),
    );
  }
  return v;
}

function integrationFrom(xi: Record<string, any>, at: DocPath, report: (p: DocPath, m: string) => void): IntegrationDefinition | undefined {
  const type = String(xi.type ?? '').toUpperCase();
  if (!['MOCK', 'AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY'].includes(type)) {
    report([...at, 'type'], `unknown integration type "${xi.type}"; expected mock, aws, aws_proxy, http or http_proxy`);
    return undefined;
  }
  const responses: Record<string, IntegrationResponseDefinition> = {};
  for (const [pattern, r] of Object.entries((xi.responses ?? {}) as Record<string, Record<string, any>>)) {
    const status = String(r?.statusCode ?? '200');
    if (responses[status]) report([...at, 'responses', pattern], `two integration responses map to status ${status}; API Gateway keeps one per status`);
    responses[status] = {
      statusCode: status,
      ...(pattern === 'default' ? {} : { selectionPattern: pattern }),
      ...(r?.responseParameters ? { responseParameters: r.responseParameters } : {}),
      ...(r?.responseTemplates ? { responseTemplates: r.responseTemplates } : {}),
      ...(r?.contentHandling ? { contentHandling: r.contentHandling } : {}),
    };
  }
  const passthrough = xi.passthroughBehavior ? String(xi.passthroughBehavior).toUpperCase() : undefined;
  return {
    type: type as IntegrationDefinition['type'],
    ...(xi.httpMethod ? { httpMethod: String(xi.httpMethod) } : {}),
    ...(xi.uri ? { uri: String(xi.uri) } : {}),
    ...(xi.credentials ? { credentials: String(xi.credentials) } : {}),
    ...(xi.requestParameters ? { requestParameters: xi.requestParameters } : {}),
    ...(xi.requestTemplates ? { requestTemplates: xi.requestTemplates } : {}),
    ...(passthrough ? { passthroughBehavior: passthrough as IntegrationDefinition['passthroughBehavior'] } : {}),
    ...(xi.contentHandling ? { contentHandling: xi.contentHandling } : {}),
    ...(xi.timeoutInMillis !== undefined ? { timeoutInMillis: Number(xi.timeoutInMillis) } : {}),
    ...(xi.cacheKeyParameters ? { cacheKeyParameters: xi.cacheKeyParameters } : {}),
    ...(xi.cacheNamespace ? { cacheNamespace: xi.cacheNamespace } : {}),
    ...(Object.keys(responses).length ? { integrationResponses: responses } : {}),
  };
}
