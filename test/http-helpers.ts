/** Test helpers: a gateway with one HTTP API on a virtual clock. */
import type { FunctionConfig } from '../engine/backends/lambda/service';
import { VirtualClock } from '../engine/core/clock';
import { Gateway, type GatewayOptions } from '../engine/gateway';
import type { HttpApiDefinition } from '../engine/http/definition';
import type { HttpApiHost } from '../engine/http/http-api-host';
import type { IdentityProvider, IdentityProviderConfig } from '../engine/auth/identity-provider';
import { toHttpRequest } from '../engine/scenario/session';
import type { RequestSpec } from '../engine/scenario/types';
import type { Trace } from '../engine/trace/types';

export interface HttpFixture {
  readonly gateway: Gateway;
  readonly api: HttpApiHost;
  readonly idp?: IdentityProvider;
  send(method: string, path: string, init?: Omit<RequestSpec, 'method' | 'path'>): Promise<Trace>;
  close(): Promise<void>;
}

export async function httpFixture(
  definition: HttpApiDefinition,
  options: { functions?: FunctionConfig[]; identity?: IdentityProviderConfig; seed?: string; gateway?: GatewayOptions } = {},
): Promise<HttpFixture> {
  const gateway = new Gateway({ seed: options.seed ?? 'test', clock: new VirtualClock(), ...options.gateway });
  for (const f of options.functions ?? []) gateway.lambda.register(f);
  const idp = options.identity ? gateway.addIdentityProvider(options.identity) : undefined;
  const api = gateway.createHttpApi(definition);
  api.deployUndeployed();
  return {
    gateway,
    api,
    ...(idp ? { idp } : {}),
    async send(method, path, init = {}) {
      const trace = await api.handle(toHttpRequest({ method, path, ...init }));
      gateway.clock.advanceTo(trace.startedAt + trace.durationMs);
      return trace;
    },
    close: () => gateway.close(),
  };
}
