/**
 * Scenario steps for stage services: `updateStage` (stage settings change in place, no deploy),
 * `flushCache` (FlushStageCache) and `load` (a load simulation, checked against `expect`).
 */
import type { Gateway } from '../gateway';
import { simulateLoad } from '../load/simulate';
import type { LoadClient, LoadProgress, LoadResult } from '../load/types';
import type { RestApiHost } from '../rest/rest-api-host';
import type { GatewayType } from '../trace/types';
import { checkLoadExpectation } from './load-expect';
import { mergePatch } from './merge-patch';
import type { ApiRuntime, StepOutcome } from './session';
import { toHttpRequest } from './session';
import { stageSettingsFromConfig } from './stage-settings';
import type { LoadStepSpec, RequestSpec, Scenario, ScenarioStep, StageConfig, StageUpdate } from './types';

/** What these steps need from the session. */
export interface ServiceStepHost {
  readonly scenario: Scenario;
  readonly gateway: Gateway;
  readonly rest?: RestApiHost;
  runtime(type: GatewayType): ApiRuntime | undefined;
  /** `{{token.X}}` and `{{apiKey.X}}` resolved. */
  resolve(spec: RequestSpec): RequestSpec;
}

/** The stage services as changed by updateStage steps so far, per session (gateway). */
const currentStage = new WeakMap<Gateway, StageConfig>();

const SERVICE_FIELDS = ['methodSettings', 'throttling', 'cache', 'logging', 'accessLogFormat', 'accessLogDestinationArn'] as const;

/**
 * The stage-services part of an updateStage step (throttling, cache, logging, access logs,
 * method settings): a merge patch on the scenario's stage settings, applied at once, no deploy.
 * Variables and the canary are the session's business.
 */
export function applyStageServiceUpdate(host: ServiceStepHost, stageName: string, update: StageUpdate): void {
  const patch: Record<string, unknown> = {};
  for (const f of SERVICE_FIELDS) if (update[f] !== undefined) patch[f] = update[f];
  if (Object.keys(patch).length === 0) return;
  if (!host.rest) throw new Error('updateStage needs a REST API');
  const before = currentStage.get(host.gateway) ?? host.scenario.stage;
  const next = mergePatch(before, patch);
  currentStage.set(host.gateway, next);
  host.rest.updateStage(stageName, stageSettingsFromConfig({ ...next, variables: undefined }));
}

export async function runServiceStep(host: ServiceStepHost, step: ScenarioStep): Promise<StepOutcome> {
  const base = { step, traces: {}, checks: [], passed: true };
  const stageName = host.scenario.stage.name;
  if (step.flushCache !== undefined) {
    if (!host.rest) throw new Error('flushCache needs a REST API');
    const n = host.rest.flushStageCache(step.flushCache);
    return { ...base, kind: 'flushCache', summary: `Flushed the cache of stage "${step.flushCache}": ${n} entr${n === 1 ? 'y' : 'ies'} dropped.` };
  }
  const spec = step.load!;
  const load: Partial<Record<GatewayType, LoadResult>> = {};
  const checks: (StepOutcome['checks'][number])[] = [];
  const comparing = host.scenario.gateways.length > 1;
  for (const type of host.scenario.gateways) {
    const result = await simulateScenarioLoad(host, spec, type);
    load[type] = result;
    if (step.expectLoad) {
      const { REST, HTTP, WEBSOCKET, ...shared } = step.expectLoad;
      const expectation = { ...shared, ...({ REST, HTTP, WEBSOCKET }[type] ?? {}) };
      for (const c of checkLoadExpectation(expectation, result)) checks.push({ ...c, ...(comparing ? { gateway: type } : {}) });
    }
  }
  const first = load[host.scenario.gateways[0]!]!;
  return {
    step,
    kind: 'load',
    summary: loadSummary(first),
    traces: {},
    checks,
    passed: checks.every((c) => c.passed),
    load,
  };
}

/** Run a load against one gateway type of the scenario; the clock ends at the end of the run. */
export async function simulateScenarioLoad(
  host: ServiceStepHost,
  spec: LoadStepSpec,
  type: GatewayType,
  options: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void } = {},
): Promise<LoadResult> {
  const runtime = host.runtime(type);
  if (!runtime) throw new Error(`this scenario has no ${type} API`);
  const clients: LoadClient[] = spec.clients.map((c) => {
    const specs = c.requests ?? (c.request ? [c.request] : []);
    return {
      name: c.name,
      arrival: c.arrival,
      requests: specs.map((r) => {
        const withKey: RequestSpec = c.apiKey ? { ...r, headers: { ...(r.headers ?? {}), 'x-api-key': `{{apiKey.${c.apiKey}}}` } } : r;
        return toHttpRequest(host.resolve(withKey));
      }),
      ...(c.start !== undefined ? { start: c.start } : {}),
      ...(c.end !== undefined ? { end: c.end } : {}),
    };
  });
  const clock = host.gateway.clock;
  const startAt = clock.now();
  const result = await simulateLoad(
    {
      type,
      handle: (request, o) => runtime.handle(request, { at: o.at, snapshots: o.snapshots, lean: o.lean }),
      ...(runtime.cacheSizeGb ? { cacheSizeGb: () => runtime.cacheSizeGb!() } : {}),
    },
    {
      durationSeconds: spec.duration,
      clients,
      ...(spec.sampleTraces !== undefined ? { sampleTraces: spec.sampleTraces } : {}),
      ...(spec.seriesPoints !== undefined ? { maxSeriesPoints: spec.seriesPoints } : {}),
    },
    {
      startAt,
      random: host.gateway.random.fork(`load:${type}:${startAt}`),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
  clock.advanceTo(result.endedAt);
  return result;
}

export function loadSummary(r: LoadResult): string {
  const t = r.totals;
  const by = Object.entries(t.throttledBy)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const parts = [
    `${t.requests} requests in ${r.durationSeconds} s`,
    `${t.allowed} allowed`,
    `${t.throttled} throttled${by ? ` (${by})` : ''}`,
    ...(t.quotaExceeded ? [`${t.quotaExceeded} over quota`] : []),
    ...(t.cacheHits + t.cacheMisses ? [`cache ${t.cacheHits} hits / ${t.cacheMisses} misses`] : []),
    ...(t.errors ? [`${t.errors} errors`] : []),
    `p95 ${round(t.latency.p95)} ms`,
    `$${t.cost.toFixed(4)}`,
  ];
  return parts.join(', ');
}

const round = (n: number) => Math.round(n * 10) / 10;
