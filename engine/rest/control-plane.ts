/**
 * The REST API control plane: the API Gateway management operations (PutMethod,
 * PutGatewayResponse, GetGatewayResponses, CreateAuthorizer, GetAuthorizers, CreateApiKey,
 * TestInvokeMethod...) over the engine's model, answering with AWS's error codes and messages.
 * It validates with the same code scenario definitions go through, so a mistake is reported
 * the same way wherever it is made.
 */
import { DefinitionError, methodFromDefinition, type MethodDefinition } from '../model/rest-definition';
import { REST_METHODS, type Authorizer, type GatewayResponse, type RestHttpMethod } from '../model/rest';
import type { IdGenerator } from '../core/random';
import { ApiKeyValidationError, type ApiKey, type UsagePlans, checkApiKeyValue } from '../services/usage-plans';
import { lambdaIntegrationUri } from '../model/rest';
import { effectiveGatewayResponse } from './gateway-responses';
import { DEFAULT_GATEWAY_RESPONSE_TEMPLATE, GATEWAY_RESPONSE_INFO, GATEWAY_RESPONSE_TYPES, type GatewayResponseType, isGatewayResponseType } from './gateway-response-types';
import type { RestApiHost, TestInvokeInput } from './rest-api-host';

/** An API Gateway API error: `{ "__type"/Code, "message" }` with an HTTP status. */
export class ApiGatewayError extends Error {
  constructor(
    readonly code: 'BadRequestException' | 'NotFoundException' | 'ConflictException' | 'TooManyRequestsException',
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = code;
  }
}

const badRequest = (message: string) => new ApiGatewayError('BadRequestException', message, 400);

export interface GatewayResponseItem {
  readonly responseType: GatewayResponseType;
  readonly statusCode: string | null;
  readonly responseParameters: Readonly<Record<string, string>>;
  readonly responseTemplates: Readonly<Record<string, string>>;
  /** True when the API did not put this type itself (it may still inherit DEFAULT_4XX/5XX). */
  readonly defaultResponse: boolean;
}

export interface TestInvokeResult {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  /** The execution log, lines joined with newlines, as the API returns it. */
  readonly log: string;
  readonly latency: number;
}

export interface ControlPlaneHost {
  restApi(id: string): RestApiHost | undefined;
  readonly usage: UsagePlans;
  readonly ids: IdGenerator;
  readonly region: string;
  readonly accountId: string;
}

export class RestControlPlane {
  constructor(private readonly host: ControlPlaneHost) {}

  /**
   * The API, or NotFoundException. Recorded oddity: creating something under an API that
   * does not exist answers 409 ConflictException, not 404.
   */
  private api(restApiId: string, kind: 'read' | 'create' = 'read'): RestApiHost {
    const api = this.host.restApi(restApiId);
    if (api) return api;
    if (kind === 'create') throw new ApiGatewayError('ConflictException', 'Unable to complete operation due to concurrent modification. Please try again later.', 409);
    throw new ApiGatewayError('NotFoundException', `Invalid API identifier specified ${this.host.accountId}:${restApiId}`, 404);
  }

  createApiKey(input: { name?: string; value?: string; enabled?: boolean }): ApiKey {
    const value = input.value ?? this.host.ids.apiKeyValue();
    try {
      checkApiKeyValue(value);
    } catch (err) {
      if (err instanceof ApiKeyValidationError) throw badRequest(err.message);
      throw err;
    }
    const key: ApiKey = { id: this.host.ids.resourceId() + this.host.ids.resourceId(), name: input.name ?? value.slice(0, 8), value, enabled: input.enabled ?? false };
    this.host.usage.putKey(key);
    return key;
  }

  putMethod(restApiId: string, resourcePath: string, httpMethod: string, input: MethodDefinition): void {
    const api = this.api(restApiId);
    const verb = httpMethod.toUpperCase();
    if (!(REST_METHODS as readonly string[]).includes(verb)) throw badRequest(`Invalid HttpMethod specified. Valid options are ${REST_METHODS.join(',')}`);
    const draft = api.draft;
    const resource = draft.resources[resourcePath];
    if (!resource) throw new ApiGatewayError('NotFoundException', 'Invalid Resource identifier specified', 404);
    let method;
    try {
      method = methodFromDefinition(verb as RestHttpMethod, input, draft, { id: draft.id, ids: this.host.ids, region: this.host.region, accountId: this.host.accountId });
    } catch (err) {
      if (err instanceof DefinitionError) throw badRequest(err.issues[0]!.message);
      throw err;
    }
    api.setDraft({ ...draft, resources: { ...draft.resources, [resourcePath]: { ...resource, methods: { ...resource.methods, [verb]: method } } } });
  }

  getGatewayResponses(restApiId: string): GatewayResponseItem[] {
    const draft = this.api(restApiId).draft;
    return GATEWAY_RESPONSE_TYPES.map((type) => this.gatewayResponseItem(draft, type));
  }

  getGatewayResponse(restApiId: string, type: string): GatewayResponseItem {
    if (!isGatewayResponseType(type)) throw badRequest(`Invalid response type specified: ${type}`);
    return this.gatewayResponseItem(this.api(restApiId).draft, type);
  }

