/**
 * Routing. `$connect` and `$disconnect` are chosen by the event itself; both routes are
 * optional (without `$connect` every handshake succeeds, without `$disconnect` nobody hears
 * about closed connections).
 *
 * Messages go through route selection (reference B1): the API's routeSelectionExpression is
 * evaluated on the message; the route whose key equals the value is chosen. A message that is
 * not JSON, or whose value matches no route, goes to `$default`; without `$default` the client
 * gets the `Forbidden` error frame and the connection stays open.
 */
import { type Step, next, reject, skip } from '../../pipeline/types';
import type { WebSocketInvocation } from '../context';
import { evaluateSelectionExpression } from '../selection-expression';

export const lifecycleRouteStep: Step<WebSocketInvocation> = {
  id: 'route',
  phase: 'routing',
  run(ctx) {
    const key = ctx.eventType === 'CONNECT' ? '$connect' : '$disconnect';
    const route = ctx.api!.routes[key];
    if (!route) {
      return skip(
        ctx.eventType === 'CONNECT'
          ? 'This API has no $connect route: the handshake succeeds without asking any backend.'
          : 'This API has no $disconnect route: the backend is not told that the connection closed (stale ids stay in its table).',
        { log: [`WebSocket Request Route: [${key}]`] },
      );
    }
    const log = [`WebSocket Request Route: [${key}]`];
    if (ctx.eventType === 'CONNECT') {
      log.push(`Client [UserAgent: ${ctx.connection.userAgent ?? 'null'}, SourceIp: ${ctx.connection.sourceIp}] is connecting to WebSocket API [${ctx.apiId}].`);
    }
    return next({ ...ctx, route }, `The ${key} route runs${route.integration ? ` its ${route.integration.type} integration` : ''}.`, { log, detail: { routeKey: key, routeId: route.id } });
  },
};

export const routeSelectionStep: Step<WebSocketInvocation> = {
  id: 'routeSelection',
  phase: 'routing',
  overheadMs: 1,
  run(ctx) {
    const api = ctx.api!;
    const expression = api.routeSelectionExpression;
    const msg = ctx.message!;
    // Binary frames carry no JSON to select on (?): they go to $default.
    const result = msg.binary ? ({ ok: false, reason: 'the message is binary' } as const) : evaluateSelectionExpression(expression, { body: msg.data });
    const value = result.ok ? result.value : undefined;
    const custom = value !== undefined && !value.startsWith('$') ? api.routes[value] : undefined;
    const detail = { expression, value: value ?? null, ...(result.ok ? {} : { reason: result.reason }), routes: Object.keys(api.routes) };
    if (custom) {
      return next({ ...ctx, route: custom, selection: { expression, value: value!, fallback: false } }, `${expression} evaluated to "${value}", which is the key of route ${custom.routeKey}.`, {
        log: [`WebSocket Request Route: [${custom.routeKey}]`],
        detail,
      });
    }
    const why = !result.ok
      ? `${expression} cannot be evaluated: ${result.reason}`
      : value === ''
        ? `${expression} evaluated to "" (the message has no such field)`
        : `${expression} evaluated to "${value}", and no route has that key`;
    const fallback = api.routes.$default;
    if (fallback) {
      return next({ ...ctx, route: fallback, selection: { expression, value: value ?? '', fallback: true, ...(result.ok ? {} : { reason: result.reason }) } }, `${why}, so the message goes to $default.`, {
        log: [`WebSocket Request Route: [$default]`],
        detail,
      });
    }
    return reject(
      { ...ctx, selection: { expression, value: value ?? '', fallback: true }, errorKind: 'client' },
      { type: 'NO_ROUTE', message: 'Forbidden' },
      `${why}, and there is no $default route: the client gets the "Forbidden" error frame. The connection stays open.`,
      { detail },
    );
  },
};

