/**
 * The REST invocation context: everything one request has gathered so far. Immutable; each
 * step returns a new one, and the trace keeps a snapshot before and after every step.
 */
import type { HttpRequest, HttpResponse, MultiMap } from '../core/http';
import type { PipelineContext } from '../pipeline/types';
import type { Method, Resource, RestApi, Stage } from '../model/rest';
import type { BucketLevel } from '../services/token-bucket';
import type { AwsTarget } from '../backends/aws-services';

export type ExecutionLogStyle = 'current' | '2017';

export interface RestRoute {
  readonly resource: Resource;
  readonly method: Method;
  /** The request's own method (a GET served by an ANY method is still GET). */
  readonly httpMethod: string;
  /** The request path without the stage, normalised as AWS does (`/pets/1`). */
  readonly path: string;
  /** Values as sent: AWS does not URL-decode path parameters. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

export interface AuthorizerResult {
  readonly principalId?: string;
  /** Authorizer context values, stringified as AWS does. */
  readonly context: Readonly<Record<string, string>>;
  /** Cognito / JWT claims. */
  readonly claims?: Readonly<Record<string, string>>;
  readonly integrationLatency?: number;
  readonly usageIdentifierKey?: string;
}

/** The request API Gateway sends to the backend, after mapping. */
export interface EndpointRequest {
  readonly uri: string;
  readonly httpMethod: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: MultiMap;
  readonly body: string;
  readonly isBase64Encoded: boolean;
  /** The Lambda function this request invokes (AWS and AWS_PROXY integrations). */
  readonly functionName?: string;
  /** The simulated AWS service this request calls (AWS integrations other than Lambda). */
  readonly service?: AwsTarget;
}

/** What the backend answered, before integration-response mapping. */
export interface EndpointResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
  readonly latencyMs: number;
  /** Lambda `X-Amz-Function-Error`: the function failed; body is its error JSON. */
  readonly functionError?: { readonly errorMessage: string; readonly errorType?: string };
}

/**
 * `$context.requestOverride` / `$context.responseOverride` as the request template left them
 * (custom keys included): the response template sees them, and the final response applies
 * `responseOverride.status` and `.header.*` (recorded).
 */
export interface TemplateOverrides {
  readonly requestOverride: Readonly<Record<string, unknown>>;
  readonly responseOverride: Readonly<Record<string, unknown>>;
}

export interface StageView {
  readonly name: string;
  readonly settings: Stage;
  readonly deploymentId: string;
  /** Stage variables after canary overrides. */
  readonly variables: Readonly<Record<string, string>>;
  readonly isCanaryRequest: boolean;
  /** The stage has canary settings (then `$context.isCanaryRequest` exists, true or false). */
  readonly hasCanary?: boolean;
}

export interface RestInvocation extends PipelineContext {
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly receivedAt: number;
  readonly request: HttpRequest;
  readonly apiId: string;
  readonly apiName: string;
  readonly region: string;
  readonly accountId: string;
  /** Console "Test" mode: authorizers and API keys are skipped, as AWS does. */
  readonly testInvoke: boolean;
  /**
   * Which console the execution log imitates: `current` (what AWS prints today, as recorded)
   * or `2017` (the Developer Guide's worked example, reference §7.3).
   */
  readonly logStyle: ExecutionLogStyle;
  /** The client sent `Connection: close` (the header itself is dropped from the method request). */
  readonly connectionClose?: boolean;
  readonly stage?: StageView;
  readonly api?: RestApi;
  readonly route?: RestRoute;
  readonly authorizer?: AuthorizerResult;
  readonly apiKey?: { readonly id: string; readonly value: string };
  readonly endpointRequest?: EndpointRequest;
  readonly endpointResponse?: EndpointResponse;
  readonly overrides?: TemplateOverrides;
  /** `$context.error.validationErrorString`. */
  readonly validationError?: string;
  /** Message for `$context.integrationErrorMessage` / access logs. */
  readonly integrationError?: string;
  /**
   * The stage, method or account bucket that throttled the request. AWS writes no execution log
   * for such a request (it never reached the method); only the access log and metrics see it.
   */
  readonly throttledBy?: BucketLevel;
  /** The stage cache's part in this request, when caching is enabled for the method. */
  readonly cache?: CacheState;
  /** The signed caller's IAM identity policy (AWS_IAM methods), for `execute-api:InvalidateCache`. */
  readonly callerPolicy?: unknown;
  /** The access-log line written for this request. */
  readonly accessLog?: string;
}

export interface CacheState {
  /** The cache key: stage, method, namespace and the cache key parameters' values. */
  readonly key: string;
  /** hit: served from the cache; miss / expired: fetched and stored; invalidated: `Cache-Control: max-age=0` honoured. */
  readonly status: 'hit' | 'miss' | 'expired' | 'invalidated';
  readonly ttlSeconds: number;
  /** An unauthorized `Cache-Control: max-age=0` was ignored; SUCCEED_WITH_RESPONSE_HEADER adds a warning header. */
  readonly ignoredInvalidation?: 'SUCCEED_WITH_RESPONSE_HEADER' | 'SUCCEED_WITHOUT_RESPONSE_HEADER';
  /** When the entry served was stored (hits). */
  readonly storedAt?: number;
}

export function domainName(ctx: Pick<RestInvocation, 'apiId' | 'region'>): string {
  return `${ctx.apiId}.execute-api.${ctx.region}.amazonaws.com`;
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}`, the authorizer's methodArn. */
export function methodArn(ctx: RestInvocation): string {
  const stage = ctx.testInvoke ? 'test-invoke-stage' : (ctx.stage?.name ?? '');
  const verb = ctx.route?.httpMethod ?? ctx.request.method;
  const path = (ctx.route?.path ?? '/').replace(/^\//, '');
  return `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${ctx.apiId}/${stage}/${verb}/${path}`;
}

export type { HttpResponse };