  private gatewayResponseItem(draft: RestApiHost['draft'], type: GatewayResponseType): GatewayResponseItem {
    const own = draft.gatewayResponses[type];
    const isClass = type === 'DEFAULT_4XX' || type === 'DEFAULT_5XX';
    const effective = effectiveGatewayResponse(draft, type);
    return {
      responseType: type,
      statusCode: isClass ? (own?.statusCode ?? null) : String(effective.statusCode),
      responseParameters: effective.responseParameters,
      responseTemplates: effective.responseTemplates,
      defaultResponse: own === undefined,
    };
  }

  /**
   * PutGatewayResponse. What is not given is stored as the type's defaults (recorded): its own
   * status code (none for DEFAULT_4XX/5XX) and the default template — so a type put without a
   * status keeps its own, rather than inheriting DEFAULT_5XX's.
   */
  putGatewayResponse(
    restApiId: string,
    type: string,
    input: { statusCode?: string | number; responseParameters?: Record<string, string>; responseTemplates?: Record<string, string> },
  ): GatewayResponseItem {
    if (!isGatewayResponseType(type)) throw badRequest(`Invalid response type specified: ${type}`);
    const api = this.api(restApiId);
    const status = input.statusCode ?? GATEWAY_RESPONSE_INFO[type].status ?? undefined;
    const stored: GatewayResponse = {
      ...(status !== undefined ? { statusCode: String(status) } : {}),
      responseParameters: input.responseParameters ?? {},
      responseTemplates: input.responseTemplates ?? { 'application/json': DEFAULT_GATEWAY_RESPONSE_TEMPLATE },
    };
    const draft = api.draft;
    api.setDraft({ ...draft, gatewayResponses: { ...draft.gatewayResponses, [type]: stored } });
    return this.gatewayResponseItem(api.draft, type);
  }

  createAuthorizer(
    restApiId: string,
    input: { name: string; type: Authorizer['type']; authorizerUri?: string; function?: string; identitySource?: string; identityValidationExpression?: string; authorizerResultTtlInSeconds?: number; providerARNs?: string[] },
  ): Authorizer {
    const api = this.api(restApiId, 'create');
    const uri = input.authorizerUri ?? (input.function ? lambdaIntegrationUri(input.function, this.host.region, this.host.accountId) : undefined);
    if (input.type !== 'COGNITO_USER_POOLS' && !uri) throw badRequest('Authorizer URI is required for a custom authorizer');
    if (input.type === 'COGNITO_USER_POOLS' && !input.providerARNs?.length) throw badRequest('Provider ARNs are required for a Cognito user pool authorizer');
    const ttl = input.authorizerResultTtlInSeconds ?? 300;
    if (ttl < 0 || ttl > 3600) throw badRequest('Authorizer result TTL must be between 0 and 3600 seconds');
    const authorizer: Authorizer = {
      name: input.name,
      type: input.type,
      ...(uri ? { authorizerUri: uri } : {}),
      identitySource: input.identitySource ?? (input.type === 'REQUEST' ? '' : 'method.request.header.Authorization'),
      ...(input.identityValidationExpression ? { identityValidationExpression: input.identityValidationExpression } : {}),
      authorizerResultTtlInSeconds: ttl,
      ...(input.providerARNs ? { providerARNs: input.providerARNs } : {}),
    };
    const draft = api.draft;
    api.setDraft({ ...draft, authorizers: { ...draft.authorizers, [input.name]: authorizer } });
    return authorizer;
  }

  getAuthorizers(restApiId: string): Authorizer[] {
    return Object.values(this.api(restApiId).draft.authorizers);
  }

  /** TestInvokeMethod: the draft method, without authorizers or API keys. */
  async testInvokeMethod(restApiId: string, resourcePath: string, httpMethod: string, input: Omit<TestInvokeInput, 'httpMethod'>): Promise<TestInvokeResult> {
    const api = this.api(restApiId);
    const resource = api.draft.resources[resourcePath];
    if (!resource) throw new ApiGatewayError('NotFoundException', 'Invalid Resource identifier specified', 404);
    if (!resource.methods[httpMethod.toUpperCase() as RestHttpMethod]) throw new ApiGatewayError('NotFoundException', 'Invalid Method identifier specified', 404);
    const trace = await api.testInvokeMethod({ ...input, httpMethod });
    const body = trace.response.isBase64Encoded ? Buffer.from(trace.response.body, 'base64').toString('utf8') : trace.response.body;
    const multiValueHeaders = Object.fromEntries(Object.entries(trace.response.headers).map(([k, v]) => [k, [...v]]));
    return {
      status: trace.response.statusCode,
      body,
      headers: Object.fromEntries(Object.entries(multiValueHeaders).map(([k, v]) => [k, v.join(',')])),
      multiValueHeaders,
      log: trace.executionLog.length ? `${trace.executionLog.join('\n')}\n` : '',
      latency: Math.round(trace.durationMs),
    };
  }
}
