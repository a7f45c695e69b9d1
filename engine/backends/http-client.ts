/**
 * Real HTTP calls for HTTP and HTTP_PROXY integrations. Scenario backends declare the URL the
 * API definition uses (https://orders.example.com) and run on 127.0.0.1; this client sends the
 * request there, so traces show the realistic URL while nothing leaves the machine. Loopback
 * URLs (a developer's own service) are called directly; anything else only when the host allows
 * network access (the live endpoint), never in simulations.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpCall {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
  readonly timeoutMs: number;
}

export type HttpCallResult =
  | {
      readonly ok: true;
      readonly statusCode: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
      readonly isBase64Encoded: boolean;
      /** Virtual: the backend's declared latency. Real: measured. */
      readonly latencyMs: number;
    }
  | { readonly ok: false; readonly reason: 'timeout' | 'unreachable'; readonly message: string; readonly latencyMs: number };

export interface BackendTarget {
  readonly host: string;
  readonly port: number;
  /** Simulated latency on the engine clock. */
  readonly latencyMs: number;
}

export class HttpIntegrationClient {
  private readonly origins = new Map<string, BackendTarget>();

  constructor(
    private readonly options: { readonly virtualTime: boolean; readonly allowNetwork: boolean },
  ) {}

  /** Route requests for `origin` (scheme://host[:port]) to a local server. */
  mapOrigin(origin: string, target: BackendTarget): void {
    this.origins.set(normaliseOrigin(origin), target);
  }

  unmapOrigin(origin: string): void {
    this.origins.delete(normaliseOrigin(origin));
  }

  async send(call: HttpCall): Promise<HttpCallResult> {
    let url: URL;
    try {
      url = new URL(call.url);
    } catch {
      return { ok: false, reason: 'unreachable', message: `Invalid endpoint URI: ${call.url}`, latencyMs: 0 };
    }
    const mapped = this.origins.get(normaliseOrigin(url.origin));
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (!mapped && !loopback && !this.options.allowNetwork) {
      return {
        ok: false,
        reason: 'unreachable',
        message: `${url.origin} is not a backend declared by this scenario; simulations never reach the internet`,
        latencyMs: 0,
      };
    }
    const declaredLatency = mapped?.latencyMs ?? 20;
    if (this.options.virtualTime && declaredLatency > call.timeoutMs) {
      return { ok: false, reason: 'timeout', message: 'Endpoint request timed out', latencyMs: call.timeoutMs };
    }
    const host = mapped?.host ?? url.hostname.replace(/^\[|\]$/g, '');
    const port = mapped?.port ?? (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);
    const headers: Record<string, string> = { ...call.headers, Host: url.host };
    const payload = call.isBase64Encoded ? Buffer.from(call.body, 'base64') : Buffer.from(call.body, 'utf8');
    if (payload.length > 0 || !['GET', 'HEAD'].includes(call.method.toUpperCase())) headers['Content-Length'] = String(payload.length);
    const started = performance.now();
    // A real-time cap keeps a hung local server from holding a simulation forever.
    const realTimeout = this.options.virtualTime ? Math.max(call.timeoutMs, 10_000) : call.timeoutMs;

    return new Promise<HttpCallResult>((resolve) => {
      const req = http.request(
        { host, port, method: call.method, path: `${url.pathname}${url.search}`, headers, timeout: realTimeout },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            const text = buf.toString('utf8');
            const binary = !Buffer.from(text, 'utf8').equals(buf);
            const outHeaders: Record<string, string> = {};
            for (let i = 0; i < res.rawHeaders.length; i += 2) {
              const k = res.rawHeaders[i]!;
              outHeaders[k] = outHeaders[k] === undefined ? res.rawHeaders[i + 1]! : `${outHeaders[k]},${res.rawHeaders[i + 1]}`;
            }
            const measured = performance.now() - started;
            resolve({
              ok: true,
              statusCode: res.statusCode ?? 502,
              headers: outHeaders,
              body: binary ? buf.toString('base64') : text,
              isBase64Encoded: binary,
              latencyMs: this.options.virtualTime ? declaredLatency : measured,
            });
          });
          res.on('error', (err) => resolve({ ok: false, reason: 'unreachable', message: err.message, latencyMs: 0 }));
        },
      );
      req.on('timeout', () => {
        req.destroy();
        resolve({ ok: false, reason: 'timeout', message: 'Endpoint request timed out', latencyMs: call.timeoutMs });
      });
      req.on('error', (err) =>
        resolve({ ok: false, reason: 'unreachable', message: err.message, latencyMs: this.options.virtualTime ? 0 : performance.now() - started }),
      );
      req.end(payload);
    });
  }
}

function normaliseOrigin(origin: string): string {
  const u = new URL(origin);
  return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`.toLowerCase();
}
