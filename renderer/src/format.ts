/** Small display helpers shared by the views. */
import type { LoadIssue } from '../../engine/scenario/types';
import type { ScenarioStep } from '../../engine/scenario/types';

/** `file:line:col path: message`, as the CLI prints it (the root is "(document)"). */
export function formatIssue(i: LoadIssue): string {
  return `${i.file}:${i.line}:${i.column} ${i.path || '(document)'}: ${i.message}`;
}

export function statusClass(status: number): string {
  return `s${Math.floor(status / 100)}xx`;
}

export const STATUS_TEXT: Readonly<Record<number, string>> = {
  101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large',
  415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** What a scenario step does, in a few words. */
export function describeStep(st: ScenarioStep): string {
  if (st.request) return `${st.request.method} ${st.request.path}${st.repeat ? ` ×${st.repeat}` : ''}`;
  if (st.deploy) return `Deploy${st.deploy.stage ? ` to ${st.deploy.stage}` : ''}`;
  if (st.edit) return 'Edit the API';
  if (st.editFunction) return `Update function ${st.editFunction.name}`;
  if (st.wait !== undefined) return `Wait ${st.wait} s`;
  if (st.usage) return 'Change API keys and usage plans';
  if (st.connect) return `${st.connect.client} connects`;
  if (st.send) return `${st.send.client} sends ${typeof st.send.body === 'string' ? st.send.body : JSON.stringify(st.send.body)}`;
  if (st.close) return `${st.close.client} closes${st.close.code !== undefined ? ` (${st.close.code})` : ''}`;
  if (st.drop) return `${st.drop.client} drops`;
  if (st.canary) return `Deploy a canary (${st.canary.percentTraffic}%)`;
  if (st.promoteCanary) return 'Promote the canary';
  if (st.updateStage) return 'Change the stage';
  return 'Read';
}

/**
 * A duration as people read it: live traces are measured (0.13623046875 ms), simulated ones are
 * usually whole. "0.14 ms", "4.2 ms", "12 ms", "1,250 ms".
 */
export function duration(ms: number): string {
  if (Number.isInteger(ms)) return `${ms.toLocaleString('en-US')} ms`;
  if (ms < 1) return `${ms.toFixed(2).replace(/0$/, '')} ms`;
  if (ms < 100) return `${ms.toFixed(1).replace(/\.0$/, '')} ms`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}
