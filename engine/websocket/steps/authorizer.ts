/**
 * Authorization, on `$connect` only (the setting applies to the whole connection):
 *  - NONE: anyone connects;
 *  - AWS_IAM: the upgrade request must be SigV4-signed (the simulator does not verify the
 *    signature; it tells signed from unsigned) (?);
 *  - CUSTOM: a REQUEST Lambda authorizer. If any identity source (`route.request.querystring.token`,
 *    `route.request.header.Auth`...) is missing, the function is not invoked and the handshake
 *    gets 401. The function throwing "Unauthorized" → 401; a policy that does not allow
 *    `…/{stage}/$connect` → 403; any other failure → 500. WebSocket authorizers cache nothing.
 * What the authorizer returns (principalId, context) travels with the connection: every later
 * event's requestContext.authorizer carries it (recorded on $disconnect events).
 */
import { AuthorizerCache } from '../../auth/authorizer-cache';
import { type AuthorizerOutput, runLambdaAuthorizer } from '../../auth/lambda-authorizer';
import { getHeader, parseQuery } from '../../core/http';
import { type Step, next, reject, skip } from '../../pipeline/types';
import { type WebSocketInvocation, routeArn } from '../context';
import type { WebSocketDeps } from '../deps';
import { buildAuthorizerEvent } from '../events';
import type { Authorizer } from '../model';

/** Never written (TTL 0): WebSocket authorizers cache nothing. */
const NO_CACHE = new AuthorizerCache<AuthorizerOutput>();

