/**
 * Electron smoke test: the real desktop app under Playwright's `_electron`, where the Electron
 * binary exists. Skipped with a printed reason where it does not (it cannot be downloaded here).
 */
import { fileURLToPath } from 'node:url';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../main/host/build';
import { findElectronBinary } from '../../main/host/electron-binary';
import { watchConsole } from './harness';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const binary = findElectronBinary(ROOT);
if (!binary.found) console.log(`[e2e] Electron smoke test skipped: ${binary.reason}`);

describe.skipIf(!binary.found)('the desktop app (Electron)', () => {
  it('opens the window with the preload API only, and runs a request', async () => {
    await ensureBuilt('all');
    const args = [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
    const app = await electron.launch({ executablePath: (binary as { path: string }).path, args, timeout: 60_000 });
    try {
      const page = await app.firstWindow();
      const { errors } = watchConsole(page);
      // Exactly the GatewayApi functions, and no Node in the page.
      const shape = await page.evaluate(() => {
        const w = globalThis as unknown as { gatewayLab: object; require?: unknown; process?: unknown };
        return { keys: Object.keys(w.gatewayLab).sort(), require: typeof w.require, process: typeof w.process };
      });
      expect(shape.keys).toContain('runStep');
      expect(shape.keys).not.toContain('invoke');
      expect(shape.require).toBe('undefined');
      expect(shape.process).toBe('undefined');
      await page.getByRole('button', { name: /^Open Hello, API Gateway/ }).click();
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      // The first step asks a prediction before it runs.
      await page.getByRole('region', { name: 'Predict before you see' }).locator('.predict-actions button').click();
      await page.getByRole('list', { name: 'Trace steps' }).getByRole('listitem').first().waitFor();
      expect(errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);
});
