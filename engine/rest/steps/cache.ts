/**
 * The stage cache (reference §5.3), in two steps around the integration:
 *  - cacheLookup, after validation: computes the cache key, honours (or refuses) a client's
 *    `Cache-Control: max-age=0`, and on a hit puts the cached endpoint response in place, so the
 *    integration request and the integration are skipped;
 *  - cacheStore, after the method response: stores the endpoint response of a miss.
 *
 * What is cached is the endpoint response ("API Gateway responds by looking up the endpoint
 * response from the cache"); integration-response mapping still runs on a hit (?). The key is
 * the stage, the HTTP method, the cache namespace (the resource id unless the integration sets
 * one) and the values of `cacheKeyParameters`: nothing else. A path parameter, a query string or
 * an Authorization header that is not listed is not in the key, so different users share one
 * entry: the "shared cache" mistake.
 */
import { getHeaderValues } from '../../core/http';
import { evaluatePolicy } from '../../auth/policy';
import { type Step, next, reject, skip } from '../../pipeline/types';
import type { Integration } from '../../model/rest';
import type { StageCache } from '../../services/stage-cache';
import type { CacheState, EndpointResponse, RestInvocation } from '../context';
import { contextVariables } from '../context-variables';
import { methodSettingsFor } from '../method-settings';
import { resolveRequestSource } from '../parameter-mapping';

export interface CacheDeps {
  /** The stage's cache, when a cache cluster is provisioned. */
  cacheFor(stageName: string): StageCache<EndpointResponse> | undefined;
}

/**
 * Header added when an unauthorized invalidation is ignored under SUCCEED_WITH_RESPONSE_HEADER.
 * AWS documents "a warning header" without naming it; an RFC 7234 `Warning` is the likely form (?).
 */
export const CACHE_WARNING_HEADER = 'Warning';
export const CACHE_WARNING_VALUE = '199 apigateway "Cache-Control: max-age=0 ignored: the caller is not authorized to invalidate the cache"';

export function cacheLookupStep(deps: CacheDeps): Step<RestInvocation> {
  return {
    id: 'cacheLookup',
    phase: 'cache',
    run(ctx, env) {
      const route = ctx.route;
      const stage = ctx.stage;
      if (!route || !stage) return skip('No method, no cache.');
      if (ctx.testInvoke) return skip('Console Test invocations bypass the stage cache.');
      const settings = methodSettingsFor(stage.settings, route.resource.path, route.method.httpMethod).caching;
      if (!settings.enabled) return skip(`Caching is off for this method: ${settings.reason}.`);
      const cache = deps.cacheFor(stage.name);
      if (!cache) return skip('The stage cache is not available.');

      const key = cacheKey(ctx);
      let ignoredInvalidation: CacheState['ignoredInvalidation'];
      if (wantsInvalidation(ctx)) {
        const auth = invalidationAuthorized(ctx, settings.requireAuthorizationForCacheControl);
        if (auth.authorized) {
          return next({ ...ctx, cache: { key, status: 'invalidated', ttlSeconds: settings.ttlSeconds, ignoredInvalidation: undefined, storedAt: undefined } }, `Cache-Control: max-age=0 and ${auth.why}: the cached entry is bypassed; the integration runs and its response replaces the entry.`, {
            detail: { key, status: 'invalidated', invalidation: 'allowed' },
          });
        }
        const strategy = settings.unauthorizedCacheControlHeaderStrategy;
        if (strategy === 'FAIL_WITH_403') {
          // The 403's body is not documented; a 403 Forbidden is the likely shape (?).
          return reject(
            ctx,
            { type: 'ACCESS_DENIED', message: 'Forbidden' },
            `Cache-Control: max-age=0, but ${auth.why}; unauthorizedCacheControlHeaderStrategy is FAIL_WITH_403, so the request is refused.`,
            { detail: { key, invalidation: 'refused', strategy } },
          );
        }
        ignoredInvalidation = strategy;
      }

      const found = cache.lookup(key, env.now);
      if (found.status === 'hit') {
        const entry = found.entry;
        return next(
          {
            ...ctx,
            endpointResponse: entry.response,
            cache: { key, status: 'hit', ttlSeconds: settings.ttlSeconds, ignoredInvalidation, storedAt: entry.storedAt },
          },
          () => `Cache hit: an entry stored ${fmtAge(found.ageSeconds)} ago (TTL ${settings.ttlSeconds} s) answers this request; the integration is skipped.${ignoredText(ignoredInvalidation)}`,
          { detail: { key, status: 'hit', storedAt: entry.storedAt, expiresAt: entry.expiresAt, ageSeconds: found.ageSeconds } },
        );
      }
      return next(
        { ...ctx, cache: { key, status: found.status, ttlSeconds: settings.ttlSeconds, ignoredInvalidation, storedAt: undefined } },
        () =>
          `${
            found.status === 'expired'
              ? `The entry for this key expired ${fmtAge((env.now - found.entry.expiresAt) / 1000)} ago (TTL ${settings.ttlSeconds} s)`
              : 'Cache miss: nothing is stored under this key yet'
          }; the integration runs and its response will be stored.${ignoredText(ignoredInvalidation)}`,
        { detail: { key, status: found.status } },
      );
    },
  };
}

