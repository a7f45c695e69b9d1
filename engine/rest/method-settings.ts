/**
 * A stage's method settings (reference §5.1), resolved for one method: throttling, caching,
 * logging and metrics. Settings are keyed `{resourcePath}/{METHOD}`; `*\/*` is the stage-wide
 * default the console calls "default method throttling / caching / logging". A method's own
 * entry overrides the default field by field.
 *
 * Throttling: AWS applies "per-API, per-stage" limits at the method level (each method gets its
 * own bucket with the stage's default limits, unless it has its own), so five methods at a
 * stage limit of 10 rps can serve 50 rps in total. The trace labels such a bucket `stage` when
 * its limits come from `*\/*` and `method` when the method overrides them.
 *
 * Caching: with the stage cache on, only GET is cached by default; another method is cached
 * only when its own entry turns caching on. A TTL of 0 disables caching.
 */
import type { MethodSetting, Stage } from '../model/rest';
import type { BucketLimits } from '../services/token-bucket';

export type UnauthorizedCacheControlHeaderStrategy = NonNullable<MethodSetting['unauthorizedCacheControlHeaderStrategy']>;

export interface ResolvedMethodSettings {
  /** The key of the method's own entry, if it has one (e.g. `/pets/GET`). */
  readonly ownKey?: string;
  /** Undefined: no stage or method limit; only the account bucket applies. */
  readonly throttle?: { readonly limits: BucketLimits; readonly level: 'stage' | 'method'; readonly source: string };
  readonly caching: {
    readonly enabled: boolean;
    readonly ttlSeconds: number;
    readonly requireAuthorizationForCacheControl: boolean;
    readonly unauthorizedCacheControlHeaderStrategy: UnauthorizedCacheControlHeaderStrategy;
    readonly dataEncrypted: boolean;
    /** Why caching is on or off, in one phrase. */
    readonly reason: string;
  };
  readonly logging: { readonly level: 'OFF' | 'ERROR' | 'INFO'; readonly dataTrace: boolean };
  readonly metricsEnabled: boolean;
}

/** AWS's defaults for a stage's method settings (GetStage on a new stage). */
export const DEFAULT_CACHE_TTL_SECONDS = 300;
export const MAX_CACHE_TTL_SECONDS = 3600;

const resolved = new WeakMap<Stage, Map<string, Map<string, ResolvedMethodSettings>>>();

/**
 * Settings for `httpMethod` (the method's own verb: GET, or ANY for an ANY method) on
 * `resourcePath`. Memoised per stage object: stages are replaced, never mutated.
 */
export function methodSettingsFor(stage: Stage, resourcePath: string, httpMethod: string): ResolvedMethodSettings {
  let perStage = resolved.get(stage);
  if (!perStage) {
    perStage = new Map();
    resolved.set(stage, perStage);
  }
  let perResource = perStage.get(resourcePath);
  if (!perResource) perStage.set(resourcePath, (perResource = new Map()));
  let r = perResource.get(httpMethod);
  if (!r) {
    r = resolve(stage, resourcePath, httpMethod);
    perResource.set(httpMethod, r);
  }
  return r;
}

function resolve(stage: Stage, resourcePath: string, httpMethod: string): ResolvedMethodSettings {
  const settings = stage.methodSettings;
  const stageDefault = settings['*/*'];
  let ownKey: string | undefined;
  let own: MethodSetting | undefined;
  for (const key of Object.keys(settings)) {
    if (key === '*/*') continue;
    const parsed = parseMethodSettingKey(key);
    if (!parsed) continue;
    if (parsed.resourcePath === resourcePath && (parsed.httpMethod === httpMethod || parsed.httpMethod === '*')) {
      // An exact verb beats `/path/*`.
      if (!own || parsed.httpMethod !== '*') {
        own = settings[key];
        ownKey = key;
      }
    }
  }
  const pick = <K extends keyof MethodSetting>(k: K): MethodSetting[K] | undefined => (own?.[k] !== undefined ? own[k] : stageDefault?.[k]);

  // Throttling: AWS stores "no limit" as -1.
  let throttle: ResolvedMethodSettings['throttle'];
  const rate = pick('throttlingRateLimit');
  const burst = pick('throttlingBurstLimit');
  if (rate !== undefined && rate >= 0 && burst !== undefined && burst >= 0) {
    const fromOwn = own?.throttlingRateLimit !== undefined || own?.throttlingBurstLimit !== undefined;
    throttle = {
      limits: { rate, burst },
      level: fromOwn ? 'method' : 'stage',
      source: fromOwn ? `method settings ${ownKey}` : 'stage default method throttling (*/*)',
    };
  }

  const ttl = pick('cacheTtlInSeconds') ?? DEFAULT_CACHE_TTL_SECONDS;
  let enabled: boolean;
  let reason: string;
  if (!stage.cacheClusterEnabled) {
    enabled = false;
    reason = 'the stage has no cache cluster';
  } else if (own?.cachingEnabled !== undefined) {
    enabled = own.cachingEnabled;
    reason = `method settings ${ownKey} turn caching ${own.cachingEnabled ? 'on' : 'off'}`;
  } else if ((stageDefault?.cachingEnabled ?? false) && httpMethod === 'GET') {
    enabled = true;
    reason = 'the stage caches GET methods by default';
  } else if (stageDefault?.cachingEnabled) {
    enabled = false;
    reason = `only GET methods are cached by default; ${httpMethod} needs its own method setting`;
  } else {
    enabled = false;
    reason = 'method caching is not enabled on the stage';
  }
  if (enabled && ttl === 0) {
    enabled = false;
    reason = 'the cache TTL is 0, which disables caching';
  }

  return {
    ...(ownKey ? { ownKey } : {}),
    ...(throttle ? { throttle } : {}),
    caching: {
      enabled,
      ttlSeconds: ttl,
      requireAuthorizationForCacheControl: pick('requireAuthorizationForCacheControl') ?? true,
      unauthorizedCacheControlHeaderStrategy: pick('unauthorizedCacheControlHeaderStrategy') ?? 'SUCCEED_WITH_RESPONSE_HEADER',
      dataEncrypted: pick('cacheDataEncrypted') ?? false,
      reason,
    },
    logging: { level: pick('loggingLevel') ?? 'OFF', dataTrace: pick('dataTraceEnabled') ?? false },
    metricsEnabled: pick('metricsEnabled') ?? false,
  };
}

/**
 * `*\/*`, `/pets/GET`, `/pets/{id}/*`, `//GET` (the root), or AWS's escaped form `~1pets/GET`
 * (as in PATCH paths and GetStage output).
 */
export function parseMethodSettingKey(key: string): { resourcePath: string; httpMethod: string } | undefined {
  if (key === '*/*') return { resourcePath: '*', httpMethod: '*' };
  const k = key.includes('~1') ? key.replace(/~1/g, '/') : key;
  const slash = k.lastIndexOf('/');
  if (slash < 0) return undefined;
  const httpMethod = k.slice(slash + 1).toUpperCase();
  let resourcePath = k.slice(0, slash);
  if (!resourcePath.startsWith('/')) resourcePath = `/${resourcePath}`;
  if (resourcePath === '//') resourcePath = '/';
  if (!/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY|\*)$/.test(httpMethod)) return undefined;
  return { resourcePath, httpMethod };
}
