/**
 * CloudWatch metrics as API Gateway publishes them: namespace `AWS/ApiGateway`, one-minute
 * periods, and per period the statistics CloudWatch keeps (SampleCount, Sum, Minimum, Maximum).
 *
 * A metric is identified by its namespace, name and exact set of dimensions, as in CloudWatch:
 * `Count` with {ApiName} and `Count` with {ApiName, Stage} are two different metrics, and asking
 * for one never aggregates the other. Publishers record the same value under every dimension
 * set AWS publishes (see `dimensionSets`).
 *
 * Time comes from the caller (the engine clock), so the series are exact and repeatable.
 */

export const API_GATEWAY_NAMESPACE = 'AWS/ApiGateway';
export const PERIOD_MS = 60_000;

export type Dimensions = Readonly<Record<string, string>>;
export type MetricUnit = 'Count' | 'Milliseconds' | 'Bytes' | 'None';

export interface Datapoint {
  /** Start of the one-minute period (epoch ms). */
  readonly timestamp: number;
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly unit: MetricUnit;
}

export interface MetricId {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Dimensions;
}

interface Series {
  readonly id: MetricId;
  readonly unit: MetricUnit;
  readonly periods: Map<number, { sampleCount: number; sum: number; minimum: number; maximum: number }>;
}

export class MetricsService {
  private readonly series = new Map<string, Series>();

  /** Record one sample (a count of 1, a latency in ms...) at `at` (epoch ms). */
  put(metricName: string, dimensions: Dimensions, value: number, at: number, unit: MetricUnit = 'Count', namespace = API_GATEWAY_NAMESPACE): void {
    const key = seriesKey(namespace, metricName, dimensions);
    let s = this.series.get(key);
    if (!s) {
      s = { id: { namespace, metricName, dimensions: sortDimensions(dimensions) }, unit, periods: new Map() };
      this.series.set(key, s);
    }
    const period = Math.floor(at / PERIOD_MS) * PERIOD_MS;
    const p = s.periods.get(period);
    if (p) {
      p.sampleCount++;
      p.sum += value;
      p.minimum = Math.min(p.minimum, value);
      p.maximum = Math.max(p.maximum, value);
    } else {
      s.periods.set(period, { sampleCount: 1, sum: value, minimum: value, maximum: value });
    }
  }

  /** Record the same sample under several dimension sets (ApiId; ApiId+Stage; ...). */
  putAll(metricName: string, dimensionSets: readonly Dimensions[], value: number, at: number, unit: MetricUnit = 'Count'): void {
    for (const d of dimensionSets) this.put(metricName, d, value, at, unit);
  }

  /** One datapoint per one-minute period that has samples, oldest first (GetMetricStatistics). */
  datapoints(metricName: string, dimensions: Dimensions, range: { from?: number; to?: number; namespace?: string } = {}): Datapoint[] {
    const s = this.series.get(seriesKey(range.namespace ?? API_GATEWAY_NAMESPACE, metricName, dimensions));
    if (!s) return [];
    return [...s.periods.entries()]
      .filter(([t]) => (range.from === undefined || t >= range.from) && (range.to === undefined || t < range.to))
      .sort((a, b) => a[0] - b[0])
      .map(([timestamp, p]) => ({ timestamp, ...p, unit: s.unit }));
  }

  /** The Sum statistic over a time range (all time by default). */
  sum(metricName: string, dimensions: Dimensions, range: { from?: number; to?: number; namespace?: string } = {}): number {
    return this.datapoints(metricName, dimensions, range).reduce((n, d) => n + d.sum, 0);
  }

  /** Every metric that has data (ListMetrics). */
  list(): MetricId[] {
    return [...this.series.values()].map((s) => s.id);
  }

  clear(): void {
    this.series.clear();
  }
}

function sortDimensions(d: Dimensions): Dimensions {
  return Object.fromEntries(Object.entries(d).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function seriesKey(namespace: string, metricName: string, dimensions: Dimensions): string {
  return `${namespace}\u0000${metricName}\u0000${JSON.stringify(sortDimensions(dimensions))}`;
}
