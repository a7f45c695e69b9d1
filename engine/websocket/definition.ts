/**
 * The inline WebSocket API definition of scenario files, and its conversion to the model. Field
 * names are AWS's own (CreateApi / CreateRoute / CreateIntegration / CreateAuthorizer, as in the
 * HTTP API definition), routes keyed by route key, each with its integration inline:
 *
 *   routeSelectionExpression: $request.body.action
 *   routes:
 *     $connect:    { authorizationType: CUSTOM, authorizerId: tokenAuth, integration: { integrationType: AWS_PROXY, function: onConnect } }
 *     sendmessage: { integration: { integrationType: AWS_PROXY, function: sendMessage } }
 *     $default:    { integration: { integrationType: MOCK, ... }, routeResponses: { $default: {} } }
 *
 * Conveniences, each one what the console does for you:
 *  - `function: name` on an integration or authorizer expands to the Lambda invocation URI;
 *  - a route with `routeResponses: { $default: {} }` gets routeResponseSelectionExpression
 *    `$default` ("Add route response" in the console sets both);
 *  - non-proxy integrations without `integrationResponses` get a `$default` one. Write
 *    `integrationResponses: {}` to see what happens without it.
 * Setting only `routeResponseSelectionExpression: $default`, without a route response, leaves the
 * route one-way, as in AWS.
 */
import type { IdGenerator } from '../core/random';
import { type DefinitionIssue, DefinitionError } from '../model/rest-definition';
import { lambdaFunctionFromUri, lambdaIntegrationUri } from '../model/rest';
import {
  type Authorizer,
  type Integration,
  type IntegrationResponse,
  PREDEFINED_ROUTES,
  type PassthroughBehavior,
  type Route,
  type RouteResponse,
  type WebSocketApi,
  type WebSocketIntegrationType,
  awsServiceTarget,
} from './model';

export interface WebSocketIntegrationResponseDefinition {
  templateSelectionExpression?: string;
  responseTemplates?: Record<string, string>;
  responseParameters?: Record<string, string>;
}

export interface WebSocketIntegrationDefinition {
  integrationType: WebSocketIntegrationType;
  integrationUri?: string;
  /** Shorthand for a Lambda invocation URI. */
  function?: string;
  /** The HTTP method of HTTP integrations (default POST). */
  integrationMethod?: string;
  templateSelectionExpression?: string;
  requestTemplates?: Record<string, string>;
  requestParameters?: Record<string, string>;
  passthroughBehavior?: PassthroughBehavior;
  timeoutInMillis?: number;
  credentialsArn?: string;
  integrationResponses?: Record<string, WebSocketIntegrationResponseDefinition | null>;
}

export interface WebSocketRouteDefinition {
  authorizationType?: 'NONE' | 'CUSTOM' | 'AWS_IAM';
  /** Authorizer name (AWS: authorizerId). */
  authorizerId?: string;
  /** Same as authorizerId. */
  authorizer?: string;
  apiKeyRequired?: boolean;
  routeResponseSelectionExpression?: string;
  routeResponses?: Record<string, { modelSelectionExpression?: string; responseModels?: Record<string, string> } | null>;
  integration?: WebSocketIntegrationDefinition;
}

export interface WebSocketAuthorizerDefinition {
  authorizerType: 'REQUEST';
  function?: string;
  authorizerUri?: string;
  /** One source or a list: `route.request.querystring.token`, `route.request.header.Auth`... */
  identitySource?: string | string[];
}

export interface WebSocketApiDefinition {
  name?: string;
  description?: string;
  routeSelectionExpression?: string;
  apiKeySelectionExpression?: string;
  routes?: Record<string, WebSocketRouteDefinition | null>;
  authorizers?: Record<string, WebSocketAuthorizerDefinition>;
}

export interface WebSocketBuildOptions {
  readonly id: string;
  readonly ids: IdGenerator;
  readonly region: string;
  readonly accountId: string;
  /** The previous version of this API: unchanged routes keep their ids. */
  readonly previous?: WebSocketApi;
}

