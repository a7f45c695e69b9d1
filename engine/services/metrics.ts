/**
 * CloudWatch metrics as API Gateway publishes them: namespace `AWS/ApiGateway`, one-minute
 * periods, each datapoint keeping SampleCount, Sum, Minimum and Maximum (so Average is
 * Sum / SampleCount: the 4XXError average is the error rate). One store per gateway (account
 * and Region), shared by every API, as CloudWatch is.
 *
 * Generic on purpose: a series is a metric name plus dimensions; the gateway types only choose
 * names and dimension sets (REST_METRICS, HTTP_METRICS, WEBSOCKET_METRICS below). A hot path
 * keeps the `MetricSeries` handle and calls `add` without building keys per request.
 */

export const API_GATEWAY_NAMESPACE = 'AWS/ApiGateway';
export const PERIOD_MS = 60_000;

export type Dimensions = Readonly<Record<string, string>>;

export interface Datapoint {
  /** Start of the one-minute period (epoch ms). */
  readonly timestamp: number;
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly average: number;
}

export type Statistic = 'SampleCount' | 'Sum' | 'Minimum' | 'Maximum' | 'Average';

interface MutablePoint {
  timestamp: number;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

/** One metric with one set of dimensions; datapoints by minute. */
export class MetricSeries {
  private readonly points = new Map<number, MutablePoint>();
  private current: MutablePoint | undefined;

  constructor(
    readonly namespace: string,
    readonly metricName: string,
    readonly dimensions: Dimensions,
    private readonly maxPeriods: number,
  ) {}

  add(value: number, at: number): void {
    const minute = at - (at % PERIOD_MS);
    let p = this.current;
    if (!p || p.timestamp !== minute) {
      p = this.points.get(minute);
      if (!p) {
        p = { timestamp: minute, sampleCount: 0, sum: 0, minimum: value, maximum: value };
        this.points.set(minute, p);
        if (this.points.size > this.maxPeriods) this.points.delete(this.points.keys().next().value as number);
      }
      this.current = p;
    }
    p.sampleCount++;
    p.sum += value;
    if (value < p.minimum) p.minimum = value;
    if (value > p.maximum) p.maximum = value;
  }

  datapoints(start = -Infinity, end = Infinity): Datapoint[] {
    return [...this.points.values()]
      .filter((p) => p.timestamp >= start && p.timestamp < end)
      .sort((a, b) => a.timestamp - b.timestamp)
      .map((p) => ({ ...p, average: p.sampleCount ? p.sum / p.sampleCount : 0 }));
  }
}

export interface MetricQuery {
  readonly metricName: string;
  readonly dimensions: Dimensions;
  readonly namespace?: string;
  readonly start?: number;
  readonly end?: number;
}

export class MetricsStore {
  private readonly series = new Map<string, MetricSeries>();

  /** Keep at most this many one-minute periods per series (CloudWatch keeps 15 days of them). */
  constructor(private readonly maxPeriods = 15 * 24 * 60) {}

  /** The series for a metric and dimension set, created on first use. */
  seriesFor(metricName: string, dimensions: Dimensions, namespace = API_GATEWAY_NAMESPACE): MetricSeries {
    const key = seriesKey(namespace, metricName, dimensions);
    let s = this.series.get(key);
    if (!s) {
      s = new MetricSeries(namespace, metricName, { ...dimensions }, this.maxPeriods);
      this.series.set(key, s);
    }
    return s;
  }

  put(metricName: string, dimensions: Dimensions, value: number, at: number, namespace = API_GATEWAY_NAMESPACE): void {
    this.seriesFor(metricName, dimensions, namespace).add(value, at);
  }

  /** GetMetricStatistics: one-minute datapoints of one series (exact dimension match, as CloudWatch). */
  statistics(q: MetricQuery): Datapoint[] {
    return this.series.get(seriesKey(q.namespace ?? API_GATEWAY_NAMESPACE, q.metricName, q.dimensions))?.datapoints(q.start, q.end) ?? [];
  }

