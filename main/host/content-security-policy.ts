/**
 * The Content-Security-Policy of the app's page, in every host.
 *
 * No inline script or style, nothing from anywhere else. connect-src 'self' also covers the web
 * host's WebSocket bridge on the page's own origin (CSP3). Also sent as an HTTP header by the
 * `app:` handler and the web host, where frame-ancestors applies (a meta tag cannot carry it).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'self'",
  "frame-ancestors 'none'",
].join('; ');
