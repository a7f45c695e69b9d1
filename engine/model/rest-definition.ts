/**
 * The inline REST API definition used by scenario files, and its conversion to the REST model.
 * Field names are AWS's own (the shape of GetRestApi / GetMethod / GetIntegration), nested by
 * resource path and HTTP method so a whole API reads top to bottom:
 *
 *   resources:
 *     /pets/{petId}:
 *       GET:
 *         integration: { type: AWS_PROXY, function: getPet }
 *
 * Conveniences, each one what the AWS console would do for you:
 *  - `function: name` on an integration expands to the Lambda invocation URI;
 *  - non-proxy integrations without `integrationResponses` get one default 200 response, and a
 *    method without `methodResponses` gets one method response per integration-response status.
 *    Write them out (even as `{}`) to see what happens without them.
 */
import type { IdGenerator } from '../core/random';
import { type CorsDefinition, expandCors } from './cors';
import { GATEWAY_RESPONSE_TYPES, type GatewayResponseType, isGatewayResponseType } from '../rest/gateway-response-types';
import {
  type Authorizer,
  type GatewayResponse,
  type Integration,
  type IntegrationResponse,
  type Method,
  type MethodResponse,
  type Model,
  REST_METHODS,
  type RequestValidator,
  type Resource,
  type RestApi,
  type RestHttpMethod,
  lambdaIntegrationUri,
} from './rest';

export interface IntegrationResponseDefinition {
  statusCode?: string | number;
  selectionPattern?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
  contentHandling?: 'CONVERT_TO_BINARY' | 'CONVERT_TO_TEXT';
}

export interface IntegrationDefinition {
  type: Integration['type'];
  httpMethod?: string;
  uri?: string;
  /** Shorthand for a Lambda integration URI. */
  function?: string;
  credentials?: string;
  requestParameters?: Record<string, string>;
  requestTemplates?: Record<string, string>;
  passthroughBehavior?: Integration['passthroughBehavior'];
  contentHandling?: Integration['contentHandling'];
  timeoutInMillis?: number;
  cacheNamespace?: string;
  cacheKeyParameters?: string[];
  integrationResponses?: Record<string, IntegrationResponseDefinition> | IntegrationResponseDefinition[];
}

export interface MethodDefinition {
  authorizationType?: Method['authorizationType'];
  /** Authorizer name (AWS calls the field authorizerId). */
  authorizer?: string;
  authorizerId?: string;
  authorizationScopes?: string[];
  apiKeyRequired?: boolean;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  requestModels?: Record<string, string>;
  /** Request validator name (AWS calls the field requestValidatorId). */
  requestValidator?: string;
  requestValidatorId?: string;
  methodResponses?: Record<string, { responseParameters?: Record<string, boolean>; responseModels?: Record<string, string> }>;
  integration?: IntegrationDefinition;
}

export interface AuthorizerDefinition {
  type: Authorizer['type'];
  function?: string;
  authorizerUri?: string;
  identitySource?: string;
  identityValidationExpression?: string;
  authorizerResultTtlInSeconds?: number;
  providerARNs?: string[];
}

export interface RestApiDefinition {
  name?: string;
  description?: string;
  binaryMediaTypes?: string[];
  apiKeySource?: RestApi['apiKeySource'];
  resources?: Record<string, Record<string, MethodDefinition>>;
  authorizers?: Record<string, AuthorizerDefinition>;
  models?: Record<string, { contentType?: string; schema: unknown }>;
  requestValidators?: Record<string, { validateRequestBody?: boolean; validateRequestParameters?: boolean }>;
  gatewayResponses?: Record<string, { statusCode?: string | number; responseParameters?: Record<string, string>; responseTemplates?: Record<string, string> }>;
  /** "Enable CORS" per resource path, expanded as the console does it (engine/model/cors.ts). */
  cors?: Record<string, CorsDefinition | null>;
}

