/**
 * The inline HTTP API definition of scenario files, and its conversion to the HTTP model.
 * Field names are the apigatewayv2 API's own (CreateRoute, CreateIntegration, CreateAuthorizer,
 * CreateStage, corsConfiguration); routes are keyed by route key so an API reads top to bottom:
 *
 *   routes:
 *     GET /pets/{id}: { target: integrations/getPet, authorizationType: JWT, authorizerId: cognito }
 *     $default:       { target: integrations/fallback }
 *   integrations:
 *     getPet: { integrationType: AWS_PROXY, function: getPet, payloadFormatVersion: '2.0' }
 *
 * Conveniences: `function: name` expands to the Lambda function ARN; a route may carry its
 * integration inline (`integration: {...}`), as the console's quick create does; `target` may
 * name the integration with or without the `integrations/` prefix.
 *
 * Everything AWS would refuse at configuration time (a reserved header in a parameter mapping,
 * a JWT route without a JWT authorizer, a greedy variable that is not last...) is reported here,
 * with the path of the offending value, instead of failing a request later.
 */
import type { IdGenerator } from '../core/random';
import { type DefinitionIssue, DefinitionError } from '../model/rest-definition';
import {
  type CorsConfiguration,
  HTTP_API_LIMITS,
  HTTP_ROUTE_METHODS,
  type HttpApi,
  type HttpAuthorizationType,
  type HttpAuthorizer,
  type HttpIntegration,
  type HttpRoute,
  type HttpRouteMethod,
  type HttpStage,
  type PayloadFormatVersion,
  type RouteSettings,
} from './model';
import { checkRequestParameterKey, checkResponseParameterKey } from './parameter-mapping';

export interface HttpIntegrationDefinition {
  integrationType: 'AWS_PROXY' | 'HTTP_PROXY';
  integrationUri?: string;
  /** Shorthand for the Lambda function ARN. */
  function?: string;
  integrationMethod?: string;
  payloadFormatVersion?: PayloadFormatVersion | number;
  timeoutInMillis?: number;
  requestParameters?: Record<string, string>;
  responseParameters?: Record<string, Record<string, string>>;
  description?: string;
}

export interface HttpRouteDefinition {
  /** `integrations/<name>` or `<name>`. */
  target?: string;
  /** An integration of this route alone (quick create). */
  integration?: HttpIntegrationDefinition;
  authorizationType?: HttpAuthorizationType;
  /** Authorizer name (AWS: authorizerId). */
  authorizerId?: string;
  authorizer?: string;
  authorizationScopes?: string[];
}

export interface HttpAuthorizerDefinition {
  authorizerType: 'JWT' | 'REQUEST';
  identitySource?: string | string[];
  jwtConfiguration?: { issuer: string; audience?: string[] | string };
  function?: string;
  authorizerUri?: string;
  authorizerPayloadFormatVersion?: PayloadFormatVersion | number;
  enableSimpleResponses?: boolean;
  authorizerResultTtlInSeconds?: number;
}

export interface RouteSettingsDefinition {
  throttlingBurstLimit?: number;
  throttlingRateLimit?: number;
  detailedMetricsEnabled?: boolean;
}

export interface HttpStageDefinition {
  autoDeploy?: boolean;
  stageVariables?: Record<string, string>;
  defaultRouteSettings?: RouteSettingsDefinition;
  routeSettings?: Record<string, RouteSettingsDefinition>;
  accessLogSettings?: { format?: string; destinationArn?: string };
  description?: string;
}

export interface CorsConfigurationDefinition {
  allowOrigins?: string[];
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
  allowCredentials?: boolean;
}

export interface HttpApiDefinition {
  name?: string;
  description?: string;
  protocolType?: 'HTTP';
  routes?: Record<string, HttpRouteDefinition | null>;
  integrations?: Record<string, HttpIntegrationDefinition | null>;
  authorizers?: Record<string, HttpAuthorizerDefinition | null>;
  corsConfiguration?: CorsConfigurationDefinition | null;
  /** Stages by name (`$default` is served at the root URL). */
  stages?: Record<string, HttpStageDefinition | null>;
}

export interface HttpBuildOptions {
  readonly id: string;
  readonly ids: IdGenerator;
  readonly region: string;
  readonly accountId: string;
  /** The previous version of this API: unchanged route keys and names keep their ids. */
  readonly previous?: HttpApi;
}

const ROUTE_KEY = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (\/.*)$/;

