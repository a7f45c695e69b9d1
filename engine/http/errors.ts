/**
 * The responses an HTTP API sends when it stops a request itself (reference A10). Unlike REST
 * gateway responses they cannot be customised: the status and the body are fixed. Note the
 * capitals in "Internal Server Error" (REST says "Internal server error").
 */
import type { GatewayError } from '../pipeline/types';

export const HTTP_ERRORS = {
  NOT_FOUND: { statusCode: 404, message: 'Not Found' },
  UNAUTHORIZED: { statusCode: 401, message: 'Unauthorized' },
  FORBIDDEN: { statusCode: 403, message: 'Forbidden' },
  THROTTLED: { statusCode: 429, message: 'Too Many Requests' },
  INTERNAL_SERVER_ERROR: { statusCode: 500, message: 'Internal Server Error' },
  SERVICE_UNAVAILABLE: { statusCode: 503, message: 'Service Unavailable' },
  // (?) AWS documents the 10 MB limit but not this body; REST's edge answers in plain text.
  REQUEST_TOO_LARGE: { statusCode: 413, message: 'Request Entity Too Large' },
} as const;

export type HttpErrorType = keyof typeof HTTP_ERRORS;

export function httpError(type: HttpErrorType, headers?: Readonly<Record<string, string>>): GatewayError {
  const e = HTTP_ERRORS[type];
  return { type, message: e.message, statusCode: e.statusCode, ...(headers ? { headers } : {}) };
}

/** `{"message":"Not Found"}`: compact JSON, as HTTP APIs write it. */
export function errorBody(message: string | null): string {
  return JSON.stringify({ message });
}
