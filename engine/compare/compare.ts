/**
 * Comparing gateway types: the same request's traces side by side, aligned by phase (the boxes
 * of the lifecycle diagram), and what differs: steps only one side ran, the Lambda event each
 * side built, error bodies, latency, and the price per million requests (services/cost.ts).
 *
 * Pure data in, pure data out: the CLI prints it (`Differences:`), the app draws it.
 */
import { type CostBreakdown, formatDollars, monthlyCost, type PricedGateway, SECONDS_PER_MONTH, cacheHourlyPrice } from '../services/cost';
import { type GatewayType, PHASES, type Phase, type Trace } from '../trace/types';

export interface LaneStep {
  readonly step: string;
  readonly outcome: string;
  readonly summary: string;
  readonly durationMs: number;
}

/** One phase of the lifecycle, and what each gateway type did in it. */
export interface PhaseLane {
  readonly phase: Phase;
  readonly steps: Readonly<Partial<Record<GatewayType, readonly LaneStep[]>>>;
}

export interface OnlyOneSide {
  readonly gateway: GatewayType;
  readonly step: string;
  readonly phase: Phase;
}

export interface EventDifference {
  /** Payload format of each side's Lambda event (`1.0` when the event has no version). */
  readonly formats: Readonly<Partial<Record<GatewayType, string>>>;
  /** Top-level keys only one side's event has. */
  readonly onlyIn: Readonly<Partial<Record<GatewayType, readonly string[]>>>;
  /** `requestContext` keys only one side's event has. */
  readonly requestContextOnlyIn: Readonly<Partial<Record<GatewayType, readonly string[]>>>;
  /** Top-level keys both have, with different values. */
  readonly differingValues: readonly string[];
}

export interface TraceComparison {
  readonly gateways: readonly GatewayType[];
  readonly lanes: readonly PhaseLane[];
  /** Steps that ran (not skipped) on one side only. */
  readonly onlyOneSide: readonly OnlyOneSide[];
  readonly status: Readonly<Partial<Record<GatewayType, number>>>;
  /** Set when the responses differ and at least one is an error (status ≥ 400). */
  readonly errorBodies?: Readonly<Partial<Record<GatewayType, { readonly statusCode: number; readonly body: string }>>>;
  readonly event?: EventDifference;
  readonly latencyMs: Readonly<Partial<Record<GatewayType, number>>>;
  /** Whether a Lambda cold start is part of that latency (the function is shared, so whoever calls first pays it). */
  readonly coldStart: Readonly<Partial<Record<GatewayType, boolean>>>;
}

const ran = (t: Trace) => t.steps.filter((s) => s.outcome !== 'skip');

/** The Lambda event a trace's integration request built (step detail `event`), if any. */
export function lambdaEventOf(trace: Trace): Record<string, unknown> | undefined {
  for (const s of trace.steps) {
    const e = s.detail?.event;
    if (e && typeof e === 'object' && !Array.isArray(e) && s.step !== 'authorizer') return e as Record<string, unknown>;
  }
  return undefined;
}

/** Keys of `a` that `b` lacks; a key that is only null in `a` is marked `(null)` (2.0 omits empty fields, 1.0 sets them null). */
function keysOnlyIn(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return Object.keys(a)
    .filter((k) => !(k in b))
    .map((k) => (a[k] === null ? `${k} (null)` : k));
}

function compareEvents(types: readonly GatewayType[], traces: Partial<Record<GatewayType, Trace>>): EventDifference | undefined {
  const events = types.map((t) => [t, traces[t] ? lambdaEventOf(traces[t]!) : undefined] as const).filter((e): e is readonly [GatewayType, Record<string, unknown>] => e[1] !== undefined);
  if (events.length < 2) return undefined;
  const [[ta, ea], [tb, eb]] = events as [readonly [GatewayType, Record<string, unknown>], readonly [GatewayType, Record<string, unknown>]];
  const rc = (e: Record<string, unknown>) => (e.requestContext && typeof e.requestContext === 'object' ? (e.requestContext as Record<string, unknown>) : {});
  return {
    formats: { [ta]: String(ea.version ?? '1.0'), [tb]: String(eb.version ?? '1.0') },
    onlyIn: { [ta]: keysOnlyIn(ea, eb), [tb]: keysOnlyIn(eb, ea) },
    requestContextOnlyIn: { [ta]: keysOnlyIn(rc(ea), rc(eb)), [tb]: keysOnlyIn(rc(eb), rc(ea)) },
    differingValues: Object.keys(ea).filter((k) => k in eb && k !== 'requestContext' && JSON.stringify(ea[k]) !== JSON.stringify(eb[k])),
  };
}

