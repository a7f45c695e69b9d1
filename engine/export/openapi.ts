/**
 * REST API definition → OpenAPI 3.0 with AWS's extensions, in the shape `aws apigateway
 * get-export --export-type oas30 --parameters extensions='integrations,authorizers,
 * apigateway'` produces. Importing a document and exporting it again gives the same document
 * (key order aside), which the round-trip tests check.
 */
import type { OpenApiMetadata } from '../import/openapi';
import { lambdaIntegrationUri } from '../model/rest';
import type { IntegrationDefinition, MethodDefinition, RestApiDefinition } from '../model/rest-definition';

export interface ExportOptions {
  readonly region?: string;
  readonly accountId?: string;
}

type Json = Record<string, unknown>;

export function exportOpenApi(def: RestApiDefinition, metadata: OpenApiMetadata = {}, options: ExportOptions = {}): Json {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const paths: Json = {};
  const usesApiKey = Object.values(def.resources ?? {}).some((ms) => Object.values(ms ?? {}).some((m) => m?.apiKeyRequired));

  for (const [path, methods] of Object.entries(def.resources ?? {})) {
    const item: Json = {};
    for (const [verb, m] of Object.entries(methods ?? {})) {
      if (!m) continue;
      item[verb === 'ANY' ? 'x-amazon-apigateway-any-method' : verb.toLowerCase()] = operation(m, { region, accountId, usesApiKey });
    }
    if (Object.keys(item).length) paths[path] = item;
  }

  const components: Json = {};
  if (def.models && Object.keys(def.models).length) {
    components.schemas = Object.fromEntries(Object.entries(def.models).map(([name, m]) => [name, m.schema]));
  }
  const schemes: Json = {};
  if (usesApiKey) schemes.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  for (const [name, a] of Object.entries(def.authorizers ?? {})) {
    const header = /^method\.request\.header\.(.+)$/.exec(a.identitySource ?? '')?.[1];
    const authorizer: Json = { type: a.type.toLowerCase() };
    const uri = a.authorizerUri ?? (a.function ? lambdaIntegrationUri(a.function, region, accountId) : undefined);
    if (uri) authorizer.authorizerUri = uri;
    if (a.identitySource) authorizer.identitySource = a.identitySource;
    if (a.identityValidationExpression) authorizer.identityValidationExpression = a.identityValidationExpression;
    if (a.authorizerResultTtlInSeconds !== undefined) authorizer.authorizerResultTtlInSeconds = a.authorizerResultTtlInSeconds;
    if (a.providerARNs) authorizer.providerARNs = a.providerARNs;
    schemes[name] = {
      type: 'apiKey',
      name: header ?? 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': a.type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom',
      'x-amazon-apigateway-authorizer': authorizer,
    };
  }
  if (Object.keys(schemes).length) components.securitySchemes = schemes;

  const doc: Json = {
    openapi: '3.0.1',
    info: metadata.info ?? { title: def.name ?? 'api', version: '1.0', ...(def.description ? { description: def.description } : {}) },
    ...(metadata.servers ? { servers: metadata.servers } : {}),
    paths,
    ...(Object.keys(components).length ? { components } : {}),
  };
  if (def.apiKeySource) doc['x-amazon-apigateway-api-key-source'] = def.apiKeySource;
  if (def.binaryMediaTypes?.length) doc['x-amazon-apigateway-binary-media-types'] = def.binaryMediaTypes;
  if (def.requestValidators && Object.keys(def.requestValidators).length) doc['x-amazon-apigateway-request-validators'] = def.requestValidators;
  if (def.gatewayResponses && Object.keys(def.gatewayResponses).length) doc['x-amazon-apigateway-gateway-responses'] = def.gatewayResponses;
  return doc;
}

