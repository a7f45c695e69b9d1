/**
 * ui.*: frame times while the lifecycle player plays a trace, and while the load view animates
 * thousands of requests in flight, in Chromium against the web host.
 *
 * For every animation frame during playback the page records, with the Performance API:
 * - the frame's main-thread work: from the frame's start (the requestAnimationFrame timestamp,
 *   shared by every callback of the frame) to a message posted from a callback of that frame,
 *   which runs once the frame's callbacks, style, layout and paint are done. This is the time
 *   the page needs to produce a frame; it must stay under 16.7 ms for 60 frames per second.
 * - the interval between frames (what the screen sees; ~16.7 ms when the page keeps up).
 *
 * Reported as skipped, with the reason, where no Chromium is found.
 */
import type { Browser, Page } from 'playwright-core';
import { startWeb } from '../../main/cli/commands/web';
import { findBrowser, launchBrowser } from '../e2e/harness';
import type { BenchResults } from './types';

const PLAYS = Number(process.env.UI_BENCH_PLAYS ?? 3);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]! * 100) / 100;
}

/**
 * The frame recorder, installed in the page: work and interval per animation frame. A string,
 * not a function: the bench runs under tsx, whose helpers would not exist in the page.
 */
const RECORDER = `(() => {
  const w = window;
  w.__frames = { work: [], interval: [] };
  w.__recording = true;
  let last = 0;
  let frameStart = 0;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => { w.__frames.work.push(performance.now() - frameStart); };
  const onFrame = (now) => {
    if (!w.__recording) return;
    if (last) w.__frames.interval.push(now - last);
    last = now;
    frameStart = now;
    channel.port2.postMessage(0);
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
})()`;

/** Wait until a page expression is true (waitForFunction would eval in the page: the CSP forbids it). */
async function until(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function startRecording(page: Page): Promise<void> {
  await page.evaluate(RECORDER);
}

async function stopRecording(page: Page): Promise<{ work: number[]; interval: number[] }> {
  return page.evaluate('(() => { window.__recording = false; return window.__frames; })()') as Promise<{ work: number[]; interval: number[] }>;
}

async function measure(browser: Browser, url: string): Promise<{ work: number[]; interval: number[]; durationMs: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.getByRole('button', { name: /^Open Who said no\?/ }).click();
    // Step 5 goes all the way: authorizer, Lambda, integration response: nine boxes.
    for (let i = 0; i < 5; i++) {
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      const predict = page.getByRole('region', { name: 'Predict before you see' });
      const ran = `document.querySelectorAll('.scenario-step.passed, .scenario-step.failed').length >= ${i + 1}`;
      await until(page, `${ran} || !!document.querySelector('.predict-card')`);
      if (await predict.count()) await predict.locator('.predict-actions button').click();
      await until(page, ran);
    }
    const all = { work: [] as number[], interval: [] as number[], durationMs: 0 };
    for (let play = 0; play < PLAYS; play++) {
      await page.keyboard.press('Home');
      await startRecording(page);
      const started = Date.now();
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      await until(page, `!!document.querySelector('.transport .position')?.textContent?.startsWith('Response delivered')`, 60_000);
      all.durationMs += Date.now() - started;
      const frames = await stopRecording(page);
      all.work.push(...frames.work);
      all.interval.push(...frames.interval);
    }
    return all;
  } finally {
    await context.close();
  }
}

/** The load view's rate and duration: about 5,000 dots in flight at a 1× replay on a 1280-pixel window. */
const LOAD_RATE = Number(process.env.UI_BENCH_LOAD_RATE ?? 2000);
const LOAD_SECONDS = 30;
/** The benchmark's premise: frames with this many dots in flight. */
const DOTS = 5000;
const LOAD_MEASURE_MS = Number(process.env.UI_BENCH_LOAD_MS ?? 5000);

const inFlight = (page: Page) => page.evaluate(`Number(document.querySelector('.in-flight')?.getAttribute('data-in-flight') ?? 0)`) as Promise<number>;

/**
 * The load view with thousands of requests in flight: a simulation of hello-mock at LOAD_RATE
 * requests a second, replayed at 1×; frames are recorded once the canvas carries its peak
 * (the engine's progress events, the charts and the dots all in the measured frames).
 */
