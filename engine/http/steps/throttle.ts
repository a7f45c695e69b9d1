import { type Step, next, reject } from '../../pipeline/types';
import type { BucketLimits } from '../../services/token-bucket';
import type { HttpInvocation } from '../context';
import type { HttpDeps } from '../deps';
import { httpError } from '../errors';
import type { RouteSettings } from '../model';

function limitsOf(s: RouteSettings | undefined): BucketLimits | undefined {
  if (!s || (s.throttlingRateLimit === undefined && s.throttlingBurstLimit === undefined)) return undefined;
  return { rate: s.throttlingRateLimit ?? 0, burst: s.throttlingBurstLimit ?? 0 };
}

/**
 * Token buckets on the engine clock: the account (per Region, shared by every API), the
 * stage (defaultRouteSettings), then the route (routeSettings for its route key). Any empty
 * bucket: 429 {"message":"Too Many Requests"}.
 * (?) AWS calls defaultRouteSettings "default route throttling"; whether it is one bucket for
 * the stage or one per route is not documented. We model one stage-wide bucket, as REST's
 * stage throttle. Buckets consulted before the empty one keep the token they gave.
 */
export function throttleStep(deps: HttpDeps): Step<HttpInvocation> {
  return {
    id: 'throttle',
    phase: 'throttling',
    run(ctx, env) {
      const stage = ctx.stage!;
      const routeKey = ctx.route?.route.routeKey;
      const levels: { level: string; key: string; limits: BucketLimits }[] = [{ level: 'account', key: 'account', limits: deps.accountLimits }];
      const stageLimits = limitsOf(stage.settings.defaultRouteSettings);
      if (stageLimits) levels.push({ level: 'stage', key: `http:${ctx.apiId}/${stage.name}`, limits: stageLimits });
      const routeLimits = routeKey ? limitsOf(stage.settings.routeSettings[routeKey]) : undefined;
      if (routeLimits) levels.push({ level: 'route', key: `http:${ctx.apiId}/${stage.name} ${routeKey}`, limits: routeLimits });
      const buckets: Record<string, unknown>[] = [];
      for (const l of levels) {
        const r = deps.buckets.take(l.key, l.limits, env.now);
        buckets.push({ level: l.level, key: l.key, rate: l.limits.rate, burst: l.limits.burst, tokensBefore: round(r.tokensBefore), tokensAfter: round(r.tokensAfter), allowed: r.allowed });
        if (!r.allowed) {
          const gave = buckets.slice(0, -1).map((b) => `${b.level} ${b.tokensBefore} → ${b.tokensAfter}`);
          return reject(
            ctx,
            httpError('THROTTLED'),
            `The ${l.level} bucket (rate ${l.limits.rate}/s, burst ${l.limits.burst}) has ${round(r.tokensBefore)} tokens: 429 Too Many Requests. Burst is the bucket size, not a per-second rate.` +
              (gave.length ? ` The buckets checked before it keep the token they gave (${gave.join(', ')}).` : ''),
            { detail: { buckets } },
          );
        }
      }
      const summary = buckets.map((b) => `${b.level} ${b.tokensBefore} → ${b.tokensAfter}`).join(', ');
      return next(ctx, `Took one token from each bucket (${summary}).`, { detail: { buckets } });
    },
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