export function cacheStoreStep(deps: CacheDeps): Step<RestInvocation> {
  return {
    id: 'cacheStore',
    phase: 'cache',
    run(ctx, env) {
      const state = ctx.cache;
      if (!state) return skip('Caching is off for this method.');
      let response = ctx.response;
      if (state.ignoredInvalidation === 'SUCCEED_WITH_RESPONSE_HEADER' && response) {
        response = { ...response, headers: { ...response.headers, [CACHE_WARNING_HEADER]: [CACHE_WARNING_VALUE] } };
      }
      const withResponse = response === ctx.response ? ctx : { ...ctx, ...(response ? { response } : {}) };
      if (state.status === 'hit') return next(withResponse, 'Served from the cache: nothing to store.', { detail: { key: state.key, status: 'hit' } });
      const cache = deps.cacheFor(ctx.stage!.name);
      const res = ctx.endpointResponse;
      if (!cache || !res) return skip('No endpoint response to store.');
      // Stored as a hit will use it: no integration ran for a hit, so no integration latency.
      const stored = cache.store(state.key, { ...res, latencyMs: 0 }, state.ttlSeconds, env.now, state.status === 'invalidated');
      if (!stored.stored) return next(withResponse, `Not stored: ${stored.reason}.`, { detail: { key: state.key, stored: false, reason: stored.reason } });
      return next(
        withResponse,
        () => `Stored the endpoint response (${stored.entry.bytes} bytes) for ${state.ttlSeconds} s, until ${new Date(stored.entry.expiresAt).toISOString().slice(11, 19)}.${stored.evicted ? ` The cache was full: ${stored.evicted} older entries were evicted.` : ''}`,
        { detail: { key: state.key, stored: true, bytes: stored.entry.bytes, expiresAt: stored.entry.expiresAt, evicted: stored.evicted } },
      );
    },
  };
}

/**
 * `{stage}[/canary] {VERB} {namespace} | param=value, …`. Canary requests share the stage's
 * entries only with `useStageCache`.
 */
export function cacheKey(ctx: RestInvocation): string {
  const route = ctx.route!;
  const stage = ctx.stage!;
  const integration = route.method.integration;
  const namespace = integration?.cacheNamespace ?? route.resource.id;
  const canary = stage.isCanaryRequest && !stage.settings.canarySettings?.useStageCache ? '/canary' : '';
  const key = `${stage.name}${canary} ${route.httpMethod} ${namespace}`;
  const params = keyParameters(integration);
  if (params.length === 0) return key;
  let vars: Record<string, unknown> | undefined;
  let parts = '';
  for (const p of params) {
    let value: string | undefined;
    if (p.kind === 'path') value = route.pathParameters[p.name];
    else if (p.kind === 'method') value = resolveRequestSource(p.source!, ctx, {});
    else if (p.source !== undefined) value = resolveRequestSource(p.source, ctx, (vars ??= contextVariables(ctx, ctx.receivedAt)));
    parts += `${parts ? ', ' : ''}${p.label}=${value ?? ''}`;
  }
  return `${key} | ${parts}`;
}

interface KeyParameter {
  readonly kind: 'path' | 'method' | 'integration';
  readonly label: string;
  readonly name: string;
  /** The expression to resolve: the parameter itself, or the integration parameter's mapping source. */
  readonly source: string | undefined;
}

/** An integration's cache key parameters, sorted and parsed once (integrations are frozen). */
const keyParameterCache = new WeakMap<object, readonly KeyParameter[]>();
const NO_PARAMETERS: readonly KeyParameter[] = [];

function keyParameters(integration: Integration | undefined): readonly KeyParameter[] {
  if (!integration || integration.cacheKeyParameters.length === 0) return NO_PARAMETERS;
  let list = keyParameterCache.get(integration);
  if (!list) {
    list = [...integration.cacheKeyParameters].sort().map((p) => {
      const label = p.replace(/^(method|integration)\.request\./, '');
      const path = /^method\.request\.path\.(.+)$/.exec(p);
      if (path) return { kind: 'path', label, name: path[1]!, source: p };
      if (p.startsWith('method.request.')) return { kind: 'method', label, name: label, source: p };
      return { kind: 'integration', label, name: label, source: integration.requestParameters[p] };
    });
    keyParameterCache.set(integration, list);
  }
  return list;
}

function wantsInvalidation(ctx: RestInvocation): boolean {
  const values = getHeaderValues(ctx.request.headers, 'cache-control');
  if (values.length === 0) return false;
  return values.some((v) => /(^|,)\s*max-age\s*=\s*0\s*(,|$)/i.test(v));
}

/**
 * Without requireAuthorizationForCacheControl anyone may invalidate. With it, only a signed
 * (AWS_IAM) caller whose policy allows `execute-api:InvalidateCache` on this method's ARN may.
 */
function invalidationAuthorized(ctx: RestInvocation, required: boolean): { authorized: boolean; why: string } {
  if (!required) return { authorized: true, why: 'requireAuthorizationForCacheControl is off, so any client may invalidate' };
  if (ctx.route!.method.authorizationType !== 'AWS_IAM' || ctx.callerPolicy === undefined) {
    return { authorized: false, why: 'the caller is not an IAM principal allowed execute-api:InvalidateCache' };
  }
  const arn = `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${ctx.apiId}/${ctx.stage!.name}/${ctx.route!.httpMethod}${ctx.route!.resource.path}`;
  try {
    const d = evaluatePolicy(ctx.callerPolicy, arn, 'execute-api:InvalidateCache');
    return d.effect === 'Allow'
      ? { authorized: true, why: "the caller's IAM policy allows execute-api:InvalidateCache" }
      : { authorized: false, why: "the caller's IAM policy does not allow execute-api:InvalidateCache on this method" };
  } catch {
    return { authorized: false, why: "the caller's IAM policy is malformed" };
  }
}

function ignoredText(ignored: CacheState['ignoredInvalidation']): string {
  return ignored
    ? ` The Cache-Control: max-age=0 header was ignored (the caller may not invalidate${ignored === 'SUCCEED_WITH_RESPONSE_HEADER' ? '; the response will carry a warning header' : ''}).`
    : '';
}

function fmtAge(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${Math.round(seconds * 10) / 10} s`;
}

