/**
 * Where the Electron binary is, without `require('electron')`: that module tries to download the
 * binary when it is missing, which fails slowly (or hangs) on a machine without network access.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronBinary = { readonly found: true; readonly path: string } | { readonly found: false; readonly reason: string };

export function findElectronBinary(fromDir: string): ElectronBinary {
  let pkgDir: string;
  try {
    pkgDir = path.dirname(createRequire(path.join(fromDir, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { found: false, reason: 'the electron package is not installed' };
  }
  let rel: string | undefined;
  try {
    rel = fs.readFileSync(path.join(pkgDir, 'path.txt'), 'utf8').trim();
  } catch {
    rel = undefined;
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const p = path.join(override, rel || (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return fs.existsSync(p) ? { found: true, path: p } : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${p} does not exist` };
  }
  if (!rel) return { found: false, reason: 'the electron package was installed without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD=1, or the download failed)' };
  const p = path.join(pkgDir, 'dist', rel);
  return fs.existsSync(p) ? { found: true, path: p } : { found: false, reason: `the Electron binary is missing (${path.relative(fromDir, p)})` };
}
