/**
 * Serves local OpenID issuers over real HTTP on 127.0.0.1: their discovery documents
 * (`/.well-known/openid-configuration`) and JWKS. The live endpoint uses it so that JWT
 * authorizers, curl and real clients all reach the scenario's issuer over the network, through
 * the same fetch code (HttpOidcFetcher) as a real Cognito or Auth0 issuer.
 *
 * Listen first, then create the issuer with `issuer: server.url` (its URLs must be the ones
 * served here), then `serve(idp)`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IdentityProvider } from './identity-provider';
import { LocalIssuers } from './oidc-fetcher';

export class IssuerServer {
  private readonly issuers = new LocalIssuers();
  private server?: http.Server;
  private base?: string;

  /** Start listening on 127.0.0.1 (port 0: any free port). */
  async listen(port = 0): Promise<string> {
    const server = http.createServer((req, res) => {
      const url = `${this.base}${(req.url ?? '/').split('?')[0]}`;
      const idp = this.issuers.providerFor(url);
      if (req.method !== 'GET' || !idp) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Not Found' }));
        return;
      }
      const doc = url === idp.jwksUrl ? idp.jwks() : idp.openidConfiguration();
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' });
      res.end(JSON.stringify(doc));
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.base;
  }

  /** The base URL (`http://127.0.0.1:PORT`); an issuer served here has this URL or a path under it. */
  get url(): string {
    if (!this.base) throw new Error('the issuer server is not listening');
    return this.base;
  }

  serve(idp: IdentityProvider): void {
    if (!idp.issuer.startsWith(this.url)) throw new Error(`issuer ${idp.issuer} is not under ${this.url}`);
    this.issuers.register(idp);
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    });
  }
}
