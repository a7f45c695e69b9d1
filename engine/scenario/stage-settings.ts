/**
 * A scenario's `stage:` settings as AWS stores them on a Stage: `throttling`, `cache` and
 * `logging` are the console's "default method" settings, i.e. the `*\/*` entry of
 * methodSettings, plus the cache cluster; `methodSettings` entries override them per method.
 */
import type { MethodSetting, Stage } from '../model/rest';
import { ACCESS_LOG_FORMATS } from '../services/access-log';
import type { StageConfig } from './types';

type StageSettings = Pick<Stage, 'methodSettings' | 'cacheClusterEnabled'> & Partial<Pick<Stage, 'cacheClusterSize' | 'accessLogSettings' | 'variables'>>;

export function stageSettingsFromConfig(config: Omit<Partial<StageConfig>, 'name'>): StageSettings {
  const defaults: { -readonly [K in keyof MethodSetting]: MethodSetting[K] } = {};
  if (config.throttling) {
    defaults.throttlingRateLimit = config.throttling.rate;
    defaults.throttlingBurstLimit = config.throttling.burst;
  }
  const cache = config.cache;
  const cacheOn = cache !== undefined && cache.enabled !== false;
  if (cacheOn) {
    defaults.cachingEnabled = cache.defaultMethodCaching ?? true;
    if (cache.ttl !== undefined) defaults.cacheTtlInSeconds = cache.ttl;
    if (cache.requireAuthorizationForCacheControl !== undefined) defaults.requireAuthorizationForCacheControl = cache.requireAuthorizationForCacheControl;
    if (cache.unauthorizedCacheControlHeaderStrategy !== undefined) defaults.unauthorizedCacheControlHeaderStrategy = cache.unauthorizedCacheControlHeaderStrategy;
    if (cache.encrypted !== undefined) defaults.cacheDataEncrypted = cache.encrypted;
  }
  if (config.logging) {
    if (config.logging.level !== undefined) defaults.loggingLevel = config.logging.level;
    if (config.logging.dataTrace !== undefined) defaults.dataTraceEnabled = config.logging.dataTrace;
    if (config.logging.detailedMetrics !== undefined) defaults.metricsEnabled = config.logging.detailedMetrics;
  }
  const methodSettings: Record<string, MethodSetting> = {};
  if (Object.keys(defaults).length > 0) methodSettings['*/*'] = defaults;
  for (const [key, setting] of Object.entries(config.methodSettings ?? {})) {
    methodSettings[key] = key === '*/*' ? { ...defaults, ...setting } : setting;
  }
  const format = config.accessLogFormat ? (ACCESS_LOG_FORMATS[config.accessLogFormat as keyof typeof ACCESS_LOG_FORMATS] ?? config.accessLogFormat) : undefined;
  return {
    methodSettings,
    cacheClusterEnabled: cacheOn,
    ...(cacheOn ? { cacheClusterSize: cache.size ?? '0.5' } : {}),
    // Explicitly undefined when absent, so an update can switch access logging off.
    accessLogSettings: format ? { format, ...(config.accessLogDestinationArn ? { destinationArn: config.accessLogDestinationArn } : {}) } : undefined,
    ...(config.variables ? { variables: config.variables } : {}),
  };
}