/** A problem in a definition, with the path of the offending value inside it. */
export interface DefinitionIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export class DefinitionError extends Error {
  constructor(readonly issues: readonly DefinitionIssue[]) {
    super(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  }
}

export interface BuildOptions {
  readonly id: string;
  /** The previous version of this API: unchanged resource paths keep their ids. */
  readonly previous?: RestApi;
  readonly ids: IdGenerator;
  readonly region: string;
  readonly accountId: string;
}

/** Build the REST model from a definition; throws DefinitionError listing every problem found. */
export function restApiFromDefinition(input: RestApiDefinition, options: BuildOptions): RestApi {
  const issues: DefinitionIssue[] = [];
  const def = expandCors(input, issues);
  const resources: Record<string, Resource> = {};
  const authorizers: Record<string, Authorizer> = {};
  const models: Record<string, Model> = {};
  const requestValidators: Record<string, RequestValidator> = {};
  const gatewayResponses: Partial<Record<GatewayResponseType, GatewayResponse>> = {};

  for (const [name, a] of Object.entries(def.authorizers ?? {})) {
    const uri = a.authorizerUri ?? (a.function ? lambdaIntegrationUri(a.function, options.region, options.accountId) : undefined);
    if (a.type !== 'COGNITO_USER_POOLS' && !uri) issues.push({ path: ['authorizers', name], message: 'a Lambda authorizer needs a function' });
    authorizers[name] = {
      name,
      type: a.type,
      ...(uri ? { authorizerUri: uri } : {}),
      identitySource: a.identitySource ?? (a.type === 'REQUEST' ? '' : 'method.request.header.Authorization'),
      ...(a.identityValidationExpression ? { identityValidationExpression: a.identityValidationExpression } : {}),
      authorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds ?? 300,
      ...(a.providerARNs ? { providerARNs: a.providerARNs } : {}),
    };
    if (authorizers[name]!.authorizerResultTtlInSeconds > 3600 || authorizers[name]!.authorizerResultTtlInSeconds < 0) {
      issues.push({ path: ['authorizers', name, 'authorizerResultTtlInSeconds'], message: 'must be between 0 and 3600 seconds' });
    }
  }
  for (const [name, m] of Object.entries(def.models ?? {})) {
    models[name] = { name, contentType: m.contentType ?? 'application/json', schema: m.schema };
  }
  for (const [name, v] of Object.entries(def.requestValidators ?? {})) {
    requestValidators[name] = { name, validateRequestBody: v.validateRequestBody ?? false, validateRequestParameters: v.validateRequestParameters ?? false };
  }
  for (const [type, g] of Object.entries(def.gatewayResponses ?? {})) {
    if (!isGatewayResponseType(type)) {
      issues.push({ path: ['gatewayResponses', type], message: `unknown gateway response type; expected one of ${GATEWAY_RESPONSE_TYPES.join(', ')}` });
      continue;
    }
    gatewayResponses[type] = {
      ...(g.statusCode !== undefined ? { statusCode: String(g.statusCode) } : {}),
      responseParameters: g.responseParameters ?? {},
      responseTemplates: g.responseTemplates ?? {},
    };
  }

  const paths = Object.keys(def.resources ?? {});
  // Parent resources exist implicitly, as the console creates them.
  const allPaths = new Set<string>(['/']);
  for (const p of paths) {
    const segs = p.split('/').filter(Boolean);
    for (let i = 1; i <= segs.length; i++) allPaths.add('/' + segs.slice(0, i).join('/'));
  }
  for (const path of [...allPaths].sort()) {
    const methodsDef = def.resources?.[path] ?? {};
    const at = ['resources', path];
    checkResourcePath(path, at, issues);
    const methods: Partial<Record<RestHttpMethod, Method>> = {};
    for (const [verbRaw, md] of Object.entries(methodsDef ?? {})) {
      const verb = verbRaw.toUpperCase();
      if (!(REST_METHODS as readonly string[]).includes(verb)) {
        issues.push({ path: [...at, verbRaw], message: `unknown HTTP method; expected one of ${REST_METHODS.join(', ')}` });
        continue;
      }
      methods[verb as RestHttpMethod] = buildMethod(verb as RestHttpMethod, md ?? {}, [...at, verbRaw], { authorizers, models, requestValidators }, options, issues);
    }
    resources[path] = { id: options.previous?.resources[path]?.id ?? options.ids.resourceId(), path, methods };
  }
  if (issues.length > 0) throw new DefinitionError(issues);
  return {
    id: options.id,
    name: def.name ?? 'api',
    ...(def.description ? { description: def.description } : {}),
    resources,
    authorizers,
    models,
    requestValidators,
    gatewayResponses,
    binaryMediaTypes: def.binaryMediaTypes ?? [],
    apiKeySource: def.apiKeySource ?? 'HEADER',
  };
}

function checkResourcePath(path: string, at: (string | number)[], issues: DefinitionIssue[]): void {
  if (!path.startsWith('/')) {
    issues.push({ path: at, message: 'a resource path starts with "/"' });
    return;
  }
  const segs = path.split('/').filter(Boolean);
  segs.forEach((seg, i) => {
    if (/^\{.+\+\}$/.test(seg) && i !== segs.length - 1) {
      issues.push({ path: at, message: `the greedy path variable ${seg} must be the last segment` });
    }
    if (/[{}]/.test(seg) && !/^\{[A-Za-z0-9._-]+\+?\}$/.test(seg)) {
      issues.push({ path: at, message: `"${seg}" is not a valid path segment; a variable is written {name} or {name+}` });
    }
  });
}

/**
 * One method (PutMethod + PutIntegration + responses) checked against the API's authorizers,
 * models and validators; throws DefinitionError with AWS's messages. The control plane's
 * PutMethod uses this, so scenarios and the API-style operations validate alike.
 */
export function methodFromDefinition(
  verb: RestHttpMethod,
  md: MethodDefinition,
  known: Pick<RestApi, 'authorizers' | 'models' | 'requestValidators'>,
  options: BuildOptions,
): Method {
  const issues: DefinitionIssue[] = [];
  const method = buildMethod(verb, md, [], { authorizers: { ...known.authorizers }, models: { ...known.models }, requestValidators: { ...known.requestValidators } }, options, issues);
  if (issues.length > 0) throw new DefinitionError(issues);
  return method;
}

function buildMethod(
  verb: RestHttpMethod,
  md: MethodDefinition,
  at: (string | number)[],
  known: { authorizers: Record<string, Authorizer>; models: Record<string, Model>; requestValidators: Record<string, RequestValidator> },
  options: BuildOptions,
  issues: DefinitionIssue[],
): Method {
  const authorizerId = md.authorizer ?? md.authorizerId;
  const authorizationType = md.authorizationType ?? (authorizerId ? (known.authorizers[authorizerId]?.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM') : 'NONE');
  if ((authorizationType === 'CUSTOM' || authorizationType === 'COGNITO_USER_POOLS') && !authorizerId) {
    // The message AWS's PutMethod returns (recorded).
    issues.push({
      path: at,
      message: 'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.',
    });
  }
  if (authorizerId && !known.authorizers[authorizerId]) {
    issues.push({ path: [...at, 'authorizer'], message: `no authorizer named "${authorizerId}" is defined under authorizers` });
  }
  const validatorName = md.requestValidator ?? md.requestValidatorId;
  if (validatorName && !known.requestValidators[validatorName]) {
    issues.push({ path: [...at, 'requestValidator'], message: `no request validator named "${validatorName}" is defined under requestValidators` });
  }
  for (const [ct, model] of Object.entries(md.requestModels ?? {})) {
    if (!known.models[model]) issues.push({ path: [...at, 'requestModels', ct], message: `no model named "${model}" is defined under models` });
  }
  for (const key of Object.keys(md.requestParameters ?? {})) {
    if (!/^method\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.[^.]+/.test(key)) {
      issues.push({ path: [...at, 'requestParameters', key], message: 'expected method.request.{header|querystring|path}.<name>' });
    }
  }

  const integration = md.integration ? buildIntegration(md.integration, [...at, 'integration'], options, issues) : undefined;
  let methodResponses: Record<string, MethodResponse> = {};
  if (md.methodResponses) {
    for (const [status, r] of Object.entries(md.methodResponses)) {
      methodResponses[status] = { statusCode: status, responseParameters: r?.responseParameters ?? {}, responseModels: r?.responseModels ?? {} };
    }
  } else if (integration && !integration.type.endsWith('_PROXY')) {
    methodResponses = Object.fromEntries(
      Object.values(integration.integrationResponses).map((r) => [
        r.statusCode,
        {
          statusCode: r.statusCode,
          responseParameters: Object.fromEntries(Object.keys(r.responseParameters).map((k) => [k, false])),
          responseModels: {},
        },
      ]),
    );
  }
  return {
    httpMethod: verb,
    authorizationType,
    ...(authorizerId ? { authorizerId } : {}),
    ...(md.authorizationScopes ? { authorizationScopes: md.authorizationScopes } : {}),
    apiKeyRequired: md.apiKeyRequired ?? false,
    ...(md.operationName ? { operationName: md.operationName } : {}),
    requestParameters: md.requestParameters ?? {},
    requestModels: md.requestModels ?? {},
    ...(validatorName ? { requestValidatorId: validatorName } : {}),
    methodResponses,
    ...(integration ? { integration } : {}),
  };
}

function buildIntegration(d: IntegrationDefinition, at: (string | number)[], options: BuildOptions, issues: DefinitionIssue[]): Integration {
  const isProxy = d.type === 'AWS_PROXY' || d.type === 'HTTP_PROXY';
  let uri = d.uri;
  if (d.function) {
    if (d.type !== 'AWS_PROXY' && d.type !== 'AWS') issues.push({ path: [...at, 'function'], message: 'only AWS and AWS_PROXY integrations call a Lambda function' });
    uri = lambdaIntegrationUri(d.function, options.region, options.accountId);
  }
  if ((d.type === 'HTTP' || d.type === 'HTTP_PROXY' || d.type === 'AWS_PROXY' || d.type === 'AWS') && !uri) {
    issues.push({ path: at, message: `a ${d.type} integration needs a uri${d.type.startsWith('AWS') ? ' (or function: <name>)' : ''}` });
  }
  // Lambda is always invoked with POST; other AWS services need the method named (GET for S3 GetObject...).
  const isLambda = d.type === 'AWS_PROXY' || (d.type === 'AWS' && (d.function !== undefined || /:lambda:path\//.test(uri ?? '')));
  if (d.type === 'AWS' && !isLambda && !d.httpMethod) {
    issues.push({ path: [...at, 'httpMethod'], message: 'an AWS service integration needs httpMethod: the method API Gateway uses towards the service (POST for SQS and DynamoDB, GET/PUT/DELETE or ANY for S3)' });
  }
  const timeout = d.timeoutInMillis ?? 29_000;
  if (timeout < 50 || timeout > 29_000) issues.push({ path: [...at, 'timeoutInMillis'], message: 'must be between 50 and 29000 ms' });

  const responses: Record<string, IntegrationResponse> = {};
  const list: IntegrationResponseDefinition[] | undefined = Array.isArray(d.integrationResponses)
    ? d.integrationResponses
    : d.integrationResponses
      ? Object.entries(d.integrationResponses).map(([status, r]) => ({ ...r, statusCode: r?.statusCode ?? status }))
      : undefined;
  if (list) {
    list.forEach((r, i) => {
      const status = String(r.statusCode ?? '200');
      if (r.selectionPattern) {
        try {
          new RegExp(r.selectionPattern);
        } catch (err) {
          issues.push({ path: [...at, 'integrationResponses', Array.isArray(d.integrationResponses) ? i : status, 'selectionPattern'], message: `invalid regular expression: ${(err as Error).message}` });
        }
      }
      responses[status] = {
        statusCode: status,
        ...(r.selectionPattern !== undefined ? { selectionPattern: r.selectionPattern } : {}),
        responseParameters: r.responseParameters ?? {},
        responseTemplates: r.responseTemplates ?? {},
        ...(r.contentHandling ? { contentHandling: r.contentHandling } : {}),
      };
    });
  } else if (!isProxy) {
    responses['200'] = { statusCode: '200', selectionPattern: '', responseParameters: {}, responseTemplates: {} };
  }
  return {
    type: d.type,
    ...(d.httpMethod ? { httpMethod: d.httpMethod.toUpperCase() } : isLambda ? { httpMethod: 'POST' } : {}),
    ...(uri ? { uri } : {}),
    ...(d.credentials ? { credentials: d.credentials } : {}),
    requestParameters: d.requestParameters ?? {},
    requestTemplates: d.requestTemplates ?? {},
    passthroughBehavior: d.passthroughBehavior ?? 'WHEN_NO_MATCH',
    ...(d.contentHandling ? { contentHandling: d.contentHandling } : {}),
    timeoutInMillis: timeout,
    ...(d.cacheNamespace ? { cacheNamespace: d.cacheNamespace } : {}),
    cacheKeyParameters: d.cacheKeyParameters ?? [],
    integrationResponses: responses,
  };
}
