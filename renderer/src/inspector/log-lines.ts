/**
 * Which execution-log lines each step wrote. A trace keeps the full log (timestamped, in AWS's
 * order: authorizer lines come before "Starting execution") and each step its own messages;
 * this matches them up so the log panel can highlight a step's lines. HTTP APIs have no AWS
 * log: their simulator log labels each line with the step id (`[route] …`). Pure.
 */
import type { Trace } from '../../../engine/trace/types';

/** The message part of a console-format line: `Thu Jan 15 09:00:00 UTC 2026 : message`. */
export function messageOf(line: string): string {
  const m = /^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \w+ \d{4} : /.exec(line);
  if (m) return line.slice(m[0].length);
  // CloudWatch Logs format (WebSocket APIs): `2026-01-15T09:00:00.490Z (requestId) message`.
  const cw = /^\d{4}-\d\d-\d\dT[\d:.]+Z \([^)]*\) /.exec(line);
  return cw ? line.slice(cw[0].length) : line;
}

/** For each line of trace.executionLog, the index of the step that wrote it, or -1. */
export function logLineOwners(trace: Trace): number[] {
  const owners = trace.executionLog.map(() => -1);
  const messages = trace.executionLog.map(messageOf);
  trace.steps.forEach((step, si) => {
    for (const msg of step.log) {
      const i = messages.findIndex((m, li) => owners[li] === -1 && m === msg);
      if (i >= 0) owners[i] = si;
    }
  });
  // Simulator logs (HTTP APIs): `[stepId] summary`.
  messages.forEach((m, li) => {
    if (owners[li] !== -1) return;
    const tag = /^\[([\w-]+)\] /.exec(m);
    if (!tag) return;
    const si = trace.steps.findIndex((s, k) => s.step === tag[1] && !owners.includes(k));
    if (si >= 0) owners[li] = si;
  });
  return owners;
}
