/**
 * What API Gateway costs (us-east-1, on-demand; reference Part D and aws-rest.md §8): requests
 * by gateway type with AWS's tiers and metering units, WebSocket messages and connection
 * minutes, and REST stage caches by the hour. Free tier excluded. Figures marked (?) in the
 * reference are used as given there.
 */

export interface PriceTier {
  /** Requests (or messages) covered by this tier; Infinity for the last one. */
  readonly upTo: number;
  /** Dollars per million in this tier. */
  readonly perMillion: number;
}

export const REST_REQUEST_TIERS: readonly PriceTier[] = [
  { upTo: 333_000_000, perMillion: 3.5 },
  { upTo: 1_000_000_000, perMillion: 2.8 },
  { upTo: 20_000_000_000, perMillion: 2.38 },
  { upTo: Infinity, perMillion: 1.51 },
];

export const HTTP_REQUEST_TIERS: readonly PriceTier[] = [
  { upTo: 300_000_000, perMillion: 1.0 },
  { upTo: Infinity, perMillion: 0.9 },
];

export const WEBSOCKET_MESSAGE_TIERS: readonly PriceTier[] = [
  { upTo: 1_000_000_000, perMillion: 1.0 },
  { upTo: Infinity, perMillion: 0.8 },
];

export const WEBSOCKET_CONNECTION_MINUTE_PER_MILLION = 0.25;

/** HTTP API requests are metered in 512 KB increments. */
export const HTTP_METERING_BYTES = 512 * 1024;
/** WebSocket messages are metered in 32 KB increments. */
export const WEBSOCKET_METERING_BYTES = 32 * 1024;

/** REST stage cache sizes (GB) and their price per hour. */
export const CACHE_HOURLY_PRICE: Readonly<Record<string, number>> = {
  '0.5': 0.02,
  '1.6': 0.038,
  '6.1': 0.2,
  '13.5': 0.25,
  '28.4': 0.5,
  '58.2': 1.0,
  '118': 1.9,
  '237': 3.8,
};

export const HOURS_PER_MONTH = 730;

/** Cost of `units` (requests or messages) in one month, tier by tier. */
export function tieredCost(units: number, tiers: readonly PriceTier[]): number {
  let cost = 0;
  let from = 0;
  for (const t of tiers) {
    if (units <= from) break;
    const inTier = Math.min(units, t.upTo) - from;
    cost += (inTier / 1_000_000) * t.perMillion;
    from = t.upTo;
  }
  return cost;
}

/** Billable units for a payload: 1 for anything up to the metering size, then one per increment. */
export function meteredUnits(bytes: number, meteringBytes: number): number {
  return Math.max(1, Math.ceil(bytes / meteringBytes));
}

export type PricedGateway = 'REST' | 'HTTP' | 'WEBSOCKET';

export interface MonthlyTraffic {
  /** REST/HTTP requests, or WebSocket messages (sent + received), per month. */
  readonly requests: number;
  /** Average payload size in bytes (affects HTTP and WebSocket metering). */
  readonly averageBytes?: number;
  /** WebSocket connection minutes per month. */
  readonly connectionMinutes?: number;
  /** REST stage cache size in GB, provisioned all month. */
  readonly cacheSizeGb?: string;
}

export interface CostBreakdown {
  readonly gateway: PricedGateway;
  readonly requests: number;
  readonly billedUnits: number;
  readonly requestCost: number;
  readonly connectionCost: number;
  readonly cacheCost: number;
  readonly total: number;
  /** Dollars per million requests at this volume (the blended tier rate). */
  readonly perMillion: number;
}

export function monthlyCost(gateway: PricedGateway, traffic: MonthlyTraffic): CostBreakdown {
  const bytes = traffic.averageBytes ?? 1024;
  let billedUnits = traffic.requests;
  let requestCost: number;
  let connectionCost = 0;
  let cacheCost = 0;
  switch (gateway) {
    case 'REST':
      requestCost = tieredCost(billedUnits, REST_REQUEST_TIERS);
      if (traffic.cacheSizeGb) {
        const hourly = CACHE_HOURLY_PRICE[traffic.cacheSizeGb];
        if (hourly === undefined) throw new RangeError(`no stage cache of ${traffic.cacheSizeGb} GB; sizes are ${Object.keys(CACHE_HOURLY_PRICE).join(', ')}`);
        cacheCost = hourly * HOURS_PER_MONTH;
      }
      break;
    case 'HTTP':
      billedUnits = traffic.requests * meteredUnits(bytes, HTTP_METERING_BYTES);
      requestCost = tieredCost(billedUnits, HTTP_REQUEST_TIERS);
      break;
    case 'WEBSOCKET':
      billedUnits = traffic.requests * meteredUnits(bytes, WEBSOCKET_METERING_BYTES);
      requestCost = tieredCost(billedUnits, WEBSOCKET_MESSAGE_TIERS);
      connectionCost = ((traffic.connectionMinutes ?? 0) / 1_000_000) * WEBSOCKET_CONNECTION_MINUTE_PER_MILLION;
      break;
  }
  const total = requestCost + connectionCost + cacheCost;
  return {
    gateway,
    requests: traffic.requests,
    billedUnits,
    requestCost,
    connectionCost,
    cacheCost,
    total,
    perMillion: traffic.requests > 0 ? (requestCost / traffic.requests) * 1_000_000 : tieredCost(1_000_000, gateway === 'REST' ? REST_REQUEST_TIERS : gateway === 'HTTP' ? HTTP_REQUEST_TIERS : WEBSOCKET_MESSAGE_TIERS),
  };
}

