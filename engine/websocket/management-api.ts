/**
 * The `@connections` management API (ApiGatewayManagementApi), reference B3:
 *
 *   POST   https://{api}.execute-api.{region}.amazonaws.com/{stage}/@connections/{id}   body = data → 200
 *   GET    …/@connections/{id}   → 200 {"connectedAt","identity":{"sourceIp","userAgent"},"lastActiveAt"}
 *   DELETE …/@connections/{id}   → 204, and $disconnect follows
 *
 * A closed, unknown or not-yet-established connection (still inside $connect) answers 410
 * GoneException with no message body — so SDK v2 reports `GoneException: 410`. Data over 128 KB
 * answers 413. An endpoint without the stage answers 403 (learner-pain #11).
 *
 * Handler code reaches it through `__hostCall('execute-api', 'PostToConnection', { endpoint,
 * ConnectionId, Data })`; the scenario and the live endpoint reach it over HTTP.
 */
import { type HostServices, HostServiceError } from '../backends/lambda/sandbox';

export type ManagementOperation = 'PostToConnection' | 'GetConnection' | 'DeleteConnection';

export interface ManagementResult {
  readonly statusCode: number;
  readonly errorType?: 'GoneException' | 'PayloadTooLargeException' | 'ForbiddenException' | 'BadRequestException';
  /** The error message (SDK errors carry it), when there is one. */
  readonly message?: string;
  /** The HTTP response body. */
  readonly body: string;
  /** What the SDK returns on success. */
  readonly value?: unknown;
  /** Simulated time of the call on the engine clock. */
  readonly elapsedMs: number;
}

/** Simulated latency of one @connections call. (?) */
export const MANAGEMENT_LATENCY_MS = { PostToConnection: 8, GetConnection: 5, DeleteConnection: 8 } as const;

/** An API host as the management API needs it. */
export interface ManagementTarget {
  hasStage(stage: string): boolean;
  manage(op: ManagementOperation, connectionId: string, data: string | undefined, at: number): ManagementResult;
}

export function gone(op: ManagementOperation): ManagementResult {
  // Recorded: the 410 has no JSON body; SDK v2 then reports the status as the message.
  return { statusCode: 410, errorType: 'GoneException', message: '410', body: '', elapsedMs: MANAGEMENT_LATENCY_MS[op] };
}

export function forbidden(): ManagementResult {
  return { statusCode: 403, errorType: 'ForbiddenException', message: 'Forbidden', body: '{"message":"Forbidden"}', elapsedMs: 2 };
}

/** `https://{api}.execute-api.{region}.amazonaws.com/{stage}` (the scheme is optional, as SDK v2 allows). */
export function parseManagementEndpoint(endpoint: string): { apiId: string; region: string; stage?: string } | undefined {
  const m = /^(?:https?:\/\/)?([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?::443)?(?:\/([^/?#]*))?\/?$/i.exec(endpoint.trim());
  if (!m) return undefined;
  return { apiId: m[1]!.toLowerCase(), region: m[2]!, ...(m[3] ? { stage: decodeURIComponent(m[3]) } : {}) };
}

/** The `execute-api` service handler code calls through `__hostCall`. */
export function managementHostService(resolve: (apiId: string) => ManagementTarget | undefined): HostServices {
  return async (_service, method, args, call) => {
    const op = method as ManagementOperation;
    if (!(op in MANAGEMENT_LATENCY_MS)) throw new HostServiceError('UnknownOperationException', `ApiGatewayManagementApi has no operation ${method}`, 400);
    const a = (args ?? {}) as { endpoint?: string; ConnectionId?: unknown; Data?: unknown };
    if (!a.endpoint) {
      throw new HostServiceError(
        'ConfigError',
        'ApiGatewayManagementApi needs an endpoint: new ApiGatewayManagementApi({ endpoint: `https://${event.requestContext.domainName}/${event.requestContext.stage}` })',
        400,
      );
    }
    if (typeof a.ConnectionId !== 'string' || a.ConnectionId === '') throw new HostServiceError('ValidationException', "Missing required key 'ConnectionId' in params", 400);
    const ep = parseManagementEndpoint(a.endpoint);
    const target = ep ? resolve(ep.apiId) : undefined;
    let r: ManagementResult;
    if (!ep || !target || !ep.stage || !target.hasStage(ep.stage)) {
      // Without the stage (a custom domain, or the bare domainName) the call never reaches the API. (?) for the exact body
      r = forbidden();
    } else {
      r = target.manage(op, a.ConnectionId, typeof a.Data === 'string' ? a.Data : undefined, call?.at ?? 0);
    }
    if (r.statusCode >= 400) throw new HostServiceError(r.errorType ?? 'Error', r.message ?? '', r.statusCode);
    return { value: r.value ?? {}, elapsedMs: r.elapsedMs };
  };
}