/** The expression the console proposes, and the one every AWS example uses. */
export const DEFAULT_ROUTE_SELECTION_EXPRESSION = '$request.body.action';
const API_KEY_SELECTION_EXPRESSIONS = ['$request.header.x-api-key', '$context.authorizer.usageIdentifierKey'];
const DEFAULT_TIMEOUT_MS = 29_000;

export function webSocketApiFromDefinition(def: WebSocketApiDefinition, options: WebSocketBuildOptions): WebSocketApi {
  const issues: DefinitionIssue[] = [];
  const at = (path: (string | number)[], message: string) => issues.push({ path, message });

  const rse = def.routeSelectionExpression ?? DEFAULT_ROUTE_SELECTION_EXPRESSION;
  const rseProblem = checkSelectionExpression(rse, ['request.body']);
  if (rseProblem) at(['routeSelectionExpression'], rseProblem);
  const akse = def.apiKeySelectionExpression ?? API_KEY_SELECTION_EXPRESSIONS[0]!;
  if (!API_KEY_SELECTION_EXPRESSIONS.includes(akse)) at(['apiKeySelectionExpression'], `must be ${API_KEY_SELECTION_EXPRESSIONS.join(' or ')}`);

  const authorizers: Record<string, Authorizer> = {};
  for (const [name, a] of Object.entries(def.authorizers ?? {})) {
    if (a.authorizerType !== 'REQUEST') at(['authorizers', name, 'authorizerType'], 'WebSocket APIs support REQUEST Lambda authorizers only');
    const uri = a.authorizerUri ?? (a.function ? lambdaIntegrationUri(a.function, options.region, options.accountId) : undefined);
    if (!uri) {
      at(['authorizers', name], 'an authorizer needs function (or authorizerUri)');
      continue;
    }
    const sources = a.identitySource === undefined ? [] : Array.isArray(a.identitySource) ? a.identitySource : a.identitySource.split(',').map((s) => s.trim());
    sources.forEach((s, i) => {
      if (!/^(route\.request\.(header|querystring)\.[^.\s]+|stageVariables\.[^.\s]+|context\.[A-Za-z.]+)$/.test(s)) {
        at(['authorizers', name, 'identitySource', ...(Array.isArray(a.identitySource) ? [i] : [])], `"${s}" is not an identity source: use route.request.header.NAME, route.request.querystring.NAME, stageVariables.NAME or context.NAME`);
      }
    });
    authorizers[name] = {
      id: options.previous?.authorizers[name]?.id ?? options.ids.resourceId(),
      name,
      type: 'REQUEST',
      authorizerUri: uri,
      functionName: lambdaFunctionFromUri(uri) ?? '',
      identitySource: sources,
    };
  }

  const routes: Record<string, Route> = {};
  for (const [routeKey, r0] of Object.entries(def.routes ?? {})) {
    const r = r0 ?? {};
    const base = ['routes', routeKey];
    if (routeKey.startsWith('$') && !(PREDEFINED_ROUTES as readonly string[]).includes(routeKey)) {
      at(base, `route keys starting with $ are reserved: use $connect, $disconnect, $default or a key without $`);
    }
    const authorizerName = r.authorizerId ?? r.authorizer;
    const authorizerField = r.authorizerId !== undefined ? 'authorizerId' : 'authorizer';
    const authorizationType = r.authorizationType ?? (authorizerName ? 'CUSTOM' : 'NONE');
    if (authorizationType !== 'NONE' && routeKey !== '$connect') {
      at([...base, 'authorizationType'], 'Currently, authorization is restricted to the $connect route only');
    }
    if (authorizationType === 'CUSTOM') {
      if (!authorizerName) at([...base, 'authorizerId'], 'authorizationType CUSTOM needs authorizerId: the name of an entry under authorizers');
      else if (!authorizers[authorizerName]) at([...base, authorizerField], `no authorizer named "${authorizerName}" under authorizers`);
    } else if (authorizerName) at([...base, authorizerField], `an authorizer is used only with authorizationType CUSTOM (this route has ${authorizationType})`);
    if (r.apiKeyRequired && routeKey !== '$connect') at([...base, 'apiKeyRequired'], 'API keys are checked on the $connect route only');

    const routeResponses: Record<string, RouteResponse> = {};
    for (const [key, rr] of Object.entries(r.routeResponses ?? {})) {
      if (key !== '$default') {
        at([...base, 'routeResponses', key], 'WebSocket APIs support only the $default route response key');
        continue;
      }
      routeResponses.$default = {
        key: '$default',
        ...(rr?.modelSelectionExpression ? { modelSelectionExpression: rr.modelSelectionExpression } : {}),
        ...(rr?.responseModels ? { responseModels: rr.responseModels } : {}),
      };
    }
    if (r.routeResponseSelectionExpression !== undefined && r.routeResponseSelectionExpression !== '$default') {
      at([...base, 'routeResponseSelectionExpression'], 'the route response selection expression must be $default');
    }
    if (Object.keys(routeResponses).length > 0 && (routeKey === '$disconnect')) {
      at([...base, 'routeResponses'], '$disconnect cannot answer: the connection is already closed');
    }

    const prev = options.previous?.routes[routeKey];
    routes[routeKey] = {
      id: prev?.id ?? options.ids.resourceId(),
      routeKey,
      authorizationType,
      ...(authorizationType === 'CUSTOM' && authorizerName ? { authorizerId: authorizerName } : {}),
      apiKeyRequired: r.apiKeyRequired ?? false,
      ...(r.routeResponseSelectionExpression !== undefined || Object.keys(routeResponses).length > 0
        ? { routeResponseSelectionExpression: r.routeResponseSelectionExpression ?? '$default' }
        : {}),
      routeResponses,
      ...(r.integration ? { integration: integrationFrom(r.integration, [...base, 'integration'], at, options, prev?.integration?.id) } : {}),
    };
  }

  if (issues.length > 0) throw new DefinitionError(issues);
  return {
    id: options.id,
    name: def.name ?? 'websocket-api',
    ...(def.description ? { description: def.description } : {}),
    protocolType: 'WEBSOCKET',
    routeSelectionExpression: rse,
    apiKeySelectionExpression: akse,
    routes,
    authorizers,
  };
}