function operation(m: MethodDefinition, ctx: { region: string; accountId: string; usesApiKey: boolean }): Json {
  const op: Json = {};
  if (m.operationName) op.operationId = m.operationName;
  const parameters = Object.entries(m.requestParameters ?? {}).map(([key, required]) => {
    const [, loc, name] = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key) ?? [];
    return { name, in: loc === 'querystring' ? 'query' : loc, ...(required || loc === 'path' ? { required: true } : {}), schema: { type: 'string' } };
  });
  if (parameters.length) op.parameters = parameters;
  if (m.requestModels && Object.keys(m.requestModels).length) {
    op.requestBody = {
      content: Object.fromEntries(Object.entries(m.requestModels).map(([ct, model]) => [ct, { schema: { $ref: `#/components/schemas/${model}` } }])),
      required: true,
    };
  }
  if (m.methodResponses) {
    op.responses = Object.fromEntries(
      Object.entries(m.methodResponses).map(([status, r]) => {
        const headers = Object.keys(r?.responseParameters ?? {}).map((k) => k.replace(/^method\.response\.header\./, ''));
        const models = Object.entries(r?.responseModels ?? {});
        return [
          status,
          {
            description: `${status} response`,
            ...(headers.length ? { headers: Object.fromEntries(headers.map((h) => [h, { schema: { type: 'string' } }])) } : {}),
            ...(models.length ? { content: Object.fromEntries(models.map(([ct, model]) => [ct, { schema: { $ref: `#/components/schemas/${model}` } }])) } : {}),
          },
        ];
      }),
    );
  }
  const security: Json[] = [];
  const authorizer = m.authorizer ?? m.authorizerId;
  if (authorizer) security.push({ [authorizer]: m.authorizationScopes ?? [] });
  if (m.apiKeyRequired) security.push({ api_key: [] });
  if (security.length) op.security = security;
  const validator = m.requestValidator ?? m.requestValidatorId;
  if (validator) op['x-amazon-apigateway-request-validator'] = validator;
  if (m.integration) op['x-amazon-apigateway-integration'] = integration(m.integration, ctx);
  return op;
}

function integration(i: IntegrationDefinition, ctx: { region: string; accountId: string }): Json {
  const uri = i.uri ?? (i.function ? lambdaIntegrationUri(i.function, ctx.region, ctx.accountId) : undefined);
  const lambda = i.type === 'AWS_PROXY' || (i.type === 'AWS' && /:lambda:path/.test(uri ?? ''));
  const out: Json = { type: i.type.toLowerCase() };
  const httpMethod = i.httpMethod ?? (lambda ? 'POST' : undefined);
  if (httpMethod) out.httpMethod = httpMethod;
  if (uri) out.uri = uri;
  if (i.credentials) out.credentials = i.credentials;
  if (i.requestParameters) out.requestParameters = i.requestParameters;
  if (i.requestTemplates) out.requestTemplates = i.requestTemplates;
  if (i.passthroughBehavior) out.passthroughBehavior = i.passthroughBehavior.toLowerCase();
  if (i.contentHandling) out.contentHandling = i.contentHandling;
  if (i.timeoutInMillis !== undefined) out.timeoutInMillis = i.timeoutInMillis;
  if (i.cacheNamespace) out.cacheNamespace = i.cacheNamespace;
  if (i.cacheKeyParameters) out.cacheKeyParameters = i.cacheKeyParameters;
  const list = Array.isArray(i.integrationResponses)
    ? i.integrationResponses
    : Object.entries(i.integrationResponses ?? {}).map(([status, r]) => ({ ...r, statusCode: r?.statusCode ?? status }));
  if (list.length) {
    out.responses = Object.fromEntries(
      list.map((r) => [
        r.selectionPattern ? r.selectionPattern : 'default',
        {
          statusCode: String(r.statusCode ?? '200'),
          ...(r.responseParameters ? { responseParameters: r.responseParameters } : {}),
          ...(r.responseTemplates ? { responseTemplates: r.responseTemplates } : {}),
          ...(r.contentHandling ? { contentHandling: r.contentHandling } : {}),
        },
      ]),
    );
  }
  return out;
}
