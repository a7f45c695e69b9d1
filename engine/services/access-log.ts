/**
 * Access logs (reference §7.2 and A9): a one-line format of `$context` variables, written once
 * per request, whatever happened to it: throttled 429s and unmatched routes included, which is
 * why the access log is where they show up (execution logs never record them).
 *
 * Only `$context.*` references are substituted (no VTL); a variable that is missing or empty
 * prints as `-`, as in AWS's access logs (`"caller":"-"`). The format is compiled once and reused
 * for every request.
 */

/** AWS's example formats, which the console offers as presets. */
export const ACCESS_LOG_FORMATS = {
  CLF: '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId $context.extendedRequestId',
  JSON: '{ "requestId":"$context.requestId", "extendedRequestId":"$context.extendedRequestId", "ip": "$context.identity.sourceIp", "caller":"$context.identity.caller", "user":"$context.identity.user", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod", "resourcePath":"$context.resourcePath", "status":"$context.status", "protocol":"$context.protocol", "responseLength":"$context.responseLength" }',
  XML: '<request id="$context.requestId"> <ip>$context.identity.sourceIp</ip> <caller>$context.identity.caller</caller> <user>$context.identity.user</user> <requestTime>$context.requestTime</requestTime> <httpMethod>$context.httpMethod</httpMethod> <resourcePath>$context.resourcePath</resourcePath> <status>$context.status</status> <protocol>$context.protocol</protocol> <responseLength>$context.responseLength</responseLength> </request>',
  CSV: '$context.identity.sourceIp,$context.identity.caller,$context.identity.user,$context.requestTime,$context.httpMethod,$context.resourcePath,$context.protocol,$context.status,$context.responseLength,$context.requestId,$context.extendedRequestId',
} as const;

/** Access-log templates may be at most 3 KB (HTTP and WebSocket quotas; REST assumed the same (?)). */
export const MAX_ACCESS_LOG_FORMAT_BYTES = 3 * 1024;

/** Problems AWS reports when the stage's format is saved (UpdateStage fails). */
export function accessLogFormatProblems(format: string): string[] {
  const problems: string[] = [];
  if (!/\$context\.(requestId|extendedRequestId)\b/.test(format)) {
    problems.push('Access Log format must contain either $context.requestId or $context.extendedRequestId');
  }
  if (/[\r\n]/.test(format)) problems.push('Access Log format must be a single line');
  if (Buffer.byteLength(format) > MAX_ACCESS_LOG_FORMAT_BYTES) problems.push(`Access Log format must be at most ${MAX_ACCESS_LOG_FORMAT_BYTES} bytes`);
  return problems;
}

export type AccessLogRenderer = (vars: Readonly<Record<string, unknown>>) => string;

const cache = new Map<string, AccessLogRenderer>();

/** Compile a format into a renderer (memoised by format text). */
export function compileAccessLog(format: string): AccessLogRenderer {
  let r = cache.get(format);
  if (r) return r;
  const literals: string[] = [];
  const paths: string[][] = [];
  const re = /\$context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_-]+)*)/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    literals.push(format.slice(last, m.index));
    paths.push(m[1]!.split('.'));
    last = m.index + m[0].length;
  }
  literals.push(format.slice(last));
  r = (vars) => {
    let out = literals[0]!;
    for (let i = 0; i < paths.length; i++) out += show(lookup(vars, paths[i]!)) + literals[i + 1]!;
    return out;
  };
  if (cache.size > 100) cache.clear();
  cache.set(format, r);
  return r;
}

export function renderAccessLog(format: string, vars: Readonly<Record<string, unknown>>): string {
  return compileAccessLog(format)(vars);
}

function lookup(vars: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let v: unknown = vars;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function show(v: unknown): string {
  if (v === undefined || v === null || v === '') return '-';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
