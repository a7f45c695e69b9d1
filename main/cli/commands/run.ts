import path from 'node:path';
import { getHeaderValues } from '../../../engine/core/http';
import { loadScenarioFile } from '../../../engine/scenario/loader';
import { ScenarioSession, type StepOutcome } from '../../../engine/scenario/session';
import { formatIssue } from '../../../engine/scenario/types';
import type { Trace } from '../../../engine/trace/types';
import { describeWebSocketTrace } from '../../../engine/websocket/scenario-clients';
import { describeApi } from '../api-overview';
import type { CliIO } from '../io';
import { formatLoadReport } from '../load-report';
import { comparisonSection } from '../../../engine/compare/report';

export const RUN_USAGE = 'usage: gateway-lab run <scenario.yaml>... [--brief] [--quiet]\n';

export interface RunOptions {
  /** Only the PASS/FAIL lines and the result. */
  readonly quiet?: boolean;
  /**
   * Per request: the request, one line per pipeline step (the trace's step summaries) instead of
   * the execution log, the function's log, and the response.
   */
  readonly brief?: boolean;
}

/**
 * `gateway-lab run <scenario>...`: every step, each request's execution log (or, with --brief,
 * its steps in one line each), then one `PASS|FAIL step N: …` line per step. Exit 0 when every
 * expectation holds, 1 when one fails, 2 when a file is invalid.
 */
export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  const files = argv.filter((a) => !a.startsWith('-'));
  const options: RunOptions = { quiet: argv.includes('--quiet'), brief: argv.includes('--brief') };
  if (files.length === 0) {
    io.stderr(RUN_USAGE);
    return 2;
  }
  let exit = 0;
  for (const file of files) {
    const code = await runOne(path.resolve(file), io, options);
    exit = Math.max(exit, code);
  }
  return exit;
}

