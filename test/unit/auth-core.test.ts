import { describe, expect, it } from 'vitest';
import { arnMatches, evaluatePolicy } from '../../engine/auth/policy';
import { IdentityProvider } from '../../engine/auth/identity-provider';
import { JwksClient } from '../../engine/auth/jwks';
import { verifyJwt } from '../../engine/auth/jwt-verify';
import { LocalIssuers } from '../../engine/auth/oidc-fetcher';
import { AuthorizerCache } from '../../engine/auth/authorizer-cache';
import { TokenBucket } from '../../engine/services/token-bucket';

const NOW = Date.UTC(2026, 0, 15, 9);

describe('token bucket', () => {
  it('starts full at burst, refills at rate, never above burst', () => {
    const b = new TokenBucket({ rate: 5, burst: 1 });
    expect(b.take(NOW).allowed).toBe(true);
    expect(b.take(NOW).allowed).toBe(false); // burst 1: the second parallel call is throttled
    expect(b.take(NOW + 100).allowed).toBe(false); // 0.5 token after 100 ms
    expect(b.take(NOW + 200)).toMatchObject({ allowed: true, tokensBefore: 1, tokensAfter: 0 });
    expect(b.available(NOW + 60_000)).toBe(1);
  });
});

describe('IAM policy evaluation', () => {
  const arn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets';
  const policy = (effect: string, resource: string | string[]) => ({ Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] });
  it('allows a matching ARN, with wildcards', () => {
    expect(evaluatePolicy(policy('Allow', arn), arn).effect).toBe('Allow');
    expect(evaluatePolicy(policy('Allow', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/*'), arn).effect).toBe('Allow');
    expect(arnMatches('arn:aws:execute-api:*:*:abc123/*', arn)).toBe(true);
  });
  it('denies implicitly when no statement covers the ARN, explicitly when one says Deny', () => {
    expect(evaluatePolicy(policy('Allow', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/other'), arn).effect).toBe('ImplicitDeny');
    const both = { Statement: [...policy('Allow', '*').Statement, ...policy('Deny', arn).Statement] };
    expect(evaluatePolicy(both, arn).effect).toBe('Deny');
  });
  it('rejects malformed policies', () => {
    expect(() => evaluatePolicy({}, arn)).toThrow(/Statement/);
    expect(() => evaluatePolicy({ Statement: [{ Effect: 'Maybe' }] }, arn)).toThrow(/Effect/);
  });
});

describe('authorizer cache', () => {
  it('keeps a decision for the TTL, and not at all with TTL 0', () => {
    const c = new AuthorizerCache<string>();
    c.put('auth', 'token-a', 'allow', NOW, 300);
    expect(c.get('auth', 'token-a', NOW + 299_999)?.value).toBe('allow');
    expect(c.get('auth', 'token-a', NOW + 300_000)).toBeUndefined();
    c.put('auth', 'token-b', 'allow', NOW, 0);
    expect(c.get('auth', 'token-b', NOW)).toBeUndefined();
  });
});

describe('identity provider and JWT verification', () => {
  let now = NOW;
  const idp = new IdentityProvider(
    {
      issuer: 'https://auth.example.test',
      audience: 'pets-api',
      users: { alice: { scope: 'pets/read pets/write', claims: { email: 'alice@example.test' } } },
    },
    () => now,
  );
  const issuers = new LocalIssuers();
  issuers.register(idp);
  const verify = (token: string) => verifyJwt(token, { issuer: idp.issuer, jwks: new JwksClient(issuers), now });

  it('mints tokens that verify, with discovery and JWKS served in-process', async () => {
    const token = idp.mint({ user: 'alice' });
    const r = await verify(token);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.claims).toMatchObject({ iss: 'https://auth.example.test', aud: 'pets-api', scope: 'pets/read pets/write', email: 'alice@example.test' });
    expect(r.steps).toEqual([
      'GET https://auth.example.test/.well-known/openid-configuration → 200 (in-process)',
      'GET https://auth.example.test/.well-known/jwks.json → 200 (in-process)',
    ]);
  });

  it('mints the same token for the same request at the same time (repeatable traces)', () => {
    expect(idp.mint({ user: 'alice' })).toBe(idp.mint({ user: 'alice' }));
  });

  const attacks: [string, () => string, string][] = [
    ['alg none', () => idp.mint({ user: 'alice', forge: 'alg-none' }), 'algorithm'],
    ['HS256 signed with the public key', () => idp.mint({ user: 'alice', forge: 'hs256-public-key' }), 'algorithm'],
    ['another issuer', () => idp.mint({ user: 'alice', issuer: 'https://evil.example' }), 'issuer'],
    ['expired', () => idp.mint({ user: 'alice', expiresIn: -60 }), 'expired'],
    ['not yet valid', () => idp.mint({ user: 'alice', notBefore: 600 }), 'not-yet-valid'],
    ['tampered payload', () => idp.mint({ user: 'alice', forge: 'tampered-payload' }), 'signature'],
    ['unknown kid', () => idp.mint({ user: 'alice', forge: 'unknown-kid' }), 'unknown-kid'],
    ['garbage', () => 'not.a.jwt', 'malformed'],
  ];
  for (const [name, make, reason] of attacks) {
    it(`rejects ${name}`, async () => {
      const r = await verify(make());
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toBe(reason);
    });
  }

  it('checks time on the engine clock', async () => {
    const token = idp.mint({ user: 'alice', expiresIn: 60 });
    now += 61_000;
    const r = await verify(token);
    expect(r.ok || r.reason).toBe('expired');
  });
});
