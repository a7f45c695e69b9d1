/**
 * The WebSocket API resource model (API Gateway v2, protocolType WEBSOCKET), named as AWS names
 * it: Api, Route, RouteResponse, Integration, IntegrationResponse, Authorizer, Stage,
 * Deployment. Deployments are frozen snapshots of the API; a stage points at one.
 */
import { type AwsTarget, parseAwsIntegrationUri } from '../backends/aws-services';

export type WebSocketIntegrationType = 'AWS' | 'AWS_PROXY' | 'HTTP' | 'HTTP_PROXY' | 'MOCK';
export type PassthroughBehavior = 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER';

/** The three routes API Gateway itself defines; custom route keys may not start with `$`. */
export const PREDEFINED_ROUTES = ['$connect', '$disconnect', '$default'] as const;

export interface IntegrationResponse {
  /** `$default`, or a regular expression written as `/…/` (e.g. `/4\d\d/`). */
  readonly key: string;
  readonly templateSelectionExpression?: string;
  /** Templates by template-selection value; `$default` is the catch-all. */
  readonly responseTemplates: Readonly<Record<string, string>>;
  readonly responseParameters: Readonly<Record<string, string>>;
}

export interface Integration {
  readonly id: string;
  readonly type: WebSocketIntegrationType;
  /** Lambda invocation URI, HTTP URL, or AWS service ARN (`arn:aws:apigateway:…:dynamodb:action/PutItem`, `…:sqs:path/{account}/{queue}`). */
  readonly uri?: string;
  /** IntegrationMethod: the HTTP method used to call an HTTP backend. */
  readonly integrationMethod?: string;
  readonly templateSelectionExpression?: string;
  readonly requestTemplates: Readonly<Record<string, string>>;
  /** `integration.request.header.X` → `route.request.header.Y` / `context.X` / `stageVariables.X` / `'static'`. */
  readonly requestParameters: Readonly<Record<string, string>>;
  readonly passthroughBehavior: PassthroughBehavior;
  /** 50 ms to 29 s for every integration type. */
  readonly timeoutInMillis: number;
  readonly credentialsArn?: string;
  readonly integrationResponses: readonly IntegrationResponse[];
}

export interface RouteResponse {
  /** Only `$default` is supported. */
  readonly key: '$default';
  readonly modelSelectionExpression?: string;
  readonly responseModels?: Readonly<Record<string, string>>;
}

export interface Route {
  readonly id: string;
  readonly routeKey: string;
  /** Only `$connect` may be authorized. */
  readonly authorizationType: 'NONE' | 'CUSTOM' | 'AWS_IAM';
  readonly authorizerId?: string;
  readonly apiKeyRequired: boolean;
  /** `$default` when the route answers the client (two-way). */
  readonly routeResponseSelectionExpression?: string;
  readonly routeResponses: Readonly<Record<string, RouteResponse>>;
  readonly integration?: Integration;
}

/** WebSocket APIs support REQUEST Lambda authorizers only, on `$connect`. */
export interface Authorizer {
  readonly id: string;
  readonly name: string;
  readonly type: 'REQUEST';
  readonly functionName: string;
  readonly authorizerUri: string;
  /** `route.request.header.X`, `route.request.querystring.X`, `stageVariables.X`, `context.X`. */
  readonly identitySource: readonly string[];
}

export interface WebSocketApi {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly protocolType: 'WEBSOCKET';
  /** e.g. `$request.body.action`, `${request.body.service}/${request.body.action}`. */
  readonly routeSelectionExpression: string;
  /** `$request.header.x-api-key` (default) or `$context.authorizer.usageIdentifierKey`. */
  readonly apiKeySelectionExpression: string;
  readonly routes: Readonly<Record<string, Route>>;
  /** By name. */
  readonly authorizers: Readonly<Record<string, Authorizer>>;
}

export interface Deployment {
  readonly id: string;
  readonly createdDate: number;
  readonly description?: string;
  /** The API exactly as it was deployed. */
  readonly api: WebSocketApi;
}

export interface Stage {
  readonly stageName: string;
  readonly deploymentId: string;
  readonly description?: string;
  readonly variables: Readonly<Record<string, string>>;
}

/** The route response makes a route two-way: only then does the client get the integration's reply. */
export function isTwoWay(route: Route): boolean {
  return route.routeResponses.$default !== undefined;
}

export function isProxy(integration: Integration): boolean {
  return integration.type === 'AWS_PROXY' || integration.type === 'HTTP_PROXY';
}

/** The AWS service an AWS integration URI names (`…:dynamodb:action/PutItem`, `…:sqs:path/…`), unless it is Lambda. */
export function awsServiceTarget(uri: string | undefined): AwsTarget | undefined {
  return uri && !/:lambda:path\//.test(uri) ? parseAwsIntegrationUri(uri) : undefined;
}
