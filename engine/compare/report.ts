/**
 * The `Differences:` section `gateway-lab run` prints after a comparison scenario: per request
 * step what differed between the gateway types, then the price per million requests and what
 * HTTP APIs lack.
 */
import { HTTP_API_MISSING_FEATURES } from '../http/http-api-host';
import { WEBSOCKET_CONNECTION_MINUTE_PER_MILLION, WEBSOCKET_MESSAGE_TIERS, formatDollars } from '../services/cost';
import type { GatewayType, Trace } from '../trace/types';
import { compareTraces, comparePrices, formatComparison, formatPrices } from './compare';

export interface ComparedStep {
  readonly step: { readonly index: number; readonly request?: { readonly method: string; readonly path: string } };
  readonly traces: Readonly<Partial<Record<GatewayType, Trace>>>;
}

export function comparisonSection(gateways: readonly GatewayType[], steps: readonly ComparedStep[]): string[] {
  const lines = ['Differences:'];
  const seenEvents = new Map<string, number>();
  for (const o of steps) {
    // Only steps that ran on two types or more have differences (in a polling-vs-WebSocket
    // comparison the requests go to the HTTP API alone).
    if (Object.keys(o.traces).length < 2) continue;
    const req = o.step.request;
    lines.push(`  step ${o.step.index}${req ? ` (${req.method} ${req.path})` : ''}:`);
    for (const l of formatComparison(compareTraces(o.traces), seenEvents, o.step.index)) lines.push(`    ${l}`);
  }
  const prices = comparePrices(gateways.filter((g) => g !== 'WEBSOCKET'));
  lines.push(`  ${formatPrices(prices)}`);
  if (gateways.includes('WEBSOCKET')) {
    lines.push(
      `  WebSocket APIs bill messages, not requests: ${formatDollars(WEBSOCKET_MESSAGE_TIERS[0]!.perMillion)} per million messages (sent or received, in 32 KB units) plus ${formatDollars(WEBSOCKET_CONNECTION_MINUTE_PER_MILLION)} per million connection minutes`,
    );
  } else {
    const big = comparePrices(gateways, 100_000_000);
    lines.push(`  at 100 million requests a month: ${(Object.keys(big.monthly) as GatewayType[]).map((g) => `${g} ${formatDollars(big.monthly[g]!)}`).join(', ')}`);
  }
  if (gateways.includes('REST') && gateways.includes('HTTP')) lines.push(`  not in HTTP APIs (REST has them): ${HTTP_API_MISSING_FEATURES.join('; ')}`);
  return lines;
}
