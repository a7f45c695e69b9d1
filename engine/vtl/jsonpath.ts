/**
 * JSONPath over Java values, following Jayway JsonPath (what AWS's $input.path and
 * $input.json evaluate). A definite path (`$.a.b[0]`) yields one value, or null when
 * something is missing; an indefinite one (wildcards, `..`, filters, slices, unions) yields a
 * JSONArray of every match. Functions `length()`/`size()`, `keys()`, `min()`, `max()`,
 * `sum()`, `avg()` may end a path.
 */
import { JavaDouble, JavaLong, JavaMap, isJavaNumber, javaEquals, javaToString, markJsonArray } from './java-values';
import { compareNumbers } from './java-math';

type Selector =
  | { k: 'prop'; names: string[] }
  | { k: 'index'; indexes: number[] }
  | { k: 'slice'; start: number | null; end: number | null; step: number }
  | { k: 'wildcard' }
  | { k: 'deep'; then: Selector }
  | { k: 'filter'; test: Filter }
  | { k: 'fn'; name: string };

type Filter = (node: unknown, root: unknown) => boolean;

interface CompiledPath {
  selectors: Selector[];
  definite: boolean;
}

export class JsonPathError extends Error {}

const cache = new Map<string, CompiledPath>();

export function evaluateJsonPath(root: unknown, path: string): unknown {
  let compiled = cache.get(path);
  if (!compiled) {
    compiled = compile(path);
    if (cache.size > 500) cache.clear();
    cache.set(path, compiled);
  }
  let nodes: unknown[] = [root];
  for (const sel of compiled.selectors) {
    if (sel.k === 'fn') return applyFunction(sel.name, compiled.definite ? (nodes[0] ?? null) : markJsonArray(nodes));
    const next: unknown[] = [];
    for (const n of nodes) select(sel, n, root, next);
    nodes = next;
  }
  if (compiled.definite) return nodes.length ? (nodes[0] ?? null) : null;
  return markJsonArray(nodes);
}

function select(sel: Selector, node: unknown, root: unknown, out: unknown[]): void {
  switch (sel.k) {
    case 'prop':
      if (node instanceof JavaMap) {
        for (const name of sel.names) if (node.has(name)) out.push(node.get(name));
      }
      return;
    case 'index':
      if (Array.isArray(node)) {
        for (const i of sel.indexes) {
          const j = i < 0 ? node.length + i : i;
          if (j >= 0 && j < node.length) out.push(node[j]);
        }
      }
      return;
    case 'slice':
      if (Array.isArray(node)) {
        const len = node.length;
        const norm = (v: number) => (v < 0 ? Math.max(0, len + v) : Math.min(len, v));
        const start = sel.start === null ? 0 : norm(sel.start);
        const end = sel.end === null ? len : norm(sel.end);
        for (let i = start; i < end; i += sel.step) out.push(node[i]);
      }
      return;
    case 'wildcard':
      if (Array.isArray(node)) out.push(...node);
      else if (node instanceof JavaMap) out.push(...node.values());
      return;
    case 'deep': {
      const walk = (n: unknown) => {
        select(sel.then, n, root, out);
        if (Array.isArray(n)) n.forEach(walk);
        else if (n instanceof JavaMap) n.values().forEach(walk);
      };
      walk(node);
      return;
    }
    case 'filter':
      if (Array.isArray(node)) {
        for (const e of node) if (sel.test(e, root)) out.push(e);
      } else if (node instanceof JavaMap) {
        for (const e of node.values()) if (sel.test(e, root)) out.push(e);
      }
      return;
    case 'fn':
      return;
  }
}

function numbersOf(v: unknown): number[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isJavaNumber).map((n) => (typeof n === 'number' ? n : n instanceof JavaDouble ? n.value : Number((n as JavaLong).value)));
}

function applyFunction(name: string, v: unknown): unknown {
  switch (name) {
    case 'length':
    case 'size':
      if (Array.isArray(v)) return v.length;
      if (v instanceof JavaMap) return v.size;
      if (typeof v === 'string') return v.length;
      return null;
    case 'keys':
      return v instanceof JavaMap ? markJsonArray(v.keys()) : null;
    case 'min':
    case 'max':
    case 'sum':
    case 'avg': {
      const nums = numbersOf(v);
      if (nums.length === 0) throw new JsonPathError(`Aggregation function attempted to calculate value using empty array`);
      if (name === 'min') return new JavaDouble(Math.min(...nums));
      if (name === 'max') return new JavaDouble(Math.max(...nums));
      const sum = nums.reduce((a, b) => a + b, 0);
      return new JavaDouble(name === 'sum' ? sum : sum / nums.length);
    }
  }
  throw new JsonPathError(`Function with name: ${name} does not exist.`);
}

