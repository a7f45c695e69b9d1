/**
 * Stage, method and account throttling (reference §6), right after routing and before any
 * authorizer: AWS's order of application is narrowest first, so the request passes the method's
 * bucket (the stage's default limits, or the method's own), then the account bucket shared by
 * every API in the Region. Usage-plan buckets (per key, per key and method) come later, in the
 * API-key step, once the key is known.
 *
 * A throttled request gets 429 `{"message":"Too Many Requests"}` and leaves no execution log:
 * it never reached the method. The access log and the metrics still count it.
 */
import { type Step, next, reject, skip } from '../../pipeline/types';
import { ACCOUNT_BUCKET_KEY, type BucketCheck, type BucketLimits, type BucketRegistry, type BucketReport } from '../../services/token-bucket';
import type { RestInvocation } from '../context';
import type { Method, Stage } from '../../model/rest';
import { type ResolvedMethodSettings, methodSettingsFor } from '../method-settings';

export interface ThrottleDeps {
  readonly buckets: BucketRegistry;
  readonly accountLimits: BucketLimits;
}

export function throttleStep(deps: ThrottleDeps): Step<RestInvocation> {
  return {
    id: 'throttle',
    phase: 'throttling',
    run(ctx, env) {
      if (ctx.testInvoke) return skip('Console Test invocations are not throttled.');
      const route = ctx.route;
      const stage = ctx.stage;
      if (!route || !stage) return skip('No method matched, so no method bucket applies.');
      const settings = methodSettingsFor(stage.settings, route.resource.path, route.method.httpMethod);
      const checks = checksFor(ctx.apiId, stage.name, stage.settings, route.method, route.resource.path, settings.throttle, deps.accountLimits);
      const decision = deps.buckets.takeAll(checks, env.now);
      const detail = { buckets: decision.buckets, ...(decision.rejectedBy ? { rejectedBy: decision.rejectedBy.level } : {}) };

      if (!decision.allowed) {
        const b = decision.rejectedBy!;
        return reject(
          { ...ctx, throttledBy: b.level },
          { type: 'THROTTLED', message: 'Too Many Requests' },
          () => `${describe(b)} had ${fmt(b.tokensBefore)} tokens: less than one, so API Gateway answers 429 Too Many Requests. ${lesson(b)}`,
          { detail },
        );
      }
      return next(
        ctx,
        () => {
          const t = settings.throttle;
          const capped =
            t && (t.limits.rate > deps.accountLimits.rate || t.limits.burst > deps.accountLimits.burst)
              ? ` The ${t.level} limit is above the account limit (${deps.accountLimits.rate} rps, burst ${deps.accountLimits.burst}); the account bucket caps it.`
              : '';
          return `${decision.buckets.map((r) => `${describe(r)}: ${fmt(r.tokensBefore)} → ${fmt(r.tokensAfter)} tokens`).join('; ')}.${capped}`;
        },
        { detail },
      );
    },
  };
}

/** The buckets of a method, worked out once per stage object and method (both are replaced, never changed). */
const checkCache = new WeakMap<Stage, Map<Method, readonly BucketCheck[]>>();

function checksFor(
  apiId: string,
  stageName: string,
  stage: Stage,
  method: Method,
  resourcePath: string,
  throttle: ResolvedMethodSettings['throttle'],
  accountLimits: BucketLimits,
): readonly BucketCheck[] {
  let byMethod = checkCache.get(stage);
  if (!byMethod) checkCache.set(stage, (byMethod = new Map()));
  let checks = byMethod.get(method);
  if (!checks || checks[checks.length - 1]!.limits !== accountLimits) {
    const list: BucketCheck[] = [];
    if (throttle) {
      list.push({ key: `rest:${apiId}/${stageName} ${method.httpMethod} ${resourcePath}`, level: throttle.level, limits: throttle.limits, source: throttle.source });
    }
    list.push({ key: ACCOUNT_BUCKET_KEY, level: 'account', limits: accountLimits, source: 'account limit for this Region' });
    byMethod.set(method, (checks = list));
  }
  return checks;
}

function describe(b: BucketReport): string {
  const what = b.level === 'account' ? 'The account bucket' : b.level === 'stage' ? "The method's bucket (stage default)" : "The method's own bucket";
  return `${what} (${b.rate} rps, burst ${b.burst})`;
}

function lesson(b: BucketReport): string {
  if (b.burst === 0 || b.rate === 0) return 'A limit of 0 blocks every request.';
  return `The bucket holds at most ${b.burst} (the burst) and refills at ${b.rate} per second: ${b.burst} requests at once empty it, whatever the per-second rate.`;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