/** `$1,234.56` */
export function formatDollars(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Seconds in AWS's billing month (730 hours). */
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

export function tiersOf(gateway: PricedGateway): readonly PriceTier[] {
  return gateway === 'REST' ? REST_REQUEST_TIERS : gateway === 'HTTP' ? HTTP_REQUEST_TIERS : WEBSOCKET_MESSAGE_TIERS;
}

/** Billable units of one request or message of `bytes` (HTTP: 512 KB steps; WebSocket: 32 KB; REST: 1). */
export function unitsFor(gateway: PricedGateway, bytes: number): number {
  return gateway === 'REST' ? 1 : meteredUnits(bytes, gateway === 'HTTP' ? HTTP_METERING_BYTES : WEBSOCKET_METERING_BYTES);
}

/** Price of one request at the first tier (what the first million of a month costs, per request). */
export function pricePerRequest(gateway: PricedGateway, bytes = 0): number {
  return (unitsFor(gateway, bytes) * tiersOf(gateway)[0]!.perMillion) / 1_000_000;
}

/**
 * Gateway responses API Gateway does not bill: throttled and over-quota requests, and requests
 * that fail authentication or authorization, API keys included (re:Post, AWS staff answers;
 * the pricing page no longer says it). Unmatched routes (403 Missing Authentication Token) are
 * treated as authentication failures (?).
 */
export const UNBILLED_GATEWAY_RESPONSES: ReadonlySet<string> = new Set([
  'THROTTLED',
  'QUOTA_EXCEEDED',
  'INVALID_API_KEY',
  'UNAUTHORIZED',
  'ACCESS_DENIED',
  'EXPIRED_TOKEN',
  'INVALID_SIGNATURE',
  'MISSING_AUTHENTICATION_TOKEN',
]);

export function isBillable(gatewayResponseType: string | undefined): boolean {
  return gatewayResponseType === undefined || !UNBILLED_GATEWAY_RESPONSES.has(gatewayResponseType);
}

/** Running cost of a month's units, tier by tier: `add(n)` returns what the next n units cost. */
export class RunningCost {
  private units = 0;
  private dollars = 0;
  private readonly tiers: readonly PriceTier[];
  /** The tier the next unit falls in. */
  private tier = 0;

  constructor(readonly gateway: PricedGateway) {
    this.tiers = tiersOf(gateway);
  }

  add(units: number): number {
    if (units <= 0) return 0;
    let cost = 0;
    let left = units;
    while (left > 0) {
      const t = this.tiers[this.tier]!;
      const inTier = Math.min(left, t.upTo - this.units);
      cost += (inTier * t.perMillion) / 1_000_000;
      this.units += inTier;
      left -= inTier;
      if (this.units >= t.upTo && this.tier < this.tiers.length - 1) this.tier++;
    }
    this.dollars += cost;
    return cost;
  }

  get total(): number {
    return this.dollars;
  }

  get billedUnits(): number {
    return this.units;
  }
}

/** Hourly price of a REST stage cache of `sizeGb`, or 0 without a cache. */
export function cacheHourlyPrice(sizeGb: string | undefined): number {
  if (sizeGb === undefined) return 0;
  const p = CACHE_HOURLY_PRICE[sizeGb];
  if (p === undefined) throw new RangeError(`no stage cache of ${sizeGb} GB; sizes are ${Object.keys(CACHE_HOURLY_PRICE).join(', ')}`);
  return p;
}

export interface TrafficProfile {
  /** Billable requests (or messages) per second, sustained all month. */
  readonly requestsPerSecond: number;
  readonly averageBytes?: number;
  /** REST only: the stage cache provisioned all month. */
  readonly cacheSizeGb?: string;
  /** WebSocket: connection minutes per month. */
  readonly connectionMinutes?: number;
}

/** What a month of this traffic costs on each gateway type (the comparison view). */
export function monthlyComparison(profile: TrafficProfile, gateways: readonly PricedGateway[] = ['REST', 'HTTP']): Record<string, CostBreakdown> {
  const requests = Math.round(profile.requestsPerSecond * SECONDS_PER_MONTH);
  const out: Record<string, CostBreakdown> = {};
  for (const g of gateways) {
    out[g] = monthlyCost(g, {
      requests,
      ...(profile.averageBytes !== undefined ? { averageBytes: profile.averageBytes } : {}),
      ...(g === 'REST' && profile.cacheSizeGb ? { cacheSizeGb: profile.cacheSizeGb } : {}),
      ...(g === 'WEBSOCKET' && profile.connectionMinutes ? { connectionMinutes: profile.connectionMinutes } : {}),
    });
  }
  return out;
}
