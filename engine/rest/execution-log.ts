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
