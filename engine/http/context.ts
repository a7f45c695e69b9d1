/**
 * The HTTP API invocation context: everything one request has gathered so far. Immutable; each
 * step returns a new one and the trace keeps a snapshot before and after every step.
 */
import type { HttpRequest, MultiMap } from '../core/http';
import type { PipelineContext } from '../pipeline/types';
import type { HttpApi, HttpDeployment, HttpIntegration, HttpRoute, HttpStage } from './model';

export interface HttpStageView {
  readonly name: string;
  readonly settings: HttpStage;
  readonly deployment: HttpDeployment;
  readonly variables: Readonly<Record<string, string>>;
}

export interface HttpRouteView {
  readonly route: HttpRoute;
  readonly integration?: HttpIntegration;
  /** `$request.path`: the request path without the stage. */
  readonly path: string;
  readonly pathParameters: Readonly<Record<string, string>>;
}

/** What an authorizer established about the caller, as integrations and `$context.authorizer` see it. */
export interface HttpAuthorization {
  readonly kind: 'jwt' | 'lambda';
  /** JWT claims, every value a string (AWS stringifies them). */
  readonly claims?: Readonly<Record<string, string>>;
  /** JWT: the token's scopes when the route requires scopes, otherwise null (?). */
  readonly scopes?: readonly string[] | null;
  /** Lambda authorizer context (2.0 keeps JSON types; 1.0 values are strings, numbers or booleans). */
  readonly context?: Readonly<Record<string, unknown>>;
  readonly principalId?: string;
  /** Milliseconds the Lambda authorizer took (0 when served from the cache). */
  readonly integrationLatency?: number;
}

/** The request as the integration will receive it, after parameter mapping. */
export interface MappedRequest {
  readonly headers: MultiMap;
  readonly query: MultiMap;
  /** The path sent to the backend (HTTP_PROXY) or shown in the event (`rawPath`). */
  readonly path: string;
  /** True when `overwrite:path` replaced it. */
  readonly pathOverwritten: boolean;
  /** The mapping applied, for the inspector: key → value (or `(removed)`). */
  readonly applied: Readonly<Record<string, string>>;
}

/** The backend's answer before response parameter mapping. */
export interface IntegrationResult {
  readonly statusCode: number;
  readonly headers: MultiMap;
  readonly body: string;
  readonly isBase64Encoded: boolean;
  readonly latencyMs: number;
}

export interface HttpInvocation extends PipelineContext {
  readonly requestId: string;
  readonly receivedAt: number;
  readonly request: HttpRequest;
  readonly apiId: string;
  readonly apiName: string;
  readonly region: string;
  readonly accountId: string;
  readonly stage?: HttpStageView;
  readonly api?: HttpApi;
  readonly route?: HttpRouteView;
  /** A CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) on an API with CORS configured. */
  readonly preflight?: boolean;
  readonly authorization?: HttpAuthorization;
  /** `$context.authorizer.error`. */
  readonly authorizerError?: string;
  readonly mapped?: MappedRequest;
  /** The event sent to Lambda (AWS_PROXY), for the inspector and comparisons. */
  readonly lambdaEvent?: Record<string, unknown>;
  readonly integrationResult?: IntegrationResult;
  /** `$context.integrationErrorMessage`. */
  readonly integrationError?: string;
  /** `$context.integration.integrationStatus`: the status the Lambda service itself returned (200). */
  readonly integrationServiceStatus?: number;
}

export function httpDomainName(ctx: Pick<HttpInvocation, 'apiId' | 'region'>): string {
  return `${ctx.apiId}.execute-api.${ctx.region}.amazonaws.com`;
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}{path}`: the routeArn / methodArn authorizers see. */
export function routeArn(ctx: HttpInvocation): string {
  const stage = ctx.stage?.name ?? '$default';
  const path = ctx.route?.path ?? '/';
  return `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${ctx.apiId}/${stage}/${ctx.request.method}${path}`;
}
