/** The live endpoint over real sockets on 127.0.0.1: curl-like clients, the CLI, the identity provider. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, loadScenarioText } from '../../engine/scenario/loader';
import { LiveEndpoint } from '../../main/live/live-endpoint';

const root = path.resolve(import.meta.dirname, '../..');

describe('the live endpoint', () => {
  let live: LiveEndpoint;
  beforeAll(async () => {
    const r = loadScenarioFile(path.join(root, 'scenarios/rest/lambda-proxy-crud.yaml'));
    if (!r.ok) throw new Error('scenario invalid');
    live = await LiveEndpoint.start(r.scenario, { port: 0, keepTraces: 3 });
  });
  afterAll(() => live.close());

  it('listens on 127.0.0.1 and serves the API through the engine', async () => {
    expect(live.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prod$/);
    const res = await fetch(`${live.url}/pets/1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: '1', name: 'Rex', type: 'dog' });
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const created = await fetch(`${live.url}/pets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Kiki' }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/prod/pets/kiki');
  });

  it('answers gateway errors as AWS does', async () => {
    const res = await fetch(`${live.url}/nowhere`);
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('{"message":"Missing Authentication Token"}');
  });

  it('turns every request into a trace, keeping only a bounded window', async () => {
    const seen: string[] = [];
    const off = live.subscribe((t) => seen.push(t.request.path));
    for (let i = 0; i < 5; i++) await (await fetch(`${live.url}/pets?i=${i}`)).text();
    off();
    expect(seen).toEqual(Array(5).fill('/prod/pets'));
    expect(live.traces()).toHaveLength(3);
    expect(live.traces().at(-1)!.request.rawQuery).toBe('i=4');
  });
});

describe('the live identity provider', () => {
  it('serves discovery, JWKS and tokens under its own origin, and authorizers verify them over HTTP', async () => {
    const text = `id: live-idp
title: t
gateway: REST
identity:
  issuer: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example
  style: cognito
  clientId: web
  users: { alice: {} }
  tokens: { aliceId: { user: alice, use: id } }
api:
  authorizers:
    pool: { type: COGNITO_USER_POOLS, providerARNs: ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"] }
  resources:
    /me:
      GET:
        authorizer: pool
        integration:
          type: MOCK
          requestTemplates: { application/json: '{"statusCode": 200}' }
          integrationResponses: { "200": { responseTemplates: { application/json: '{"user": "$context.authorizer.claims[''cognito:username'']", "iss": "$context.authorizer.claims.iss"}' } } }
steps:
  - say: none
`;
    const r = loadScenarioText(text, 'live-idp.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const live = await LiveEndpoint.start(r.scenario, { port: 0 });
    try {
      const discovery = (await (await fetch(`${live.origin}/_gateway-lab/identity/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
      expect(discovery.issuer).toBe(`${live.origin}/_gateway-lab/identity`);
      const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: unknown[] };
      expect(jwks.keys).toHaveLength(1);
      const { access_token } = (await (await fetch(`${live.origin}/_gateway-lab/identity/token?name=aliceId`)).json()) as { access_token: string };
      const res = await fetch(`${live.url}/me`, { headers: { Authorization: access_token } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ user: 'alice', iss: `${live.origin}/_gateway-lab/identity` });
      expect((await fetch(`${live.url}/me`)).status).toBe(401);
    } finally {
      await live.close();
    }
  });
});

describe('gateway-lab serve', () => {
  it('prints "Listening on http://127.0.0.1:<port>/<stage>" first and serves until SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(root, 'main/cli/bin.mjs'), 'serve', path.join(root, 'scenarios/rest/hello-mock.yaml'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
        setTimeout(() => reject(new Error('no output within 15 s')), 15_000);
      });
      expect(first).toMatch(/^Listening on http:\/\/127\.0\.0\.1:\d+\/prod$/);
      const url = first.replace('Listening on ', '');
      const res = await fetch(`${url}/hello`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { message: string }).message).toBe('Hello from API Gateway!');
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  });

  it('leaves no server behind when the command is stopped, however it is stopped', async () => {
    // serve runs its listener in a child Node with a larger young generation (main/cli/live-heap.mjs).
    for (const signal of ['SIGINT', 'SIGKILL'] as const) {
      const child = spawn(process.execPath, [path.join(root, 'main/cli/bin.mjs'), 'serve', path.join(root, 'scenarios/rest/hello-mock.yaml'), '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const url = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          if (buf.includes('\n')) resolve(buf.split('\n')[0]!.replace('Listening on ', ''));
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
        setTimeout(() => reject(new Error('no output within 15 s')), 15_000);
      });
      expect((await fetch(`${url}/hello`)).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill(signal);
      const code = await exited;
      if (signal === 'SIGINT') expect(code).toBe(0);
      // The listener goes too: within a few seconds nothing answers on that port.
      let refused = false;
      for (let i = 0; i < 50 && !refused; i++) {
        try {
          await fetch(`${url}/hello`, { signal: AbortSignal.timeout(1000) });
          await new Promise((r) => setTimeout(r, 100));
        } catch {
          refused = true;
        }
      }
      expect(refused, `${signal}: the server on ${url} outlived its command`).toBe(true);
    }
  });
});
