/**
 * End-to-end: the compare, load, live and playground views in Chromium against the web host,
 * with the engine behind them. Each test takes a screenshot of its view in the light and the
 * dark theme (test/e2e/artifacts/screens/).
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
const SCREENS = path.join(ARTIFACTS_DIR, 'screens');
function titleOf(file: string): string {
  const r = loadScenarioFile(path.join(SCENARIOS, file));
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.scenario.title;
}

const executable = browserOrSkip('views end-to-end tests');
/** The suite shares the machine with the other test files: give the page time. */
const POLL = { timeout: 10_000 };

/** The page in the light theme, then the dark one (the top bar's theme switch). */
async function screenshots(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}-light.png`) });
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
  await page.screenshot({ path: path.join(SCREENS, `${name}-dark.png`) });
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
}

/** The player shows the trace it was given: jump to its end, where the status shows. */
async function playerStatus(page: Page): Promise<string | null> {
  await page.getByRole('toolbar', { name: 'Playback' }).waitFor();
  await page.locator('body').press('End');
  return page.getByLabel('Response status').textContent();
}

/** Scroll the view (its own scroll box; the page never scrolls) so that `selector` is at its top. */
async function scrollTo(page: Page, selector: string): Promise<void> {
  await page.locator('.view').evaluate((v, sel) => {
    const el = v.querySelector(sel);
    if (el) v.scrollTop += el.getBoundingClientRect().top - v.getBoundingClientRect().top - 16;
  }, selector);
}

/** Open a view with its shortcut key, as the navigation lists it. */
async function view(page: Page, key: string, heading: string): Promise<void> {
  await page.locator('body').press(key);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent(), POLL).toBe(heading);
}

describe.skipIf(!executable)('the compare, load, live and playground views (web host)', () => {
  let host: WebHost;
  let service: GatewayService;
  let browser: Browser;
  const pets = titleOf('compare/pets-rest-vs-http.yaml');
  const loadCost = titleOf('compare/load-cost-rest-vs-http.yaml');
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

  const open = async (page: Page) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(host.url);
    await page.getByRole('region', { name: /REST APIs/ }).waitFor();
  };

  it('navigates between the views with the keyboard, and lists the shortcuts', async () => {
    await onPage(browser, 'views-nav', async (page) => {
      await open(page);
      const nav = page.getByRole('navigation', { name: 'Views' });
      expect(await nav.getByRole('button').allTextContents()).toEqual(['Library', 'Player', 'Compare', 'Load', 'Live', 'Playground']);
      // The player needs a scenario; the others say what they need.
      expect(await nav.getByRole('button', { name: 'Player' }).isDisabled()).toBe(true);
      await view(page, '3', 'Compare gateway types');
      expect(await nav.locator('[aria-current="page"]').textContent()).toBe('Compare');
      await view(page, '4', 'Simulate load');
      await view(page, '5', 'Live endpoint');
      await view(page, '6', 'Mapping-template playground');
      await view(page, '1', 'See every step of an API Gateway request');
      await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
      const list = page.getByRole('group', { name: 'Keyboard shortcuts' });
      expect(await list.textContent()).toContain('Playground');
      await page.keyboard.press('Escape');
      await expect.poll(() => list.isVisible(), POLL).toBe(false);
    });
  });

  it('compares REST and HTTP: two lanes, the steps only one has, both Lambda events, the price difference', async () => {
    await onPage(browser, 'compare', async (page) => {
      await open(page);
      await view(page, '3', 'Compare gateway types');
      await page.getByRole('region', { name: 'Pick a comparison' }).getByRole('button', { name: pets }).click();
      const form = page.getByRole('form', { name: 'What to compare' });
      await expect.poll(() => form.getByLabel('Path').inputValue(), POLL).toBe('/prod/pets');
      await form.getByRole('button', { name: 'Compare' }).click();

      const lanes = page.getByRole('region', { name: 'Outcome on each gateway type' });
      await expect.poll(() => lanes.getByRole('article').count(), POLL).toBe(2);
      expect(await lanes.getByLabel('REST status').textContent()).toBe('200 OK');
      expect(await lanes.getByLabel('HTTP status').textContent()).toBe('200 OK');
      expect(await lanes.getByLabel('REST price per million requests').textContent()).toBe('$3.50');
      expect(await lanes.getByLabel('HTTP price per million requests').textContent()).toBe('$1.00');

      // The steps only one side runs, in words and in the phase-by-phase table.
      expect(await page.getByLabel('Steps only REST runs').textContent()).toContain('Request validation');
      const table = page.getByRole('table').first();
      expect(await table.getByRole('cell', { name: 'REST, Validation' }).textContent()).toContain('only REST');
      expect(await table.getByRole('cell', { name: 'HTTP, Validation' }).textContent()).toBe('not in this lifecycle');

      // Both Lambda events, payload 1.0 and 2.0, with the keys only one side has marked.
      const rest = page.getByRole('figure', { name: 'REST Lambda event' });
      const http = page.getByRole('figure', { name: 'HTTP Lambda event' });
      expect(await rest.locator('figcaption').textContent()).toContain('payload 1.0');
      expect(await http.locator('figcaption').textContent()).toContain('payload 2.0');
      expect(await rest.locator('.only-key').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('"httpMethod"')]));
      expect(await http.locator('.only-key').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('"routeKey"')]));

      // The price at the chosen traffic, from the engine's cost model.
      const cost = page.getByRole('region', { name: 'What it costs' });
      await expect.poll(() => cost.getByLabel('Monthly difference').textContent(), POLL).toBe('$25.00');
      expect(await cost.locator('.verdict').textContent()).toContain('HTTP costs $25.00 less a month than REST (71% less)');
      const slider = cost.getByRole('slider');
      await slider.focus();
      await page.keyboard.press('End');
      expect(await slider.getAttribute('aria-valuetext')).toBe('100 billion requests a month');
      // REST's volume tiers make the gap smaller than 71% at 100 billion a month.
      await expect.poll(() => cost.getByLabel('REST per month').textContent(), POLL).toBe('$169,053.10');
      expect(await cost.getByLabel('HTTP per month').textContent()).toBe('$90,030.00');

      await page.locator('.view').evaluate((e) => (e.scrollTop = 0));
      await screenshots(page, 'compare');
      await scrollTo(page, '.events');
      await screenshots(page, 'compare-events');

      // Errors differ too: an unknown path is REST's 403 and HTTP's 404.
      await form.getByLabel('Path').fill('/prod/nothing-here');
      await form.getByRole('button', { name: 'Compare' }).click();
      await expect.poll(() => page.getByLabel('REST error body').textContent(), POLL).toBe('{"message":"Missing Authentication Token"}');
      expect(await page.getByLabel('HTTP error body').textContent()).toBe('{"message":"Not Found"}');

      // A lane plays in the player.
      await lanes.getByRole('button', { name: 'Play the HTTP trace in the player' }).click();
      await expect.poll(() => playerStatus(page), POLL).toBe('404 Not Found');
    });
  });

  it('runs a load simulation with progress, cancels one, and fills the charts', async () => {
    await onPage(browser, 'load', async (page) => {
      await open(page);
      await view(page, '4', 'Simulate load');
      await page.getByRole('region', { name: 'Pick an API to load' }).getByRole('button', { name: loadCost }).click();
      const form = page.getByRole('form', { name: 'Load to simulate' });
      await expect.poll(() => form.getByLabel('Path').inputValue(), POLL).toBe('/prod/products/{{random:50}}');
      const progress = form.getByRole('progressbar', { name: 'Simulation progress' });

      // A long run: progress moves, then Cancel stops it where it is.
      await form.getByLabel('Requests per second').fill('2000');
      await form.getByLabel('Seconds').fill('3600');
      await form.getByRole('button', { name: 'Start simulation' }).click();
      await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 15_000 }).toBeGreaterThan(0);
      await expect.poll(() => page.locator('.in-flight').getAttribute('data-in-flight').then(Number), POLL).toBeGreaterThan(100);
      await form.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => form.locator('.progress-text').textContent(), POLL).toMatch(/^Cancelled at \d+%$/);
      expect(Number(await progress.getAttribute('aria-valuenow'))).toBeLessThan(100);
      expect(await page.getByRole('heading', { name: 'Until it was cancelled' }).isVisible()).toBe(true);

      // A short run to the end: every second in every chart, the totals and the month's cost.
      await form.getByRole('button', { name: '10/s' }).click();
      await form.getByLabel('Seconds').fill('120');
      await form.getByRole('button', { name: 'Start simulation' }).click();
      await expect.poll(() => form.locator('.progress-text').textContent(), { timeout: 20_000 }).toMatch(/^Done in/);
      expect(await progress.getAttribute('aria-valuenow')).toBe('100');
      const charts = page.getByRole('region', { name: 'Load charts' }).locator('svg[data-points]');
      expect(await charts.count()).toBe(3);
      for (const n of await charts.evaluateAll((svgs) => svgs.map((s) => s.getAttribute('data-points')))) expect(n).toBe('120');
      expect(await charts.first().locator('path.series').count()).toBe(5);
      const results = page.getByRole('region', { name: 'The run' });
      expect(await results.textContent()).toContain('1,200');
      expect(await results.locator('.monthly').textContent()).toMatch(/REST\s*\$106\.58/);
      // The cache answered most requests: the stage cache box counts its hits.
      expect(Number((await page.locator('.station-cache .station-value').textContent())!.replace(/,/g, ''))).toBeGreaterThan(1000);

      await page.locator('.view').evaluate((e) => (e.scrollTop = 0));
      await expect.poll(() => page.locator('.in-flight').getAttribute('data-in-flight').then(Number), POLL).toBeGreaterThan(40);
      await screenshots(page, 'load');
      await scrollTo(page, '.load-charts');
      await screenshots(page, 'load-results');

      // A sampled request opens in the player.
      await page.getByRole('list', { name: 'Sampled requests' }).getByRole('button').first().click();
      await expect.poll(() => playerStatus(page), POLL).toBe('200 OK');
    });
  });

  it('renders a mapping template as you type, and shows an error with its line', async () => {
    await onPage(browser, 'playground', async (page) => {
      await open(page);
      await view(page, '6', 'Mapping-template playground');
      const output = page.getByLabel('Rendered output');
      // A bundled example with its body and variables.
      await page.getByLabel('Example').selectOption('reshape-order');
      await expect.poll(() => output.textContent(), POLL).toContain('"warehouse": "eu-west-1a"');
      expect(await output.textContent()).toContain('"total": 55.0');
      await screenshots(page, 'playground');

      // Your own template and body, rendered as you type.
      const template = page.getByRole('textbox', { name: 'Template', exact: true });
      await template.fill('');
      await page.getByRole('tab', { name: 'Body' }).click();
      await page.getByRole('textbox', { name: 'Body' }).fill('{"name": "Rex", "age": 3}');
      await template.pressSequentially(`#set($next = $input.path('$.age') + 1)\n{"pet": "$input.path('$.name')"`, { delay: 5 });
      await template.pressSequentially(', "next": $next}', { delay: 5 });
      await expect.poll(() => output.textContent(), POLL).toBe('{"pet": "Rex", "next": 4}');
      expect(await page.locator('.output-panel .tag').textContent()).toBe('valid JSON');

      // A broken directive: the error names its line and column, and the gutter marks the line.
      await template.press('End');
      await template.pressSequentially('\n#foreach($x in', { delay: 5 });
      const status = page.locator('.render-status');
      await expect.poll(() => status.textContent(), POLL).toMatch(/^Line 3, column \d+: /);
      expect(await page.locator('.code-editor .ln.error').first().textContent()).toBe('3');
      // The last output stays on screen, marked as such.
      expect(await page.locator('.output-panel .tag').textContent()).toBe('last output before the error');
      expect(await output.textContent()).toBe('{"pet": "Rex", "next": 4}');
      await screenshots(page, 'playground-error');
      await template.pressSequentially(' [1..2])$x#end', { delay: 5 });
      await expect.poll(() => output.textContent(), POLL).toBe('{"pet": "Rex", "next": 4}\n12');
      expect(await page.locator('.code-editor .ln.error').count()).toBe(0);

      // The variables: $context and $stageVariables.
      await template.fill('$context.stage/$stageVariables.color');
      await page.getByRole('tab', { name: 'Variables' }).click();
      await page.getByRole('textbox', { name: 'Variables' }).fill('{"context": {"stage": "beta"}, "stageVariables": {"color": "blue"}}');
      await expect.poll(() => output.textContent(), POLL).toBe('beta/blue');
    });
  });

  it('shows a request sent with a real HTTP client to the live endpoint, as it arrives', async () => {
    await onPage(browser, 'live', async (page) => {
      await open(page);
      await view(page, '5', 'Live endpoint');
      await page.getByRole('region', { name: 'Pick an API to serve' }).getByRole('button', { name: hello }).click();
      const toggle = page.getByRole('switch', { name: 'Live endpoint' });
      expect(await toggle.getAttribute('aria-checked')).toBe('false');
      await toggle.click();
      await expect.poll(() => toggle.getAttribute('aria-checked'), POLL).toBe('true');
      const url = (await page.getByLabel('Live endpoint URL').textContent())!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prod$/);
      expect(await page.locator('.example code').first().textContent()).toBe(`curl -i ${url}/hello`);

      // Node's fetch: a real HTTP client on a real socket.
      const res = await fetch(`${url}/hello`, { headers: { 'x-from': 'the e2e test' } });
      expect(res.status).toBe(200);
      const rows = page.locator('.live-row');
      await expect.poll(() => rows.count(), POLL).toBe(1);
      expect(await rows.first().textContent()).toContain('/prod/hello');
      expect(await rows.first().textContent()).toContain('200 OK');
      expect((await fetch(`${url}/nope`)).status).toBe(403);
      await expect.poll(() => rows.count(), POLL).toBe(2);
      expect(await rows.first().textContent()).toContain('403 Forbidden');

      // A burst faster than anyone can read: the list takes up to 20 a second and says how many it left out.
      await Promise.all(Array.from({ length: 100 }, () => fetch(`${url}/hello`)));
      const unlisted = page.locator('.live-unlisted');
      const accounted = async () => (await rows.count()) + Number(((await unlisted.textContent().catch(() => '0')) ?? '0').replace(/[^0-9].*$/s, '').replace(/,/g, '') || 0);
      await expect.poll(accounted, POLL).toBe(102);
      expect(await rows.count()).toBeLessThan(60);
      expect(await unlisted.textContent()).toMatch(/^\d+ more requests were served than listed/);
      await screenshots(page, 'live');

      // A live request plays in the player.
      await rows.nth(1).getByRole('button').click();
      await expect.poll(() => playerStatus(page), POLL).toBe('200 OK');
      expect(await page.locator('.stage-header').textContent()).toContain('/prod/hello');
      await view(page, '5', 'Live endpoint');
      await toggle.click();
      await expect.poll(() => toggle.getAttribute('aria-checked'), POLL).toBe('false');
      await expect(fetch(`${url}/hello`)).rejects.toThrow();
    });
  });
});
