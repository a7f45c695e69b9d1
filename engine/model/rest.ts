/**
 * The REST API (API Gateway v1) resource model, named and shaped as AWS names it in its API
 * (GetRestApi, GetResources, GetMethod, GetIntegration...). Scenario files and OpenAPI imports
 * both become this model; the REST pipeline reads only this model.
 *
 * Everything here is read-only: a draft is edited by producing a new object, and a deployment
 * is a deep-frozen copy.
 */
import type { GatewayResponseType } from '../rest/gateway-response-types';

export const REST_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;
export type RestHttpMethod = (typeof REST_METHODS)[number];

export type AuthorizationType = 'NONE' | 'CUSTOM' | 'COGNITO_USER_POOLS' | 'AWS_IAM';
export type IntegrationType = 'MOCK' | 'AWS' | 'AWS_PROXY' | 'HTTP' | 'HTTP_PROXY';
export type PassthroughBehavior = 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER';
export type ContentHandling = 'CONVERT_TO_BINARY' | 'CONVERT_TO_TEXT';

export interface RestApi {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  /** Resources keyed by full path (`/`, `/pets`, `/pets/{petId}`, `/{proxy+}`). */
  readonly resources: Readonly<Record<string, Resource>>;
  /** Keyed by authorizer name; methods refer to them by name. */
  readonly authorizers: Readonly<Record<string, Authorizer>>;
  /** JSON Schema draft-4 models keyed by name. */
  readonly models: Readonly<Record<string, Model>>;
  readonly requestValidators: Readonly<Record<string, RequestValidator>>;
  /** Only the types the API customised; the rest use AWS's defaults. */
  readonly gatewayResponses: Readonly<Partial<Record<GatewayResponseType, GatewayResponse>>>;
  readonly binaryMediaTypes: readonly string[];
  readonly apiKeySource: 'HEADER' | 'AUTHORIZER';
}

export interface Resource {
  readonly id: string;
  readonly path: string;
  readonly methods: Readonly<Partial<Record<RestHttpMethod, Method>>>;
}

export interface Method {
  readonly httpMethod: RestHttpMethod;
  readonly authorizationType: AuthorizationType;
  /** Name of an entry in `RestApi.authorizers` (CUSTOM and COGNITO_USER_POOLS). */
  readonly authorizerId?: string;
  readonly authorizationScopes?: readonly string[];
  readonly apiKeyRequired: boolean;
  readonly operationName?: string;
  /** `method.request.{path|querystring|header}.name` → required. */
  readonly requestParameters: Readonly<Record<string, boolean>>;
  /** Content type → model name. */
  readonly requestModels: Readonly<Record<string, string>>;
  readonly requestValidatorId?: string;
  /** Keyed by status code. */
  readonly methodResponses: Readonly<Record<string, MethodResponse>>;
  readonly integration?: Integration;
}

export interface MethodResponse {
  readonly statusCode: string;
  /** `method.response.header.name` → required. */
  readonly responseParameters: Readonly<Record<string, boolean>>;
  readonly responseModels: Readonly<Record<string, string>>;
}

export interface Integration {
  readonly type: IntegrationType;
  /** The HTTP method API Gateway uses towards the backend (POST for Lambda). */
  readonly httpMethod?: string;
  readonly uri?: string;
  readonly credentials?: string;
  /** `integration.request.{header|querystring|path}.name` → source expression. */
  readonly requestParameters: Readonly<Record<string, string>>;
  /** Content type → VTL template. */
  readonly requestTemplates: Readonly<Record<string, string>>;
  readonly passthroughBehavior: PassthroughBehavior;
  readonly contentHandling?: ContentHandling;
  readonly timeoutInMillis: number;
  readonly cacheNamespace?: string;
  readonly cacheKeyParameters: readonly string[];
  /** Keyed by status code, as in AWS's model. */
  readonly integrationResponses: Readonly<Record<string, IntegrationResponse>>;
}

export interface IntegrationResponse {
  readonly statusCode: string;
  /** Java regex; empty or absent means this is the default response. */
  readonly selectionPattern?: string;
  /** `method.response.header.name` → source expression. */
  readonly responseParameters: Readonly<Record<string, string>>;
  readonly responseTemplates: Readonly<Record<string, string>>;
  readonly contentHandling?: ContentHandling;
}