export async function runOne(file: string, io: CliIO, options: boolean | RunOptions = false): Promise<number> {
  const { quiet = false, brief = false } = typeof options === 'boolean' ? { quiet: options } : options;
  const loaded = loadScenarioFile(file);
  for (const w of loaded.warnings) io.stderr(`warning: ${formatIssue(w)}\n`);
  if (!loaded.ok) {
    for (const e of loaded.errors) io.stderr(`${formatIssue(e)}\n`);
    return 2;
  }
  const s = loaded.scenario;
  io.stdout(`\n== ${s.title} (${path.relative(process.cwd(), file) || file})\n`);
  if (!quiet) {
    const api = describeApi(s);
    if (api.length > 0) io.stdout(`${api.join('\n')}\n`);
  }
  let session: ScenarioSession;
  try {
    session = await ScenarioSession.open(s);
  } catch (err) {
    io.stderr(`${file}: cannot start the scenario: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  let failed = 0;
  const compared: StepOutcome[] = [];
  try {
    for (const step of s.steps) {
      let outcome: StepOutcome;
      try {
        outcome = await session.run(step);
      } catch (err) {
        io.stdout(`FAIL step ${step.index}: the simulator failed: ${err instanceof Error ? err.message : String(err)}\n`);
        failed++;
        continue;
      }
      if (!quiet) printStep(outcome, io, s.gateways.length > 1, brief);
      if (s.gateways.length > 1 && outcome.kind === 'request') compared.push(outcome);
      const failures = outcome.checks.filter((c) => !c.passed);
      if (failures.length === 0) {
        io.stdout(`PASS step ${step.index}: ${outcome.summary}\n`);
      } else {
        failed++;
        const why = failures
          .map((c) => `${'gateway' in c && c.gateway ? `[${c.gateway}] ` : ''}${c.what}: expected ${show(c.expected)}, got ${show(c.actual)}`)
          .join('; ');
        io.stdout(`FAIL step ${step.index}: ${outcome.summary} (${path.basename(file)}:${step.line}): ${why}\n`);
      }
    }
  } finally {
    await session.close();
  }
  if (compared.length > 0) io.stdout(`\n${comparisonSection(s.gateways, compared).join('\n')}\n`);
  if (!quiet && s.teaches.length > 0) io.stdout(`\nWhat this scenario taught:\n${s.teaches.map((t) => `  - ${t}\n`).join('')}\n`);
  io.stdout(`${failed === 0 ? 'PASSED' : 'FAILED'}: ${s.steps.length - failed}/${s.steps.length} steps of ${s.id}\n`);
  return failed === 0 ? 0 : 1;
}

function printStep(o: StepOutcome, io: CliIO, comparing: boolean, brief: boolean): void {
  if (o.step.say) io.stdout(`\n# Step ${o.step.index}: ${o.step.say.trim().replace(/\n/g, '\n# ')}\n`);
  const predict = o.step.predict;
  if (predict) {
    io.stdout(`? Predict: ${predict.question}\n`);
    for (const choice of predict.choices ?? []) io.stdout(`?   - ${choice}\n`);
  }
  for (const [type, result] of Object.entries(o.load ?? {})) {
    if (comparing) io.stdout(`-- ${type}\n`);
    if (result) io.stdout(formatLoadReport(result));
  }
  if (o.allTraces) {
    // WebSocket steps: each event (connect, message, disconnect, @connections call), the frames it sent (whole), its log.
    for (const trace of o.allTraces) {
      io.stdout(`${describeWebSocketTrace(trace, trace.startedAt, { full: true }).join('\n')}\n`);
      if (brief) io.stdout(stepLines(trace));
      else if (trace.executionLog.length > 0) io.stdout(`${trace.executionLog.join('\n')}\n`);
      if (trace.functionLogs?.length) io.stdout(functionLog(trace, brief));
    }
    if (predict) io.stdout(`! Answer: ${predict.answer}\n`);
    return;
  }
  for (const [type, trace] of Object.entries(o.traces) as [string, Trace][]) {
    if (comparing) io.stdout(`-- ${type}\n`);
    const all = o.repeated?.[type as keyof typeof o.repeated];
    if (all && all.length > 1) {
      // A repeated request: the first and the last, which is what the expectation checks.
      io.stdout(`(the request is sent ${all.length} times, one after the other; ${all.length === 2 ? 'both are' : 'the first and the last are'} shown)\n`);
      printTrace(o, all[0]!, io, brief);
      if (all.length > 2) io.stdout(`… ${all.length - 2} more, the same way …\n`);
    }
    printTrace(o, trace, io, brief);
  }
  if (predict) io.stdout(`! Answer: ${predict.answer}\n`);
}

function printTrace(o: StepOutcome, trace: Trace, io: CliIO, brief: boolean): void {
  io.stdout(`${requestLine(o, trace)}\n`);
  for (const line of sentLines(o, trace)) io.stdout(`${line}\n`);
  if (brief) io.stdout(stepLines(trace));
  else if (trace.executionLog.length > 0) io.stdout(`${trace.executionLog.join('\n')}\n`);
  else io.stdout(`(no execution log: ${trace.steps.find((st) => st.outcome === 'respond')?.summary ?? 'the request never reached a method'})\n`);
  if (trace.functionLogs?.length) io.stdout(functionLog(trace, brief));
  io.stdout(`${responseLine(trace)}\n`);
  const browser = browserLine(trace);
  if (browser) io.stdout(`${browser}\n`);
}

/** `GET /prod/pets?type=cat → 200`; the console's Test button says so, since its path has no stage. */
function requestLine(o: StepOutcome, trace: Trace): string {
  const req = o.step.request;
  const status = trace.response.statusCode;
  if (req?.testInvoke) return `${req.method} ${req.path} (the console's Test button: it runs the draft API, as stage "${trace.api.stage}") → ${status}`;
  return `${trace.request.method} ${trace.request.path}${trace.request.rawQuery ? `?${trace.request.rawQuery}` : ''} → ${status}`;
}

/**
 * What the step itself sends besides the method and path: its headers and body, `-> Name: value`
 * (with the Content-Type a body was given when the step names none).
 */
function sentLines(o: StepOutcome, trace: Trace): string[] {
  const req = o.step.request;
  if (!req) return [];
  const lines: string[] = [];
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`   -> ${name}: ${v}`);
  }
  if (req.body !== undefined && req.body !== null) {
    const declared = Object.keys(req.headers ?? {}).some((h) => h.toLowerCase() === 'content-type');
    const type = getHeaderValues(trace.request.headers, 'content-type')[0];
    if (!declared && type) lines.push(`   -> Content-Type: ${type}`);
    const text = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    lines.push(`   -> body: ${req.isBase64Encoded ? `[${Buffer.from(text, 'base64').length} bytes of binary data]` : text}`);
  }
  return lines;
}

