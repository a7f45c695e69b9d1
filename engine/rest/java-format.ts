/** How AWS's Java code prints values in execution logs. */

/** `{k=v, k2=v2}`, Java's Map.toString. */
export function javaMap(map: Readonly<Record<string, string | readonly string[]>>): string {
  return `{${Object.entries(map)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : `[${v.join(', ')}]`}`)
    .join(', ')}}`;
}

/** Secrets in logs keep only their last six characters: `****338c72`. */
export function maskSecret(value: string): string {
  return `****${value.slice(-6)}`;
}

/** Headers as the execution log prints them, with Authorization masked. */
export function logHeaders(headers: Readonly<Record<string, string>>): string {
  const shown: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) shown[k] = /^(authorization|x-api-key)$/i.test(k) ? maskSecret(v) : v;
  return javaMap(shown);
}

/** Log events are cut at 1024 bytes with ` [TRUNCATED]`, as CloudWatch shows them. */
export function truncateLogLine(message: string, limit = 1024): string {
  // A UTF-16 code unit is at most 3 bytes of UTF-8: short lines need no measuring.
  if (message.length * 3 <= limit || Buffer.byteLength(message, 'utf8') <= limit) return message;
  let cut = message.slice(0, limit);
  while (Buffer.byteLength(cut, 'utf8') > limit) cut = cut.slice(0, -1);
  return `${cut} [TRUNCATED]`;
}