export function authorizerStep(deps: WebSocketDeps): Step<WebSocketInvocation> {
  return {
    id: 'authorizer',
    phase: 'authorization',
    async run(ctx, env) {
      const route = ctx.route;
      if (!route || route.authorizationType === 'NONE') return skip('$connect has no authorization (NONE): anyone may connect.');
      if (route.authorizationType === 'AWS_IAM') {
        const auth = getHeader(ctx.connection.headers, 'authorization') ?? '';
        if (!auth.startsWith('AWS4-HMAC-SHA256 ')) {
          return reject({ ...ctx, errorKind: 'client' }, { type: 'ACCESS_DENIED', message: 'Forbidden', statusCode: 403 }, '$connect uses IAM authorization and the upgrade request is not signed with SigV4: the handshake gets 403.');
        }
        return next(ctx, 'The upgrade request carries a SigV4 signature (the simulator accepts it without checking the signature).');
      }
      const authorizer = ctx.api!.authorizers[route.authorizerId ?? ''];
      if (!authorizer) {
        return reject({ ...ctx, errorKind: 'execution' }, { type: 'AUTHORIZER_CONFIGURATION_ERROR', message: 'Internal server error', statusCode: 500 }, `$connect refers to authorizer "${route.authorizerId}", which does not exist: 500.`);
      }
      const identity = identityValues(ctx, authorizer);
      const missing = identity.filter((i) => i.value === undefined || i.value === '');
      const detail: Record<string, unknown> = { authorizer: authorizer.name, functionName: authorizer.functionName, identitySource: identity };
      if (missing.length > 0) {
        return reject(
          { ...ctx, errorKind: 'client' },
          { type: 'UNAUTHORIZED', message: 'Unauthorized', statusCode: 401 },
          `The identity source ${missing.map((m) => m.name).join(', ')} is missing from the upgrade request, so API Gateway refuses the handshake with 401 without invoking ${authorizer.functionName}.`,
          { detail, log: [`Unauthorized request: ${ctx.requestId}`] },
        );
      }
      const event = buildAuthorizerEvent(ctx);
      const arn = routeArn(ctx, '$connect');
      const log: string[] = [`Starting authorizer: ${authorizer.id} for request: ${ctx.requestId}`];
      // The shared runner, with caching off: WebSocket authorizers cache nothing (reference B1).
      const r = await runLambdaAuthorizer(
        {
          authorizerKey: `${ctx.apiId}/${ctx.stage!.stageName}/${authorizer.name}`,
          functionName: authorizer.functionName,
          event,
          identityValues: identity.map((i) => i.value!),
          // REST's rules: an IAM policy, context values scalars passed on as strings.
          format: '1.0',
          simpleResponses: false,
          ttlSeconds: 0,
          resourceArn: arn,
          now: env.now,
        },
        { lambda: deps.lambda, cache: NO_CACHE, hostServices: deps.hostServices },
      );
      const { decision, durationMs } = r;
      const raw = r.lambda?.payload;
      const lambdaDetail = r.lambda ? { lambdaRequestId: r.lambda.requestId, coldStart: r.lambda.coldStart, functionLogs: r.lambda.logs } : {};
      Object.assign(detail, { event, methodArn: arn, ...lambdaDetail, ...(raw !== undefined ? { response: raw } : {}), decision: decision.effect, why: decision.why });
      const bodyLog = raw !== undefined ? [`Authorizer result body before parsing: ${raw}`] : [];
      if (decision.effect === 'unauthorized') {
        return reject({ ...ctx, errorKind: 'client' }, { type: 'UNAUTHORIZED', message: 'Unauthorized', statusCode: 401 }, `${authorizer.functionName} threw "Unauthorized": the handshake gets 401 and no connection is made.`, {
          durationMs,
          detail,
          log: [...log, ...bodyLog, `Unauthorized request: ${ctx.requestId}`],
        });
      }
      if (decision.effect === 'error') {
        return reject(
          { ...ctx, errorKind: 'execution', integrationError: decision.why },
          { type: 'AUTHORIZER_FAILURE', message: 'Internal server error', statusCode: 500 },
          `The authorizer failed (${decision.why}): the handshake gets 500.`,
          { durationMs, detail, log: [...log, ...bodyLog, `Execution failed due to configuration error: Authorizer error`] },
        );
      }
      const principalId = r.output?.principalId;
      log.push(...bodyLog, `Using valid authorizer policy for principal: ${principalId ?? 'null'}`);
      if (decision.effect === 'deny') {
        return reject(
          { ...ctx, errorKind: 'client' },
          { type: 'ACCESS_DENIED', message: 'Forbidden', statusCode: 403 },
          `The authorizer's answer does not allow $connect (${decision.why}): the handshake gets 403.`,
          { durationMs, detail, log: [...log, `Execution failed: Access Denied`] },
        );
      }
      const result = {
        ...(decision.principalId !== undefined ? { principalId: decision.principalId } : {}),
        context: Object.fromEntries(Object.entries(decision.context).map(([k, v]) => [k, String(v)])),
        ...(decision.usageIdentifierKey ? { usageIdentifierKey: decision.usageIdentifierKey } : {}),
      };
      Object.assign(detail, { principalId, context: result.context });
      return next(
        { ...ctx, authorizer: result, connection: { ...ctx.connection, authorizer: result } },
        `The authorizer allowed ${arn} for principal "${principalId ?? ''}" (${decision.why}); its context travels with the connection to every later event.`,
        { durationMs, detail, log: [...log, `Successfully completed authorizer execution`] },
      );
    },
  };
}

function identityValues(ctx: WebSocketInvocation, authorizer: Authorizer): { name: string; value: string | undefined }[] {
  const query = parseQuery(ctx.connection.rawQuery);
  return authorizer.identitySource.map((source) => {
    let m = /^route\.request\.header\.(.+)$/.exec(source);
    if (m) return { name: source, value: getHeader(ctx.connection.headers, m[1]!) };
    // Query-string names are case-sensitive (reference A3, same for WebSocket (?)).
    m = /^route\.request\.querystring\.(.+)$/.exec(source);
    if (m) return { name: source, value: query[m[1]!]?.at(-1) };
    m = /^stageVariables\.(.+)$/.exec(source);
    if (m) return { name: source, value: ctx.stage?.variables[m[1]!] };
    m = /^context\.(.+)$/.exec(source);
    if (m) {
      const v = ({ connectionId: ctx.connection.connectionId, routeKey: '$connect', stage: ctx.stage?.stageName, requestId: ctx.requestId, eventType: 'CONNECT' } as Record<string, string | undefined>)[m[1]!];
      return { name: source, value: v };
    }
    return { name: source, value: undefined };
  });
}
