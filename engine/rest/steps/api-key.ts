/**
 * API keys and usage plans: only methods with apiKeyRequired check a key. The key comes from
 * the x-api-key header (apiKeySource HEADER) or the authorizer's usageIdentifierKey
 * (AUTHORIZER); it must exist, be enabled and belong to a plan bound to this API stage — else
 * 403 Forbidden. Then the plan's throttle (per key, optionally per method) and quota apply:
 * 429 Too Many Requests, 429 Limit Exceeded.
 */
import { getHeader } from '../../core/http';
import type { UsagePlans } from '../../services/usage-plans';
import type { BucketRegistry } from '../../services/token-bucket';
import { type Step, defer, next, reject, skip } from '../../pipeline/types';
import type { RestInvocation } from '../context';
import { maskSecret } from '../java-format';

const FORBIDDEN = { type: 'INVALID_API_KEY', message: 'Forbidden' } as const;

export function apiKeyStep(deps: { usage: UsagePlans; buckets: BucketRegistry }): Step<RestInvocation> {
  return {
    id: 'apiKey',
    phase: 'apiKey',
    run(ctx, env) {
      const route = ctx.route!;
      const api = ctx.api!;
      const stage = ctx.stage!.name;
      const apiStage = `${ctx.apiId}/${stage}`;
      const source = api.apiKeySource;
      const value = source === 'HEADER' ? getHeader(ctx.request.headers, 'x-api-key') : ctx.authorizer?.usageIdentifierKey;
      const methodLabel = `${route.method.httpMethod} ${route.resource.path}`;

      if (!route.method.apiKeyRequired) {
        const log = value
          ? [`API Key ${maskSecret(value)} authorized because method '${methodLabel}' does not require API Key. Request will not contribute to throttle or quota limits`]
          : [];
        return skip(
          value
            ? `This method does not require an API key, so the key sent is ignored: it is neither checked nor counted against a usage plan.`
            : 'This method does not require an API key (apiKeyRequired is false).',
          { log },
        );
      }
      if (ctx.testInvoke) return skip('The console Test skips API keys, as AWS does.');

      const where = source === 'HEADER' ? 'the x-api-key header' : "the authorizer's usageIdentifierKey";
      if (!value) {
        return reject(ctx, FORBIDDEN, `The method requires an API key and ${where} is empty: 403 Forbidden.`, { detail: { apiKeySource: source } });
      }
      const key = deps.usage.keyByValue(value);
      // Log lines are built only when read (not for the unsampled requests of a load run).
      const log = defer(verifyingLine, ctx.requestId, value, apiStage);
      if (!key) {
        return reject(ctx, FORBIDDEN, `No API key has the value sent in ${where}: 403 Forbidden.`, { log, detail: { apiKeySource: source } });
      }
      if (!key.enabled) {
        return reject(ctx, FORBIDDEN, `API key "${key.name}" is disabled: 403 Forbidden.`, { log, detail: { apiKey: key.name, enabled: false } });
      }
      const found = deps.usage.planFor(key.id, ctx.apiId, stage);
      if (!found) {
        return reject(ctx, FORBIDDEN, `API key "${key.name}" is valid but in no usage plan bound to stage "${stage}" of this API: 403 Forbidden.`, {
          log,
          detail: { apiKey: key.name },
        });
      }
      const { plan, apiStage: bound } = found;
      const withKey: RestInvocation = { ...ctx, apiKey: { id: key.id, value } };
      const methodKey = `${route.resource.path}/${route.method.httpMethod}`;
      const throttle = bound.throttle?.[methodKey] ?? plan.throttle;
      const buckets: Record<string, unknown>[] = [];
      if (throttle) {
        const perMethod = bound.throttle?.[methodKey] !== undefined;
        const level = perMethod ? ('usagePlanMethod' as const) : ('usagePlanKey' as const);
        const bucketKey = perMethod ? `usage:${plan.id}:${key.id}:${methodKey}` : `usage:${plan.id}:${key.id}`;
        const t = deps.buckets.take(bucketKey, { rate: throttle.rateLimit, burst: throttle.burstLimit }, env.now);
        buckets.push({ bucket: perMethod ? `usage plan ${plan.name}, key ${key.name}, ${methodKey}` : `usage plan ${plan.name}, key ${key.name}`, level, rate: throttle.rateLimit, burst: throttle.burstLimit, tokensBefore: t.tokensBefore, tokensAfter: t.tokensAfter, allowed: t.allowed });
        if (!t.allowed) {
          return reject(
            { ...withKey, throttledBy: level },
            { type: 'THROTTLED', message: 'Too Many Requests' },
            `Key "${key.name}" has no token left in its usage-plan bucket (rate ${throttle.rateLimit}/s, burst ${throttle.burstLimit}): 429.`,
            {
              log: defer(withLines, log, [
                `${maskSecret(value)} exceeded throttle limit for API Stage ${apiStage}: Key throttle limit exceeded for Usage Plan ID ${plan.id}, RestApi ${ctx.apiId}, Stage ${stage}, Resource ${route.resource.path}, HttpMethod ${route.httpMethod}. Limit: ${throttle.rateLimit.toFixed(2)} Burst: ${throttle.burstLimit}`,
              ]),
              detail: { apiKey: key.name, usagePlan: plan.name, buckets, throttledBy: level },
            },
          );
        }
      }
      const quota = deps.usage.consumeQuota(plan, key.id, env.now);
      if (quota && !quota.allowed) {
        return reject(
          withKey,
          { type: 'QUOTA_EXCEEDED', message: 'Limit Exceeded' },
          `Key "${key.name}" used all ${quota.limit} requests of its ${plan.quota!.period} quota; it resets at ${new Date(quota.resetsAt).toISOString()}: 429 Limit Exceeded.`,
          {
            log: defer(withLines, log, [`${maskSecret(value)} exceeded quota limit for API Stage ${apiStage}: Key quota exhausted for Usage Plan ID ${plan.id}. Limit: ${quota.limit} Period: ${plan.quota!.period}`]),
            detail: { apiKey: key.name, usagePlan: plan.name, buckets, quota },
          },
        );
      }
      return next(withKey, () => `Key "${key.name}" is in usage plan "${plan.name}" for this stage${quota ? `; ${quota.used} of ${quota.limit} requests used this ${plan.quota!.period.toLowerCase()}` : ''}.`, {
        log: defer(succeeded, log, value, apiStage),
        detail: { apiKey: key.name, usagePlan: plan.name, buckets, ...(quota ? { quota } : {}) },
      });
    },
  };
}

function verifyingLine(requestId: string, value: string, apiStage: string): string[] {
  return [`Verifying Usage Plan for request: ${requestId}. API Key: ${maskSecret(value)} API Stage: ${apiStage}`];
}

function withLines(log: () => string[], lines: string[]): string[] {
  return [...log(), ...lines];
}

function succeeded(log: () => string[], value: string, apiStage: string): string[] {
  return [...log(), `Usage Plan check succeeded for API Key ${maskSecret(value)} and API Stage ${apiStage}`];
}
