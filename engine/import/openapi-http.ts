/**
 * OpenAPI 3.0 as `aws apigatewayv2 export-api` writes it → HTTP API definition. Routes come
 * from paths and methods (`x-amazon-apigateway-any-method` is ANY, the path `/$default` is the
 * `$default` route), each operation's `x-amazon-apigateway-integration` becomes the route's
 * integration, security requirements name JWT or Lambda authorizers (with scopes), and
 * `x-amazon-apigateway-cors` is the CORS configuration.
 */
import type {
  HttpApiDefinition,
  HttpAuthorizerDefinition,
  HttpIntegrationDefinition,
  HttpRouteDefinition,
} from '../http/definition';
import type { DocPath } from './yaml-source';

const VERBS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const KNOWN_ROOT = new Set(['x-amazon-apigateway-cors', 'x-amazon-apigateway-importexport-version']);

type Report = (p: DocPath, message: string, severity?: 'error' | 'warning') => void;

/** An HTTP API export: the importexport-version marker, payload formats, JWT authorizers or the $default route. */
export function looksLikeHttpApi(doc: Record<string, any>): boolean {
  if (doc['x-amazon-apigateway-importexport-version'] !== undefined || doc['x-amazon-apigateway-cors'] !== undefined) return true;
  if (doc.paths?.['/$default']) return true;
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Record<string, any>>)) {
    for (const op of Object.values(item ?? {})) {
      if (op?.['x-amazon-apigateway-integration']?.payloadFormatVersion !== undefined) return true;
    }
  }
  const schemes = (doc.components?.securitySchemes ?? {}) as Record<string, Record<string, any>>;
  return Object.values(schemes).some((s) => String(s?.['x-amazon-apigateway-authorizer']?.type ?? '').toLowerCase() === 'jwt');
}