/**
 * One line per step the request went through: the brief view of a trace. Left out: skipped
 * steps, and the bookkeeping before and after the pipeline (receiving, metrics).
 */
function stepLines(trace: Trace): string {
  const steps = trace.steps.filter((s) => s.outcome !== 'skip' && s.step !== 'receive' && s.step !== 'monitoring');
  return steps.map((s) => `   [${s.step}]${s.outcome === 'respond' ? ' (stopped here)' : s.outcome === 'error' ? ' (simulator error)' : ''} ${s.summary}\n`).join('');
}

/** The function's CloudWatch log; brief keeps what the code printed and the REPORT line (Init Duration = a cold start). */
function functionLog(trace: Trace, brief: boolean): string {
  const lines = brief ? trace.functionLogs!.filter((l) => !/^(START|END) RequestId: /.test(l)) : trace.functionLogs!;
  if (lines.length === 0) return '';
  return `Function log (CloudWatch Logs of the Lambda function):\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/**
 * What the client got: `<- 403 application/json {"message":"Missing Authentication Token"}`, then
 * each notable header on its own line, one line per value (two Set-Cookie values are two lines).
 */
export function responseLine(trace: Trace): string {
  const res = trace.response;
  const type = Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1]?.[0];
  const text = res.isBase64Encoded ? `[${Buffer.from(res.body, 'base64').length} bytes of binary data]` : res.body.replace(/\s*\n\s*/g, ' ').trim();
  const body = text === '' ? '(empty body)' : text.length > 500 ? `${text.slice(0, 500)}… (${text.length} characters)` : text;
  const notable = Object.entries(res.headers)
    .filter(([k]) => !ROUTINE_HEADERS.has(k.toLowerCase()))
    .flatMap(([k, vs]) => vs.map((v) => `\n   ${k}: ${v}`));
  return `<- ${res.statusCode}${type ? ` ${type}` : ''} ${body}${notable.join('')}`;
}

/** Headers every response carries; the others are worth showing. */
const ROUTINE_HEADERS = new Set(['date', 'content-type', 'content-length', 'connection', 'x-amzn-requestid', 'x-amzn-trace-id', 'x-amz-apigw-id', 'apigw-requestid']);

/**
 * A request that carries an Origin header comes from a web page: say whether that page may read
 * the response. A browser lets it only when Access-Control-Allow-Origin is `*` or that exact
 * origin (for a request without credentials); otherwise the page gets a CORS error and never
 * sees the status or the body. Preflights (OPTIONS) are left to the CORS scenarios.
 */
function browserLine(trace: Trace): string | undefined {
  const origin = getHeaderValues(trace.request.headers, 'origin')[0];
  if (!origin || trace.request.method === 'OPTIONS') return undefined;
  const allowed = getHeaderValues(trace.response.headers, 'access-control-allow-origin');
  if (allowed.length === 1 && (allowed[0] === '*' || allowed[0] === origin)) {
    return `   browser: the page on ${origin} can read this response (Access-Control-Allow-Origin: ${allowed[0]})`;
  }
  const why = allowed.length === 0 ? 'the response has no Access-Control-Allow-Origin header' : `Access-Control-Allow-Origin is ${allowed.join(', ')}, not ${origin}`;
  return `   browser: CORS error for the page on ${origin}: ${why}, so the page sees a failed request, not the ${trace.response.statusCode}`;
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  return s === undefined ? 'nothing' : s.length > 300 ? `${s.slice(0, 300)}…` : s;
}
