/**
 * Integration request: apply the integration's request parameter mapping (no templates: HTTP
 * APIs never transform a body), then build what the backend receives: the payload 2.0 or 1.0
 * event for Lambda, or the forwarded request for an HTTP proxy.
 * (?) Mappings of a Lambda integration change the event's headers and query string;
 * `overwrite:path` only changes where an HTTP proxy sends the request.
 */
import { parseQuery } from '../../core/http';
import { type Step, next, reject, skip } from '../../pipeline/types';
import type { HttpInvocation, MappedRequest } from '../context';
import { httpContextVariables } from '../context-variables';
import { httpError } from '../errors';
import { buildEventV1, buildEventV2 } from '../lambda-event';
import { applyRequestParameters } from '../parameter-mapping';

export const integrationRequest: Step<HttpInvocation> = {
  id: 'integrationRequest',
  phase: 'integrationRequest',
  run(ctx, env) {
    if (ctx.preflight) return skip('A CORS preflight never reaches the backend.');
    const route = ctx.route!;
    const integration = route.integration;
    if (!integration) {
      // (?) AWS's answer for a route without an integration is not documented; a configuration error (500) is the likeliest.
      return reject(ctx, httpError('INTERNAL_SERVER_ERROR'), `Route "${route.route.routeKey}" has no integration attached, so there is nothing to call: 500.`, {
        detail: { routeKey: route.route.routeKey },
      });
    }
    let mapped: MappedRequest | undefined;
    const params = integration.requestParameters;
    if (Object.keys(params).length > 0) {
      const vars = httpContextVariables(ctx, env.now);
      const r = applyRequestParameters(params, ctx.request.headers, parseQuery(ctx.request.rawQuery), {
        request: { headers: ctx.request.headers, rawQuery: ctx.request.rawQuery, body: ctx.request.body, path: route.path, pathParameters: route.pathParameters },
        context: vars,
        stageVariables: ctx.stage!.variables,
      });
      mapped = { headers: r.headers, query: r.query, path: r.path ?? route.path, pathOverwritten: r.path !== undefined, applied: r.applied };
    }
    const withMapping: HttpInvocation = mapped ? { ...ctx, mapped } : ctx;
    const mappingNote = mapped ? ` Parameter mapping applied ${Object.keys(mapped.applied).length} change${Object.keys(mapped.applied).length === 1 ? '' : 's'}.` : '';
    if (integration.integrationType === 'AWS_PROXY') {
      const event = integration.payloadFormatVersion === '2.0' ? buildEventV2(withMapping) : buildEventV1(withMapping);
      return next(
        { ...withMapping, lambdaEvent: event },
        `Lambda proxy integration: the request becomes a payload ${integration.payloadFormatVersion} event${integration.payloadFormatVersion === '2.0' ? ' (lowercased headers, comma-joined duplicates, cookies[], rawPath)' : ' (the REST shape, with multiValue fields)'}.${mappingNote}`,
        { detail: { payloadFormatVersion: integration.payloadFormatVersion, event, ...(mapped ? { parameterMapping: mapped.applied } : {}) } },
      );
    }
    return next(withMapping, `HTTP proxy integration: the request is forwarded as is${mapped ? ', after parameter mapping' : ''}.${mappingNote}`, {
      detail: { integrationUri: integration.integrationUri, ...(mapped ? { parameterMapping: mapped.applied, mappedPath: mapped.path } : {}) },
    });
  },
};
