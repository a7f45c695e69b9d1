/**
 * What Lambda receives from a WebSocket API: the proxy events for CONNECT, MESSAGE and
 * DISCONNECT (reference B5, `@types/aws-lambda` APIGatewayProxyWebsocketEventV2), the REQUEST
 * authorizer event, and `$context` for mapping templates. Key order follows the recorded events.
 */
import { getHeader, lastValues, parseQuery, type MultiMap } from '../core/http';
import { clfTime } from '../core/time-format';
import { type WebSocketInvocation, domainName, routeArn } from './context';

function requestContext(ctx: WebSocketInvocation): Record<string, unknown> {
  const routeKey = ctx.route?.routeKey ?? (ctx.eventType === 'CONNECT' ? '$connect' : ctx.eventType === 'DISCONNECT' ? '$disconnect' : '$default');
  const auth = ctx.connection.authorizer;
  const authorizer = auth ? { authorizer: { ...(auth.principalId !== undefined ? { principalId: auth.principalId } : {}), ...auth.context } } : {};
  const identity =
    ctx.eventType === 'CONNECT'
      ? { sourceIp: ctx.connection.sourceIp, ...(ctx.connection.userAgent !== undefined ? { userAgent: ctx.connection.userAgent } : {}) }
      : { sourceIp: ctx.connection.sourceIp };
  const common = {
    stage: ctx.stage?.stageName ?? '',
    connectedAt: ctx.connection.connectedAt,
    requestTimeEpoch: ctx.receivedAt,
    identity,
    requestId: ctx.requestId,
    domainName: domainName(ctx),
    connectionId: ctx.connection.connectionId,
    apiId: ctx.apiId,
  };
  switch (ctx.eventType) {
    case 'CONNECT':
      return {
        routeKey,
        ...authorizer,
        eventType: 'CONNECT',
        extendedRequestId: ctx.extendedRequestId,
        requestTime: clfTime(ctx.receivedAt),
        messageDirection: 'IN',
        ...common,
      };
    case 'MESSAGE':
      return {
        routeKey,
        ...authorizer,
        messageId: ctx.messageId,
        eventType: 'MESSAGE',
        extendedRequestId: ctx.extendedRequestId,
        requestTime: clfTime(ctx.receivedAt),
        messageDirection: 'IN',
        ...common,
      };
    case 'DISCONNECT':
      return {
        routeKey,
        disconnectStatusCode: ctx.disconnect?.statusCode ?? 1005,
        ...authorizer,
        eventType: 'DISCONNECT',
        extendedRequestId: ctx.extendedRequestId,
        requestTime: clfTime(ctx.receivedAt),
        messageDirection: 'IN',
        disconnectReason: ctx.disconnect?.reason ?? '',
        ...common,
      };
  }
}

/** The upgrade request as the integration sees it: Host is the API's domain, plus the X-Forwarded-* headers (X-Amzn-Trace-Id was added on arrival). */
export function connectHeaders(ctx: WebSocketInvocation): MultiMap {
  const out: Record<string, readonly string[]> = { Host: [domainName(ctx)] };
  for (const [k, v] of Object.entries(ctx.connection.headers)) if (k.toLowerCase() !== 'host') out[k] = v;
  out['X-Forwarded-For'] = [ctx.connection.sourceIp];
  out['X-Forwarded-Port'] = ['443'];
  out['X-Forwarded-Proto'] = ['https'];
  return out;
}

export function buildProxyEvent(ctx: WebSocketInvocation): Record<string, unknown> {
  if (ctx.eventType === 'CONNECT') {
    const headers = connectHeaders(ctx);
    const query = parseQuery(ctx.connection.rawQuery);
    const hasQuery = Object.keys(query).length > 0;
    return {
      headers: lastValues(headers),
      multiValueHeaders: headers,
      ...(hasQuery ? { queryStringParameters: lastValues(query), multiValueQueryStringParameters: query } : {}),
      requestContext: requestContext(ctx),
      isBase64Encoded: false,
    };
  }
  if (ctx.eventType === 'DISCONNECT') {
    // Recorded: $disconnect carries these few headers, mostly empty.
    const headers = { Host: domainName(ctx), 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' };
    return {
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      requestContext: requestContext(ctx),
      isBase64Encoded: false,
    };
  }
  return {
    requestContext: requestContext(ctx),
    body: ctx.message?.data ?? '',
    isBase64Encoded: ctx.message?.binary ?? false,
  };
}

/** The REQUEST authorizer event for `$connect` (there are no path parameters). */
export function buildAuthorizerEvent(ctx: WebSocketInvocation): Record<string, unknown> {
  const headers = connectHeaders(ctx);
  const query = parseQuery(ctx.connection.rawQuery);
  return {
    type: 'REQUEST',
    methodArn: routeArn(ctx, '$connect'),
    headers: lastValues(headers),
    multiValueHeaders: headers,
    queryStringParameters: lastValues(query),
    multiValueQueryStringParameters: query,
    stageVariables: { ...(ctx.stage?.variables ?? {}) },
    requestContext: requestContext(ctx),
  };
}

/** `$context` for mapping templates and logs. */
export function contextVariables(ctx: WebSocketInvocation): Record<string, unknown> {
  const auth = ctx.connection.authorizer ?? ctx.authorizer;
  return {
    apiId: ctx.apiId,
    accountId: ctx.accountId,
    authorizer: { ...(auth?.context ?? {}), ...(auth?.principalId !== undefined ? { principalId: auth.principalId } : {}) },
    connectedAt: ctx.connection.connectedAt,
    connectionId: ctx.connection.connectionId,
    domainName: domainName(ctx),
    domainPrefix: ctx.apiId,
    error: {
      message: ctx.error?.message ?? '',
      messageString: ctx.error ? JSON.stringify(ctx.error.message) : '""',
      responseType: ctx.error?.type ?? '',
      validationErrorString: '',
    },
    eventType: ctx.eventType,
    extendedRequestId: ctx.extendedRequestId,
    identity: {
      sourceIp: ctx.connection.sourceIp,
      userAgent: ctx.connection.userAgent ?? getHeader(ctx.connection.headers, 'user-agent') ?? '',
      apiKey: ctx.apiKey?.value ?? '',
      apiKeyId: ctx.apiKey?.id ?? '',
    },
    integrationLatency: ctx.endpointResponse?.latencyMs ?? '',
    integrationStatus: ctx.endpointResponse?.statusCode ?? '',
    integrationErrorMessage: ctx.integrationError ?? '',
    ...(ctx.messageId ? { messageId: ctx.messageId } : {}),
    ...(ctx.disconnect ? { disconnectStatusCode: ctx.disconnect.statusCode, disconnectReason: ctx.disconnect.reason } : {}),
    requestId: ctx.requestId,
    requestTime: clfTime(ctx.receivedAt),
    requestTimeEpoch: ctx.receivedAt,
    routeKey: ctx.route?.routeKey ?? '',
    stage: ctx.stage?.stageName ?? '',
  };
}
