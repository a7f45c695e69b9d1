/**
 * The invocation context of one WebSocket event (a connect, a message, a disconnect): what the
 * steps have gathered so far. Immutable; each step returns a new one, and the trace keeps a
 * snapshot before and after every step.
 */
import type { AwsTarget } from '../backends/aws-services';
import type { MultiMap } from '../core/http';
import type { PipelineContext } from '../pipeline/types';
import type { WebSocketApi, Route, Stage } from './model';

export type EventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

/** What API Gateway knows about a connection (the $connect request, the authorizer's output). */
export interface ConnectionInfo {
  readonly connectionId: string;
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent?: string;
  /** The upgrade request's headers and query (for $connect and identity sources). */
  readonly headers: MultiMap;
  readonly rawQuery: string;
  readonly authorizer?: WebSocketAuthorizerResult;
}

export interface WebSocketAuthorizerResult {
  readonly principalId?: string;
  /** Context values, stringified as for REST. (?) */
  readonly context: Readonly<Record<string, string>>;
  readonly usageIdentifierKey?: string;
}

/** One message as it arrived: text, or binary carried as base64. */
export interface InboundMessage {
  readonly data: string;
  readonly binary: boolean;
  /** Sizes of the WebSocket frames that carried it, when known (simulated clients). */
  readonly frameSizes?: readonly number[];
}

/** The request API Gateway sends to the integration, after mapping. */
export interface EndpointRequest {
  readonly uri: string;
  readonly httpMethod: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: string;
  readonly functionName?: string;
  /** The AWS service an AWS integration calls (SQS, S3, DynamoDB), as engine/backends/aws-services parses it. */
  readonly service?: AwsTarget;
}

export interface EndpointResponse {
  readonly statusCode: number;
  readonly headers: MultiMap;
  readonly body: string;
  readonly latencyMs: number;
  readonly functionError?: { readonly errorType: string; readonly errorMessage: string };
}

/** A call handler code made to a simulated AWS service during this event. */
export interface ServiceCall {
  readonly at: number;
  readonly service: string;
  readonly method: string;
  readonly args: unknown;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { readonly code: string; readonly message: string; readonly statusCode: number };
  readonly elapsedMs: number;
}

export interface WebSocketInvocation extends PipelineContext {
  readonly eventType: EventType;
  /** `$context.requestId`: for WebSocket APIs it has the extended-id shape (`XDmGEE2RoE0FRdQ=`). */
  readonly requestId: string;
  readonly extendedRequestId: string;
  /** MESSAGE only. */
  readonly messageId?: string;
  readonly receivedAt: number;
  readonly apiId: string;
  readonly apiName: string;
  readonly region: string;
  readonly accountId: string;
  readonly connection: ConnectionInfo;
  /** The stage the client connected to (first path segment of the upgrade URL). */
  readonly stageName: string;
  readonly stage?: Stage;
  readonly api?: WebSocketApi;
  /** MESSAGE: the frame(s) the client sent. */
  readonly message?: InboundMessage;
  /** DISCONNECT: the close code and reason. */
  readonly disconnect?: { readonly statusCode: number; readonly reason: string };
  readonly route?: Route;
  /** The value route selection produced, and whether the route is the $default fallback. */
  readonly selection?: { readonly expression: string; readonly value: string; readonly fallback: boolean; readonly reason?: string };
  readonly authorizer?: WebSocketAuthorizerResult;
  readonly apiKey?: { readonly id: string; readonly value: string };
  readonly endpointRequest?: EndpointRequest;
  readonly endpointResponse?: EndpointResponse;
  readonly serviceCalls?: readonly ServiceCall[];
  /** What the route response sends back to the client (two-way routes). */
  readonly reply?: { readonly data: string; readonly binary: boolean };
  /** MESSAGE: the frame API Gateway sends back to this client (a route response, or an error frame). */
  readonly send?: { readonly data: string; readonly binary: boolean; readonly source: 'routeResponse' | 'error' };
  /**
   * CONNECT: the handshake's answer (101 accepted, or the rejection status), with the headers the
   * $connect integration returned that reach the client (Sec-WebSocket-Protocol).
   */
  readonly handshake?: { readonly statusCode: number; readonly body: string; readonly subprotocol?: string };
  /** CONNECT: the Sec-WebSocket-Protocol header the $connect integration's response chose. */
  readonly subprotocol?: string;
  /** MESSAGE: the gateway closes the connection (1009 for a message too big). */
  readonly closeConnection?: { readonly code: number; readonly reason: string };
  /** `$context.integrationErrorMessage`. */
  readonly integrationError?: string;
  /** Which errors the metrics count: ClientError (4XX before the integration), ExecutionError, IntegrationError. */
  readonly errorKind?: 'client' | 'execution' | 'integration';
}

export function domainName(ctx: Pick<WebSocketInvocation, 'apiId' | 'region'>): string {
  return `${ctx.apiId}.execute-api.${ctx.region}.amazonaws.com`;
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{routeKey}` (the authorizer's methodArn). */
export function routeArn(ctx: WebSocketInvocation, routeKey: string): string {
  return `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${ctx.apiId}/${ctx.stage?.stageName ?? ''}/${routeKey}`;
}
