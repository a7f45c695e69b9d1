/**
 * A local OpenID Connect issuer for scenarios: it has an RSA key pair, serves its discovery
 * document and JWKS, and mints tokens for named users on the engine clock. Two styles:
 *  - `cognito`: like an Amazon Cognito user pool — ID tokens (aud = app client id,
 *    token_use: id) and access tokens (client_id, scope, token_use: access, no aud);
 *  - `generic`: like Auth0/Okta — access tokens with aud and scope.
 *
 * It can also mint the forged tokens authorizers must reject (alg none, HS256 signed with the
 * public key, a tampered payload, an unknown kid, another issuer), so scenarios and tests can
 * show each attack failing.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DEV_RSA_PRIVATE_KEYS } from './dev-keys';

export interface IdentityUser {
  /** Space-separated OAuth scopes (access tokens). */
  readonly scope?: string;
  readonly claims?: Readonly<Record<string, unknown>>;
}

export type ForgedToken = 'alg-none' | 'hs256-public-key' | 'tampered-payload' | 'unknown-kid';

export interface TokenRequest {
  readonly user: string;
  /** `access` (default) or `id` (Cognito style). */
  readonly use?: 'access' | 'id';
  /** Seconds from now; negative mints an already expired token. */
  readonly expiresIn?: number;
  /** Seconds from now before which the token is not valid (nbf). */
  readonly notBefore?: number;
  readonly audience?: string | readonly string[];
  readonly scope?: string;
  /** Sign as if this were another issuer's token (but with this issuer's key). */
  readonly issuer?: string;
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly forge?: ForgedToken;
  readonly algorithm?: 'RS256' | 'RS384' | 'RS512';
}

export interface IdentityProviderConfig {
  readonly issuer: string;
  readonly style?: 'cognito' | 'generic';
  /** Cognito app client id. */
  readonly clientId?: string;
  /** Default audience of generic access tokens. */
  readonly audience?: string | readonly string[];
  readonly tokenLifetimeSeconds?: number;
  readonly users: Readonly<Record<string, IdentityUser>>;
  /** Named tokens scenarios refer to as `{{token.NAME}}`. */
  readonly tokens?: Readonly<Record<string, TokenRequest>>;
  /** `fixed` (default, repeatable traces) or `generate` (fresh keys: the live endpoint). */
  readonly keys?: 'fixed' | 'generate';
}

export class IdentityProvider {
  readonly issuer: string;
  readonly kid: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(
    readonly config: IdentityProviderConfig,
    private readonly now: () => number,
  ) {
    this.issuer = config.issuer;
    if (config.keys === 'generate') {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.privateKey = pair.privateKey;
      this.publicKey = pair.publicKey;
    } else {
      const index = createHash('sha256').update(config.issuer).digest()[0]! % DEV_RSA_PRIVATE_KEYS.length;
      this.privateKey = createPrivateKey(DEV_RSA_PRIVATE_KEYS[index]!);
      this.publicKey = createPublicKey(this.privateKey);
    }
    const jwk = this.publicKey.export({ format: 'jwk' });
    this.kid = createHash('sha256').update(`${jwk.n}`).digest('base64url').slice(0, 16);
  }

  get discoveryUrl(): string {
    return `${this.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  }

  get jwksUrl(): string {
    return `${this.issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;
  }

  openidConfiguration(): Record<string, unknown> {
    const base = this.issuer.replace(/\/+$/, '');
    return {
      issuer: this.issuer,
      jwks_uri: this.jwksUrl,
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth2/token`,
      response_types_supported: ['code', 'token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
    };
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }

  publicKeyPem(): string {
    return this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  /** Mint a named token from `tokens:` or, if there is no such entry, an access token for that user. */
  mintNamed(name: string): string {
    const spec = this.config.tokens?.[name] ?? { user: name };
    return this.mint(spec);
  }

  mint(req: TokenRequest): string {
    const user = this.config.users[req.user];
    if (!user) throw new Error(`identity provider ${this.issuer} has no user "${req.user}"`);
    const iat = Math.floor(this.now() / 1000);
    const lifetime = req.expiresIn ?? this.config.tokenLifetimeSeconds ?? 3600;
    const use = req.use ?? 'access';
    const cognito = (this.config.style ?? 'generic') === 'cognito';
    const scope = req.scope ?? user.scope;
    const sub = createHash('sha256').update(`${this.issuer}|${req.user}`).digest('hex').slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    const payload: Record<string, unknown> = {
      sub,
      iss: req.issuer ?? this.issuer,
      iat,
      exp: iat + lifetime,
      ...(req.notBefore !== undefined ? { nbf: iat + req.notBefore } : {}),
      jti: createHash('sha256').update(`${req.user}|${iat}|${use}|${JSON.stringify(req)}`).digest('hex').slice(0, 24),
    };
    if (cognito) {
      payload.token_use = use;
      payload.auth_time = iat;
      if (use === 'id') {
        payload.aud = req.audience ?? this.config.clientId ?? 'app-client';
        payload['cognito:username'] = req.user;
      } else {
        payload.client_id = this.config.clientId ?? 'app-client';
        payload.username = req.user;
        if (scope) payload.scope = scope;
        if (req.audience) payload.aud = req.audience;
      }
    } else {
      payload.aud = req.audience ?? this.config.audience ?? 'api';
      if (scope) payload.scope = scope;
    }
    Object.assign(payload, user.claims ?? {}, req.claims ?? {});

    const algorithm = req.algorithm ?? 'RS256';
    switch (req.forge) {
      case 'alg-none':
        return `${b64(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64(JSON.stringify(payload))}.`;
      case 'hs256-public-key':
        // The classic key-confusion attack: HMAC "signed" with the RSA public key as the secret.
        return jwt.sign(payload, this.publicKeyPem(), { algorithm: 'HS256', keyid: this.kid, noTimestamp: true });
      case 'unknown-kid':
        return jwt.sign(payload, this.privateKey, { algorithm, keyid: 'not-a-known-key', noTimestamp: true });
      case 'tampered-payload': {
        const [h, , s] = jwt.sign(payload, this.privateKey, { algorithm, keyid: this.kid, noTimestamp: true }).split('.');
        return `${h}.${b64(JSON.stringify({ ...payload, scope: 'admin', 'cognito:groups': ['admins'] }))}.${s}`;
      }
      default:
        return jwt.sign(payload, this.privateKey, { algorithm, keyid: this.kid, noTimestamp: true });
    }
  }
}

const b64 = (s: string) => Buffer.from(s).toString('base64url');
