import type { StampedLog } from '../pipeline/runner';
import { consoleLogTime } from '../core/time-format';
import { truncateLogLine } from './java-format';

/**
 * The console Test format: a header line, then `Thu Aug 31 01:07:25 UTC 2017 : message` per
 * event, each event cut at 1024 bytes as CloudWatch cuts it. A request that never reached a
 * method leaves no execution log at all.
 */
export function formatExecutionLog(requestId: string, entries: readonly StampedLog[]): string[] {
  if (entries.length === 0) return [];
  return [`Execution log for request ${requestId}`, ...entries.map((e) => `${consoleLogTime(e.at)} : ${truncateLogLine(e.message)}`)];
}

/** CloudWatch Logs format: `(requestId) message`. */
export function formatCloudWatchLog(requestId: string, entries: readonly StampedLog[]): string[] {
  return entries.map((e) => `(${requestId}) ${truncateLogLine(e.message)}`);
}

export type LoggingLevel = 'OFF' | 'ERROR' | 'INFO';

/**
 * What kind of line a message is, for the stage's logging level:
 *  - `error`: written at ERROR and INFO (failures);
 *  - `info`: written at INFO (the request's progress);
 *  - `data`: written at INFO only with dataTraceEnabled (request and response data: parameters,
 *    headers, bodies, the endpoint request and response).
 * The split follows what AWS documents for the levels; the line-by-line assignment is inferred
 * from real logs (?).
 */
export function logLineKind(message: string): 'error' | 'info' | 'data' {
  if (DATA_PREFIXES.some((p) => message.startsWith(p))) return 'data';
  if (/^(Execution failed|Lambda execution failed|Lambda invocation failed|Request validation failed|Request body does not match model|Request body passthrough disabled|Authorizer error|Unauthorized request|Usage Plan check failed)/.test(message)) return 'error';
  if (/exceeded (throttle|quota) limit/.test(message)) return 'error';
  return 'info';
}

const DATA_PREFIXES = [
  'Method request path:',
  'Method request query string:',
  'Method request headers:',
  'Method request body before transformations:',
  'Endpoint request URI:',
  'Endpoint request headers:',
  'Endpoint request body after transformations:',
  'Endpoint response headers:',
  'Endpoint response body before transformations:',
  'Method response body after transformations:',
  'Method response headers:',
];

/**
 * The execution log as CloudWatch Logs holds it for a method with this logging level: events
 * filtered by level, each `(requestId) message`, cut at 1024 bytes with ` [TRUNCATED]`.
 * CloudWatch's copy starts with `Extended Request Id: …` (?), which the console Test output
 * does not show. At ERROR, the closing `Method completed with status` line is kept when the
 * request failed, so an error entry says how the request ended (?).
 */
export function cloudWatchExecutionLog(
  requestId: string,
  extendedRequestId: string,
  entries: readonly StampedLog[],
  level: LoggingLevel,
  dataTrace: boolean,
): StampedLog[] {
  if (level === 'OFF' || entries.length === 0) return [];
  const kept: StampedLog[] = [];
  let failed = false;
  for (const e of entries) {
    const kind = logLineKind(e.message);
    if (kind === 'error') failed = true;
    if (level === 'ERROR') {
      if (kind === 'error' || (failed && e.message.startsWith('Method completed with status'))) kept.push(e);
    } else if (kind !== 'data' || dataTrace) kept.push(e);
  }
  if (kept.length === 0) return [];
  if (level === 'INFO') kept.unshift({ at: entries[0]!.at, message: `Extended Request Id: ${extendedRequestId}` });
  return kept.map((e) => ({ at: e.at, message: `(${requestId}) ${truncateLogLine(e.message)}` }));
}
