/**
 * Verifying a JWT the way API Gateway does, up to (not including) audience and scope checks,
 * which differ per authorizer: RSA signatures only (RS256/384/512), the key from the issuer's
 * JWKS by kid, `iss` exactly equal, and `exp`, `nbf`, `iat` against the engine clock.
 * Verification is jsonwebtoken's; every failure comes back as a value with a reason.
 */
import jwt from 'jsonwebtoken';
import type { JwksClient } from './jwks';

export type JwtFailure =
  | 'malformed'
  | 'algorithm'
  | 'issuer'
  | 'unknown-kid'
  | 'signature'
  | 'expired'
  | 'not-yet-valid'
  | 'issued-in-future'
  | 'keys-unavailable';

export type JwtVerification =
  | { readonly ok: true; readonly header: Record<string, unknown>; readonly claims: Record<string, unknown>; readonly steps: readonly string[] }
  | { readonly ok: false; readonly reason: JwtFailure; readonly description: string; readonly claims?: Record<string, unknown>; readonly steps: readonly string[] };

export const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'] as const;

export async function verifyJwt(token: string, options: { issuer: string; jwks: JwksClient; now: number }): Promise<JwtVerification> {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) {
    return { ok: false, reason: 'malformed', description: 'the token is not a well-formed JWT', steps: [] };
  }
  const header = decoded.header as unknown as Record<string, unknown>;
  const claims = decoded.payload as Record<string, unknown>;
  const alg = String(header.alg);
  if (!(RSA_ALGORITHMS as readonly string[]).includes(alg)) {
    return { ok: false, reason: 'algorithm', description: `signing method ${alg} is invalid`, claims, steps: [] };
  }
  if (claims.iss !== options.issuer) {
    return { ok: false, reason: 'issuer', description: `the token issuer ${String(claims.iss)} does not match ${options.issuer}`, claims, steps: [] };
  }
  const lookup = await options.jwks.getKey(options.issuer, typeof header.kid === 'string' ? header.kid : undefined, options.now);
  if (!lookup.key) {
    const unknownKid = lookup.error?.startsWith('no key with kid') ?? false;
    return { ok: false, reason: unknownKid ? 'unknown-kid' : 'keys-unavailable', description: lookup.error ?? 'no signing key', claims, steps: lookup.steps };
  }
  const nowSeconds = Math.floor(options.now / 1000);
  try {
    jwt.verify(token, lookup.key, { algorithms: [...RSA_ALGORITHMS], issuer: options.issuer, clockTimestamp: nowSeconds });
  } catch (err) {
    const e = err as Error;
    if (e.name === 'TokenExpiredError') return { ok: false, reason: 'expired', description: 'the token has expired', claims, steps: lookup.steps };
    if (e.name === 'NotBeforeError') return { ok: false, reason: 'not-yet-valid', description: 'the token is not valid yet', claims, steps: lookup.steps };
    return { ok: false, reason: 'signature', description: `the token signature is invalid (${e.message})`, claims, steps: lookup.steps };
  }
  if (typeof claims.iat === 'number' && claims.iat > nowSeconds) {
    return { ok: false, reason: 'issued-in-future', description: 'the token was issued in the future', claims, steps: lookup.steps };
  }
  return { ok: true, header, claims, steps: lookup.steps };
}
