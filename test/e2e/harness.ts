/**
 * The browser test harness: Playwright (playwright-core) with a system Chromium against the web
 * host. No browser download, ever: a browser is looked for (CHROMIUM_PATH, Debian's chromium, an
 * installed Chrome) and the tests are skipped with a printed reason where none is found, unless
 * GATEWAY_LAB_REQUIRE_BROWSER=1 (CI sets it) makes that a failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type ConsoleMessage, type Page, chromium } from 'playwright-core';

export const ARTIFACTS_DIR = fileURLToPath(new URL('./artifacts', import.meta.url));

export type BrowserLookup = { readonly path: string } | { readonly reason: string };

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ...(process.env.PROGRAMFILES ? [path.join(process.env.PROGRAMFILES, 'Google/Chrome/Application/chrome.exe')] : []),
  ...(process.env['PROGRAMFILES(X86)'] ? [path.join(process.env['PROGRAMFILES(X86)'], 'Google/Chrome/Application/chrome.exe')] : []),
];

export function findBrowser(): BrowserLookup {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fs.existsSync(fromEnv) ? { path: fromEnv } : { reason: `CHROMIUM_PATH is set to ${fromEnv}, which does not exist` };
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  if (found) return { path: found };
  return { reason: `no Chromium or Chrome found (set CHROMIUM_PATH, or install one: apt-get install chromium); looked in ${CANDIDATES.join(', ')}` };
}

/** The browser to use, or null after printing why the suite is skipped. */
export function browserOrSkip(suite: string): string | null {
  const b = findBrowser();
  if ('path' in b) return b.path;
  if (process.env.GATEWAY_LAB_REQUIRE_BROWSER === '1') throw new Error(`${suite}: ${b.reason} (GATEWAY_LAB_REQUIRE_BROWSER=1)`);
  console.log(`[e2e] ${suite} skipped: ${b.reason}`);
  return null;
}

/** The flags this machine's Chromium needs (no sandbox as root, no background network). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Playwright gives every launch a fresh, empty --user-data-dir of its own. */
export function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** Records console errors and uncaught page errors: any of them fails the test. */
export function watchConsole(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()} (${m.location().url}:${m.location().lineNumber})`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return { errors };
}

/**
 * Run a test body on a fresh page; on failure save a screenshot to test/e2e/artifacts/ and
 * rethrow. Console errors fail the test too.
 */
export async function onPage(browser: Browser, name: string, body: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const { errors } = watchConsole(page);
  try {
    await body(page);
    if (errors.length > 0) throw new Error(`the page logged errors:\n${errors.join('\n')}`);
  } catch (err) {
    const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^\w-]+/g, '_')}.png`);
    try {
      fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
      await page.screenshot({ path: file, fullPage: true });
      console.log(`[e2e] screenshot of the failure: ${path.relative(process.cwd(), file)}`);
    } catch {
      // The page may be gone; the error below is what matters.
    }
    if (errors.length > 0 && err instanceof Error && !err.message.includes('the page logged errors')) {
      err.message += `\n(the page also logged errors:\n${errors.join('\n')})`;
    }
    throw err;
  } finally {
    await context.close();
  }
}
