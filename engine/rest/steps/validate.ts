/**
 * Method request: API Gateway logs the request as it arrived, then runs the method's request
 * validator, if one is selected: required parameters first, then the body against the model
 * chosen by Content-Type. No validator, or no model for the Content-Type, means no check at all
 * (the "validator never fires" lesson).
 */
import { type MultiMap, getHeader, mediaType, parseQuery, firstValues, lastValues } from '../../core/http';
import { type LogEntry, type Step, defer, next, reject } from '../../pipeline/types';
import type { RestInvocation } from '../context';
import { javaMap } from '../java-format';
import { modelValidator, validationErrorString } from '../validation/models';

export const validate: Step<RestInvocation> = {
  id: 'validate',
  phase: 'validation',
  overheadMs: 1,
  run(ctx) {
    const route = ctx.route!;
    const api = ctx.api!;
    const query = parseQuery(ctx.request.rawQuery);
    // Built only when someone reads the log (not for the unsampled requests of a load run).
    const log = defer(methodRequestLog, ctx, route, query);

    const validatorName = route.method.requestValidatorId;
    const validator = validatorName ? api.requestValidators[validatorName] : undefined;
    if (!validator) {
      return next(ctx, 'No request validator is selected on this method, so nothing is checked here.', { log });
    }

    if (validator.validateRequestParameters) {
      const missing = Object.entries(route.method.requestParameters)
        .filter(([, required]) => required)
        .map(([key]) => key)
        .sort()
        .filter((key) => {
          const m = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(key);
          if (!m) return false;
          const value =
            m[1] === 'header'
              ? getHeader(ctx.request.headers, m[2]!)
              : m[1] === 'querystring'
                ? query[m[2]!]?.[0]
                : route.pathParameters[m[2]!];
          return value === undefined || value.trim() === '';
        })
        .map((key) => key.replace(/^method\.request\.(header|querystring|path)\./, ''));
      if (missing.length > 0) {
        const message = `Missing required request parameters: [${missing.join(', ')}]`;
        return reject(
          { ...ctx, validationError: message },
          { type: 'BAD_REQUEST_PARAMETERS', message },
          `Validator "${validator.name}" requires ${missing.join(', ')}; the request lacks ${missing.length === 1 ? 'it' : 'them'}, so API Gateway answers 400 before the integration runs.`,
          { log: defer(withLine, log, `Request validation failed for parameters: ${message}`), detail: { validator: validator.name, missing } },
        );
      }
    }

    if (validator.validateRequestBody) {
      const contentType = mediaType(getHeader(ctx.request.headers, 'content-type')) ?? 'application/json';
      const models = route.method.requestModels;
      const modelName = models[contentType] ?? models['$default'];
      if (!modelName) {
        return next(ctx, `No model is set for Content-Type ${contentType}, so the body is not validated.`, {
          log,
          detail: { validator: validator.name, contentType },
        });
      }
      const check = modelValidator(api, modelName);
      if (check instanceof Error) {
        return reject(ctx, { type: 'API_CONFIGURATION_ERROR', message: 'Internal server error' }, `Model ${modelName} cannot be compiled: ${check.message}`, {
          log: defer(withLine, log, `Execution failed due to configuration error: Invalid model ${modelName}`),
        });
      }
      // An absent body is validated as an empty object (recorded).
      let parsed: unknown = {};
      let parseError: string | undefined;
      const raw = ctx.request.body;
      if (raw !== null && raw.trim() !== '') {
        try {
          parsed = JSON.parse(raw);
        } catch (err) {
          parseError = `[Invalid JSON: ${err instanceof Error ? err.message : String(err)}]`;
        }
      }
      const ok = parseError === undefined && check(parsed);
      if (!ok) {
        const errorString = parseError ?? validationErrorString(check.errors);
        return reject(
          { ...ctx, validationError: errorString },
          { type: 'BAD_REQUEST_BODY', message: 'Invalid request body' },
          `The body does not match model ${modelName} (${errorString}); API Gateway answers 400 Invalid request body.`,
          {
            log: defer(withLine, log, `Request body does not match model schema for content type ${contentType}: ${errorString}`),
            detail: { validator: validator.name, model: modelName, contentType, errors: errorString },
          },
        );
      }
      return next(ctx, `The body matches model ${modelName} for ${contentType}.`, {
        log: defer(withLine, log, `Request validation succeeded for content type ${contentType}`),
        detail: { validator: validator.name, model: modelName, contentType },
      });
    }
    return next(ctx, `Validator "${validator.name}": the required parameters are present.`, { log });
  },
};

function methodRequestLog(ctx: RestInvocation, route: NonNullable<RestInvocation['route']>, query: MultiMap): LogEntry[] {
  return [
    `Starting execution for request: ${ctx.requestId}`,
    `HTTP Method: ${route.httpMethod}, Resource Path: ${route.path}`,
    `Method request path: ${javaMap(route.pathParameters)}`,
    `Method request query string: ${javaMap(lastValues(query))}`,
    `Method request headers: ${javaMap(maskedHeaders(firstValues(ctx.request.headers)))}`,
    `Method request body before transformations: ${ctx.request.body ?? ''}`,
  ];
}

function withLine(log: () => LogEntry[], line: string): LogEntry[] {
  return [...log(), line];
}

/** AWS redacts authorization header values and API key values in execution logs (AWS docs, "Secure logging"). */
function maskedHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k] = /^(authorization|x-api-key)$/i.test(k) ? `****${v.slice(-6)}` : v;
  return out;
}
