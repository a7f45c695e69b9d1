/**
 * Signing keys of an issuer: discovery (`{issuer}/.well-known/openid-configuration` →
 * `jwks_uri`) → JWKS → key by `kid`. Keys are cached for an hour (best effort, as AWS says) and
 * refetched when a token names an unknown `kid`.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { OidcFetcher } from './oidc-fetcher';

export const JWKS_CACHE_MS = 3_600_000;

export interface KeyLookup {
  readonly key?: KeyObject;
  /** What happened, in order: the fetches made or the cache used. */
  readonly steps: readonly string[];
  readonly error?: string;
}

interface CachedKeys {
  readonly keys: Map<string, KeyObject>;
  readonly fetchedAt: number;
}

export class JwksClient {
  private readonly cache = new Map<string, CachedKeys>();

  constructor(private readonly fetcher: OidcFetcher) {}

  async getKey(issuer: string, kid: string | undefined, now: number): Promise<KeyLookup> {
    const steps: string[] = [];
    const cached = this.cache.get(issuer);
    if (cached && now - cached.fetchedAt < JWKS_CACHE_MS) {
      const key = kid === undefined ? undefined : cached.keys.get(kid);
      if (key) return { key, steps: [`signing key ${kid} from the cached JWKS of ${issuer}`] };
      steps.push(`kid ${kid ?? '(none)'} is not in the cached JWKS: refetching`);
    }
    const fetched = await this.fetchKeys(issuer, steps);
    if ('error' in fetched) return { steps, error: fetched.error };
    this.cache.set(issuer, { keys: fetched.keys, fetchedAt: now });
    const key = kid === undefined ? undefined : fetched.keys.get(kid);
    if (!key) return { steps, error: `no key with kid ${kid ?? '(none)'} in the issuer's JWKS` };
    return { key, steps };
  }

  private async fetchKeys(issuer: string, steps: string[]): Promise<{ keys: Map<string, KeyObject> } | { error: string }> {
    const discoveryUrl = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const discovery = await this.fetcher.getJson(discoveryUrl);
    steps.push(`GET ${discoveryUrl} → ${discovery.status || discovery.error} (${discovery.via})`);
    const jwksUri = (discovery.json as { jwks_uri?: unknown } | undefined)?.jwks_uri;
    if (discovery.status !== 200 || typeof jwksUri !== 'string') {
      return { error: `OpenID discovery failed for ${issuer}: ${discovery.error ?? 'no jwks_uri'}` };
    }
    const jwks = await this.fetcher.getJson(jwksUri);
    steps.push(`GET ${jwksUri} → ${jwks.status || jwks.error} (${jwks.via})`);
    const list = (jwks.json as { keys?: unknown } | undefined)?.keys;
    if (jwks.status !== 200 || !Array.isArray(list)) return { error: `JWKS fetch failed: ${jwks.error ?? 'no keys'}` };
    const keys = new Map<string, KeyObject>();
    for (const jwk of list as Record<string, unknown>[]) {
      if (jwk.kty !== 'RSA' || typeof jwk.kid !== 'string') continue;
      try {
        keys.set(jwk.kid, createPublicKey({ key: jwk as never, format: 'jwk' }));
      } catch {
        // A malformed key is skipped, as a JOSE library would.
      }
    }
    return { keys };
  }

  clear(): void {
    this.cache.clear();
  }
}
