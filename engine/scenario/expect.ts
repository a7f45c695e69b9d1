/**
 * Scenario expectations, checked against a trace: what a learner would observe.
 *  status: exact; body: a string matches the text exactly, anything else equals the parsed JSON;
 *  headers: subset, names case-insensitive (null: must be absent; a list: exactly these values, in
 *  order, as separate header lines); stoppedAt: the id of the step
 *  whose outcome was `respond` (null: not stopped).
 */
import { isDeepStrictEqual } from 'node:util';
import { getHeaderValues } from '../core/http';
import type { Trace } from '../trace/types';
import type { Expectation } from './types';
import { throttleLevelOf } from '../load/simulate';

export interface Check {
  readonly what: string;
  readonly passed: boolean;
  readonly expected?: unknown;
  readonly actual?: unknown;
}

/** What a step can observe beyond the last trace: every trace of a repeat, and the simulated services. */
export interface StepWorld {
  readonly all?: readonly Trace[];
  queueDepth?(name: string): number | undefined;
  /** The Sum of a CloudWatch metric of the trace's API so far (REST: ApiName, HTTP: ApiId dimension). */
  metricTotal?(metricName: string, trace: Trace): number | undefined;
}

export function checkExpectation(expect: Expectation, trace: Trace, world: StepWorld = {}): Check[] {
  const checks: Check[] = [];
  const res = trace.response;
  const bodyText = res.isBase64Encoded ? Buffer.from(res.body, 'base64').toString('utf8') : res.body;

  if (expect.status !== undefined) {
    checks.push({ what: 'status', passed: res.statusCode === expect.status, expected: expect.status, actual: res.statusCode });
  }
  if (expect.body !== undefined) {
    if (typeof expect.body === 'string') {
      checks.push({ what: 'body', passed: bodyText === expect.body, expected: expect.body, actual: bodyText });
    } else {
      let parsed: unknown;
      let ok = false;
      try {
        parsed = JSON.parse(bodyText);
        ok = isDeepStrictEqual(parsed, expect.body);
      } catch {
        parsed = bodyText;
      }
      checks.push({ what: 'body (JSON)', passed: ok, expected: expect.body, actual: parsed });
    }
  }
  if (expect.bodyContains !== undefined) {
    checks.push({ what: 'body contains', passed: bodyText.includes(expect.bodyContains), expected: expect.bodyContains, actual: bodyText });
  }
  for (const [name, want] of Object.entries(expect.headers ?? {})) {
    const values = getHeaderValues(res.headers, name);
    const passed =
      want === null ? values.length === 0 : Array.isArray(want) ? isDeepStrictEqual(values, want) : values.join(', ') === want || values.includes(want as string);
    checks.push({ what: `header ${name}`, passed, expected: want, actual: values.length ? values.join(', ') : null });
  }
  if (expect.stoppedAt !== undefined) {
    const actual = trace.stoppedAt ?? null;
    checks.push({ what: 'stoppedAt', passed: actual === expect.stoppedAt, expected: expect.stoppedAt, actual });
  }
  if (expect.gatewayResponse !== undefined) {
    const actual = trace.gatewayResponse?.type ?? null;
    checks.push({ what: 'gatewayResponse', passed: actual === expect.gatewayResponse, expected: expect.gatewayResponse, actual });
  }
  if (expect.canaryRequests !== undefined) {
    const all = world.all ?? [trace];
    const actual = all.filter((t) => t.steps.some((s) => s.step === 'route' && s.detail?.isCanaryRequest === true)).length;
    checks.push({ what: `canary requests (of ${all.length})`, passed: actual === expect.canaryRequests, expected: expect.canaryRequests, actual });
  }
  for (const [name, want] of Object.entries(expect.metrics ?? {})) {
    const actual = world.metricTotal?.(name, trace) ?? null;
    checks.push({ what: `metric ${name} (Sum so far)`, passed: actual === want, expected: want, actual });
  }
  for (const [queue, want] of Object.entries(expect.queueMessages ?? {})) {
    const actual = world.queueDepth?.(queue) ?? null;
    checks.push({ what: `messages in queue ${queue}`, passed: actual === want, expected: want, actual });
  }
  if (expect.logIncludes) checks.push(includesInOrder('execution log', trace.executionLog, expect.logIncludes));
  if (expect.functionLogIncludes) checks.push(includesInOrder('function log', trace.functionLogs ?? [], expect.functionLogIncludes));
  if (expect.cloudWatchLogIncludes === null) {
    checks.push({ what: 'CloudWatch execution log', passed: trace.cloudWatchLog === undefined, expected: null, actual: trace.cloudWatchLog ?? null });
  } else if (expect.cloudWatchLogIncludes) checks.push(includesInOrder('CloudWatch execution log', trace.cloudWatchLog ?? [], expect.cloudWatchLogIncludes));
  if (expect.accessLogIncludes !== undefined) {
    if (expect.accessLogIncludes === null) checks.push({ what: 'access log', passed: trace.accessLog === undefined, expected: null, actual: trace.accessLog ?? null });
    else checks.push(includesInOrder('access log', trace.accessLog === undefined ? [] : [trace.accessLog], expect.accessLogIncludes, true));
  }
  if (expect.cache !== undefined) {
    const step = trace.steps.find((s) => s.step === 'cacheLookup');
    // 'off' when caching is not enabled for the method; 'refused' for a 403 on Cache-Control.
    const actual = step && step.outcome !== 'skip' ? ((step.detail as { status?: string } | undefined)?.status ?? 'refused') : 'off';
    checks.push({ what: 'cache', passed: actual === expect.cache, expected: expect.cache, actual });
  }
  if (expect.throttledBy !== undefined) {
    const stop = trace.steps.find((s) => s.step === trace.stoppedAt);
    const actual = trace.gatewayResponse?.type === 'THROTTLED' || trace.response.statusCode === 429 ? (throttleLevelOf(stop?.detail) ?? null) : null;
    checks.push({ what: 'throttledBy', passed: actual === expect.throttledBy, expected: expect.throttledBy, actual });
  }
  return checks;
}

function includesInOrder(what: string, lines: readonly string[], wanted: readonly string[], withinOneLine = false): Check {
  let from = 0;
  let offset = 0;
  for (const w of wanted) {
    if (withinOneLine) {
      // Substrings in order within a single line (the access-log line).
      const at = (lines[0] ?? '').indexOf(w, offset);
      if (at < 0) return { what: `${what} includes`, passed: false, expected: w, actual: lines[0] ?? '(no line)' };
      offset = at + w.length;
      continue;
    }
    const i = lines.findIndex((l, n) => n >= from && l.includes(w));
    if (i < 0) return { what: `${what} includes`, passed: false, expected: w, actual: lines.slice(from).join('\n') || '(no lines)' };
    from = i + 1;
  }
  return { what: `${what} includes`, passed: true, expected: wanted };
}
