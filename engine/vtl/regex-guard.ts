/**
 * Runs regexes that could backtrack catastrophically (`(a+)+b` on "aaaa…X") off the main
 * thread, so the render deadline still holds: JavaScript cannot interrupt a running RegExp,
 * but it can terminate a worker. The call stays synchronous (Atomics.wait plus
 * receiveMessageOnPort). Ordinary patterns never take this path.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { JavaException } from './errors';

export interface MatchResult {
  index: number;
  text: string;
  groups: Array<string | undefined>;
  named: Record<string, string | undefined> | undefined;
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ source, flags, input, all, signal, port }) => {
  const re = new RegExp(source, all ? (flags.includes('g') ? flags : flags + 'g') : flags.replace('g', ''));
  const matches = [];
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(input);
    if (!m) break;
    matches.push({ index: m.index, text: m[0], groups: m.slice(1), named: m.groups });
    if (!all) break;
    if (m[0].length === 0) re.lastIndex = m.index + 1;
    if (re.lastIndex > input.length) break;
  }
  port.postMessage(matches);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

let worker: Worker | undefined;
let deadlineAt = Number.POSITIVE_INFINITY;
let deadlineMs = 0;

/** Set by the renderer before each render: guarded regexes get the time that is left. */
export function setRegexDeadline(at: number, ms: number): void {
  deadlineAt = at;
  deadlineMs = ms;
}

/** True for patterns with a quantified group that itself contains a quantifier. */
export function mayBacktrackBadly(source: string): boolean {
  const stack: boolean[] = [];
  let quantifiedInside = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      continue;
    }
    if (c === '(') {
      stack.push(quantifiedInside);
      quantifiedInside = false;
    } else if (c === ')') {
      const inner = quantifiedInside;
      quantifiedInside = stack.pop() ?? false;
      const next = source[i + 1];
      if (next === '*' || next === '+' || next === '{') {
        if (inner) return true;
        quantifiedInside = true;
      } else if (inner) {
        quantifiedInside = true;
      }
    } else if (c === '*' || c === '+' || c === '{') {
      quantifiedInside = true;
    }
  }
  return false;
}

function timedOut(): never {
  worker?.terminate().catch(() => undefined);
  worker = undefined;
  // Reported like any Java exception: at the position of the method that ran the regex.
  throw new JavaException('java.util.concurrent.TimeoutException', `rendering exceeded its ${deadlineMs} ms deadline in a regular expression`);
}

/** The matches of `source` in `input` (all of them, or the first), within the render deadline. */
export function guardedMatches(source: string, flags: string, input: string, all: boolean): MatchResult[] {
  const remaining = Math.max(1, Math.min(deadlineAt - performance.now(), 60_000));
  if (deadlineAt - performance.now() <= 0) timedOut();
  if (!worker) {
    worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
  }
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 }: { port1: MessagePort; port2: MessagePort } = new MessageChannel();
  worker.postMessage({ source, flags, input, all, signal, port: port2 }, [port2]);
  const state = Atomics.wait(signal, 0, 0, remaining);
  if (state === 'timed-out') {
    port1.close();
    timedOut();
  }
  const message = receiveMessageOnPort(port1);
  port1.close();
  return (message?.message as MatchResult[] | undefined) ?? [];
}