  /** A statistic summed over all periods in range (e.g. total Count, or the Sum of CacheHitCount). */
  total(q: MetricQuery, statistic: Exclude<Statistic, 'Average' | 'Minimum' | 'Maximum'> = 'Sum'): number {
    return this.statistics(q).reduce((n, p) => n + (statistic === 'Sum' ? p.sum : p.sampleCount), 0);
  }

  /** ListMetrics. */
  list(namespace = API_GATEWAY_NAMESPACE): { metricName: string; dimensions: Dimensions }[] {
    return [...this.series.values()].filter((s) => s.namespace === namespace).map((s) => ({ metricName: s.metricName, dimensions: s.dimensions }));
  }

  clear(): void {
    this.series.clear();
  }
}

function seriesKey(namespace: string, name: string, dims: Dimensions): string {
  const parts = Object.keys(dims)
    .sort()
    .map((k) => `${k}=${dims[k]}`);
  return `${namespace}|${name}|${parts.join(',')}`;
}

/** REST API metrics (reference §7.1). Dimension sets: ApiName; ApiName+Stage; ApiName+Method+Resource+Stage (detailed). */
export const REST_METRICS = ['Count', '4XXError', '5XXError', 'CacheHitCount', 'CacheMissCount', 'Latency', 'IntegrationLatency'] as const;
/** HTTP API metrics (reference A9). Dimension sets: ApiId; ApiId+Stage; ApiId+Stage+Route (detailed). */
export const HTTP_METRICS = ['Count', '4xx', '5xx', 'Latency', 'IntegrationLatency', 'DataProcessed'] as const;
/** WebSocket API metrics. Dimension sets: ApiId; ApiId+Stage; ApiId+Stage+Route (detailed). */
export const WEBSOCKET_METRICS = ['ConnectCount', 'MessageCount', 'IntegrationError', 'ClientError', 'ExecutionError', 'IntegrationLatency'] as const;

/** REST dimension sets for one request; the per-method set only with `metricsEnabled`. */
export function restDimensionSets(apiName: string, stage: string | undefined, method?: { method: string; resource: string; detailed: boolean }): Dimensions[] {
  const sets: Dimensions[] = [{ ApiName: apiName }];
  if (stage !== undefined) {
    sets.push({ ApiName: apiName, Stage: stage });
    if (method?.detailed) sets.push({ ApiName: apiName, Method: method.method, Resource: method.resource, Stage: stage });
  }
  return sets;
}

/** HTTP and WebSocket dimension sets: ApiId; ApiId+Stage; ApiId+Stage+Route with detailed metrics. */
export function v2DimensionSets(apiId: string, stage: string | undefined, route?: { routeKey: string; detailed: boolean }): Dimensions[] {
  const sets: Dimensions[] = [{ ApiId: apiId }];
  if (stage !== undefined) {
    sets.push({ ApiId: apiId, Stage: stage });
    if (route?.detailed) sets.push({ ApiId: apiId, Stage: stage, Route: route.routeKey });
  }
  return sets;
}

/** One HTTP API request's metrics (reference A9): Count, 4xx, 5xx, Latency, IntegrationLatency, DataProcessed. */
export interface HttpRequestMetrics {
  readonly apiId: string;
  readonly stage?: string;
  readonly routeKey?: string;
  readonly detailed: boolean;
  readonly status: number;
  readonly latencyMs: number;
  /** When the integration ran. */
  readonly integrationLatencyMs?: number;
  /** Request and response bytes. */
  readonly dataProcessed: number;
  readonly at: number;
}

export function recordHttpRequest(store: MetricsStore, m: HttpRequestMetrics): void {
  const sets = v2DimensionSets(m.apiId, m.stage, m.routeKey ? { routeKey: m.routeKey, detailed: m.detailed } : undefined);
  for (const d of sets) {
    store.put('Count', d, 1, m.at);
    store.put('4xx', d, m.status >= 400 && m.status < 500 ? 1 : 0, m.at);
    store.put('5xx', d, m.status >= 500 ? 1 : 0, m.at);
    store.put('Latency', d, m.latencyMs, m.at);
    if (m.integrationLatencyMs !== undefined) store.put('IntegrationLatency', d, m.integrationLatencyMs, m.at);
    store.put('DataProcessed', d, m.dataProcessed, m.at);
  }
}