/** Split a route key: `GET /pets/{id}` → { method, path }. */
export function parseRouteKey(key: string): { method: HttpRouteMethod; path: string } | undefined {
  const m = ROUTE_KEY.exec(key);
  return m ? { method: m[1] as HttpRouteMethod, path: m[2]! } : undefined;
}

function checkRoutePath(path: string, at: (string | number)[], issues: DefinitionIssue[]): void {
  if (path !== '/' && path.endsWith('/')) issues.push({ path: at, message: `a route path has no trailing slash: ${path}` });
  const segments = path.split('/').slice(1);
  segments.forEach((seg, i) => {
    if (seg === '' && path !== '/') issues.push({ path: at, message: `empty path segment in ${path}` });
    const greedy = /^\{[A-Za-z0-9._-]+\+\}$/.test(seg);
    if (greedy && i !== segments.length - 1) issues.push({ path: at, message: `the greedy path variable ${seg} must be the last segment` });
    if (seg.includes('{') && !greedy && !/^\{[A-Za-z0-9._-]+\}$/.test(seg)) {
      issues.push({ path: at, message: `a path variable fills a whole segment ({name} or {name+}): ${seg}` });
    }
  });
}

/** The ARN AWS stores as a Lambda integration's integrationUri. */
export function lambdaFunctionArn(name: string, region: string, accountId: string): string {
  return name.startsWith('arn:') ? name : `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

function version(v: PayloadFormatVersion | number | undefined): PayloadFormatVersion | undefined {
  if (v === undefined) return undefined;
  const s = typeof v === 'number' ? v.toFixed(1) : v;
  return s === '1.0' || s === '2.0' ? s : (s as PayloadFormatVersion);
}

function buildIntegration(d: HttpIntegrationDefinition, id: string, at: (string | number)[], options: HttpBuildOptions, issues: DefinitionIssue[]): HttpIntegration {
  const type = d.integrationType;
  if (type !== 'AWS_PROXY' && type !== 'HTTP_PROXY') {
    issues.push({
      path: [...at, 'integrationType'],
      message: `HTTP APIs have AWS_PROXY and HTTP_PROXY integrations only (no MOCK, AWS or HTTP: there are no mapping templates)`,
    });
  }
  let uri = d.integrationUri;
  if (d.function) {
    if (type !== 'AWS_PROXY') issues.push({ path: [...at, 'function'], message: 'only AWS_PROXY integrations call a Lambda function' });
    uri = lambdaFunctionArn(d.function, options.region, options.accountId);
  }
  if (!uri) issues.push({ path: at, message: `a ${type} integration needs an integrationUri${type === 'AWS_PROXY' ? ' (or function: <name>)' : ''}` });
  const payloadFormatVersion = version(d.payloadFormatVersion) ?? (type === 'HTTP_PROXY' ? '1.0' : '2.0');
  if (payloadFormatVersion !== '1.0' && payloadFormatVersion !== '2.0') {
    issues.push({ path: [...at, 'payloadFormatVersion'], message: `payloadFormatVersion is 1.0 or 2.0, not ${String(d.payloadFormatVersion)}` });
  }
  if (type === 'HTTP_PROXY' && payloadFormatVersion !== '1.0') {
    issues.push({ path: [...at, 'payloadFormatVersion'], message: 'HTTP_PROXY integrations only support payloadFormatVersion 1.0' });
  }
  const timeout = d.timeoutInMillis ?? HTTP_API_LIMITS.maxIntegrationTimeoutMs;
  if (timeout < HTTP_API_LIMITS.minIntegrationTimeoutMs || timeout > HTTP_API_LIMITS.maxIntegrationTimeoutMs) {
    issues.push({ path: [...at, 'timeoutInMillis'], message: `timeoutInMillis is between 50 and 30000 for HTTP APIs, not ${timeout}` });
  }
  for (const key of Object.keys(d.requestParameters ?? {})) {
    const problem = checkRequestParameterKey(key);
    if (problem) issues.push({ path: [...at, 'requestParameters', key], message: problem });
  }
  for (const [status, params] of Object.entries(d.responseParameters ?? {})) {
    if (!/^[2-5]\d\d$/.test(status)) issues.push({ path: [...at, 'responseParameters', status], message: `response parameters are keyed by an HTTP status code 200-599, not "${status}"` });
    for (const [key, value] of Object.entries(params ?? {})) {
      const problem = checkResponseParameterKey(key, value);
      if (problem) issues.push({ path: [...at, 'responseParameters', status, key], message: problem });
    }
  }
  return {
    integrationId: id,
    integrationType: type,
    integrationUri: uri ?? '',
    ...(d.integrationMethod ? { integrationMethod: d.integrationMethod.toUpperCase() } : type === 'HTTP_PROXY' ? { integrationMethod: 'ANY' } : {}),
    payloadFormatVersion,
    timeoutInMillis: timeout,
    requestParameters: { ...(d.requestParameters ?? {}) },
    responseParameters: Object.fromEntries(Object.entries(d.responseParameters ?? {}).map(([k, v]) => [k, { ...(v ?? {}) }])),
  };
}

const IDENTITY_SOURCE = /^\$(request\.header\.[^\s.][^\s]*|request\.querystring\.[^\s]+|context\.[A-Za-z0-9_.]+|stageVariables\.[A-Za-z0-9_]+)$/;

function buildAuthorizer(name: string, d: HttpAuthorizerDefinition, id: string, at: (string | number)[], options: HttpBuildOptions, issues: DefinitionIssue[]): HttpAuthorizer {
  const rawSources = d.identitySource === undefined ? undefined : Array.isArray(d.identitySource) ? d.identitySource : d.identitySource.split(',').map((s) => s.trim());
  const identitySource = rawSources ?? (d.authorizerType === 'JWT' ? ['$request.header.Authorization'] : []);
  identitySource.forEach((s, i) => {
    if (!IDENTITY_SOURCE.test(s)) {
      issues.push({
        path: [...at, 'identitySource', i],
        message: `"${s}" is not an identity source ($request.header.name, $request.querystring.name, $context.name or $stageVariables.name)`,
      });
    }
  });
  const ttl = d.authorizerResultTtlInSeconds ?? (d.authorizerType === 'REQUEST' ? 300 : 0);
  if (d.authorizerType === 'JWT') {
    if (!d.jwtConfiguration?.issuer) issues.push({ path: [...at, 'jwtConfiguration'], message: 'a JWT authorizer needs jwtConfiguration.issuer' });
    if (identitySource.length !== 1) issues.push({ path: [...at, 'identitySource'], message: 'a JWT authorizer has exactly one identity source' });
    const aud = d.jwtConfiguration?.audience;
    const audience = aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
    if (audience.length > HTTP_API_LIMITS.audiencesPerAuthorizer) issues.push({ path: [...at, 'jwtConfiguration', 'audience'], message: 'at most 50 audiences per authorizer' });
    if (audience.length === 0) issues.push({ path: [...at, 'jwtConfiguration', 'audience'], message: 'a JWT authorizer needs at least one audience (the aud or client_id the tokens carry)' });
    return {
      authorizerId: id,
      name,
      authorizerType: 'JWT',
      identitySource,
      jwtConfiguration: { issuer: d.jwtConfiguration?.issuer ?? '', audience },
      enableSimpleResponses: false,
      authorizerResultTtlInSeconds: 0,
    };
  }
  if (d.authorizerType !== 'REQUEST') {
    issues.push({ path: [...at, 'authorizerType'], message: 'HTTP API authorizers are JWT or REQUEST (a Lambda authorizer)' });
  }
  const uri = d.authorizerUri ?? (d.function ? lambdaFunctionArn(d.function, options.region, options.accountId) : undefined);
  if (!uri) issues.push({ path: at, message: 'a Lambda (REQUEST) authorizer needs a function' });
  const fmt = version(d.authorizerPayloadFormatVersion);
  if (fmt === undefined) {
    issues.push({ path: [...at, 'authorizerPayloadFormatVersion'], message: 'authorizerPayloadFormatVersion is required for Lambda authorizers (1.0 or 2.0)' });
  } else if (fmt !== '1.0' && fmt !== '2.0') {
    issues.push({ path: [...at, 'authorizerPayloadFormatVersion'], message: `authorizerPayloadFormatVersion is 1.0 or 2.0, not ${String(d.authorizerPayloadFormatVersion)}` });
  }
  if (d.enableSimpleResponses && fmt !== '2.0') {
    issues.push({ path: [...at, 'enableSimpleResponses'], message: 'simple responses need authorizerPayloadFormatVersion 2.0' });
  }
  if (ttl < 0 || ttl > HTTP_API_LIMITS.maxAuthorizerTtlSeconds) {
    issues.push({ path: [...at, 'authorizerResultTtlInSeconds'], message: 'authorizerResultTtlInSeconds is between 0 and 3600' });
  }
  if (ttl > 0 && identitySource.length === 0) {
    issues.push({ path: [...at, 'authorizerResultTtlInSeconds'], message: 'caching needs at least one identity source (the cache key); set authorizerResultTtlInSeconds: 0 or add an identitySource' });
  }
  return {
    authorizerId: id,
    name,
    authorizerType: 'REQUEST',
    identitySource,
    ...(uri ? { authorizerUri: uri } : {}),
    authorizerPayloadFormatVersion: fmt === '1.0' ? '1.0' : '2.0',
    enableSimpleResponses: d.enableSimpleResponses ?? false,
    authorizerResultTtlInSeconds: ttl,
  };
}

function buildCors(d: CorsConfigurationDefinition, issues: DefinitionIssue[]): CorsConfiguration {
  const cors: CorsConfiguration = {
    allowOrigins: d.allowOrigins ?? [],
    allowMethods: (d.allowMethods ?? []).map((m) => m.toUpperCase()),
    allowHeaders: d.allowHeaders ?? [],
    exposeHeaders: d.exposeHeaders ?? [],
    ...(d.maxAge !== undefined ? { maxAge: d.maxAge } : {}),
    allowCredentials: d.allowCredentials ?? false,
  };
  if (cors.allowCredentials && cors.allowOrigins.includes('*')) {
    issues.push({ path: ['corsConfiguration', 'allowCredentials'], message: 'allowCredentials cannot be combined with allowOrigins "*": name the origins' });
  }
  if (cors.maxAge !== undefined && (cors.maxAge < -1 || cors.maxAge > 86400)) {
    issues.push({ path: ['corsConfiguration', 'maxAge'], message: 'maxAge is between -1 and 86400 seconds' });
  }
  return cors;
}

/** Build the HTTP model from a definition; throws DefinitionError listing every problem found. */
export function httpApiFromDefinition(def: HttpApiDefinition, options: HttpBuildOptions): HttpApi {
  const issues: DefinitionIssue[] = [];
  const prev = options.previous;
  const integrations: Record<string, HttpIntegration> = {};
  const authorizers: Record<string, HttpAuthorizer> = {};
  const routes: HttpRoute[] = [];

  for (const [name, d] of Object.entries(def.integrations ?? {})) {
    if (!d) continue;
    integrations[name] = buildIntegration(d, prev?.integrations[name]?.integrationId ?? options.ids.resourceId(), ['integrations', name], options, issues);
  }
  for (const [name, d] of Object.entries(def.authorizers ?? {})) {
    if (!d) continue;
    authorizers[name] = buildAuthorizer(name, d, prev?.authorizers[name]?.authorizerId ?? options.ids.resourceId(), ['authorizers', name], options, issues);
  }
  const entries = Object.entries(def.routes ?? {}).filter(([, r]) => r !== null) as [string, HttpRouteDefinition][];
  if (entries.length > HTTP_API_LIMITS.routesPerApi) issues.push({ path: ['routes'], message: `at most ${HTTP_API_LIMITS.routesPerApi} routes per API` });
  for (const [key, r] of entries) {
    const at = ['routes', key];
    let method: HttpRouteMethod | undefined;
    let path: string | undefined;
    if (key !== '$default') {
      const parsed = parseRouteKey(key);
      if (!parsed) {
        issues.push({ path: at, message: `a route key is "METHOD /path" (METHOD one of ${HTTP_ROUTE_METHODS.join(', ')}) or $default, not "${key}"` });
        continue;
      }
      method = parsed.method;
      path = parsed.path;
      checkRoutePath(path, at, issues);
    }
    let target: string | undefined;
    if (r.integration) {
      target = `route:${key}`;
      integrations[target] = buildIntegration(r.integration, prev?.integrations[target]?.integrationId ?? options.ids.resourceId(), [...at, 'integration'], options, issues);
    } else if (r.target) {
      target = r.target.replace(/^integrations\//, '');
      if (!integrations[target]) issues.push({ path: [...at, 'target'], message: `no integration named "${target}" under integrations` });
    }
    const authorizerName = r.authorizerId ?? r.authorizer;
    const authorizationType: HttpAuthorizationType = r.authorizationType ?? (authorizerName ? (authorizers[authorizerName]?.authorizerType === 'JWT' ? 'JWT' : 'CUSTOM') : 'NONE');
    if (authorizationType === 'JWT' || authorizationType === 'CUSTOM') {
      const a = authorizerName ? authorizers[authorizerName] : undefined;
      if (!authorizerName) issues.push({ path: at, message: `authorizationType ${authorizationType} needs an authorizerId` });
      else if (!a) issues.push({ path: [...at, 'authorizerId'], message: `no authorizer named "${authorizerName}" under authorizers` });
      else if (authorizationType === 'JWT' && a.authorizerType !== 'JWT') issues.push({ path: [...at, 'authorizationType'], message: `authorizer ${authorizerName} is a Lambda (REQUEST) authorizer: use authorizationType CUSTOM` });
      else if (authorizationType === 'CUSTOM' && a.authorizerType !== 'REQUEST') issues.push({ path: [...at, 'authorizationType'], message: `authorizer ${authorizerName} is a JWT authorizer: use authorizationType JWT` });
    } else if (authorizerName) {
      issues.push({ path: [...at, 'authorizerId'], message: `authorizationType ${authorizationType} takes no authorizer` });
    }
    const scopes = r.authorizationScopes ?? [];
    if (scopes.length > HTTP_API_LIMITS.scopesPerRoute) issues.push({ path: [...at, 'authorizationScopes'], message: 'at most 10 scopes per route' });
    if (scopes.length > 0 && authorizationType !== 'JWT') issues.push({ path: [...at, 'authorizationScopes'], message: 'authorization scopes apply to JWT authorizers only' });
    routes.push({
      routeId: prev?.routes.find((p) => p.routeKey === key)?.routeId ?? options.ids.resourceId(),
      routeKey: key,
      ...(method ? { method } : {}),
      ...(path ? { path } : {}),
      ...(target ? { target } : {}),
      authorizationType,
      ...(authorizerName ? { authorizerId: authorizerName } : {}),
      authorizationScopes: scopes,
    });
  }
  const corsConfiguration = def.corsConfiguration ? buildCors(def.corsConfiguration, issues) : undefined;
  for (const name of Object.keys(def.stages ?? {})) {
    if (name !== '$default' && !/^[A-Za-z0-9_-]{1,128}$/.test(name)) issues.push({ path: ['stages', name], message: 'a stage name is $default or letters, digits, - and _ (up to 128)' });
  }
  for (const [name, s] of Object.entries(def.stages ?? {})) {
    for (const key of Object.keys(s?.routeSettings ?? {})) {
      if (!entries.some(([k]) => k === key)) issues.push({ path: ['stages', name, 'routeSettings', key], message: `no route "${key}" in this API` });
    }
  }
  if (issues.length > 0) throw new DefinitionError(issues);
  return {
    apiId: options.id,
    name: def.name ?? 'http-api',
    ...(def.description ? { description: def.description } : {}),
    routes,
    integrations,
    authorizers,
    ...(corsConfiguration ? { corsConfiguration } : {}),
  };
}

function routeSettings(d: RouteSettingsDefinition | undefined): RouteSettings {
  return {
    ...(d?.throttlingBurstLimit !== undefined ? { throttlingBurstLimit: d.throttlingBurstLimit } : {}),
    ...(d?.throttlingRateLimit !== undefined ? { throttlingRateLimit: d.throttlingRateLimit } : {}),
    ...(d?.detailedMetricsEnabled !== undefined ? { detailedMetricsEnabled: d.detailedMetricsEnabled } : {}),
  };
}

/** The stages a definition declares (by default one `$default` stage with auto-deploy, as the console creates). */
export function httpStagesFromDefinition(def: HttpApiDefinition): HttpStage[] {
  const declared = Object.entries(def.stages ?? {}).filter(([, s]) => s !== null) as [string, HttpStageDefinition][];
  const list: [string, HttpStageDefinition][] = declared.length > 0 ? declared : [['$default', { autoDeploy: true }]];
  return list.map(([name, s]) => ({
    stageName: name,
    autoDeploy: s.autoDeploy ?? false,
    stageVariables: { ...(s.stageVariables ?? {}) },
    defaultRouteSettings: routeSettings(s.defaultRouteSettings),
    routeSettings: Object.fromEntries(Object.entries(s.routeSettings ?? {}).map(([k, v]) => [k, routeSettings(v)])),
    ...(s.accessLogSettings?.format ? { accessLogFormat: s.accessLogSettings.format } : {}),
  }));
}
