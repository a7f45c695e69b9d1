/**
 * Electronegativity (Doyensec's Electron security linter) over the app: no HIGH or MEDIUM
 * findings. Findings reviewed and accepted are annotated where they occur (`eng-disable ID`, with
 * the reason on the line above), as the tool intends.
 *
 * What is scanned: the Electron main process and preload sources (main/), the renderer sources
 * and page (renderer/), package.json (Electron version, npm scripts), and the built page and
 * preload (out/renderer/index.html, out/preload/index.cjs). The built main bundle is not scanned
 * again: it is main/ compiled (its comments, and so the annotations, do not survive bundling).
 *
 * Offline: the tool fetches translations and Electron's release list from GitHub. The test
 * stubs its HTTP client so nothing leaves the machine, and leaves out the one check that needs the
 * release list (AvailableSecurityFixesGlobalCheck, "is this Electron version outdated").
 */
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../main/host/build';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

interface Issue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  description: string;
  manualReview: boolean;
}

type Run = (options: Record<string, unknown>, forCli: boolean) => Promise<{ issues: Issue[]; errors: { file: string; message: string; tolerable: boolean }[]; atomicChecks: number; globalChecks: number }>;

/** Make the tool's HTTP client fail at once, without a connection. */
function stubHttpClient(): void {
  const toolRequire = createRequire(require.resolve('@doyensec/electronegativity'));
  const gotPath = toolRequire.resolve('got');
  const offline = () => Promise.reject(new Error('offline: Gateway Lab tests make no network requests'));
  const stub = Object.assign(offline, { head: offline, get: offline });
  const m = new Module(gotPath);
  m.exports = stub;
  m.loaded = true;
  (require.cache as Record<string, unknown>)[gotPath] = m;
}

const scanDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-lab-eng-'));

function copy(rel: string, to = rel): void {
  fs.cpSync(path.join(ROOT, rel), path.join(scanDir, to), { recursive: true });
}

describe('Electronegativity', () => {
  let result: Awaited<ReturnType<Run>>;

  beforeAll(async () => {
    await ensureBuilt('all');
    copy('package.json');
    copy('main');
    copy('renderer');
    copy('out/renderer/index.html', 'out/renderer/index.html');
    copy('out/preload', 'out/preload');
    stubHttpClient();
    const run = require('@doyensec/electronegativity') as Run;
    const log = console.log;
    console.log = () => undefined; // the tool narrates its offline fallbacks
    try {
      result = await run(
        {
          input: scanDir,
          output: undefined,
          isSarif: false,
          customScan: [],
          excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
          severitySet: undefined,
          confidenceSet: undefined,
          isRelative: true,
          isVerbose: false,
          electronUpgrade: undefined,
          electronVersionOverride: (require('electron/package.json') as { version: string }).version,
          parserPlugins: [],
        },
        false,
      );
    } finally {
      console.log = log;
    }
  }, 180_000);

  afterAll(() => fs.rmSync(scanDir, { recursive: true, force: true }));

  it('ran its checks over the sources and the built page and preload', () => {
    expect(result.atomicChecks).toBeGreaterThan(20);
    expect(result.errors.filter((e) => !e.tolerable)).toEqual([]);
  });

  it('finds nothing of HIGH or MEDIUM severity', () => {
    const serious = result.issues
      .filter((i) => ['HIGH', 'MEDIUM'].includes(i.severity.name))
      .map((i) => `${i.severity.name} ${i.id} ${i.file}:${i.location.line}:${i.location.column} ${i.description}`);
    expect(serious).toEqual([]);
    const rest = result.issues.map((i) => `${i.severity.name} ${i.id} ${i.file}`);
    if (rest.length > 0) console.log(`[electronegativity] lower findings:\n  ${rest.join('\n  ')}`);
  });
});