function integrationFrom(
  d: WebSocketIntegrationDefinition,
  base: (string | number)[],
  at: (path: (string | number)[], message: string) => void,
  options: WebSocketBuildOptions,
  previousId: string | undefined,
): Integration {
  const type = d.integrationType;
  let uri = d.integrationUri;
  if (d.function) {
    if (type !== 'AWS_PROXY' && type !== 'AWS') at([...base, 'function'], `function: is for Lambda integrations (AWS_PROXY or AWS), not ${type}`);
    uri = lambdaIntegrationUri(d.function, options.region, options.accountId);
  }
  if ((type === 'AWS_PROXY' || type === 'AWS' || type === 'HTTP' || type === 'HTTP_PROXY') && !uri) {
    at(base, `a ${type} integration needs ${type.startsWith('AWS') ? 'function (or integrationUri)' : 'integrationUri'}`);
  }
  if (type === 'AWS' && uri && !/:lambda:path\//.test(uri) && !awsServiceTarget(uri)) {
    at([...base, 'integrationUri'], 'AWS integrations call Lambda (function:) or a service: arn:aws:apigateway:REGION:dynamodb:action/PutItem, …:sqs:path/ACCOUNT/QUEUE, …:s3:path/BUCKET/KEY');
  }
  const timeout = d.timeoutInMillis ?? DEFAULT_TIMEOUT_MS;
  if (timeout < 50 || timeout > 29_000) at([...base, 'timeoutInMillis'], 'must be between 50 and 29000 milliseconds');
  if (d.templateSelectionExpression) {
    const p = checkSelectionExpression(d.templateSelectionExpression, ['request.body']);
    if (p) at([...base, 'templateSelectionExpression'], p);
  }
  const proxy = type === 'AWS_PROXY' || type === 'HTTP_PROXY';
  if (proxy && d.requestTemplates && Object.keys(d.requestTemplates).length > 0) {
    at([...base, 'requestTemplates'], 'proxy integrations pass the message through: mapping templates apply to AWS, HTTP and MOCK integrations only');
  }
  const responses: IntegrationResponse[] = [];
  if (d.integrationResponses) {
    if (proxy && Object.keys(d.integrationResponses).length > 0) {
      at([...base, 'integrationResponses'], 'proxy integrations have no integration responses: the backend output passes through');
    }
    for (const [key, r] of Object.entries(d.integrationResponses)) {
      if (key !== '$default' && !/^\/.+\/$/.test(key)) {
        at([...base, 'integrationResponses', key], 'an integration response key is $default or a regular expression between slashes, e.g. /4\\d\\d/');
      } else if (key !== '$default') {
        try {
          new RegExp(key.slice(1, -1));
        } catch {
          at([...base, 'integrationResponses', key], 'is not a valid regular expression');
        }
      }
      if (r?.templateSelectionExpression) {
        const p = checkSelectionExpression(r.templateSelectionExpression, ['request.body', 'integration.response']);
        if (p) at([...base, 'integrationResponses', key, 'templateSelectionExpression'], p);
      }
      responses.push({
        key,
        ...(r?.templateSelectionExpression ? { templateSelectionExpression: r.templateSelectionExpression } : {}),
        responseTemplates: r?.responseTemplates ?? {},
        responseParameters: r?.responseParameters ?? {},
      });
    }
  } else if (!proxy) {
    responses.push({ key: '$default', responseTemplates: {}, responseParameters: {} });
  }
  const integration: Integration = {
    id: previousId ?? options.ids.resourceId(),
    type,
    ...(uri ? { uri } : {}),
    ...(type === 'HTTP' || type === 'HTTP_PROXY' ? { integrationMethod: (d.integrationMethod ?? 'POST').toUpperCase() } : {}),
    ...(d.templateSelectionExpression ? { templateSelectionExpression: d.templateSelectionExpression } : {}),
    requestTemplates: d.requestTemplates ?? {},
    requestParameters: d.requestParameters ?? {},
    passthroughBehavior: d.passthroughBehavior ?? 'WHEN_NO_MATCH',
    timeoutInMillis: timeout,
    ...(d.credentialsArn ? { credentialsArn: d.credentialsArn } : {}),
    integrationResponses: responses,
  };
  return integration;
}

