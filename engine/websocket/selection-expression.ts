/**
 * Selection expressions (route, template and integration-response template selection), as
 * reference B1/B2 describe them:
 *  - `$request.body.action` is one variable; `${request.body.a}/${request.body.b}` combines
 *    several, with literal text between them; anything without `$` is a static value;
 *  - a path that is missing resolves to "", an array or object to its Java-style text
 *    (`[item1, item2]`), and evaluation is a single pass;
 *  - a body that is not JSON cannot be evaluated at all: the caller falls back to `$default`.
 */
import { getHeaderValues, type MultiMap } from '../core/http';

export interface SelectionSources {
  /** The message text (route and request-template selection). */
  readonly body?: string | null;
  /** The integration response (integration-response template selection). */
  readonly integrationResponse?: { readonly statusCode: number; readonly headers: MultiMap };
}

export type SelectionResult =
  | { readonly ok: true; readonly value: string }
  /** The expression could not be evaluated (the body is not JSON): use `$default`. */
  | { readonly ok: false; readonly reason: string };

export function evaluateSelectionExpression(expr: string, sources: SelectionSources): SelectionResult {
  // A whole-expression variable: `$request.body.action`.
  if (/^\$[a-z]/.test(expr) && !expr.includes('${')) return resolveVariable(expr.slice(1), sources);
  if (!expr.includes('${')) return { ok: true, value: expr };
  let out = '';
  let last = 0;
  for (const m of expr.matchAll(/\$\{([^}]*)\}/g)) {
    out += expr.slice(last, m.index);
    const r = resolveVariable(m[1]!, sources);
    if (!r.ok) return r;
    out += r.value;
    last = m.index! + m[0].length;
  }
  return { ok: true, value: out + expr.slice(last) };
}

function resolveVariable(name: string, sources: SelectionSources): SelectionResult {
  if (name === 'request.body' || name.startsWith('request.body.') || name.startsWith('request.body[')) {
    const body = sources.body ?? '';
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { ok: false, reason: 'the message is not JSON' };
    }
    const path = parsePath(name.slice('request.body'.length));
    if (!path) return { ok: true, value: '' };
    let cur: unknown = json;
    for (const seg of path) {
      if (cur === null || typeof cur !== 'object') {
        cur = undefined;
        break;
      }
      cur = (cur as Record<string | number, unknown>)[seg];
    }
    return { ok: true, value: javaText(cur) };
  }
  const ir = sources.integrationResponse;
  if (ir && name === 'integration.response.statuscode') return { ok: true, value: String(ir.statusCode) };
  if (ir && name.startsWith('integration.response.header.')) {
    return { ok: true, value: getHeaderValues(ir.headers, name.slice('integration.response.header.'.length)).at(-1) ?? '' };
  }
  if (ir && name.startsWith('integration.response.multivalueheader.')) {
    return { ok: true, value: getHeaderValues(ir.headers, name.slice('integration.response.multivalueheader.'.length)).join(',') };
  }
  return { ok: true, value: '' };
}

/** `.a.b[0]['c d']` → ['a', 'b', 0, 'c d']; undefined when malformed. */
function parsePath(s: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === '.') {
      const m = /^\.([^.[\]]+)/.exec(s.slice(i));
      if (!m) return undefined;
      out.push(m[1]!);
      i += m[0].length;
    } else if (s[i] === '[') {
      const m = /^\[(?:(\d+)|'([^']*)'|"([^"]*)")\]/.exec(s.slice(i));
      if (!m) return undefined;
      out.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3])!);
      i += m[0].length;
    } else return undefined;
  }
  return out;
}

/** How API Gateway prints a selected value: strings as is, JSON arrays and objects Java-style (?). */
function javaText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(javaText).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}=${javaText(x)}`).join(', ')}}`;
  return String(v);
}
