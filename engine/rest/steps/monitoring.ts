/**
 * After the response (reference §1.1, row 12): CloudWatch metrics and the access log. Runs for
 * every request, whatever stopped it: a 429 or an unmatched route is counted and access-logged
 * even though it leaves no execution log.
 *
 * Metrics (§7.1): Count, 4XXError, 5XXError, Latency, and, when the integration ran,
 * IntegrationLatency; CacheHitCount / CacheMissCount when caching is enabled for the method. Each
 * is recorded under ApiName, ApiName+Stage, and ApiName+Method+Resource+Stage when the method
 * has detailed metrics (`metricsEnabled`).
 */
import { type Step, next, skip } from '../../pipeline/types';
import { compileAccessLog } from '../../services/access-log';
import { type CloudWatchLogs, logGroupFromArn } from '../../services/logs';
import { type MetricSeries, type MetricsStore, restDimensionSets } from '../../services/metrics';
import type { RestInvocation } from '../context';
import { contextVariables } from '../context-variables';
import { methodSettingsFor } from '../method-settings';

export interface MonitoringDeps {
  readonly metrics: MetricsStore;
  readonly logs: CloudWatchLogs;
}

interface RestSeries {
  readonly count: MetricSeries[];
  readonly e4: MetricSeries[];
  readonly e5: MetricSeries[];
  readonly latency: MetricSeries[];
  readonly integrationLatency: MetricSeries[];
  readonly hit: MetricSeries[];
  readonly miss: MetricSeries[];
}

export function monitoringStep(deps: MonitoringDeps): Step<RestInvocation> {
  const handles = new Map<string, RestSeries>();
  const seriesFor = (apiName: string, stage: string | undefined, method: string | undefined, resource: string | undefined, detailed: boolean): RestSeries => {
    const id = `${apiName}|${stage ?? ''}|${method ?? ''}|${resource ?? ''}|${detailed}`;
    let s = handles.get(id);
    if (!s) {
      const sets = restDimensionSets(apiName, stage, method && resource ? { method, resource, detailed } : undefined);
      const of = (name: string) => sets.map((d) => deps.metrics.seriesFor(name, d));
      s = {
        count: of('Count'),
        e4: of('4XXError'),
        e5: of('5XXError'),
        latency: of('Latency'),
        integrationLatency: of('IntegrationLatency'),
        hit: of('CacheHitCount'),
        miss: of('CacheMissCount'),
      };
      handles.set(id, s);
    }
    return s;
  };

  return {
    id: 'monitoring',
    phase: 'methodResponse',
    run(ctx, env) {
      if (ctx.testInvoke) return skip('Console Test invocations are not recorded in CloudWatch metrics or access logs.');
      const at = env.now;
      const status = ctx.response?.statusCode ?? 500;
      const latency = at - ctx.receivedAt;
      const route = ctx.route;
      const stage = ctx.stage;
      const settings = route && stage ? methodSettingsFor(stage.settings, route.resource.path, route.method.httpMethod) : undefined;
      const s = seriesFor(ctx.apiName, stage?.name, route?.method.httpMethod, route?.resource.path, settings?.metricsEnabled ?? false);
      add(s.count, 1, at);
      add(s.e4, status >= 400 && status < 500 ? 1 : 0, at);
      add(s.e5, status >= 500 ? 1 : 0, at);
      add(s.latency, latency, at);
      const integrationRan = ctx.endpointResponse !== undefined && ctx.cache?.status !== 'hit';
      if (integrationRan) add(s.integrationLatency, ctx.endpointResponse!.latencyMs, at);
      if (ctx.cache) {
        add(s.hit, ctx.cache.status === 'hit' ? 1 : 0, at);
        add(s.miss, ctx.cache.status === 'hit' ? 0 : 1, at);
      }

      const access = stage?.settings.accessLogSettings;
      if (!access?.format) {
        return next(ctx, () => `CloudWatch metrics: ${recorded(status, latency, integrationRan, ctx.cache?.status)}. No access log is configured on this stage.`, {
          detail: { latencyMs: latency, status },
        });
      }
      const line = compileAccessLog(access.format)(accessLogVariables(ctx, at));
      const group = access.destinationArn ? logGroupFromArn(access.destinationArn) : `API-Gateway-Access-Logs_${ctx.apiId}/${stage!.name}`;
      deps.logs.put(group, stage!.name, [{ timestamp: at, message: line }]);
      return next({ ...ctx, accessLog: line }, () => `CloudWatch metrics: ${recorded(status, latency, integrationRan, ctx.cache?.status)}. Access log line written to ${group}.`, {
        detail: { latencyMs: latency, status, accessLog: line, logGroup: group },
      });
    },
  };
}

function add(list: readonly MetricSeries[], v: number, at: number): void {
  for (let i = 0; i < list.length; i++) list[i]!.add(v, at);
}

function recorded(status: number, latency: number, integrationRan: boolean, cache: string | undefined): string {
  return ['Count', status >= 500 ? '5XXError=1' : status >= 400 ? '4XXError=1' : null, `Latency=${Math.round(latency)} ms`, integrationRan ? 'IntegrationLatency' : null, cache ? (cache === 'hit' ? 'CacheHitCount=1' : 'CacheMissCount=1') : null]
    .filter(Boolean)
    .join(', ');
}

/** `$context` for access logs: the template variables plus the access-log-only ones (reference §2.4). */
export function accessLogVariables(ctx: RestInvocation, now: number): Record<string, unknown> {
  const vars = contextVariables(ctx, now);
  const res = ctx.response;
  const integrationRan = ctx.endpointResponse !== undefined && ctx.cache?.status !== 'hit';
  const responseLength = res ? (res.isBase64Encoded ? Buffer.from(res.body, 'base64').length : Buffer.byteLength(res.body)) : 0;
  return {
    ...vars,
    responseLength,
    integrationLatency: integrationRan ? Math.round(ctx.endpointResponse!.latencyMs) : '',
    integrationStatus: integrationRan ? ctx.endpointResponse!.statusCode : '',
    integration: {
      status: integrationRan ? ctx.endpointResponse!.statusCode : '',
      integrationStatus: integrationRan ? ctx.endpointResponse!.statusCode : '',
      latency: integrationRan ? Math.round(ctx.endpointResponse!.latencyMs) : '',
      error: ctx.integrationError ?? '',
      requestId: ctx.endpointResponse?.headers['x-amzn-RequestId'] ?? '',
    },
    responseLatency: Math.round(now - ctx.receivedAt),
  };
}
