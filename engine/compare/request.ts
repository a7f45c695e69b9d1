/**
 * One request through several gateway types of a scenario session, compared: the traces, their
 * phases aligned and differences listed (compareTraces), the Lambda event each side delivered,
 * and what a million requests and a month cost on each side. What the app's comparison view
 * shows; the CLI's `Differences:` section is built from the same parts.
 */
import { HTTP_API_MISSING_FEATURES } from '../http/http-api-host';
import type { ScenarioSession } from '../scenario/session';
import type { RequestSpec } from '../scenario/types';
import type { GatewayType, Trace } from '../trace/types';
import { type CostEstimate, estimateCost, lambdaEventOf, type TraceComparison, compareTraces } from './compare';

export interface RequestComparison {
  /** Each gateway type's trace, in the order asked for. */
  readonly traces: readonly { readonly gateway: GatewayType; readonly trace: Trace }[];
  readonly comparison: TraceComparison;
  /** The Lambda event each side's integration built (absent where no Lambda ran). */
  readonly events: Readonly<Partial<Record<GatewayType, Record<string, unknown>>>>;
  /** A million requests a month on each side (the default traffic; price other volumes with estimateCost). */
  readonly prices: CostEstimate;
  /** The REST stage's cache size (GB), if it has one: it is billed by the hour on top of requests. */
  readonly cacheSizeGb?: string;
  /** When REST and HTTP are compared: what HTTP APIs do not offer. */
  readonly notInHttp?: readonly string[];
}

/** Send `request` through each gateway type, one after the other, on the session's clock. */
export async function compareRequest(session: ScenarioSession, request: RequestSpec, gateways: readonly GatewayType[]): Promise<RequestComparison> {
  const traces: { gateway: GatewayType; trace: Trace }[] = [];
  for (const gateway of gateways) traces.push({ gateway, trace: await session.send(request, gateway) });
  const byType: Partial<Record<GatewayType, Trace>> = Object.fromEntries(traces.map((t) => [t.gateway, t.trace]));
  const events: Partial<Record<GatewayType, Record<string, unknown>>> = {};
  for (const { gateway, trace } of traces) {
    const e = lambdaEventOf(trace);
    if (e) events[gateway] = e;
  }
  const cacheSizeGb = gateways.includes('REST') ? session.cacheSizeGb() : undefined;
  return {
    traces,
    comparison: compareTraces(byType),
    events,
    prices: estimateCost(gateways, { requestsPerMonth: 1_000_000 }),
    ...(cacheSizeGb ? { cacheSizeGb } : {}),
    ...(gateways.includes('REST') && gateways.includes('HTTP') ? { notInHttp: HTTP_API_MISSING_FEATURES } : {}),
  };
}
