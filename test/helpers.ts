/** Test helpers: a gateway with one REST API, deployed, on a virtual clock. */
import { FUNCTION_DEFAULTS, type FunctionConfig } from '../engine/backends/lambda/service';
import { VirtualClock } from '../engine/core/clock';
import { Gateway } from '../engine/gateway';
import type { RestApiDefinition } from '../engine/model/rest-definition';
import type { RestApiHost } from '../engine/rest/rest-api-host';
import { toHttpRequest } from '../engine/scenario/session';
import type { RequestSpec } from '../engine/scenario/types';
import type { Trace } from '../engine/trace/types';

export interface RestFixture {
  readonly gateway: Gateway;
  readonly api: RestApiHost;
  send(method: string, path: string, init?: Omit<RequestSpec, 'method' | 'path'>): Promise<Trace>;
  close(): Promise<void>;
}

export function fn(name: string, code: string, extra: Partial<FunctionConfig> = {}): FunctionConfig {
  return { ...FUNCTION_DEFAULTS, environment: {}, name, code, ...extra };
}

export async function restFixture(
  definition: RestApiDefinition,
  options: { functions?: FunctionConfig[]; stage?: string; variables?: Record<string, string>; seed?: string } = {},
): Promise<RestFixture> {
  const gateway = new Gateway({ seed: options.seed ?? 'test', clock: new VirtualClock() });
  for (const f of options.functions ?? []) gateway.lambda.register(f);
  const api = gateway.createRestApi(definition);
  api.deploy(options.stage ?? 'prod', { stage: { variables: options.variables ?? {} } });
  return {
    gateway,
    api,
    async send(method, path, init = {}) {
      const trace = await api.handle(toHttpRequest({ method, path, ...init }));
      gateway.clock.advanceTo(trace.startedAt + trace.durationMs);
      return trace;
    },
    close: () => gateway.close(),
  };
}

export const json = (trace: Trace): unknown => JSON.parse(trace.response.body);

export const header = (trace: Trace, name: string): string | undefined => {
  const k = Object.keys(trace.response.headers).find((h) => h.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : trace.response.headers[k]!.join(', ');
};

export const mockGet = (body: string) => ({
  GET: {
    integration: {
      type: 'MOCK' as const,
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      integrationResponses: { '200': { responseTemplates: { 'application/json': body } } },
    },
  },
});
