/**
 * HTTP API pipeline speed (wall time, virtual clock):
 *  - http.warmRequestUs: one GET through the whole pipeline to a warm Lambda (payload 2.0);
 *  - http.jwtRequestUs: the same behind a JWT authorizer (keys cached: RS256 verification per request);
 *  - http.routeMatchUs: route selection among 300 routes (the per-API quota).
 */
import { VirtualClock } from '../../engine/core/clock';
import { Gateway } from '../../engine/gateway';
import { IdGenerator, SeededRandom } from '../../engine/core/random';
import { httpApiFromDefinition } from '../../engine/http/definition';
import { matchHttpRoute } from '../../engine/http/routing';
import { toHttpRequest } from '../../engine/scenario/session';
import { fn } from '../helpers';
import type { BenchResults } from './types';

async function timeRequests(gateway: Gateway, send: () => Promise<{ startedAt: number; durationMs: number }>, n: number): Promise<number[]> {
  for (let i = 0; i < 200; i++) {
    const t = await send();
    gateway.clock.advanceTo(t.startedAt + t.durationMs + 1);
  }
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const t = await send();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    gateway.clock.advanceTo(t.startedAt + t.durationMs + 1);
  }
  return samples.sort((a, b) => a - b);
}

export async function bench(): Promise<BenchResults> {
  const gateway = new Gateway({ seed: 'bench', clock: new VirtualClock() });
  gateway.lambda.register(fn('hello', `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ path: event.rawPath }) });`));
  const idp = gateway.addIdentityProvider({ issuer: 'https://auth.example.test', audience: 'api', users: { alice: { scope: 'read' } } });
  const api = gateway.createHttpApi({
    authorizers: { jwt: { authorizerType: 'JWT', jwtConfiguration: { issuer: 'https://auth.example.test', audience: ['api'] } } },
    integrations: { hello: { integrationType: 'AWS_PROXY', function: 'hello' } },
    routes: { 'GET /pets/{id}': { target: 'hello' }, 'GET /secure': { target: 'hello', authorizationType: 'JWT', authorizerId: 'jwt', authorizationScopes: ['read'] } },
  });
  const plain = toHttpRequest({ method: 'GET', path: '/pets/1', headers: { accept: 'application/json' } });
  const warm = await timeRequests(gateway, () => api.handle(plain, { snapshots: false }), 3000);
  const token = idp.mint({ user: 'alice', expiresIn: 86_400 });
  const secure = toHttpRequest({ method: 'GET', path: '/secure', headers: { authorization: `Bearer ${token}` } });
  const jwt = await timeRequests(gateway, () => api.handle(secure, { snapshots: false }), 2000);
  await gateway.close();

  const routes: Record<string, { target: string }> = {};
  for (let i = 0; i < 299; i++) routes[`GET /r${i}/{id}/items`] = { target: 'i' };
  routes['ANY /{proxy+}'] = { target: 'i' };
  const big = httpApiFromDefinition(
    { integrations: { i: { integrationType: 'AWS_PROXY', function: 'f' } }, routes },
    { id: 'b', ids: new IdGenerator(new SeededRandom('b')), region: 'us-east-1', accountId: '123456789012' },
  );
  const matchSamples: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const t0 = process.hrtime.bigint();
    matchHttpRoute(big.routes, 'GET', `/r${i % 299}/7/items`);
    matchSamples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  matchSamples.sort((a, b) => a - b);
  const med = (s: number[]) => round(s[Math.floor(s.length / 2)]!);
  return {
    'http.warmRequestUs': { value: med(warm), unit: 'us', target: 1000, ok: med(warm) <= 1000 },
    'http.warmRequestP95Us': { value: round(warm[Math.floor(warm.length * 0.95)]!), unit: 'us' },
    'http.jwtRequestUs': { value: med(jwt), unit: 'us', target: 2000, ok: med(jwt) <= 2000 },
    'http.routeMatchUs': { value: med(matchSamples), unit: 'us', target: 100, ok: med(matchSamples) <= 100 },
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
