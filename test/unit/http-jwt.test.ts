/**
 * The JWT authorizer of HTTP APIs, end to end through the pipeline: every attack from the
 * issue must come back 401 without the function running.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { IdentityProvider, type IdentityProviderConfig } from '../../engine/auth/identity-provider';
import { loadScenarioFile } from '../../engine/scenario/loader';
import { LiveEndpoint } from '../../main/live/live-endpoint';
import { HttpOidcFetcher, OIDC_FETCH_TIMEOUT_MS } from '../../engine/auth/oidc-fetcher';
import type { HttpApiDefinition } from '../../engine/http/definition';
import { fn } from '../helpers';
import { type HttpFixture, httpFixture } from '../http-helpers';

const ISSUER = 'https://auth.example.test';
const identity: IdentityProviderConfig = {
  issuer: ISSUER,
  audience: 'pets-api',
  users: {
    alice: { scope: 'pets/read pets/write', claims: { email: 'alice@example.test', groups: ['admins', 'vets'], verified: true } },
    bob: { scope: 'pets/read' },
  },
};

const api = (issuer = ISSUER): HttpApiDefinition => ({
  authorizers: { jwt: { authorizerType: 'JWT', jwtConfiguration: { issuer, audience: ['pets-api', 'app-client'] } } },
  integrations: { echo: { integrationType: 'AWS_PROXY', function: 'echo' } },
  routes: {
    'GET /pets': { target: 'echo', authorizationType: 'JWT', authorizerId: 'jwt', authorizationScopes: ['pets/read'] },
    'POST /pets': { target: 'echo', authorizationType: 'JWT', authorizerId: 'jwt', authorizationScopes: ['pets/write'] },
    'GET /v1/pets': { target: 'echo', authorizationType: 'JWT', authorizerId: 'jwt' },
  },
});

const echo = fn('echo', `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer || null) });`);

describe('JWT authorizer', () => {
  let f: HttpFixture;
  beforeAll(async () => {
    f = await httpFixture(api(), { functions: [echo], identity });
  });
  afterAll(() => f.close());
  const get = (token: string | undefined, path = '/pets') => f.send('GET', path, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });

  it('accepts a valid token and passes claims on as strings, with the token scopes', async () => {
    const t = await get(f.idp!.mint({ user: 'alice' }));
    expect(t.response.statusCode).toBe(200);
    const body = JSON.parse(t.response.body) as { jwt: { claims: Record<string, string>; scopes: string[] } };
    expect(body.jwt.claims).toMatchObject({ email: 'alice@example.test', groups: '[admins vets]', verified: 'true', iss: ISSUER, aud: 'pets-api' });
    expect(typeof body.jwt.claims.exp).toBe('string');
    expect(body.jwt.scopes).toEqual(['pets/read', 'pets/write']);
    const authorizer = t.steps.find((s) => s.step === 'authorizer')!;
    expect(authorizer.detail?.keyLookup).toEqual([
      'GET https://auth.example.test/.well-known/openid-configuration → 200 (in-process)',
      'GET https://auth.example.test/.well-known/jwks.json → 200 (in-process)',
    ]);
  });

  it('takes the token raw or after "Bearer ", and uses the cached JWKS afterwards', async () => {
    const t = await f.send('GET', '/pets', { headers: { authorization: f.idp!.mint({ user: 'bob' }) } });
    expect(t.response.statusCode).toBe(200);
    expect(t.steps.find((s) => s.step === 'authorizer')!.detail?.keyLookup).toEqual([expect.stringMatching(/from the cached JWKS/)]);
  });

  it('scopes are null on a route that requires none', async () => {
    const t = await get(f.idp!.mint({ user: 'bob' }), '/v1/pets');
    expect(JSON.parse(t.response.body)).toMatchObject({ jwt: { scopes: null } });
  });

  const attacks: [string, () => string, RegExp][] = [
    ['alg none', () => f.idp!.mint({ user: 'alice', forge: 'alg-none' }), /signing method none is invalid/],
    ['HS256 signed with the public key', () => f.idp!.mint({ user: 'alice', forge: 'hs256-public-key' }), /signing method HS256 is invalid/],
    ['a token from another issuer', () => f.idp!.mint({ user: 'alice', issuer: 'https://evil.example' }), /valid issuer/],
    ['an expired token', () => f.idp!.mint({ user: 'alice', expiresIn: -1 }), /the token has expired/],
    ['a not-yet-valid token', () => f.idp!.mint({ user: 'alice', notBefore: 600 }), /not valid yet/],
    ['a tampered payload', () => f.idp!.mint({ user: 'alice', forge: 'tampered-payload' }), /signature is invalid/],
    ['an unknown kid', () => f.idp!.mint({ user: 'alice', forge: 'unknown-kid' }), /signing key/],
    ['garbage', () => 'not.a.jwt', /malformed/],
  ];
  for (const [name, make, description] of attacks) {
    it(`rejects ${name} with 401 and www-authenticate, without invoking the function`, async () => {
      const t = await get(make());
      expect(t.response.statusCode).toBe(401);
      expect(t.response.body).toBe('{"message":"Unauthorized"}');
      expect(t.stoppedAt).toBe('authorizer');
      expect(t.steps.some((s) => s.step === 'integration' && s.outcome !== 'skip')).toBe(false);
      const www = t.response.headers['www-authenticate']![0]!;
      expect(www).toMatch(/^Bearer scope="" error="invalid_token" error_description="/);
      expect(www).toMatch(description);
    });
  }

  it('refetches the JWKS for an unknown kid before rejecting it', async () => {
    const t = await get(f.idp!.mint({ user: 'alice', forge: 'unknown-kid' }));
    const lookup = t.steps.find((s) => s.step === 'authorizer')!.detail?.keyLookup as string[];
    expect(lookup[0]).toMatch(/kid not-a-known-key is not in the cached JWKS: refetching/);
    expect(lookup[1]).toMatch(/openid-configuration → 200/);
  });

  it('answers 401 without www-authenticate when there is no token', async () => {
    const t = await get(undefined);
    expect(t.response.statusCode).toBe(401);
    expect(t.response.headers['www-authenticate']).toBeUndefined();
  });

  it('checks the audience (AWS documented header)', async () => {
    const t = await get(f.idp!.mint({ user: 'alice', audience: 'billing-api' }));
    expect(t.response.statusCode).toBe(401);
    expect(t.response.headers['www-authenticate']).toEqual(['Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"']);
  });

  it('uses aud when present, client_id only when aud is absent (Cognito access tokens)', async () => {
    const cognito = new IdentityProvider({ issuer: ISSUER, style: 'cognito', clientId: 'app-client', users: { carol: { scope: 'pets/read' } } }, () => f.gateway.clock.now());
    expect((await get(cognito.mint({ user: 'carol' }))).response.statusCode).toBe(200); // client_id app-client, no aud
    expect((await get(cognito.mint({ user: 'carol', audience: 'other' }))).response.statusCode).toBe(401); // aud wins over client_id
  });

  it('answers 403 insufficient_scope for a valid token without the route scope', async () => {
    const t = await f.send('POST', '/pets', { headers: { Authorization: `Bearer ${f.idp!.mint({ user: 'bob' })}` }, body: {} });
    expect(t.response.statusCode).toBe(403);
    expect(t.response.body).toBe('{"message":"Forbidden"}');
    expect(t.response.headers['www-authenticate']![0]).toMatch(/^Bearer scope="pets\/write" error="insufficient_scope"/);
  });

  it('accepts RS384 and RS512', async () => {
    expect((await get(f.idp!.mint({ user: 'alice', algorithm: 'RS384' }))).response.statusCode).toBe(200);
    expect((await get(f.idp!.mint({ user: 'alice', algorithm: 'RS512' }))).response.statusCode).toBe(200);
  });

  it('checks lifetimes on the engine clock', async () => {
    const token = f.idp!.mint({ user: 'alice', expiresIn: 60 });
    expect((await get(token)).response.statusCode).toBe(200);
    f.gateway.clock.advance(61_000);
    const t = await get(token);
    expect(t.response.statusCode).toBe(401);
    expect(t.response.headers['www-authenticate']![0]).toMatch(/the token has expired/);
  });

  it('finds a rotated key by refetching the JWKS', async () => {
    const rotated = new IdentityProvider({ ...identity, keys: 'generate' }, () => f.gateway.clock.now());
    f.gateway.issuers.register(rotated);
    const t = await get(rotated.mint({ user: 'alice' }));
    expect(t.response.statusCode).toBe(200);
    expect((t.steps.find((s) => s.step === 'authorizer')!.detail?.keyLookup as string[])[0]).toMatch(/refetching/);
  });
});

describe('JWT authorizer on the live endpoint, with the issuer served over real HTTP', () => {
  let live: LiveEndpoint;
  beforeAll(async () => {
    const r = loadScenarioFile(path.resolve(import.meta.dirname, '../../scenarios/http/jwt-authorizer.yaml'));
    if (!r.ok) throw new Error('scenario invalid');
    live = await LiveEndpoint.start(r.scenario, { port: 0 });
  });
  afterAll(() => live.close());
  const token = async (name: string) => ((await (await fetch(`${live.origin}/_gateway-lab/identity/token?name=${name}`)).json()) as { access_token: string }).access_token;

  it('fetches discovery and JWKS with HttpOidcFetcher, the path real issuers (Cognito, Auth0) take', async () => {
    const res = await fetch(`${live.url}/pets`, { headers: { Authorization: `Bearer ${await token('alice')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('apigw-requestid')).toBe(live.traces().at(-1)!.id);
    const lookup = live.traces().at(-1)!.steps.find((s) => s.step === 'authorizer')!.detail?.keyLookup as string[];
    expect(lookup).toEqual([expect.stringMatching(/^GET http:\/\/127\.0\.0\.1:\d+\/_gateway-lab\/identity\/\.well-known\/openid-configuration → 200 \(http\)$/), expect.stringMatching(/jwks\.json → 200 \(http\)$/)]);
  });

  it('still rejects forged and expired tokens', async () => {
    for (const name of ['forgedNone', 'expired']) {
      const res = await fetch(`${live.url}/pets`, { headers: { Authorization: `Bearer ${await token(name)}` } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    }
  });
});

describe('OIDC fetch timeouts', () => {
  it('gives discovery and JWKS 1500 ms, and reports a timeout', async () => {
    expect(OIDC_FETCH_TIMEOUT_MS).toBe(1500);
    const hang = http.createServer(() => {});
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const port = (hang.address() as AddressInfo).port;
    try {
      const r = await new HttpOidcFetcher().getJson(`http://127.0.0.1:${port}/.well-known/openid-configuration`, 100);
      expect(r).toMatchObject({ status: 0, error: 'timed out after 100 ms', via: 'http' });
    } finally {
      hang.closeAllConnections();
      await new Promise<void>((r) => hang.close(() => r()));
    }
  });
});
