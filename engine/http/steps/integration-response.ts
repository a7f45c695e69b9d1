/**
 * Integration response: turn what the backend answered into the response, by the payload
 * format's rules for Lambda (lambda-response.ts) or as is for an HTTP proxy, then apply the
 * integration's response parameters for that status code (headers, `overwrite:statuscode`).
 */
import { type Step, next, reject, skip } from '../../pipeline/types';
import type { HttpInvocation } from '../context';
import { httpContextVariables } from '../context-variables';
import { httpError } from '../errors';
import { parseResultV1, parseResultV2 } from '../lambda-response';
import { applyResponseParameters } from '../parameter-mapping';

/** Headers an HTTP API sets itself on the way out; a backend's values are dropped. */
const GATEWAY_OWNED = new Set(['content-length', 'connection', 'transfer-encoding', 'keep-alive', 'date', 'apigw-requestid']);

export const integrationResponse: Step<HttpInvocation> = {
  id: 'integrationResponse',
  phase: 'integrationResponse',
  run(ctx, env) {
    if (ctx.preflight) return skip('A CORS preflight never reaches the backend.');
    const integration = ctx.route!.integration!;
    const result = ctx.integrationResult!;
    let statusCode: number;
    let headers: Record<string, string[]>;
    let body: string;
    let isBase64Encoded: boolean;
    let how: string;
    if (integration.integrationType === 'AWS_PROXY') {
      const parsed = integration.payloadFormatVersion === '2.0' ? parseResultV2(result.body) : parseResultV1(result.body);
      if (!parsed.ok) {
        return reject(
          { ...ctx, integrationError: `The response from the Lambda function doesn't match the format that API Gateway expects: ${parsed.problem}` },
          httpError('INTERNAL_SERVER_ERROR'),
          `The function's result is malformed for payload ${integration.payloadFormatVersion}: ${parsed.problem}. 500 {"message":"Internal Server Error"}.`,
          { detail: { payloadFormatVersion: integration.payloadFormatVersion, payload: result.body, problem: parsed.problem } },
        );
      }
      ({ statusCode, headers, body, isBase64Encoded } = parsed.result);
      how = parsed.result.inferred
        ? `The function returned JSON without statusCode, so payload 2.0 infers 200, content-type application/json and ${body === result.body ? 'the output as the body' : 'the returned string as the body'}`
        : `The function's statusCode ${statusCode}, headers${headers['set-cookie'] ? ', cookies (as set-cookie headers)' : ''} and body become the response`;
      if (!parsed.result.inferred && body !== '' && !headers['content-type']) {
        // (?) Observed: HTTP APIs label a proxy body without a Content-Type as text/plain.
        headers = { ...headers, 'content-type': ['text/plain; charset=utf-8'] };
      }
    } else {
      statusCode = result.statusCode;
      headers = {};
      for (const [k, v] of Object.entries(result.headers)) if (!GATEWAY_OWNED.has(k.toLowerCase())) headers[k.toLowerCase()] = [...v];
      body = result.body;
      isBase64Encoded = result.isBase64Encoded;
      how = `The backend's ${statusCode} passes through with its headers and body`;
    }
    for (const k of Object.keys(headers)) if (GATEWAY_OWNED.has(k)) delete headers[k];

    const params = integration.responseParameters[String(statusCode)];
    let mapping: Record<string, string> | undefined;
    if (params && Object.keys(params).length > 0) {
      const withStatus = { ...ctx, integrationResult: { ...result, statusCode } };
      const mapped = applyResponseParameters(params, statusCode, headers, {
        response: { headers, body },
        context: httpContextVariables(withStatus, env.now),
        stageVariables: ctx.stage!.variables,
      });
      if (mapped.statusCode !== statusCode) how += `; response parameters for ${statusCode} change the status to ${mapped.statusCode}`;
      else how += `; response parameters for ${statusCode} apply`;
      statusCode = mapped.statusCode;
      headers = mapped.headers;
      mapping = mapped.applied;
    }
    return next(
      { ...ctx, response: { statusCode, headers, body, isBase64Encoded } },
      `${how}.`,
      { detail: { statusCode, ...(mapping ? { responseParameters: mapping } : {}) } },
    );
  },
};
