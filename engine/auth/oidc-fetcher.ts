/**
 * One way to fetch OpenID discovery documents and JWKS, whatever the issuer: a scenario's own
 * issuer is answered in-process (simulations), the live endpoint serves the same documents over
 * real HTTP, and a real issuer URL (Cognito, Auth0…) is fetched over the network when the
 * machine has it. AWS gives each fetch 1500 ms.
 */
import type { IdentityProvider } from './identity-provider';

export const OIDC_FETCH_TIMEOUT_MS = 1500;
/** AWS rejects JWKS responses larger than this (reference A2). */
export const MAX_JWKS_BYTES = 150_000;

export interface FetchResult {
  readonly status: number;
  readonly json?: unknown;
  readonly error?: string;
  /** How the document was obtained: `in-process` or `http`. */
  readonly via: 'in-process' | 'http';
}

export interface OidcFetcher {
  getJson(url: string, timeoutMs?: number): Promise<FetchResult>;
}

export class LocalIssuers implements OidcFetcher {
  private readonly providers = new Map<string, IdentityProvider>();

  constructor(private readonly fallback?: OidcFetcher) {}

  register(idp: IdentityProvider): void {
    this.providers.set(idp.discoveryUrl, idp);
    this.providers.set(idp.jwksUrl, idp);
  }

  /** The issuer a URL belongs to, if it is one of ours. */
  providerFor(url: string): IdentityProvider | undefined {
    return this.providers.get(url);
  }

  list(): IdentityProvider[] {
    return [...new Set(this.providers.values())];
  }

  async getJson(url: string, timeoutMs = OIDC_FETCH_TIMEOUT_MS): Promise<FetchResult> {
    const idp = this.providers.get(url);
    if (idp) return { status: 200, json: url === idp.jwksUrl ? idp.jwks() : idp.openidConfiguration(), via: 'in-process' };
    if (this.fallback) return this.fallback.getJson(url, timeoutMs);
    return { status: 0, error: `${url} is not an issuer of this scenario, and simulations never reach the internet`, via: 'in-process' };
  }
}

/** Real HTTP(S), for the live endpoint and real issuers. */
export class HttpOidcFetcher implements OidcFetcher {
  async getJson(url: string, timeoutMs = OIDC_FETCH_TIMEOUT_MS): Promise<FetchResult> {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeoutMs);
    try {
      const res = await fetch(url, { signal: ctl.signal, headers: { accept: 'application/json' } });
      const text = await res.text();
      if (text.length > MAX_JWKS_BYTES) return { status: res.status, error: `response larger than ${MAX_JWKS_BYTES} bytes`, via: 'http' };
      try {
        return { status: res.status, json: JSON.parse(text), via: 'http' };
      } catch {
        return { status: res.status, error: 'response is not JSON', via: 'http' };
      }
    } catch (err) {
      return { status: 0, error: ctl.signal.aborted ? `timed out after ${timeoutMs} ms` : err instanceof Error ? err.message : String(err), via: 'http' };
    } finally {
      clearTimeout(timer);
    }
  }
}
