/**
 * Build what a host needs when it is missing or stale: the renderer for the web host, everything
 * (main, preload, renderer) for Electron and packaging. "Stale" is decided by a hash of the
 * inputs, written next to the output, so a checkout, a merge or an edit all trigger a rebuild and
 * an unchanged tree never does. Concurrent callers (test files run in parallel) take a lock.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const OUT_DIR = path.join(PROJECT_ROOT, 'out');
export const RENDERER_DIR = path.join(OUT_DIR, 'renderer');

export type BuildTarget = 'renderer' | 'all';

/** Inputs of each target: folders are hashed recursively. */
const INPUTS: Record<BuildTarget, readonly string[]> = {
  renderer: ['renderer', 'engine', 'vite.renderer.config.ts', 'package-lock.json'],
  all: ['renderer', 'engine', 'main', 'vite.renderer.config.ts', 'electron.vite.config.ts', 'package-lock.json', 'package.json'],
};

const STAMP: Record<BuildTarget, string> = {
  renderer: path.join(RENDERER_DIR, '.build-stamp'),
  all: path.join(OUT_DIR, '.build-stamp'),
};

/** What each target must have produced. */
const OUTPUTS: Record<BuildTarget, readonly string[]> = {
  renderer: [path.join(RENDERER_DIR, 'index.html')],
  all: [path.join(RENDERER_DIR, 'index.html'), path.join(OUT_DIR, 'main', 'index.js'), path.join(OUT_DIR, 'preload', 'index.cjs'), path.join(OUT_DIR, 'main', 'sandbox-worker.mjs'), path.join(OUT_DIR, 'main', 'service-clients.mjs')],
};

function hashInputs(target: BuildTarget): string {
  const h = crypto.createHash('sha256');
  const walk = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        if (name === 'node_modules' || name.startsWith('.')) continue;
        walk(path.join(p, name));
      }
    } else if (st.isFile()) {
      h.update(path.relative(PROJECT_ROOT, p));
      h.update('\0');
      h.update(fs.readFileSync(p));
      h.update('\0');
    }
  };
  for (const input of INPUTS[target]) walk(path.join(PROJECT_ROOT, input));
  return h.digest('hex');
}

export function isBuilt(target: BuildTarget): boolean {
  if (!OUTPUTS[target].every((f) => fs.existsSync(f))) return false;
  try {
    return fs.readFileSync(STAMP[target], 'utf8') === hashInputs(target);
  } catch {
    return false;
  }
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const lock = path.join(OUT_DIR, '.build-lock');
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock left by a killed build is stale after two minutes.
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another build (${lock})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // NODE_ENV=production: a caller under Vitest has NODE_ENV=test, which Vite would bake into the
    // bundle (React's development build, StrictMode's double effects) while the stamp says "built".
    const env = { ...process.env, NODE_ENV: 'production', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
    const child = spawn(cmd, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? cmd)} ${args.slice(1).join(' ')} failed (exit ${code}):\n${output.slice(-4000)}`))));
  });
}

/**
 * Build the target unless it is up to date. Returns true when it built. `onBuild` is told first
 * (the CLI prints one line; builds take a few seconds).
 */
export async function ensureBuilt(target: BuildTarget, onBuild?: () => void): Promise<boolean> {
  if (isBuilt(target)) return false;
  return withLock(async () => {
    if (isBuilt(target)) return false;
    onBuild?.();
    const hash = hashInputs(target);
    const electronVite = path.join(PROJECT_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
    if (target === 'all') {
      await run(process.execPath, [electronVite, 'build', '--logLevel', 'warn']);
    } else {
      // A child process, so the caller's module loader (tsx, Vitest) plays no part in the build.
      await run(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(PROJECT_ROOT, 'vite.renderer.config.ts'), '--logLevel', 'warn']);
    }
    fs.writeFileSync(STAMP.renderer, target === 'renderer' ? hash : hashInputs('renderer'));
    if (target === 'all') fs.writeFileSync(STAMP.all, hash);
    return true;
  });
}
