/**
 * Gateway responses: what API Gateway answers when it stops a request itself. Each type has a
 * default status and body; an API can customise a type, or DEFAULT_4XX / DEFAULT_5XX, whose
 * status, headers and templates every uncustomised type of that class inherits.
 *
 * These responses never pass through method or integration responses, so "Enable CORS" on a
 * method does not put Access-Control-Allow-Origin on them (the classic CORS-on-error gotcha).
 */
import { type HttpResponse, type MultiMap, getHeader } from '../core/http';
import type { GatewayResponse, RestApi } from '../model/rest';
import type { GatewayError } from '../pipeline/types';
import type { RestInvocation } from './context';
import { contextVariables } from './context-variables';
import {
  DEFAULT_GATEWAY_RESPONSE_TEMPLATE,
  DEFAULT_MESSAGES,
  GATEWAY_RESPONSE_INFO,
  type GatewayResponseType,
  classOf,
  isGatewayResponseType,
} from './gateway-response-types';

export interface EffectiveGatewayResponse {
  readonly type: GatewayResponseType;
  readonly statusCode: number;
  readonly responseParameters: Readonly<Record<string, string>>;
  readonly responseTemplates: Readonly<Record<string, string>>;
  /** true when neither the type nor its DEFAULT_4XX/5XX was customised. */
  readonly isDefault: boolean;
  /** Which configuration the values came from. */
  readonly source: string;
}

/** Resolve a type against the API's customisations (GetGatewayResponse semantics). */
export function effectiveGatewayResponse(
  api: Pick<RestApi, 'gatewayResponses'> | undefined,
  type: GatewayResponseType,
  statusOverride?: number,
): EffectiveGatewayResponse {
  const info = GATEWAY_RESPONSE_INFO[type];
  const own: GatewayResponse | undefined = api?.gatewayResponses[type];
  const defaultStatus = statusOverride ?? info.status ?? 500;
  const klass = type.startsWith('DEFAULT_') ? undefined : api?.gatewayResponses[classOf(info.status ?? defaultStatus)];
  const chosen = own ?? klass;
  // A type's own customisation without a status keeps the type's default status (recorded);
  // only uncustomised types inherit DEFAULT_4XX/5XX's status.
  const statusCode = Number(own ? (own.statusCode ?? defaultStatus) : (klass?.statusCode ?? defaultStatus));
  return {
    type,
    statusCode,
    responseParameters: chosen?.responseParameters ?? {},
    responseTemplates:
      chosen && Object.keys(chosen.responseTemplates).length > 0
        ? chosen.responseTemplates
        : { 'application/json': DEFAULT_GATEWAY_RESPONSE_TEMPLATE },
    isDefault: chosen === undefined,
    source: own ? `the API's ${type} gateway response` : klass ? `the API's ${classOf(info.status ?? defaultStatus)} gateway response` : `the default ${type} gateway response`,
  };
}

export function errorTypeOf(error: GatewayError): GatewayResponseType {
  return isGatewayResponseType(error.type) ? error.type : 'API_CONFIGURATION_ERROR';
}

export interface RenderedGatewayResponse {
  readonly response: HttpResponse;
  readonly effective: EffectiveGatewayResponse;
}

const NO_VARS: Record<string, unknown> = {};

export function renderGatewayResponse(ctx: RestInvocation, error: GatewayError, now: number): RenderedGatewayResponse {
  const type = errorTypeOf(error);
  const effective = effectiveGatewayResponse(ctx.api, type, error.statusCode);
  const info = GATEWAY_RESPONSE_INFO[type];
  const message = error.message === undefined ? (DEFAULT_MESSAGES[type] ?? null) : error.message;

  // REQUEST_TOO_LARGE is answered before any API configuration applies, as plain text.
  if (type === 'REQUEST_TOO_LARGE') {
    const body = 'HTTP content length exceeded 10485760 bytes.';
    return { effective, response: { statusCode: 413, headers: { 'Content-Type': ['text/plain'] }, body, isBase64Encoded: false } };
  }

  // $context is needed only by customised templates and header mappings (not for the default
  // 429s of a load simulation).
  const vars =
    !effective.isDefault || Object.keys(effective.responseParameters).length > 0 ? contextVariables({ ...ctx, error: { ...error, message } }, now) : NO_VARS;
  let body: string;
  let contentType = 'application/json';
  if (effective.isDefault) {
    body =
      error.body ??
      (info.spacedDefaultBody ? `{"message": ${JSON.stringify(message)}}` : `{"message":${JSON.stringify(message)}}`);
  } else {
    const [ct, template] = pickTemplate(effective.responseTemplates, getHeader(ctx.request.headers, 'accept'));
    contentType = ct;
    body = substitute(template, vars, ctx.stage?.variables ?? {});
  }

  const headers: Record<string, string[]> = { 'Content-Type': [contentType] };
  for (const [k, v] of Object.entries(error.headers ?? {})) headers[k] = [v];
  for (const [target, source] of Object.entries(effective.responseParameters)) {
    const m = /^gatewayresponse\.header\.(.+)$/.exec(target);
    if (!m) continue;
    const value = resolveParameter(source, ctx, vars);
    if (value !== undefined) headers[m[1]!] = [value];
  }
  if (info.errorType) headers['x-amzn-ErrorType'] = [info.errorType];
  return {
    effective,
    response: { statusCode: effective.statusCode, headers: headers as MultiMap, body, isBase64Encoded: false },
  };
}

function pickTemplate(templates: Readonly<Record<string, string>>, accept: string | undefined): [string, string] {
  const wanted = accept?.split(',')[0]?.split(';')[0]?.trim().toLowerCase();
  const entries = Object.entries(templates);
  const hit = entries.find(([ct]) => ct.toLowerCase() === wanted) ?? entries.find(([ct]) => ct === 'application/json') ?? entries[0];
  return hit ?? ['application/json', DEFAULT_GATEWAY_RESPONSE_TEMPLATE];
}

/**
 * Gateway-response templates are not VTL: AWS substitutes `$context.*` and `$stageVariables.*`
 * references and nothing else. An unknown reference renders empty (?).
 */
export function substitute(template: string, vars: Record<string, unknown>, stageVariables: Readonly<Record<string, string>>): string {
  return template.replace(
    /\$\{?(context|stageVariables)((?:\.[A-Za-z0-9_-]+|\['[^']*'\])+)\}?/g,
    (_m, root: string, path: string) => {
      const keys = [...path.matchAll(/\.([A-Za-z0-9_-]+)|\['([^']*)'\]/g)].map((k) => k[1] ?? k[2]!);
      let v: unknown = root === 'context' ? vars : stageVariables;
      for (const k of keys) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
      return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    },
  );
}

/** `'literal'`, `method.request.{header|querystring|path}.x`, `stageVariables.x` or `context.x`. */
function resolveParameter(source: string, ctx: RestInvocation, vars: Record<string, unknown>): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const m = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(source);
  if (m) {
    if (m[1] === 'header') return getHeader(ctx.request.headers, m[2]!);
    if (m[1] === 'path') return ctx.route?.pathParameters[m[2]!];
    const q = new URLSearchParams(ctx.request.rawQuery).get(m[2]!);
    return q ?? undefined;
  }
  const sv = /^stageVariables\.(.+)$/.exec(source);
  if (sv) return ctx.stage?.variables[sv[1]!];
  const c = /^context\.(.+)$/.exec(source);
  if (c) {
    let v: unknown = vars;
    for (const k of c[1]!.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    return v === undefined || v === null ? undefined : String(v);
  }
  return undefined;
}