/**
 * Selection expressions: `$request.body.path`, `${request.body.a}/${request.body.b}`, or a
 * static value. Returns a problem, or undefined.
 */
export function checkSelectionExpression(expr: string, allowed: readonly string[]): string | undefined {
  if (expr.trim() === '') return 'a selection expression cannot be empty';
  const vars: string[] = [];
  if (/^\$[a-z]/.test(expr) && !expr.includes('${')) vars.push(expr.slice(1));
  else for (const m of expr.matchAll(/\$\{([^}]*)\}/g)) vars.push(m[1]!);
  for (const v of vars) {
    if (!allowed.some((a) => v === a || v.startsWith(`${a}.`) || v.startsWith(`${a}[`))) {
      return `"${v}" cannot be used here; use ${allowed.map((a) => `$${a}...`).join(' or ')}, \${...} combinations or a static value`;
    }
  }
  return undefined;
}

/** The Lambda function names an API definition refers to (for the loader's checks). */
export function functionReferences(def: WebSocketApiDefinition): { path: (string | number)[]; name: string }[] {
  const out: { path: (string | number)[]; name: string }[] = [];
  for (const [key, r] of Object.entries(def.routes ?? {})) {
    const fn = r?.integration?.function;
    if (fn && !fn.includes('${')) out.push({ path: ['routes', key, 'integration', 'function'], name: fn });
  }
  for (const [name, a] of Object.entries(def.authorizers ?? {})) if (a.function) out.push({ path: ['authorizers', name, 'function'], name: a.function });
  return out;
}
