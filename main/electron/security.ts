/**
 * The renderer's security settings, in one place (Electron's security checklist):
 * a strict Content-Security-Policy, no navigation, no new windows (checked external links open
 * in the system browser), every permission request denied, no <webview>.
 */
import type { Session, WebContents } from 'electron';

/** The app's pages are served from this origin by the `app:` protocol handler (not file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'gateway-lab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export { CONTENT_SECURITY_POLICY } from '../host/content-security-policy';

/** Hosts whose pages external links may open in the system browser. */
const EXTERNAL_HOSTS = ['docs.aws.amazon.com', 'aws.amazon.com', 'github.com', 'www.rfc-editor.org', 'datatracker.ietf.org', 'developer.mozilla.org'];

/** An https link to a known documentation host, without credentials or an unusual port. */
export function isSafeExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return false;
  return EXTERNAL_HOSTS.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`));
}

/** The origin the app's page is allowed to have: app://gateway-lab, or the dev server's. */
export function isAppUrl(raw: string, devOrigin: string | undefined): boolean {
  try {
    const url = new URL(raw);
    if (`${url.protocol}//${url.host}` === APP_ORIGIN) return true;
    return devOrigin !== undefined && url.origin === devOrigin;
  } catch {
    return false;
  }
}

/** The frames that may call GatewayApi: the app's own page, top-level (not an iframe). */
export function isTrustedAppFrame(frame: { readonly url: string; readonly parent: unknown }, devOrigin: string | undefined): boolean {
  return frame.parent === null && isAppUrl(frame.url, devOrigin);
}

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Applied to every WebContents the app creates. */
export function hardenWebContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
}
