/**
 * What a step changed: the difference between its before and after snapshots, as a short list a
 * person can read (a header added, the body rewritten, `$context.authorizer` filled in). Values
 * are compared structurally; lists of strings (multi-value headers) count as one value. Pure.
 */
export type ChangeKind = 'added' | 'removed' | 'changed';

export interface Change {
  /** Path from the snapshot's root: ['methodRequest', 'headers', 'Authorization']. */
  readonly path: readonly string[];
  readonly kind: ChangeKind;
  readonly before?: unknown;
  readonly after?: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Changes from `before` to `after`. Objects are walked to `maxDepth`; a whole object that
 * appears or disappears is one change (the renderer shows it folded).
 */
export function diffSnapshots(before: unknown, after: unknown, maxDepth = 4, path: string[] = []): Change[] {
  if (deepEqual(before, after)) return [];
  if (before === undefined) return [{ path, kind: 'added', after }];
  if (after === undefined) return [{ path, kind: 'removed', before }];
  if (isPlainObject(before) && isPlainObject(after) && path.length < maxDepth) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    return keys.flatMap((k) => diffSnapshots(before[k], after[k], maxDepth, [...path, k]));
  }
  return [{ path, kind: 'changed', before, after }];
}

/** Snapshot sections as people name them. */
export const SECTION_LABELS: Readonly<Record<string, string>> = {
  methodRequest: 'Method request',
  integrationRequest: 'Integration request',
  endpointResponse: 'Endpoint response',
  methodResponse: 'Method response',
  integrationResponse: 'Integration response',
  stageVariables: 'Stage variables',
  authorizer: '$context.authorizer',
  context: '$context',
  error: 'Gateway error',
  request: 'Request',
  mappedRequest: 'Mapped request',
  response: 'Response',
};

/** One line for a value: strings as they are, header lists joined, the rest as compact JSON. */
export function formatValue(v: unknown, max = 400): string {
  let s: string;
  if (typeof v === 'string') s = v === '' ? '""' : v;
  else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) s = v.join(', ');
  else s = JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max)}… (${s.length - max} more characters)` : s;
}