export interface GatewayResponse {
  readonly statusCode?: string;
  /** `gatewayresponse.header.name` → `'literal'` or `method.request.*` / `stageVariables.*` / `context.*`. */
  readonly responseParameters: Readonly<Record<string, string>>;
  readonly responseTemplates: Readonly<Record<string, string>>;
}

export interface Authorizer {
  readonly name: string;
  readonly type: 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS';
  /** Lambda function name (TOKEN / REQUEST), resolved against the scenario's functions. */
  readonly authorizerUri?: string;
  /** `method.request.header.Authorization`, or a comma-separated list for REQUEST authorizers. */
  readonly identitySource: string;
  readonly identityValidationExpression?: string;
  readonly authorizerResultTtlInSeconds: number;
  /** Cognito: the user pool (issuer) this authorizer trusts. */
  readonly providerARNs?: readonly string[];
}

export interface Model {
  readonly name: string;
  readonly contentType: string;
  readonly schema: unknown;
}

export interface RequestValidator {
  readonly name: string;
  readonly validateRequestBody: boolean;
  readonly validateRequestParameters: boolean;
}

export interface MethodSetting {
  readonly throttlingRateLimit?: number;
  readonly throttlingBurstLimit?: number;
  readonly cachingEnabled?: boolean;
  readonly cacheTtlInSeconds?: number;
  readonly cacheDataEncrypted?: boolean;
  readonly requireAuthorizationForCacheControl?: boolean;
  readonly unauthorizedCacheControlHeaderStrategy?:
    | 'FAIL_WITH_403'
    | 'SUCCEED_WITH_RESPONSE_HEADER'
    | 'SUCCEED_WITHOUT_RESPONSE_HEADER';
  readonly loggingLevel?: 'OFF' | 'ERROR' | 'INFO';
  readonly dataTraceEnabled?: boolean;
  readonly metricsEnabled?: boolean;
}

export interface CanarySettings {
  readonly deploymentId?: string;
  readonly percentTraffic: number;
  readonly stageVariableOverrides: Readonly<Record<string, string>>;
  readonly useStageCache: boolean;
}

export interface Stage {
  readonly stageName: string;
  readonly deploymentId?: string;
  readonly description?: string;
  readonly variables: Readonly<Record<string, string>>;
  /** Keyed `{resourcePath}/{METHOD}`; `*\/*` applies to every method. */
  readonly methodSettings: Readonly<Record<string, MethodSetting>>;
  readonly cacheClusterEnabled: boolean;
  readonly cacheClusterSize?: string;
  readonly tracingEnabled: boolean;
  readonly canarySettings?: CanarySettings;
  readonly accessLogSettings?: { readonly format: string; readonly destinationArn?: string };
}

export interface Deployment {
  readonly id: string;
  readonly createdDate: number;
  readonly description?: string;
  /** The frozen snapshot requests are served from. */
  readonly api: RestApi;
}

/**
 * Freeze the draft into a deployment. Later edits to the draft produce new objects and never
 * reach the snapshot: "I changed it but forgot to deploy" is real here.
 */
export function createDeployment(draft: RestApi, id: string, createdDate: number, description?: string): Deployment {
  return deepFreeze({
    id,
    createdDate,
    ...(description ? { description } : {}),
    api: structuredClone(draft),
  });
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** The Lambda function name inside an integration URI (`...functions/<arn or name>/invocations`). */
export function lambdaFunctionFromUri(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const m = /functions\/(.+?)\/invocations/.exec(uri);
  const target = m ? m[1]! : uri;
  const arn = /^arn:aws:lambda:[^:]*:[^:]*:function:(.+)$/.exec(target);
  return arn ? arn[1]! : target;
}

/** The URI AWS stores for a Lambda integration of function `name`. */
export function lambdaIntegrationUri(name: string, region: string, accountId: string): string {
  const fnArn = name.startsWith('arn:') ? name : `arn:aws:lambda:${region}:${accountId}:function:${name}`;
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${fnArn}/invocations`;
}
