/**
 * End-to-end: the app in Chromium against the web host, as `npm run web` starts it. A person's
 * path through it: the library, a scenario opened and played, stepping back and forth with the
 * keyboard, a rejected request, the composer, files they open. Screenshots of the library, the
 * player and the inspector in both themes are saved under test/e2e/artifacts/screens/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../engine/scenario/loader';
import { startWeb } from '../../main/cli/commands/web';
import type { GatewayService } from '../../main/host/gateway-service';
import type { WebHost } from '../../main/web/server';
import { ARTIFACTS_DIR, browserOrSkip, launchBrowser, onPage } from './harness';

const SCENARIOS = path.resolve(import.meta.dirname, '../../scenarios');
function titleOf(file: string): string {
  const r = loadScenarioFile(path.join(SCENARIOS, file));
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.scenario.title;
}

const executable = browserOrSkip('browser end-to-end tests');

/** Open a scenario from the library; the player shows its title. */
async function openScenario(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: `Open ${title}`, exact: true }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
}

const ranSteps = (page: Page) => page.locator('.scenario-step.passed, .scenario-step.failed').count();

/**
 * Run the scenario's next step as a person would: answer its prediction if it asks one (the first
 * choice, or "run it"), wait for the new trace to start playing, then, with `end`, jump to its end.
 */
async function run(page: Page, { end = true }: { end?: boolean } = {}): Promise<void> {
  const before = await ranSteps(page);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const predict = page.getByRole('region', { name: 'Predict before you see' });
  await expect.poll(async () => (await predict.count()) > 0 || (await ranSteps(page)) > before).toBe(true);
  if (await predict.count()) await predict.locator('.predict-actions button').click();
  await expect.poll(() => ranSteps(page)).toBe(before + 1);
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  if (end) await page.keyboard.press('End');
}

/** Where the transport says playback is: "Step 3 of 9 · Authorizer" or "Response delivered · 9 steps". */
const position = (page: Page) => page.getByRole('toolbar', { name: 'Playback' }).locator('.position').textContent();
/** The trace's steps as the row of chips names them. */
const chipNames = (page: Page) => page.getByRole('list', { name: 'Trace steps' }).locator('.name').allTextContents();

const inspectorTitle = (page: Page) => page.getByRole('region', { name: 'Step inspector' }).getByRole('heading', { level: 2 }).first().textContent();
const status = (page: Page) => page.getByLabel('Response status').textContent();

