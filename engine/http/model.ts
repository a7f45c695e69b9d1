/**
 * The HTTP API (API Gateway v2, `protocolType: HTTP`) resource model, named as the apigatewayv2
 * API names it: Api, Route, Integration, Authorizer, Stage, Deployment, CorsConfiguration.
 * Scenario files become this model (definition.ts); the HTTP pipeline reads only this model.
 *
 * Read-only like the REST model: a draft is replaced, never mutated, and a deployment is a
 * deep-frozen copy.
 */
import { deepFreeze } from '../model/rest';

export const HTTP_ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;
export type HttpRouteMethod = (typeof HTTP_ROUTE_METHODS)[number];

export type HttpAuthorizationType = 'NONE' | 'JWT' | 'CUSTOM' | 'AWS_IAM';
export type PayloadFormatVersion = '1.0' | '2.0';

export interface HttpRoute {
  readonly routeId: string;
  /** `GET /pets/{id}`, `ANY /{proxy+}` or `$default`. */
  readonly routeKey: string;
  /** Undefined for `$default`. */
  readonly method?: HttpRouteMethod;
  /** Undefined for `$default`. */
  readonly path?: string;
  /** Name of an entry in `HttpApi.integrations` (AWS: `target: integrations/{id}`). */
  readonly target?: string;
  readonly authorizationType: HttpAuthorizationType;
  /** Name of an entry in `HttpApi.authorizers`. */
  readonly authorizerId?: string;
  readonly authorizationScopes: readonly string[];
}

export interface HttpIntegration {
  readonly integrationId: string;
  readonly integrationType: 'AWS_PROXY' | 'HTTP_PROXY';
  /** Lambda function ARN (AWS_PROXY) or backend URL (HTTP_PROXY). */
  readonly integrationUri: string;
  /** The method used towards an HTTP backend; ANY forwards the client's method. */
  readonly integrationMethod?: string;
  readonly payloadFormatVersion: PayloadFormatVersion;
  /** 50–30000, default 30000. */
  readonly timeoutInMillis: number;
  /** `append|overwrite|remove:header.x`, `…:querystring.x`, `overwrite:path` → value expression. */
  readonly requestParameters: Readonly<Record<string, string>>;
  /** Integration status code → (`append|overwrite|remove:header.x` | `overwrite:statuscode`) → value. */
  readonly responseParameters: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface JwtConfiguration {
  readonly issuer: string;
  readonly audience: readonly string[];
}

export interface HttpAuthorizer {
  readonly authorizerId: string;
  readonly name: string;
  readonly authorizerType: 'JWT' | 'REQUEST';
  /** `$request.header.Authorization`, `$request.querystring.token`, `$context.x`, `$stageVariables.x`. */
  readonly identitySource: readonly string[];
  readonly jwtConfiguration?: JwtConfiguration;
  /** Lambda authorizers: the function's invocation URI. */
  readonly authorizerUri?: string;
  readonly authorizerPayloadFormatVersion?: PayloadFormatVersion;
  readonly enableSimpleResponses: boolean;
  /** 0 disables caching; at most 3600. */
  readonly authorizerResultTtlInSeconds: number;
}

export interface CorsConfiguration {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAge?: number;
  readonly allowCredentials: boolean;
}

export interface HttpApi {
  readonly apiId: string;
  readonly name: string;
  readonly description?: string;
  /** In definition order; routing ranks them, order never decides. */
  readonly routes: readonly HttpRoute[];
  readonly integrations: Readonly<Record<string, HttpIntegration>>;
  readonly authorizers: Readonly<Record<string, HttpAuthorizer>>;
  readonly corsConfiguration?: CorsConfiguration;
}

export interface RouteSettings {
  readonly throttlingBurstLimit?: number;
  readonly throttlingRateLimit?: number;
  readonly detailedMetricsEnabled?: boolean;
}

export interface HttpStage {
  readonly stageName: string;
  /** Redeploy on every change to the API (HTTP APIs only). */
  readonly autoDeploy: boolean;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly defaultRouteSettings: RouteSettings;
  /** Keyed by route key. */
  readonly routeSettings: Readonly<Record<string, RouteSettings>>;
  /** Access log format (`$context` variables); the console's JSON format when unset. */
  readonly accessLogFormat?: string;
  readonly deploymentId?: string;
  readonly lastDeploymentStatusMessage?: string;
}

export interface HttpDeployment {
  readonly deploymentId: string;
  readonly createdDate: number;
  readonly autoDeployed: boolean;
  readonly description?: string;
  readonly api: HttpApi;
}

export function createHttpDeployment(draft: HttpApi, id: string, createdDate: number, autoDeployed: boolean, description?: string): HttpDeployment {
  return deepFreeze({
    deploymentId: id,
    createdDate,
    autoDeployed,
    ...(description ? { description } : {}),
    api: structuredClone(draft),
  });
}

/** HTTP API limits (reference A11). */
export const HTTP_API_LIMITS = {
  payloadBytes: 10_485_760,
  maxIntegrationTimeoutMs: 30_000,
  minIntegrationTimeoutMs: 50,
  routesPerApi: 300,
  audiencesPerAuthorizer: 50,
  scopesPerRoute: 10,
  authorizerTimeoutMs: 10_000,
  maxAuthorizerTtlSeconds: 3600,
} as const;