// ------------------------------------------------------------------------- compiling a path

function compile(path: string): CompiledPath {
  let p = path.trim();
  if (!p.startsWith('$')) p = p.startsWith('.') || p.startsWith('[') ? `$${p}` : `$.${p}`;
  const c = new PathCompiler(p);
  return c.compile();
}

class PathCompiler {
  i = 1;
  definite = true;
  constructor(private readonly s: string) {}

  fail(msg: string): never {
    throw new JsonPathError(`Invalid JSONPath "${this.s}": ${msg}`);
  }

  compile(): CompiledPath {
    const selectors: Selector[] = [];
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '.') {
        if (s[this.i + 1] === '.') {
          this.i += 2;
          this.definite = false;
          const then = s[this.i] === '[' ? this.bracket() : this.dotName();
          selectors.push({ k: 'deep', then });
          continue;
        }
        this.i++;
        const sel = this.dotName();
        if (sel.k === 'prop' && s[this.i] === '(' && s[this.i + 1] === ')') {
          this.i += 2;
          selectors.push({ k: 'fn', name: sel.names[0] ?? '' });
          if (this.i < s.length) this.fail('a function must end the path');
          continue;
        }
        selectors.push(sel);
      } else if (c === '[') {
        selectors.push(this.bracket());
      } else {
        this.fail(`unexpected "${c}"`);
      }
    }
    return { selectors, definite: this.definite };
  }

  private dotName(): Selector {
    const s = this.s;
    if (s[this.i] === '*') {
      this.i++;
      this.definite = false;
      return { k: 'wildcard' };
    }
    const m = /^[^.[\]()*\s]+/.exec(s.slice(this.i));
    if (!m) this.fail('expected a property name');
    this.i += m[0].length;
    return { k: 'prop', names: [m[0]] };
  }

  private bracket(): Selector {
    const s = this.s;
    this.i++; // [
    this.skip();
    if (s[this.i] === '*') {
      this.i++;
      this.expect(']');
      this.definite = false;
      return { k: 'wildcard' };
    }
    if (s[this.i] === '?') {
      this.i++;
      this.skip();
      this.expect('(');
      const test = this.filterOr();
      this.skip();
      this.expect(')');
      this.skip();
      this.expect(']');
      this.definite = false;
      return { k: 'filter', test };
    }
    if (s[this.i] === "'" || s[this.i] === '"') {
      const names: string[] = [];
      for (;;) {
        this.skip();
        names.push(this.quoted());
        this.skip();
        if (s[this.i] === ',') {
          this.i++;
          continue;
        }
        this.expect(']');
        break;
      }
      if (names.length > 1) this.definite = false;
      return { k: 'prop', names };
    }
    const body = s.slice(this.i, s.indexOf(']', this.i));
    if (s.indexOf(']', this.i) < 0) this.fail('unclosed [');
    this.i += body.length + 1;
    if (body.includes(':')) {
      const [a = '', b = '', st = ''] = body.split(':').map((x) => x.trim());
      this.definite = false;
      return { k: 'slice', start: a === '' ? null : Number(a), end: b === '' ? null : Number(b), step: st === '' ? 1 : Math.max(1, Number(st)) };
    }
    const indexes = body.split(',').map((x) => Number(x.trim()));
    if (indexes.some((n) => !Number.isInteger(n))) this.fail(`bad index "${body}"`);
    if (indexes.length > 1) this.definite = false;
    return { k: 'index', indexes };
  }

  private skip(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  private expect(c: string): void {
    if (this.s[this.i] !== c) this.fail(`expected "${c}"`);
    this.i++;
  }

  private quoted(): string {
    const q = this.s[this.i];
    let j = this.i + 1;
    let out = '';
    while (j < this.s.length && this.s[j] !== q) {
      if (this.s[j] === '\\') j++;
      out += this.s[j];
      j++;
    }
    if (j >= this.s.length) this.fail('unclosed quote');
    this.i = j + 1;
    return out;
  }

  // ---- filters: @.a == 'x' && (@.b > 2 || !@.c), =~ /re/, in [..]

  private filterOr(): Filter {
    let left = this.filterAnd();
    for (;;) {
      this.skip();
      if (!this.s.startsWith('||', this.i)) return left;
      this.i += 2;
      const l = left;
      const r = this.filterAnd();
      left = (n, root) => l(n, root) || r(n, root);
    }
  }

  private filterAnd(): Filter {
    let left = this.filterUnary();
    for (;;) {
      this.skip();
      if (!this.s.startsWith('&&', this.i)) return left;
      this.i += 2;
      const l = left;
      const r = this.filterUnary();
      left = (n, root) => l(n, root) && r(n, root);
    }
  }

  private filterUnary(): Filter {
    this.skip();
    if (this.s[this.i] === '!') {
      this.i++;
      const inner = this.filterUnary();
      return (n, root) => !inner(n, root);
    }
    if (this.s[this.i] === '(') {
      this.i++;
      const inner = this.filterOr();
      this.skip();
      this.expect(')');
      return inner;
    }
    const left = this.operand();
    this.skip();
    const m = /^(==|!=|<=|>=|<|>|=~|in\b|nin\b|empty\b|size\b)/.exec(this.s.slice(this.i));
    if (!m) return (n, root) => left(n, root) !== undefined;
    const op = m[1] ?? '';
    this.i += op.length;
    this.skip();
    if (op === '=~') {
      const re = /^\/((?:\\.|[^/])*)\/([a-z]*)/.exec(this.s.slice(this.i));
      if (!re) this.fail('expected /regex/');
      this.i += re[0].length;
      const regex = new RegExp(re[1] ?? '', (re[2] ?? '').replace(/[^imsu]/g, ''));
      return (n, root) => {
        const v = left(n, root);
        return typeof v === 'string' && regex.test(v);
      };
    }
    const right = this.operand();
    return (n, root) => compareFilter(op, left(n, root), right(n, root));
  }

  /** A filter operand: @.path, $.path, a literal or a [list]. Returns undefined when missing. */
  private operand(): (node: unknown, root: unknown) => unknown {
    const s = this.s;
    this.skip();
    const c = s[this.i];
    if (c === '@' || c === '$') {
      const m = /^[@$]((?:\.[^\s.=!<>&|()[\]]+|\[[^\]]*\])*)/.exec(s.slice(this.i));
      const sub = m?.[1] ?? '';
      this.i += (m?.[0] ?? c).length;
      const compiled = sub ? compile(`$${sub}`) : { selectors: [], definite: true };
      const fromRoot = c === '$';
      return (node, root) => {
        let nodes: unknown[] = [fromRoot ? root : node];
        for (const sel of compiled.selectors) {
          if (sel.k === 'fn') return applyFunction(sel.name, nodes[0] ?? null);
          const next: unknown[] = [];
          for (const n of nodes) select(sel, n, root, next);
          nodes = next;
        }
        if (!compiled.definite) return markJsonArray(nodes);
        return nodes.length ? nodes[0] : undefined;
      };
    }
    if (c === "'" || c === '"') {
      const v = this.quoted();
      return () => v;
    }
    if (c === '[') {
      const end = s.indexOf(']', this.i);
      const body = s.slice(this.i + 1, end);
      this.i = end + 1;
      const items = body.split(',').map((x) => literalValue(x.trim()));
      return () => items;
    }
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(s.slice(this.i));
    if (!m) this.fail('expected a value in the filter');
    this.i += (m[0] ?? '').length;
    const v = literalValue(m[0] ?? '');
    return () => v;
  }
}

