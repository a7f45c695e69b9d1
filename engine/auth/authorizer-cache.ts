/**
 * Lambda-authorizer result caching: keyed by the identity-source values (the token for TOKEN
 * authorizers), for `authorizerResultTtlInSeconds` (default 300, at most 3600, 0 disables).
 * One cached decision covers every method of the API — which is why a policy naming only the
 * first method's ARN denies the next method until the entry expires.
 */
export interface CachedAuthorization<T> {
  readonly value: T;
  readonly storedAt: number;
  readonly expiresAt: number;
}

export class AuthorizerCache<T> {
  private readonly entries = new Map<string, CachedAuthorization<T>>();

  get(authorizer: string, key: string, now: number): CachedAuthorization<T> | undefined {
    const k = `${authorizer}\u0000${key}`;
    const e = this.entries.get(k);
    if (!e) return undefined;
    if (now >= e.expiresAt) {
      this.entries.delete(k);
      return undefined;
    }
    return e;
  }

  put(authorizer: string, key: string, value: T, now: number, ttlSeconds: number): void {
    if (ttlSeconds <= 0) return;
    this.entries.set(`${authorizer}\u0000${key}`, { value, storedAt: now, expiresAt: now + ttlSeconds * 1000 });
  }

  /** Snapshot for the UI's services panel. */
  list(now: number): { authorizer: string; key: string; expiresInSeconds: number }[] {
    return [...this.entries.entries()]
      .filter(([, e]) => e.expiresAt > now)
      .map(([k, e]) => {
        const [authorizer, key] = k.split('\u0000') as [string, string];
        return { authorizer, key, expiresInSeconds: Math.round((e.expiresAt - now) / 1000) };
      });
  }

  clear(): void {
    this.entries.clear();
  }
}
