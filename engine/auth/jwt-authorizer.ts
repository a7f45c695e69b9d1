/**
 * The JWT authorizer of HTTP APIs (reference A2), transport-neutral: a token (or none), the
 * authorizer's issuer and audiences, the route's scopes → a decision.
 *
 * Order, as AWS documents it: read the token (raw or `Bearer <token>`), decode it, check the
 * algorithm (RS256/384/512 only) and the signature with the issuer's key (OpenID discovery →
 * jwks_uri → key by kid, cached, refetched on an unknown kid), then the claims: iss, aud or
 * client_id (client_id only when aud is absent), exp, nbf, iat, and at least one of the route's
 * scopes in `scope` or `scp`. Signature and time checks are jsonwebtoken's (jwt-verify.ts).
 *
 * Failures are 401 with a `www-authenticate` header naming the reason; a valid token without
 * the route's scopes is 403. Wording marked (?) is not documented by AWS.
 */
import type { JwksClient } from './jwks';
import { type JwtFailure, verifyJwt } from './jwt-verify';

export interface JwtAuthorizerConfig {
  readonly issuer: string;
  readonly audience: readonly string[];
}

export type JwtAuthorizerFailure = JwtFailure | 'missing' | 'audience' | 'scope';

export type JwtDecision =
  | {
      readonly ok: true;
      /** Claim values as strings, as AWS passes them on. */
      readonly claims: Record<string, string>;
      readonly rawClaims: Record<string, unknown>;
      /** The token's scopes (from `scope` or `scp`). */
      readonly tokenScopes: readonly string[];
      readonly steps: readonly string[];
    }
  | {
      readonly ok: false;
      readonly status: 401 | 403;
      readonly reason: JwtAuthorizerFailure;
      /** AWS's error_description (also `$context.authorizer.error`). */
      readonly description: string;
      /** The `www-authenticate` header, when AWS sends one. */
      readonly wwwAuthenticate?: string;
      readonly rawClaims?: Record<string, unknown>;
      readonly steps: readonly string[];
    };

/** AWS's error_description per failure. [obs] = seen in AWS responses; (?) = chosen here. */
const DESCRIPTIONS: Record<Exclude<JwtAuthorizerFailure, 'missing' | 'scope'>, (d: string) => string> = {
  audience: () => 'the token does not have a valid audience', // AWS doc example
  expired: () => 'the token has expired', // [obs]
  algorithm: (d) => d, // "signing method HS256 is invalid" [obs?]
  issuer: () => 'the token does not have a valid issuer', // (?)
  'unknown-kid': () => 'the signing key for the token was not found in the issuer JWKS', // (?)
  signature: () => 'the token signature is invalid', // (?)
  'not-yet-valid': () => 'the token is not valid yet', // (?)
  'issued-in-future': () => 'the token was issued in the future', // (?)
  malformed: () => 'the token is malformed', // (?)
  'keys-unavailable': () => 'the signing keys of the issuer could not be retrieved', // (?)
};

/** `Bearer <token>` or the raw token. */
export function tokenFromIdentity(value: string): string {
  const m = /^Bearer\s+(.+)$/i.exec(value.trim());
  return (m ? m[1]! : value).trim();
}

/** Scopes a token grants: `scope` (space-delimited) or `scp` (a list or a string). */
export function tokenScopes(claims: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const v of [claims.scope, claims.scp]) {
    if (typeof v === 'string') out.push(...v.split(/\s+/).filter(Boolean));
    else if (Array.isArray(v)) out.push(...v.map(String));
  }
  return [...new Set(out)];
}

/** AWS passes claim values on as strings; a list renders Go-style as `[a b]` [obs]. */
export function stringifyClaim(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(stringifyClaim).join(' ')}]`;
  if (v !== null && typeof v === 'object') {
    // (?) Objects: Go's fmt prints maps as map[k:v] with sorted keys.
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${stringifyClaim((v as Record<string, unknown>)[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

function header(error: 'invalid_token' | 'insufficient_scope', description: string, scope = ''): string {
  return `Bearer scope="${scope}" error="${error}" error_description="${description}"`;
}

export async function authorizeJwt(
  identity: string | undefined,
  config: JwtAuthorizerConfig,
  requiredScopes: readonly string[],
  options: { readonly jwks: JwksClient; readonly now: number },
): Promise<JwtDecision> {
  if (identity === undefined || identity.trim() === '') {
    // (?) AWS answers a missing identity source before looking at any token; we send no
    // www-authenticate header in that case.
    return { ok: false, status: 401, reason: 'missing', description: 'the identity source is missing: no token was sent', steps: [] };
  }
  const token = tokenFromIdentity(identity);
  const verified = await verifyJwt(token, { issuer: config.issuer, jwks: options.jwks, now: options.now });
  if (!verified.ok) {
    const description = DESCRIPTIONS[verified.reason](verified.description);
    return {
      ok: false,
      status: 401,
      reason: verified.reason,
      description,
      wwwAuthenticate: header('invalid_token', description),
      ...(verified.claims ? { rawClaims: verified.claims } : {}),
      steps: verified.steps,
    };
  }
  const claims = verified.claims;
  // aud wins when present; client_id is checked only when aud is absent (Cognito access tokens).
  const aud = claims.aud === undefined ? undefined : Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud)];
  const presented = aud ?? (claims.client_id !== undefined ? [String(claims.client_id)] : []);
  if (!presented.some((a) => config.audience.includes(a))) {
    const description = DESCRIPTIONS.audience('');
    return {
      ok: false,
      status: 401,
      reason: 'audience',
      description,
      wwwAuthenticate: header('invalid_token', description),
      rawClaims: claims,
      steps: [
        ...verified.steps,
        `${aud ? `aud ${JSON.stringify(aud.length === 1 ? aud[0] : aud)}` : claims.client_id !== undefined ? `client_id ${JSON.stringify(claims.client_id)} (the token has no aud)` : 'neither aud nor client_id'} is not one of the configured audiences ${JSON.stringify(config.audience)}`,
      ],
    };
  }
  const scopes = tokenScopes(claims);
  if (requiredScopes.length > 0 && !requiredScopes.some((s) => scopes.includes(s))) {
    // (?) The header's scope attribute lists the route's scopes.
    const description = 'the token does not have any of the scopes this route requires';
    return {
      ok: false,
      status: 403,
      reason: 'scope',
      description,
      wwwAuthenticate: header('insufficient_scope', description, requiredScopes.join(' ')),
      rawClaims: claims,
      steps: [...verified.steps, `the token's scopes ${JSON.stringify(scopes)} include none of the route's ${JSON.stringify(requiredScopes)}`],
    };
  }
  return {
    ok: true,
    claims: Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, stringifyClaim(v)])),
    rawClaims: claims,
    tokenScopes: scopes,
    steps: verified.steps,
  };
}