export function importHttpApi(doc: Record<string, any>, report: Report): HttpApiDefinition {
  const ignored = new Set<string>();
  const schemes = (doc.components?.securitySchemes ?? {}) as Record<string, Record<string, any>>;
  const authorizers: Record<string, HttpAuthorizerDefinition> = {};
  const iamSchemes = new Set<string>();
  for (const [name, s] of Object.entries(schemes)) {
    const x = s?.['x-amazon-apigateway-authorizer'];
    if (!x) {
      if (String(s?.['x-amazon-apigateway-authtype'] ?? '').toLowerCase() === 'awssigv4') iamSchemes.add(name);
      else report(['components', 'securitySchemes', name], `security scheme "${name}" has no x-amazon-apigateway-authorizer; ignored`, 'warning');
      continue;
    }
    const type = String(x.type ?? '').toLowerCase();
    const identitySource = x.identitySource === undefined ? undefined : Array.isArray(x.identitySource) ? x.identitySource : String(x.identitySource);
    if (type === 'jwt') {
      authorizers[name] = {
        authorizerType: 'JWT',
        ...(identitySource !== undefined ? { identitySource } : {}),
        jwtConfiguration: { issuer: String(x.jwtConfiguration?.issuer ?? ''), ...(x.jwtConfiguration?.audience ? { audience: x.jwtConfiguration.audience } : {}) },
      };
    } else if (type === 'request') {
      authorizers[name] = {
        authorizerType: 'REQUEST',
        ...(identitySource !== undefined ? { identitySource } : {}),
        ...(x.authorizerUri ? { authorizerUri: String(x.authorizerUri) } : {}),
        ...(x.authorizerPayloadFormatVersion !== undefined ? { authorizerPayloadFormatVersion: String(x.authorizerPayloadFormatVersion) as '1.0' | '2.0' } : {}),
        ...(x.enableSimpleResponses !== undefined ? { enableSimpleResponses: Boolean(x.enableSimpleResponses) } : {}),
        ...(x.authorizerResultTtlInSeconds !== undefined ? { authorizerResultTtlInSeconds: Number(x.authorizerResultTtlInSeconds) } : {}),
      };
    } else {
      report(['components', 'securitySchemes', name, 'x-amazon-apigateway-authorizer', 'type'], `HTTP API authorizers are jwt or request, not "${x.type}"`);
    }
  }

  const routes: Record<string, HttpRouteDefinition> = {};
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, any>>)) {
    for (const [key, op] of Object.entries(item ?? {})) {
      const verb = key === 'x-amazon-apigateway-any-method' ? 'ANY' : VERBS.includes(key) ? key.toUpperCase() : undefined;
      if (!verb) {
        if (key.startsWith('x-amazon-apigateway')) ignored.add(key);
        continue;
      }
      const at: DocPath = ['paths', path, key];
      const routeKey = path === '/$default' ? '$default' : `${verb} ${path}`;
      const route: HttpRouteDefinition = {};
      const xi = op?.['x-amazon-apigateway-integration'];
      if (xi) {
        const integration = integrationFrom(xi, [...at, 'x-amazon-apigateway-integration'], report);
        if (integration) route.integration = integration;
      }
      for (const requirement of (op?.security ?? []) as Record<string, string[]>[]) {
        for (const [name, scopes] of Object.entries(requirement ?? {})) {
          if (authorizers[name]) {
            route.authorizationType = authorizers[name]!.authorizerType === 'JWT' ? 'JWT' : 'CUSTOM';
            route.authorizerId = name;
            if (Array.isArray(scopes) && scopes.length) route.authorizationScopes = scopes;
          } else if (iamSchemes.has(name)) route.authorizationType = 'AWS_IAM';
          else report([...at, 'security'], `security requirement "${name}" names no security scheme`);
        }
      }
      for (const k of Object.keys(op ?? {})) if (k.startsWith('x-amazon-apigateway') && k !== 'x-amazon-apigateway-integration') ignored.add(k);
      routes[routeKey] = route;
    }
  }
  for (const k of Object.keys(doc)) if (k.startsWith('x-amazon-apigateway') && !KNOWN_ROOT.has(k)) ignored.add(k);
  if (ignored.size) report([], `not simulated, ignored: ${[...ignored].sort().join(', ')}`, 'warning');
  const cors = doc['x-amazon-apigateway-cors'];
  return {
    name: String(doc.info?.title ?? 'imported-http-api'),
    ...(doc.info?.description ? { description: String(doc.info.description) } : {}),
    routes,
    ...(Object.keys(authorizers).length ? { authorizers } : {}),
    ...(cors ? { corsConfiguration: cors } : {}),
  };
}

function integrationFrom(xi: Record<string, any>, at: DocPath, report: Report): HttpIntegrationDefinition | undefined {
  const type = String(xi.type ?? '').toUpperCase();
  if (type !== 'AWS_PROXY' && type !== 'HTTP_PROXY') {
    report([...at, 'type'], `HTTP APIs integrate with aws_proxy or http_proxy, not "${xi.type}"`);
    return undefined;
  }
  if (xi.connectionType && xi.connectionType !== 'INTERNET') report([...at, 'connectionType'], `${xi.connectionType} (private integrations) is not simulated; the integration is called as INTERNET`, 'warning');
  if (xi.integrationSubtype) report([...at, 'integrationSubtype'], `AWS service integrations (${xi.integrationSubtype}) are not simulated for HTTP APIs`);
  return {
    integrationType: type,
    ...(xi.uri ? { integrationUri: String(xi.uri) } : {}),
    ...(xi.httpMethod ? { integrationMethod: String(xi.httpMethod) } : {}),
    ...(xi.payloadFormatVersion !== undefined ? { payloadFormatVersion: String(xi.payloadFormatVersion) as '1.0' | '2.0' } : {}),
    ...(xi.timeoutInMillis !== undefined ? { timeoutInMillis: Number(xi.timeoutInMillis) } : {}),
    ...(xi.requestParameters ? { requestParameters: xi.requestParameters } : {}),
    ...(xi.responseParameters ? { responseParameters: xi.responseParameters } : {}),
  };
}
