import path from 'node:path';
import { loadScenarioFile } from '../../../engine/scenario/loader';
import { ScenarioSession, type StepOutcome } from '../../../engine/scenario/session';
import { formatIssue } from '../../../engine/scenario/types';
import type { Trace } from '../../../engine/trace/types';
import { describeWebSocketTrace } from '../../../engine/websocket/scenario-clients';
import type { CliIO } from '../io';
import { formatLoadReport } from '../load-report';
import { comparisonSection } from '../../../engine/compare/report';

/**
 * `gateway-lab run <scenario>...`: every step, each request's execution log, then one
 * `PASS|FAIL step N: …` line per step. Exit 0 when every expectation holds, 1 when one fails,
 * 2 when a file is invalid.
 */
export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  const files = argv.filter((a) => !a.startsWith('-'));
  const quiet = argv.includes('--quiet');
  if (files.length === 0) {
    io.stderr('usage: gateway-lab run <scenario.yaml>... [--quiet]\n');
    return 2;
  }
  let exit = 0;
  for (const file of files) {
    const code = await runOne(path.resolve(file), io, quiet);
    exit = Math.max(exit, code);
  }
  return exit;
}

export async function runOne(file: string, io: CliIO, quiet = false): Promise<number> {
  const loaded = loadScenarioFile(file);
  for (const w of loaded.warnings) io.stderr(`warning: ${formatIssue(w)}\n`);
  if (!loaded.ok) {
    for (const e of loaded.errors) io.stderr(`${formatIssue(e)}\n`);
    return 2;
  }
  const s = loaded.scenario;
  io.stdout(`\n== ${s.title} (${path.relative(process.cwd(), file) || file})\n`);
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
      if (!quiet) printStep(outcome, io, s.gateways.length > 1);
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
  io.stdout(`${failed === 0 ? 'PASSED' : 'FAILED'}: ${s.steps.length - failed}/${s.steps.length} steps of ${s.id}\n`);
  return failed === 0 ? 0 : 1;
}

function printStep(o: StepOutcome, io: CliIO, comparing: boolean): void {
  if (o.step.say) io.stdout(`\n# Step ${o.step.index}: ${o.step.say.trim().replace(/\n/g, '\n# ')}\n`);
  for (const [type, result] of Object.entries(o.load ?? {})) {
    if (comparing) io.stdout(`-- ${type}\n`);
    if (result) io.stdout(formatLoadReport(result));
  }
  if (o.allTraces) {
    // WebSocket steps: each event (connect, message, disconnect, @connections call), the frames it sent, its log.
    for (const trace of o.allTraces) {
      io.stdout(`${describeWebSocketTrace(trace, trace.startedAt).join('\n')}\n`);
      if (trace.executionLog.length > 0) io.stdout(`${trace.executionLog.join('\n')}\n`);
    }
    return;
  }
  for (const [type, trace] of Object.entries(o.traces) as [string, Trace][]) {
    if (comparing) io.stdout(`-- ${type}\n`);
    io.stdout(`${trace.request.method} ${trace.request.path}${trace.request.rawQuery ? `?${trace.request.rawQuery}` : ''} → ${trace.response.statusCode}\n`);
    if (trace.executionLog.length > 0) io.stdout(`${trace.executionLog.join('\n')}\n`);
    else io.stdout(`(no execution log: ${trace.steps.find((st) => st.outcome === 'respond')?.summary ?? 'the request never reached a method'})\n`);
  }
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  return s === undefined ? 'nothing' : s.length > 300 ? `${s.slice(0, 300)}…` : s;
}
