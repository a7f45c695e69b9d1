/**
 * API keys, on `$connect` only: with apiKeyRequired, the key named by the API's
 * apiKeySelectionExpression (the `x-api-key` header, or the authorizer's usageIdentifierKey)
 * must exist, be enabled and be in a usage plan bound to this API stage — else the handshake
 * gets 403. Usage-plan throttles and quotas are not applied to WebSocket connections here (?).
 */
import { getHeader } from '../../core/http';
import { type Step, next, reject, skip } from '../../pipeline/types';
import { maskSecret } from '../../rest/java-format';
import type { UsagePlans } from '../../services/usage-plans';
import type { WebSocketInvocation } from '../context';

const FORBIDDEN = { type: 'INVALID_API_KEY', message: 'Forbidden', statusCode: 403 } as const;

export function apiKeyStep(usage: UsagePlans): Step<WebSocketInvocation> {
  return {
    id: 'apiKey',
    phase: 'apiKey',
    run(ctx) {
      const route = ctx.route;
      const api = ctx.api!;
      const fromAuthorizer = api.apiKeySelectionExpression === '$context.authorizer.usageIdentifierKey';
      const value = fromAuthorizer ? ctx.authorizer?.usageIdentifierKey : getHeader(ctx.connection.headers, 'x-api-key');
      const apiStage = `${ctx.apiId}/${ctx.stage!.stageName}`;
      const verifying = `Verifying Usage Plan for request: ${ctx.requestId}. API Key: ${value ? maskSecret(value) : ''} API Stage: ${apiStage}`;
      if (!route?.apiKeyRequired) {
        return skip('$connect does not require an API key (apiKeyRequired is false).', {
          log: [
            verifying,
            `API Key ${value ? maskSecret(value) : ''} authorized because route '$connect' does not require API Key. Request will not contribute to throttle or quota limits`,
            `Usage Plan check succeeded for API Key ${value ? maskSecret(value) : ''} and API Stage ${apiStage}`,
          ],
        });
      }
      const where = fromAuthorizer ? "the authorizer's usageIdentifierKey" : 'the x-api-key header';
      if (!value) return reject({ ...ctx, errorKind: 'client' }, FORBIDDEN, `$connect requires an API key and ${where} is empty: the handshake gets 403.`, { log: [verifying] });
      const key = usage.keyByValue(value);
      if (!key) return reject({ ...ctx, errorKind: 'client' }, FORBIDDEN, `No API key has the value sent in ${where}: the handshake gets 403.`, { log: [verifying] });
      if (!key.enabled) return reject({ ...ctx, errorKind: 'client' }, FORBIDDEN, `API key "${key.name}" is disabled: the handshake gets 403.`, { log: [verifying] });
      const found = usage.planFor(key.id, ctx.apiId, ctx.stage!.stageName);
      if (!found) {
        return reject({ ...ctx, errorKind: 'client' }, FORBIDDEN, `API key "${key.name}" is in no usage plan bound to stage "${ctx.stage!.stageName}" of this API: the handshake gets 403.`, { log: [verifying] });
      }
      return next({ ...ctx, apiKey: { id: key.id, value } }, `Key "${key.name}" is in usage plan "${found.plan.name}" for this stage.`, {
        log: [verifying, `Usage Plan check succeeded for API Key ${maskSecret(value)} and API Stage ${apiStage}`],
        detail: { apiKey: key.name, usagePlan: found.plan.name },
      });
    },
  };
}