describe.skipIf(!executable)('the app in a browser (web host)', () => {
  let host: WebHost;
  let service: GatewayService;
  let browser: Browser;
  const hello = titleOf('rest/hello-mock.yaml');
  const authorizer = titleOf('rest/token-authorizer.yaml');
  const jwt = titleOf('http/jwt-authorizer.yaml');
  const chat = titleOf('websocket/chat-room.yaml');

  beforeAll(async () => {
    const quiet = { stdout: () => undefined, stderr: () => undefined };
    [{ host, service }, browser] = await Promise.all([startWeb({ port: 0, files: [] }, quiet), launchBrowser(executable!)]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await service?.close();
  });

  it('saves screenshots of the library, the player and the inspector, light and dark', async () => {
    const dir = path.join(ARTIFACTS_DIR, 'screens');
    fs.mkdirSync(dir, { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      await onPage(browser, `screens-${theme}`, async (page) => {
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.emulateMedia({ colorScheme: theme });
        await page.goto(host.url);
        await page.getByRole('region', { name: /REST APIs/ }).waitFor();
        expect(await page.locator('html').getAttribute('data-theme')).toBe(theme);
        await page.screenshot({ path: path.join(dir, `library-${theme}.png`) });

        await openScenario(page, authorizer);
        await page.getByRole('button', { name: 'Run', exact: true }).click();
        await page.screenshot({ path: path.join(dir, `predict-${theme}.png`) });
        await page.getByRole('button', { name: 'I have a guess: run it' }).click();
        await page.getByRole('button', { name: 'Pause' }).waitFor();
        await page.keyboard.press('End');
        await expect.poll(() => status(page)).toBe('401 Unauthorized');
        await page.screenshot({ path: path.join(dir, `player-rejected-${theme}.png`) });

        for (let i = 2; i <= 6; i++) await run(page); // steps 2-6 of the scenario; step 6 is allowed
        await page.getByRole('list', { name: 'Trace steps' }).getByRole('button', { name: /^Authorizer/ }).click();
        await expect.poll(() => inspectorTitle(page)).toBe('Authorizer');
        await page.screenshot({ path: path.join(dir, `inspector-${theme}.png`) });
        await page.keyboard.press('End');
        await expect.poll(() => status(page)).toBe('200 OK');
        await page.screenshot({ path: path.join(dir, `player-${theme}.png`) });
      });
    }
    for (const f of ['library', 'player', 'inspector']) expect(fs.existsSync(path.join(dir, `${f}-dark.png`))).toBe(true);
  });

  it('loads the library, opens a scenario and runs one request', async () => {
    await onPage(browser, 'loads-opens-runs', async (page) => {
      await page.goto(host.url);
      // The library: sections by gateway type, search narrows them.
      await expect.poll(() => page.getByRole('region', { name: /REST APIs/ }).getByRole('article').count()).toBeGreaterThan(3);
      await page.getByLabel('Search scenarios').fill('missing token 401');
      await expect.poll(() => page.getByRole('article').count()).toBeLessThan(5);
      await page.getByLabel('Search scenarios').fill('');
      await openScenario(page, hello);
      await run(page);
      const names = await chipNames(page);
      // The REST lifecycle in AWS's order (steps the engine adds, like throttling, may sit between).
      const order = ['Received', 'Route', 'Authorizer', 'API key', 'Validation', 'Integration request', 'Integration', 'Integration response', 'Method response'];
      expect(names.filter((n) => order.includes(n))).toEqual(order);
      await expect.poll(() => status(page)).toBe('200 OK');
      await expect.poll(() => position(page)).toBe(`Response delivered · ${names.length} steps`);
      await expect.poll(() => page.locator('.scenario-step.passed').count()).toBe(1);
      // The integration box says what the backend is.
      expect(await page.locator('.node.kind-backend .label').textContent()).toBe('Mock');
    });
  });

  it('plays a trace, and steps back and forth with the keyboard to exactly the same frames', async () => {
    await onPage(browser, 'play-step', async (page) => {
      await page.goto(host.url);
      await openScenario(page, hello);
      await run(page, { end: false });
      await page.getByLabel('Speed').selectOption('4');
      const names = await chipNames(page);
      const n = names.length;
      await expect.poll(() => position(page), { timeout: 20_000 }).toBe(`Response delivered · ${n} steps`);
      expect(await page.getByRole('button', { name: 'Play', exact: true }).isVisible()).toBe(true);

      await page.keyboard.press('Home');
      await expect.poll(() => position(page)).toBe(`Step 1 of ${n} · Request received`);
      const authorizerAt = names.indexOf('Authorizer');
      for (let i = 0; i < authorizerAt; i++) await page.keyboard.press('ArrowRight');
      await expect.poll(() => position(page)).toBe(`Step ${authorizerAt + 1} of ${n} · Authorizer`);
      await expect.poll(() => inspectorTitle(page)).toBe('Authorizer');
      expect(await page.locator('.node.state-current').getAttribute('aria-label')).toBe('Authorizer: current step');
      expect(await page.locator('[aria-label="Trace steps"] [aria-current="step"] .name').textContent()).toBe('Authorizer');
      const packet = () => page.locator('.packet').getAttribute('transform');
      const atAuthorizer = await packet();

      await page.keyboard.press('ArrowRight');
      await expect.poll(() => inspectorTitle(page)).toBe('API key and usage plan');
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => inspectorTitle(page)).toBe('Authorizer');
      expect(await packet()).toBe(atAuthorizer);
      await page.getByRole('list', { name: 'Trace steps' }).getByRole('button', { name: /^Route/ }).click();
      await expect.poll(() => inspectorTitle(page)).toBe('Route');
      const inspector = page.getByRole('region', { name: 'Step inspector' });
      expect(await inspector.locator('.summary').textContent()).toMatch(/GET \/hello matched resource \/hello/);
      expect(await inspector.getByRole('region', { name: 'Routes considered' }).textContent()).toContain('/hello');

      // A click on a step jumps there: the mapping template with its output.
      await page.getByRole('list', { name: 'Trace steps' }).getByRole('button', { name: /Integration response/ }).click();
      await expect.poll(() => inspectorTitle(page)).toBe('Integration response');
      expect(await inspector.getByLabel('Template output').textContent()).toContain('"message": "Hello from API Gateway!"');
      expect(await inspector.getByRole('region', { name: 'What this step changed' }).textContent()).toContain('Method response');
      // The execution-log panel highlights this step's lines.
      await expect.poll(() => page.locator('.log-panel .line.mine').count()).toBeGreaterThan(0);

      await page.keyboard.press('End');
      await expect.poll(() => position(page)).toBe(`Response delivered · ${n} steps`);
      await page.keyboard.press(' ');
      await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count()).toBe(1);
      await page.keyboard.press(' ');
      await expect.poll(() => page.getByRole('button', { name: 'Play', exact: true }).count()).toBe(1);
    });
  });

  it('asks the prediction first, then shows where a rejected request stopped and which gateway response it produced', async () => {
    await onPage(browser, 'rejected', async (page) => {
      await page.goto(host.url);
      await openScenario(page, authorizer);
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      const predict = page.getByRole('region', { name: 'Predict before you see' });
      expect(await predict.getByRole('heading').textContent()).toBe('Does the authorizer function run when the Authorization header is missing?');
      await predict.getByRole('button', { name: 'I have a guess: run it' }).click();
      await page.getByRole('button', { name: 'Pause' }).waitFor();
      await page.keyboard.press('End');
      await expect.poll(() => status(page)).toBe('401 Unauthorized');
      const note = page.getByRole('status').filter({ hasText: 'Stopped at' });
      expect(await note.textContent()).toBe('Stopped at Authorizer · gateway response UNAUTHORIZED');
      expect(await page.locator('.node.state-stopped').getAttribute('aria-label')).toBe('Authorizer: stopped the request here');
      expect(await page.locator('.node.kind-gatewayResponse .note').textContent()).toBe('UNAUTHORIZED 401');
      // The answer comes with the trace.
      await expect.poll(() => page.getByRole('region', { name: 'Your prediction' }).textContent()).toContain('No. The identity source is missing, so API Gateway answers 401 itself');

      await page.getByRole('button', { name: 'Jump to the step where the request stopped' }).click();
      const names = await chipNames(page);
      await expect.poll(() => position(page)).toBe(`Step ${names.indexOf('Authorizer') + 1} of ${names.length} · Authorizer`);
      const inspector = page.getByRole('region', { name: 'Step inspector' });
      // The inspector follows the step a moment later (it renders deferred, so playback never waits for it).
      await expect.poll(() => inspector.locator('.outcome-pill').textContent()).toBe('stopped the request');
      expect(await inspector.getByRole('note').textContent()).toContain('UNAUTHORIZED gateway response: 401');

      // A Deny policy: the policy table, and 403 from ACCESS_DENIED.
      await run(page);
      await run(page);
      await expect.poll(() => page.locator('.scenario-step.passed').count()).toBe(3);
      await page.getByRole('button', { name: 'Jump to the step where the request stopped' }).click();
      expect(await inspector.getByRole('region', { name: 'Policy the authorizer returned' }).textContent()).toContain('Deny');
      await page.keyboard.press('End');
      expect(await note.textContent()).toBe('Stopped at Authorizer · gateway response ACCESS_DENIED');
    });
  });

  it('the composer sends a request with a token from the identity provider, and its trace appears', async () => {
    await onPage(browser, 'composer', async (page) => {
      await page.goto(host.url);
      await openScenario(page, jwt);
      await page.getByRole('button', { name: 'New request' }).click();
      const dialog = page.getByRole('dialog', { name: 'New request' });
      await dialog.getByLabel('Path').fill('/pets');
      await dialog.getByRole('button', { name: 'Use token alice' }).click();
      expect(await dialog.getByLabel('Headers 1 value').inputValue()).toBe('Bearer {{token.alice}}');
      await dialog.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      const yours = page.getByRole('region', { name: 'Your requests' });
      await expect.poll(() => yours.getByRole('listitem').count()).toBe(1);
      await page.getByRole('button', { name: 'Pause' }).waitFor();
      await page.keyboard.press('End');
      await expect.poll(() => status(page)).toBe('200 OK');
      await page.getByRole('list', { name: 'Trace steps' }).getByRole('button', { name: /^Authorizer/ }).click();
      expect(await page.getByRole('region', { name: 'Token claims' }).textContent()).toContain('alice@example.test');

      // Without the token: a second request, a 401 at the authorizer. Keyboard only.
      await page.getByRole('button', { name: 'New request' }).click();
      await dialog.getByRole('button', { name: 'Remove header 1' }).click();
      await dialog.getByLabel('Path').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => yours.getByRole('listitem').count()).toBe(2);
      await page.getByRole('button', { name: 'Pause' }).waitFor();
      await page.keyboard.press('End');
      await expect.poll(() => status(page)).toBe('401 Unauthorized');
      expect(await page.getByRole('status').filter({ hasText: 'Stopped at' }).textContent()).toContain('Authorizer');
    });
  });

  it('follows a WebSocket broadcast: the @connections calls, the frames and the table', async () => {
    await onPage(browser, 'websocket', async (page) => {
      await page.goto(host.url);
      await openScenario(page, chat);
      for (let i = 0; i < 4; i++) await run(page);
      expect(await page.locator('.stage-header .method').textContent()).toBe('MESSAGE');
      expect(await page.locator('.node.kind-service .note').textContent()).toBe('3 calls');
      await page.getByRole('list', { name: 'Trace steps' }).getByRole('button', { name: /^Integration \(/ }).click();
      const calls = page.getByRole('region', { name: 'Calls the function made' });
      await expect.poll(() => calls.getByRole('row').filter({ hasText: 'PostToConnection' }).count()).toBe(3);
      expect(await page.getByRole('region', { name: 'Frames sent to clients' }).textContent()).toContain('hello, everyone!');
      await page.getByRole('tab', { name: 'Services' }).click();
      expect(await page.getByRole('region', { name: 'Tables' }).textContent()).toContain('connections');
    });
  });

  it('runs a scenario to the end, restarts it, and exports the trace', async () => {
    await onPage(browser, 'run-all-export', async (page) => {
      await page.goto(host.url);
      await openScenario(page, hello);
      for (let i = 0; i < 4; i++) await run(page);
      await expect.poll(() => page.locator('.scenario-step.passed').count()).toBe(4);
      const runButton = page.getByRole('button', { name: 'Run', exact: true });
      expect(await runButton.isDisabled()).toBe(true);
      await page.getByRole('tab', { name: 'Response' }).click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export HAR' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^trace-.+\.har$/);
      // An earlier step's trace can be shown again.
      await page.getByRole('button', { name: 'Show step 1' }).click();
      await expect.poll(() => page.locator('.stage-header .path').textContent()).toBe('/prod/hello');
      await page.getByRole('button', { name: 'Restart' }).click();
      await expect.poll(() => page.locator('.scenario-step.passed').count()).toBe(0);
      expect(await runButton.isEnabled()).toBe(true);
      // Back to the library, and the theme switch.
      await page.getByRole('button', { name: 'Library' }).click();
      await page.getByRole('button', { name: 'Switch to dark theme' }).click();
      expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
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
      await openScenario(page, 'A picked file');
      await run(page);
      await expect.poll(() => status(page)).toBe('200 OK');

      await page.getByRole('button', { name: 'Library' }).click();
      await input.setInputFiles({ name: 'broken.yaml', mimeType: 'application/yaml', buffer: Buffer.from('id: broken\nsteps: 3\n') });
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain('broken.yaml cannot be opened: broken.yaml:1:1 (document): missing required property "title" (and 2 more)');
      expect(await alert.getByRole('listitem').allTextContents()).toContain('broken.yaml:2:8 steps: must be array');
    });
  });
});
