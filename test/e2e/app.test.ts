/**
 * End-to-end: the app in Chromium against the web host, as `npm run web` starts it. The first
 * test is the one the issue names: load the app, open a scenario, run one request.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../engine/scenario/loader';
import { startWeb } from '../../main/cli/commands/web';
import type { GatewayService } from '../../main/host/gateway-service';
import type { WebHost } from '../../main/web/server';
import { browserOrSkip, launchBrowser, onPage } from './harness';

const SCENARIOS = path.resolve(import.meta.dirname, '../../scenarios');
function titleOf(file: string): string {
  const r = loadScenarioFile(path.join(SCENARIOS, file));
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.scenario.title;
}

const executable = browserOrSkip('browser end-to-end tests');

describe.skipIf(!executable)('the app in a browser (web host)', () => {
  let host: WebHost;
  let service: GatewayService;
  let browser: Browser;
  const hello = titleOf('rest/hello-mock.yaml');

  beforeAll(async () => {
    const quiet = { stdout: () => undefined, stderr: () => undefined };
    [{ host, service }, browser] = await Promise.all([startWeb({ port: 0, files: [] }, quiet), launchBrowser(executable!)]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await service?.close();
  });

  it('loads the app, opens a scenario and runs one request', async () => {
    await onPage(browser, 'loads-opens-runs', async (page) => {
      await page.goto(host.url);
      await page.getByRole('button', { name: `Open ${hello}`, exact: true }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(hello);
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      const steps = page.getByRole('list', { name: 'Trace steps' }).getByRole('listitem');
      await steps.first().waitFor();
      const names = await steps.locator('.name').allTextContents();
      expect(names).toEqual(expect.arrayContaining(['route', 'integration', 'methodResponse']));
      await expect.poll(() => page.getByRole('region', { name: 'Trace' }).locator('.status').textContent()).toBe('200');
      await expect.poll(() => page.locator('.step.passed').count()).toBe(1);
    });
  });

  it('runs a scenario to the end, restarts it, and exports the trace', async () => {
    await onPage(browser, 'run-all-export', async (page) => {
      await page.goto(host.url);
      await page.getByRole('button', { name: `Open ${hello}`, exact: true }).click();
      const run = page.getByRole('button', { name: 'Run', exact: true });
      for (let i = 0; i < 4; i++) {
        await run.click();
        await expect.poll(() => page.locator('.step.passed').count()).toBe(i + 1);
      }
      expect(await run.isDisabled()).toBe(true);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export HAR' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^trace-.+\.har$/);
      await page.getByRole('button', { name: 'Restart' }).click();
      await expect.poll(() => page.locator('.step.passed').count()).toBe(0);
      expect(await run.isEnabled()).toBe(true);
    });
  });

  it('opens a scenario file the user picks, and shows a broken one’s problems', async () => {
    await onPage(browser, 'open-file', async (page) => {
      await page.goto(host.url);
      const input = page.getByLabel('Scenario or OpenAPI file');
      const yaml = [
        'id: picked',
        'title: A picked file',
        'gateway: REST',
        'api:',
        '  resources:',
        '    /x:',
        '      GET:',
        "        integration: { type: MOCK, requestTemplates: { application/json: '{\"statusCode\": 200}' } }",
        'steps:',
        '  - request: { method: GET, path: /prod/x }',
        '',
      ].join('\n');
      await input.setInputFiles({ name: 'picked.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml) });
      await page.getByRole('button', { name: 'Open A picked file', exact: true }).click();
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect.poll(() => page.getByRole('region', { name: 'Trace' }).locator('.status').textContent()).toBe('200');

      await input.setInputFiles({ name: 'broken.yaml', mimeType: 'application/yaml', buffer: Buffer.from('id: broken\nsteps: 3\n') });
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain('broken.yaml cannot be opened: broken.yaml:1:1 (document): missing required property "title" (and 2 more)');
      expect(await alert.getByRole('listitem').allTextContents()).toContain('broken.yaml:2:8 steps: must be array');
    });
  });
});
