/**
 * Serving the built renderer, in both hosts (the Electron `app:` protocol and the web host):
 * content types, and URL paths confined to the renderer folder.
 */
import path from 'node:path';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function contentType(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file a URL path names inside `root` (`/` is index.html), or null when the path is malformed
 * or leads outside `root` (percent-encoded `..` included).
 */
export function fileForUrlPath(root: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, `.${rel === '/' ? '/index.html' : rel}`);
  return file.startsWith(base + path.sep) ? file : null;
}