async function measureLoad(browser: Browser, url: string): Promise<{ work: number[]; interval: number[]; dots: number[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.getByRole('region', { name: /REST APIs/ }).waitFor();
    await page.locator('body').press('4');
    await page.getByRole('region', { name: 'Pick an API to load' }).getByRole('button', { name: /^Hello, API Gateway/ }).click();
    const form = page.getByRole('form', { name: 'Load to simulate' });
    await form.getByLabel('Path').fill('/prod/hello');
    await form.getByLabel('Requests per second').fill(String(LOAD_RATE));
    await form.getByLabel('Seconds').fill(String(LOAD_SECONDS));
    await form.getByRole('button', { name: 'Start simulation' }).click();
    await page.getByLabel('Replay speed').selectOption('1');
    // Dots live about three seconds: wait until the first ones have come back.
    await until(page, `Number(document.querySelector('.in-flight')?.getAttribute('data-in-flight') ?? 0) >= ${DOTS}`, 30_000);
    const dots: number[] = [];
    await startRecording(page);
    const end = Date.now() + LOAD_MEASURE_MS;
    while (Date.now() < end) {
      dots.push(await inFlight(page));
      await new Promise((r) => setTimeout(r, 250));
    }
    const frames = await stopRecording(page);
    return { ...frames, dots };
  } finally {
    await context.close();
  }
}

export async function bench(): Promise<BenchResults> {
  const found = findBrowser();
  if (!('path' in found)) {
    const skipped = `no Chromium: ${found.reason}`;
    return {
      'ui.playbackFrameMsP95': { value: null, unit: 'ms', target: 16.7, skipped },
      'ui.playbackFrameMsP50': { value: null, unit: 'ms', skipped },
      'ui.loadViewFrameMsP95': { value: null, unit: 'ms', target: 33, skipped },
    };
  }
  const quiet = { stdout: () => undefined, stderr: () => undefined };
  const [{ host, service }, browser] = await Promise.all([startWeb({ port: 0, files: [] }, quiet), launchBrowser(found.path)]);
  try {
    const { work, interval, durationMs } = await measure(browser, host.url);
    work.sort((a, b) => a - b);
    interval.sort((a, b) => a - b);
    const p95 = percentile(work, 95);
    process.stderr.write(`bench: ui: ${work.length} frames over ${(durationMs / 1000).toFixed(1)} s of playback; work p50 ${percentile(work, 50)} ms, p95 ${p95} ms, max ${percentile(work, 100)} ms; interval p50 ${percentile(interval, 50)} ms, p95 ${percentile(interval, 95)} ms\n`);
    const load = await measureLoad(browser, host.url);
    load.work.sort((a, b) => a - b);
    load.interval.sort((a, b) => a - b);
    const loadP95 = percentile(load.work, 95);
    const minDots = Math.min(...load.dots);
    const meanDots = Math.round(load.dots.reduce((a, b) => a + b, 0) / Math.max(1, load.dots.length));
    process.stderr.write(
      `bench: ui: load view, ${load.work.length} frames with ${minDots}-${Math.max(...load.dots)} dots in flight (mean ${meanDots}); work p50 ${percentile(load.work, 50)} ms, p95 ${loadP95} ms, max ${percentile(load.work, 100)} ms; interval p50 ${percentile(load.interval, 50)} ms, p95 ${percentile(load.interval, 95)} ms\n`,
    );
    return {
      'ui.playbackFrameMsP95': { value: p95, unit: 'ms', target: 16.7, ok: p95 < 16.7 },
      'ui.playbackFrameMsP50': { value: percentile(work, 50), unit: 'ms' },
      'ui.playbackFrameIntervalMsP95': { value: percentile(interval, 95), unit: 'ms' },
      'ui.playbackFrames': { value: work.length, unit: 'frames' },
      'ui.loadViewFrameMsP95': { value: loadP95, unit: 'ms', target: 33, ok: loadP95 < 33 },
      'ui.loadViewFrameMsP50': { value: percentile(load.work, 50), unit: 'ms' },
      'ui.loadViewFrameIntervalMsP95': { value: percentile(load.interval, 95), unit: 'ms' },
      'ui.loadViewDotsInFlightMin': { value: minDots, unit: 'dots' },
      'ui.loadViewDotsInFlightMean': { value: meanDots, unit: 'dots' },
    };
  } finally {
    await browser.close();
    await host.close();
    await service.close();
  }
}
