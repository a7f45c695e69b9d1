/**
 * HTTP API definition → OpenAPI 3.0 as `aws apigatewayv2 export-api --specification OAS30`
 * writes it: one operation per route, each with its integration inline, authorizers as
 * security schemes, CORS as `x-amazon-apigateway-cors`.
 */
import type { HttpApiDefinition, HttpIntegrationDefinition } from '../http/definition';
import { lambdaFunctionArn, parseRouteKey } from '../http/definition';
import type { OpenApiMetadata } from '../import/openapi';

type Json = Record<string, unknown>;

export function exportHttpOpenApi(def: HttpApiDefinition, metadata: OpenApiMetadata = {}, options: { region?: string; accountId?: string } = {}): Json {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const paths: Record<string, Json> = {};
  for (const [key, route] of Object.entries(def.routes ?? {})) {
    if (!route) continue;
    const parsed = key === '$default' ? { method: 'ANY', path: '/$default' } : parseRouteKey(key);
    if (!parsed) continue;
    const op: Json = { responses: { default: { description: `Default response for ${key}` } } };
    const authorizer = route.authorizerId ?? route.authorizer;
    if (authorizer) op.security = [{ [authorizer]: route.authorizationScopes ?? [] }];
    const integration = route.integration ?? (route.target ? def.integrations?.[route.target.replace(/^integrations\//, '')] : undefined);
    if (integration) op['x-amazon-apigateway-integration'] = integrationOf(integration, region, accountId);
    const verb = parsed.method === 'ANY' ? 'x-amazon-apigateway-any-method' : parsed.method.toLowerCase();
    (paths[parsed.path] ??= {})[verb] = op;
  }
  const schemes: Json = {};
  for (const [name, a] of Object.entries(def.authorizers ?? {})) {
    if (!a) continue;
    const sources = a.identitySource === undefined ? undefined : Array.isArray(a.identitySource) ? a.identitySource.join(',') : a.identitySource;
    if (a.authorizerType === 'JWT') {
      schemes[name] = {
        type: 'oauth2',
        flows: {},
        'x-amazon-apigateway-authorizer': {
          ...(sources !== undefined ? { identitySource: sources } : {}),
          jwtConfiguration: { ...(a.jwtConfiguration?.audience ? { audience: a.jwtConfiguration.audience } : {}), issuer: a.jwtConfiguration?.issuer ?? '' },
          type: 'jwt',
        },
      };
    } else {
      const header = /^\$request\.header\.(.+)$/.exec(String(sources ?? '').split(',')[0] ?? '')?.[1];
      schemes[name] = {
        type: 'apiKey',
        name: header ?? 'Unused',
        in: 'header',
        'x-amazon-apigateway-authorizer': {
          ...(sources !== undefined ? { identitySource: sources } : {}),
          authorizerUri: a.authorizerUri ?? (a.function ? `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${lambdaFunctionArn(a.function, region, accountId)}/invocations` : ''),
          ...(a.authorizerPayloadFormatVersion !== undefined ? { authorizerPayloadFormatVersion: String(a.authorizerPayloadFormatVersion) } : {}),
          ...(a.authorizerResultTtlInSeconds !== undefined ? { authorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds } : {}),
          type: 'request',
          ...(a.enableSimpleResponses !== undefined ? { enableSimpleResponses: a.enableSimpleResponses } : {}),
        },
      };
    }
  }
  return {
    openapi: '3.0.1',
    info: metadata.info ?? { title: def.name ?? 'http-api', version: '1.0', ...(def.description ? { description: def.description } : {}) },
    ...(metadata.servers ? { servers: metadata.servers } : {}),
    paths,
    ...(Object.keys(schemes).length ? { components: { securitySchemes: schemes } } : {}),
    ...(def.corsConfiguration ? { 'x-amazon-apigateway-cors': def.corsConfiguration } : {}),
    'x-amazon-apigateway-importexport-version': '1.0',
  };
}

function integrationOf(i: HttpIntegrationDefinition, region: string, accountId: string): Json {
  const uri = i.integrationUri ?? (i.function ? lambdaFunctionArn(i.function, region, accountId) : undefined);
  const lambda = i.integrationType === 'AWS_PROXY';
  return {
    ...(i.payloadFormatVersion !== undefined ? { payloadFormatVersion: String(i.payloadFormatVersion) } : lambda ? { payloadFormatVersion: '2.0' } : { payloadFormatVersion: '1.0' }),
    type: i.integrationType.toLowerCase(),
    httpMethod: i.integrationMethod ?? (lambda ? 'POST' : 'ANY'),
    ...(uri ? { uri } : {}),
    connectionType: 'INTERNET',
    ...(i.timeoutInMillis !== undefined ? { timeoutInMillis: i.timeoutInMillis } : {}),
    ...(i.requestParameters ? { requestParameters: i.requestParameters } : {}),
    ...(i.responseParameters ? { responseParameters: i.responseParameters } : {}),
  };
}
