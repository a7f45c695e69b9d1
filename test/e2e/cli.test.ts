/**
 * `gateway-lab web` and `gateway-lab start` as people run them: real processes, real signals.
 * `start` is made to find no Electron binary (ELECTRON_OVERRIDE_DIST_PATH pointing nowhere), so
 * this also covers machines that have one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../main/host/build';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../main/cli/bin.mjs', import.meta.url));

interface Running {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const r: Running = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.on('data', (d: Buffer) => (r.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (r.stderr += d.toString()));
  return r;
}

async function waitForUrl(r: Running, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = /http:\/\/\S+/.exec(r.stdout);
    if (m) return m[0];
    if (r.child.exitCode !== null) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`no URL printed.\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

function fetchStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => http.get(url, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject));
}

describe('gateway-lab web / start', () => {
  beforeAll(async () => {
    await ensureBuilt('renderer');
  }, 180_000);

  it('web: prints its URL once listening (the first URL it prints), serves the app, stops on SIGTERM', async () => {
    const r = cli(['web', '--port', '0']);
    const url = await waitForUrl(r);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const firstUrlLine = r.stdout.split('\n').find((l) => l.includes('http'));
    expect(firstUrlLine).toBe(`Gateway Lab: ${url}`);
    expect(await fetchStatus(url)).toBe(200);
    r.child.kill('SIGTERM');
    expect(await r.exited).toEqual({ code: 0, signal: null });
  });

  it('web: a port in use is a clear error, not a stack trace', async () => {
    const first = cli(['web', '--port', '0']);
    const port = new URL(await waitForUrl(first)).port;
    const second = cli(['web', '--port', port]);
    expect((await second.exited).code).toBe(1);
    expect(second.stderr).toContain(`port ${port} is in use`);
    expect(second.stderr).not.toMatch(/\n\s+at /);
    first.child.kill('SIGINT');
    expect((await first.exited).code).toBe(0);
  });

  it('web: bad options print the usage', async () => {
    const r = cli(['web', '--port', 'eighty']);
    expect((await r.exited).code).toBe(2);
    expect(r.stderr).toContain('usage: gateway-lab web');
  });

  it('start without the Electron binary: one clear paragraph, then the web host and its URL', async () => {
    const r = cli(['start', '--port', '0'], { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist' });
    const url = await waitForUrl(r);
    const before = r.stdout.slice(0, r.stdout.indexOf(url));
    expect(before).toMatch(/^Gateway Lab: the desktop window cannot open because the Electron binary is not available here/);
    expect(before).toContain('Starting the same app in your browser instead');
    expect(r.stdout).toContain(`Gateway Lab: ${url}\n`);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at |Error:/);
    expect(await fetchStatus(url)).toBe(200);
    r.child.kill('SIGINT');
    expect((await r.exited).code).toBe(0);
  });
});
