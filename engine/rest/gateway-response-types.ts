/** REST API gateway response types, with AWS's default status and error type. */

export const GATEWAY_RESPONSE_TYPES = [
  'ACCESS_DENIED',
  'API_CONFIGURATION_ERROR',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'AUTHORIZER_FAILURE',
  'BAD_REQUEST_BODY',
  'BAD_REQUEST_PARAMETERS',
  'DEFAULT_4XX',
  'DEFAULT_5XX',
  'EXPIRED_TOKEN',
  'INTEGRATION_FAILURE',
  'INTEGRATION_TIMEOUT',
  'INVALID_API_KEY',
  'INVALID_SIGNATURE',
  'MISSING_AUTHENTICATION_TOKEN',
  'QUOTA_EXCEEDED',
  'REQUEST_TOO_LARGE',
  'RESOURCE_NOT_FOUND',
  'THROTTLED',
  'UNAUTHORIZED',
  'UNSUPPORTED_MEDIA_TYPE',
  'WAF_FILTERED',
] as const;

export type GatewayResponseType = (typeof GATEWAY_RESPONSE_TYPES)[number];

export function isGatewayResponseType(s: string): s is GatewayResponseType {
  return (GATEWAY_RESPONSE_TYPES as readonly string[]).includes(s);
}

interface TypeInfo {
  /** null for DEFAULT_4XX / DEFAULT_5XX, which only carry customisations. */
  readonly status: number | null;
  /** `x-amzn-ErrorType`. (?) where AWS's value is not recorded. */
  readonly errorType?: string;
  /**
   * AWS's uncustomised body for some types has a space after the colon
   * (`{"message": "Internal server error"}`, 36 bytes), unlike the stored default template.
   * Observed for integration and validation failures [reference §3.1]; (?) for the exact set.
   */
  readonly spacedDefaultBody?: boolean;
}

export const GATEWAY_RESPONSE_INFO: Readonly<Record<GatewayResponseType, TypeInfo>> = {
  ACCESS_DENIED: { status: 403, errorType: 'AccessDeniedException' },
  API_CONFIGURATION_ERROR: { status: 500, errorType: 'InternalServerErrorException', spacedDefaultBody: true },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, errorType: 'AuthorizerConfigurationException' },
  AUTHORIZER_FAILURE: { status: 500, errorType: 'AuthorizerFailureException' },
  BAD_REQUEST_BODY: { status: 400, errorType: 'BadRequestException', spacedDefaultBody: true },
  BAD_REQUEST_PARAMETERS: { status: 400, errorType: 'BadRequestException', spacedDefaultBody: true },
  DEFAULT_4XX: { status: null },
  DEFAULT_5XX: { status: null },
  EXPIRED_TOKEN: { status: 403, errorType: 'ExpiredTokenException' },
  INTEGRATION_FAILURE: { status: 504, errorType: 'InternalServerErrorException', spacedDefaultBody: true },
  INTEGRATION_TIMEOUT: { status: 504, errorType: 'InternalServerErrorException', spacedDefaultBody: true },
  INVALID_API_KEY: { status: 403, errorType: 'ForbiddenException' },
  INVALID_SIGNATURE: { status: 403, errorType: 'InvalidSignatureException' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, errorType: 'MissingAuthenticationTokenException' },
  QUOTA_EXCEEDED: { status: 429, errorType: 'LimitExceededException' },
  REQUEST_TOO_LARGE: { status: 413 },
  RESOURCE_NOT_FOUND: { status: 404, errorType: 'NotFoundException' },
  THROTTLED: { status: 429, errorType: 'TooManyRequestsException' },
  UNAUTHORIZED: { status: 401, errorType: 'UnauthorizedException' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, errorType: 'UnsupportedMediaTypeException' },
  WAF_FILTERED: { status: 403, errorType: 'WAFFilteredException' },
};

/** The template every type stores by default (GetGatewayResponses on a fresh API). */
export const DEFAULT_GATEWAY_RESPONSE_TEMPLATE = '{"message":$context.error.messageString}';

/** The message each type carries when the step that raised it gives none. */
export const DEFAULT_MESSAGES: Readonly<Partial<Record<GatewayResponseType, string | null>>> = {
  ACCESS_DENIED: 'User is not authorized to access this resource with an explicit deny',
  API_CONFIGURATION_ERROR: 'Internal server error',
  AUTHORIZER_CONFIGURATION_ERROR: null,
  AUTHORIZER_FAILURE: null,
  BAD_REQUEST_BODY: 'Invalid request body',
  EXPIRED_TOKEN: 'The security token included in the request is expired',
  INTEGRATION_FAILURE: 'Internal server error',
  INTEGRATION_TIMEOUT: 'Endpoint request timed out',
  INVALID_API_KEY: 'Forbidden',
  INVALID_SIGNATURE:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  MISSING_AUTHENTICATION_TOKEN: 'Missing Authentication Token',
  QUOTA_EXCEEDED: 'Limit Exceeded',
  RESOURCE_NOT_FOUND: 'Not Found',
  THROTTLED: 'Too Many Requests',
  UNAUTHORIZED: 'Unauthorized',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported Media Type',
  WAF_FILTERED: 'Forbidden',
};

export function defaultStatusOf(type: GatewayResponseType): number {
  return GATEWAY_RESPONSE_INFO[type].status ?? 500;
}

export function classOf(status: number): 'DEFAULT_4XX' | 'DEFAULT_5XX' {
  return status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
}
