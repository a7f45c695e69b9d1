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