export function compareTraces(traces: Readonly<Partial<Record<GatewayType, Trace>>>): TraceComparison {
  const gateways = (Object.keys(traces) as GatewayType[]).filter((g) => traces[g] !== undefined);
  const lanes: PhaseLane[] = [];
  for (const phase of PHASES) {
    const steps: Partial<Record<GatewayType, LaneStep[]>> = {};
    for (const g of gateways) {
      const list = traces[g]!.steps.filter((s) => s.phase === phase).map((s) => ({ step: s.step, outcome: s.outcome, summary: s.summary, durationMs: s.durationMs }));
      if (list.length) steps[g] = list;
    }
    if (Object.keys(steps).length) lanes.push({ phase, steps });
  }
  const onlyOneSide: OnlyOneSide[] = [];
  for (const g of gateways) {
    const others = gateways.filter((o) => o !== g);
    for (const s of ran(traces[g]!)) {
      if (others.every((o) => !ran(traces[o]!).some((x) => x.step === s.step))) onlyOneSide.push({ gateway: g, step: s.step, phase: s.phase });
    }
  }
  const status = Object.fromEntries(gateways.map((g) => [g, traces[g]!.response.statusCode]));
  const bodies = gateways.map((g) => traces[g]!.response);
  const anyError = bodies.some((r) => r.statusCode >= 400);
  const differ = bodies.some((r) => r.statusCode !== bodies[0]!.statusCode || r.body !== bodies[0]!.body);
  const event = compareEvents(gateways, traces);
  return {
    gateways,
    lanes,
    onlyOneSide,
    status,
    ...(anyError && differ ? { errorBodies: Object.fromEntries(gateways.map((g) => [g, { statusCode: traces[g]!.response.statusCode, body: traces[g]!.response.body }])) } : {}),
    ...(event ? { event } : {}),
    latencyMs: Object.fromEntries(gateways.map((g) => [g, traces[g]!.durationMs])),
    coldStart: Object.fromEntries(gateways.map((g) => [g, traces[g]!.steps.some((s) => s.detail?.coldStart === true)])),
  };
}

export interface PriceComparison {
  readonly requestsPerMonth: number;
  readonly perMillion: Readonly<Partial<Record<GatewayType, number>>>;
  readonly monthly: Readonly<Partial<Record<GatewayType, number>>>;
}

/** Price per million requests and per month at a volume (first-tier rates at 1M; tiers apply above). */
export function comparePrices(gateways: readonly GatewayType[], requestsPerMonth = 1_000_000, averageBytes = 1024): PriceComparison {
  const priced = gateways.filter((g): g is PricedGateway => g === 'REST' || g === 'HTTP' || g === 'WEBSOCKET');
  const costs = priced.map((g) => [g, monthlyCost(g, { requests: requestsPerMonth, averageBytes })] as const);
  return {
    requestsPerMonth,
    perMillion: Object.fromEntries(costs.map(([g, c]) => [g, c.perMillion])),
    monthly: Object.fromEntries(costs.map(([g, c]) => [g, c.total])),
  };
}

/** A month of traffic to price: requests (WebSocket: messages) and their average size. */
export interface TrafficEstimate {
  readonly requestsPerMonth: number;
  /** Average payload in bytes (HTTP meters in 512 KB units, WebSocket in 32 KB); default 1024. */
  readonly averageBytes?: number;
  /** REST only: a stage cache of this size (GB) provisioned all month. */
  readonly cacheSizeGb?: string;
  /** WebSocket only: connection minutes per month. */
  readonly connectionMinutes?: number;
}

export interface CostEstimate {
  readonly requestsPerMonth: number;
  /** The same traffic as a sustained rate (a 730-hour month). */
  readonly requestsPerSecond: number;
  readonly averageBytes: number;
  /** Each gateway type's month: requests by tier, cache hours, connection minutes. */
  readonly byGateway: Readonly<Partial<Record<GatewayType, CostBreakdown>>>;
  /** The REST stage cache's hourly price, when one is priced. */
  readonly cacheHourly?: number;
  /** The cheapest gateway type for this traffic, and what each other one costs more per month. */
  readonly cheapest?: GatewayType;
  readonly moreThanCheapest: Readonly<Partial<Record<GatewayType, number>>>;
}

/**
 * What a month of this traffic costs on each gateway type, tier by tier (services/cost.ts): the
 * comparison view's "per million and per month at a chosen traffic".
 */
