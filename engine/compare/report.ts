/**
 * The `Differences:` section `gateway-lab run` prints after a comparison scenario: per request
 * step what differed between the gateway types, then the price per million requests and what
 * HTTP APIs lack.
 */
import { HTTP_API_MISSING_FEATURES } from '../http/http-api-host';
import { formatDollars } from '../services/cost';
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
    const req = o.step.request;
    lines.push(`  step ${o.step.index}${req ? ` (${req.method} ${req.path})` : ''}:`);
    for (const l of formatComparison(compareTraces(o.traces), seenEvents, o.step.index)) lines.push(`    ${l}`);
  }
  const prices = comparePrices(gateways);
  lines.push(`  ${formatPrices(prices)}`);
  const big = comparePrices(gateways, 100_000_000);
  lines.push(`  at 100 million requests a month: ${(Object.keys(big.monthly) as GatewayType[]).map((g) => `${g} ${formatDollars(big.monthly[g]!)}`).join(', ')}`);
  if (gateways.includes('REST') && gateways.includes('HTTP')) lines.push(`  not in HTTP APIs (REST has them): ${HTTP_API_MISSING_FEATURES.join('; ')}`);
  return lines;
}
