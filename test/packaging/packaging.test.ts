/**
 * Packaging: electron-builder's `--dir` target against a stand-in Electron distribution (the
 * real binary cannot be downloaded here), then a look inside the packed app: the built main,
 * preload and renderer in app.asar, the sandbox worker unpacked beside it, and the bundled
 * scenarios as extra resources.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../main/host/build';
import { findScenarios as findScenarioFiles } from '../../main/cli/commands/check';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  listPackage(archive: string, options?: { isPack: boolean }): string[];
  extractFile(archive: string, filename: string): Buffer;
};

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-lab-pack-'));
const electronDist = path.join(work, 'electron-dist');
const output = path.join(work, 'release');

/** What electron-builder copies from an unpacked Electron: the executable and its resources folder. */
function makeStandInElectron(): void {
  fs.mkdirSync(path.join(electronDist, 'resources'), { recursive: true });
  fs.writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\necho "stand-in for the Electron binary"\n', { mode: 0o755 });
  fs.writeFileSync(path.join(electronDist, 'version'), `v${(require('electron/package.json') as { version: string }).version}`);
  fs.writeFileSync(path.join(electronDist, 'LICENSE'), 'stand-in');
  fs.writeFileSync(path.join(electronDist, 'LICENSES.chromium.html'), 'stand-in');
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, output: out }));
  });
}

describe('packaging (electron-builder --dir)', () => {
  let appDir: string;
  let files: string[];
  let seconds = 0;

  beforeAll(async () => {
    await ensureBuilt('all');
    makeStandInElectron();
    const started = Date.now();
    const builder = path.join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
    const r = await run(process.execPath, [builder, '--dir', '--linux', '--x64', '--publish', 'never', `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`]);
    seconds = (Date.now() - started) / 1000;
    if (r.code !== 0) throw new Error(`electron-builder failed (exit ${r.code}):\n${r.output}`);
    appDir = path.join(output, 'linux-unpacked');
    files = asar.listPackage(path.join(appDir, 'resources', 'app.asar')).map((f) => f.split(path.sep).join('/'));
    console.log(`[packaging] electron-builder --dir took ${seconds.toFixed(1)} s`);
  }, 300_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('packs the built main, preload and renderer into app.asar', () => {
    for (const f of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/scenarios/scenario.schema.json']) expect(files).toContain(f);
    expect(files.some((f) => /^\/out\/renderer\/assets\/.+\.js$/.test(f))).toBe(true);
    const pkg = JSON.parse(asar.extractFile(path.join(appDir, 'resources', 'app.asar'), 'package.json').toString()) as { main: string };
    expect(files).toContain(`/${pkg.main}`);
    // The packed files are the built ones.
    const packedMain = asar.extractFile(path.join(appDir, 'resources', 'app.asar'), 'out/main/index.js').toString();
    expect(packedMain).toBe(fs.readFileSync(path.join(ROOT, 'out/main/index.js'), 'utf8'));
  });

  it('includes the runtime dependencies, not the CLI’s TypeScript loader', () => {
    for (const dep of ['ajv', 'yaml', 'ws', 'quickjs-emscripten']) expect(files).toContain(`/node_modules/${dep}`);
    expect(files.some((f) => f.startsWith('/node_modules/tsx/') || f.startsWith('/node_modules/esbuild/'))).toBe(false);
    expect(files.some((f) => f.startsWith('/node_modules/electron/'))).toBe(false);
  });

  it('unpacks the Lambda sandbox worker and QuickJS, which a worker thread loads from disk', () => {
    const unpacked = path.join(appDir, 'resources', 'app.asar.unpacked');
    expect(fs.existsSync(path.join(unpacked, 'out/main/sandbox-worker.mjs'))).toBe(true);
    expect(fs.existsSync(path.join(unpacked, 'out/main/service-clients.mjs'))).toBe(true);
    expect(fs.existsSync(path.join(unpacked, 'node_modules/quickjs-emscripten/package.json'))).toBe(true);
    expect(fs.readdirSync(path.join(unpacked, 'node_modules/@jitl')).some((d) => d.startsWith('quickjs-wasmfile-release-sync'))).toBe(true);
  });

  it('ships the bundled scenarios as extra resources', () => {
    const bundled = path.join(ROOT, 'scenarios');
    const shipped = path.join(appDir, 'resources', 'scenarios');
    const expected = findScenarioFiles(bundled).map((f) => path.relative(bundled, f));
    expect(expected.length).toBeGreaterThan(0);
    expect(findScenarioFiles(shipped).map((f) => path.relative(shipped, f))).toEqual(expected);
    expect(fs.existsSync(path.join(shipped, 'scenario.schema.json'))).toBe(true);
  });

  it('names the executable after the app', () => {
    expect(fs.existsSync(path.join(appDir, 'gateway-lab'))).toBe(true);
    expect(seconds).toBeGreaterThan(0);
  });
});