export function estimateCost(gateways: readonly GatewayType[], traffic: TrafficEstimate): CostEstimate {
  const averageBytes = traffic.averageBytes ?? 1024;
  const byGateway: Partial<Record<GatewayType, CostBreakdown>> = {};
  for (const g of gateways) {
    byGateway[g] = monthlyCost(g as PricedGateway, {
      requests: traffic.requestsPerMonth,
      averageBytes,
      ...(g === 'REST' && traffic.cacheSizeGb ? { cacheSizeGb: traffic.cacheSizeGb } : {}),
      ...(g === 'WEBSOCKET' && traffic.connectionMinutes ? { connectionMinutes: traffic.connectionMinutes } : {}),
    });
  }
  const priced = gateways.filter((g) => byGateway[g]);
  const cheapest = priced.length > 1 ? priced.reduce((a, b) => (byGateway[b]!.total < byGateway[a]!.total ? b : a)) : undefined;
  const moreThanCheapest = cheapest ? Object.fromEntries(priced.map((g) => [g, byGateway[g]!.total - byGateway[cheapest]!.total])) : {};
  return {
    requestsPerMonth: traffic.requestsPerMonth,
    requestsPerSecond: traffic.requestsPerMonth / SECONDS_PER_MONTH,
    averageBytes,
    byGateway,
    ...(traffic.cacheSizeGb && gateways.includes('REST') ? { cacheHourly: cacheHourlyPrice(traffic.cacheSizeGb) } : {}),
    ...(cheapest ? { cheapest } : {}),
    moreThanCheapest,
  };
}

/** `Differences:` lines for one compared request. `seenEvent` (a key of an earlier event difference) shortens a repeat. */
export function formatComparison(c: TraceComparison, seenEvent?: Map<string, number>, stepIndex?: number): string[] {
  const lines: string[] = [];
  const side = (g: GatewayType) => c.onlyOneSide.filter((o) => o.gateway === g).map((o) => `${o.step} (${o.phase})`);
  const lifecycle = c.gateways.map((g) => (side(g).length ? `only ${g}: ${side(g).join(', ')}` : '')).filter(Boolean);
  if (lifecycle.length) lines.push(`lifecycle: ${lifecycle.join('; ')}`);
  const statuses = c.gateways.map((g) => `${g} ${c.status[g]}`).join(', ');
  if (new Set(Object.values(c.status)).size > 1) lines.push(`status: ${statuses}`);
  if (c.errorBodies) lines.push(`bodies: ${c.gateways.map((g) => `${g} ${c.errorBodies![g]!.statusCode} ${c.errorBodies![g]!.body}`).join(' | ')}`);
  // Repeats are recognised by the shape of the difference, not by which fields happened to be empty.
  const stable = (list: readonly string[] | undefined) => (list ?? []).filter((k) => !k.endsWith(' (null)'));
  const eventKey = c.event
    ? JSON.stringify([c.event.formats, c.gateways.map((g) => stable(c.event!.onlyIn[g])), c.gateways.map((g) => stable(c.event!.requestContextOnlyIn[g]))])
    : undefined;
  const earlier = eventKey !== undefined ? seenEvent?.get(eventKey) : undefined;
  if (c.event && earlier !== undefined) {
    lines.push(`event: ${c.gateways.map((g) => `${g} payload ${c.event!.formats[g]}`).join(', ')}, the same key differences as step ${earlier}`);
  } else if (c.event) {
    const e = c.event;
    if (eventKey !== undefined && stepIndex !== undefined) seenEvent?.set(eventKey, stepIndex);
    lines.push(`event: ${c.gateways.map((g) => `${g} payload ${e.formats[g]}`).join(', ')}`);
    for (const g of c.gateways) {
      const top = e.onlyIn[g] ?? [];
      const rc = e.requestContextOnlyIn[g] ?? [];
      if (top.length || rc.length) {
        lines.push(`  only in ${g}'s event: ${[...top, ...rc.map((k) => `requestContext.${k}`)].join(', ')}`);
      }
    }
    if (e.differingValues.length) lines.push(`  same key, different value: ${e.differingValues.join(', ')}`);
  }
  lines.push(`latency: ${c.gateways.map((g) => `${g} ${Math.round(c.latencyMs[g]!)} ms${c.coldStart[g] ? ' (with a Lambda cold start)' : ''}`).join(', ')}`);
  return lines;
}

export function formatPrices(p: PriceComparison): string {
  const gs = Object.keys(p.perMillion) as GatewayType[];
  const per = gs.map((g) => `${g} ${formatDollars(p.perMillion[g]!)}`).join(', ');
  const rest = p.perMillion.REST;
  const http = p.perMillion.HTTP;
  const saving = rest !== undefined && http !== undefined && rest > 0 ? ` (HTTP costs ${Math.round((1 - http / rest) * 100)}% less)` : '';
  return `price per million requests: ${per}${saving}`;
}