function literalValue(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^['"].*['"]$/.test(text)) return text.slice(1, -1);
  if (/^-?\d+$/.test(text)) return Number(text);
  return new JavaDouble(Number(text));
}

function compareFilter(op: string, l: unknown, r: unknown): boolean {
  if (l === undefined) return op === 'nin' || op === '!=';
  switch (op) {
    case '==':
    case '!=': {
      let eq: boolean;
      if (isJavaNumber(l) && isJavaNumber(r)) eq = compareNumbers(l, r) === 0;
      else if (l === null || r === null) eq = l === r;
      else eq = javaEquals(l, r) || (typeof l === 'string' && typeof r === 'string' && l === r);
      return op === '==' ? eq : !eq;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      let c: number;
      if (isJavaNumber(l) && isJavaNumber(r)) c = compareNumbers(l, r);
      else if (typeof l === 'string' && typeof r === 'string') c = l < r ? -1 : l > r ? 1 : 0;
      else return false;
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
    case 'in':
    case 'nin': {
      const list = Array.isArray(r) ? r : [];
      const found = list.some((e) => (isJavaNumber(e) && isJavaNumber(l) ? compareNumbers(e, l) === 0 : javaToString(e) === javaToString(l)));
      return op === 'in' ? found : !found;
    }
    case 'empty': {
      const empty = (Array.isArray(l) && l.length === 0) || l === '' || (l instanceof JavaMap && l.size === 0);
      return r === true ? empty : !empty;
    }
    case 'size': {
      const size = Array.isArray(l) ? l.length : typeof l === 'string' ? l.length : -1;
      return isJavaNumber(r) && compareNumbers(size, r) === 0;
    }
  }
  return false;
}
