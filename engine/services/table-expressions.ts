/**
 * DynamoDB expressions: condition and filter expressions, key conditions, projections and
 * update expressions, with `#name` / `:value` placeholders.
 *
 *   condition ::= operand comparator operand | operand BETWEEN operand AND operand
 *               | operand IN (operand, ...) | function | NOT condition
 *               | condition AND condition | condition OR condition | ( condition )
 *   precedence: comparisons, NOT, AND, OR (DynamoDB's order)
 *
 * Errors are DynamoDB's ValidationException messages.
 */
import { type AttributeMap, type AttributeValue, attributeEquals, compareScalars, typeOf } from './table-values';

export class ExpressionError extends Error {}

export type PathElement = string | number;

export type Operand =
  | { readonly kind: 'path'; readonly path: readonly PathElement[] }
  | { readonly kind: 'value'; readonly name: string }
  | { readonly kind: 'size'; readonly path: readonly PathElement[] }
  | { readonly kind: 'if_not_exists'; readonly path: readonly PathElement[]; readonly fallback: Operand }
  | { readonly kind: 'list_append'; readonly a: Operand; readonly b: Operand }
  | { readonly kind: 'arith'; readonly op: '+' | '-'; readonly left: Operand; readonly right: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'between'; readonly operand: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: 'in'; readonly operand: Operand; readonly list: readonly Operand[] }
  | { readonly kind: 'fn'; readonly name: string; readonly args: readonly Operand[] }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly cond: Condition };

export interface Placeholders {
  readonly names?: Readonly<Record<string, string>>;
  readonly values?: Readonly<Record<string, AttributeValue>>;
}

/**
 * A few of DynamoDB's 573 reserved words: the ones people name attributes after. Using one
 * bare in an expression fails; write `#s` with ExpressionAttributeNames instead.
 */
const RESERVED = new Set(
  (
    'ACTION ADD ALL AND ANY AS ASC BETWEEN BY COMMENT CONNECTION COUNT DATA DATE DAY DELETE DESC DOMAIN ' +
    'EXISTS FROM GROUP HOUR IN INDEX KEY KEYS LEVEL LIMIT LOCATION MONTH NAME NOT NULL NUMBER OR ORDER ' +
    'REGION REMOVE ROLE SET SIZE STATE STATUS STRING TABLE TEXT TIME TIMESTAMP TOKEN TTL TYPE USER VALUE VALUES YEAR ZONE'
  ).split(' '),
);

type Token = { readonly t: 'id' | 'name' | 'value' | 'num' | 'op' | 'eof'; readonly v: string; readonly at: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const m =
      /^#[A-Za-z0-9_]+/.exec(rest) ??
      /^:[A-Za-z0-9_]+/.exec(rest) ??
      /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest) ??
      /^\d+/.exec(rest) ??
      /^(<>|<=|>=|[=<>(),.[\]+-])/.exec(rest);
    if (!m) throw new ExpressionError(`Invalid expression: Syntax error; token: "${c}", near: "${src.slice(Math.max(0, i - 5), i + 5)}"`);
    const v = m[0];
    const t = v.startsWith('#') ? 'name' : v.startsWith(':') ? 'value' : /^\d/.test(v) ? 'num' : /^[A-Za-z_]/.test(v) ? 'id' : 'op';
    out.push({ t, v, at: i });
    i += v.length;
  }
  out.push({ t: 'eof', v: '', at: src.length });
  return out;
}

/** Which placeholders a request's expressions used: DynamoDB rejects unused ones. */
export interface PlaceholderUsage {
  readonly names: Set<string>;
  readonly values: Set<string>;
}

export function newUsage(): PlaceholderUsage {
  return { names: new Set(), values: new Set() };
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];

  constructor(
    private readonly src: string,
    private readonly ph: Placeholders,
    private readonly usage: PlaceholderUsage = newUsage(),
  ) {
    this.tokens = tokenize(src);
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private take(): Token {
    return this.tokens[this.pos++]!;
  }
  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.t === 'id' && t.v.toUpperCase() === word;
  }
  private expect(v: string): void {
    const t = this.take();
    if (t.v !== v && !(t.t === 'id' && t.v.toUpperCase() === v)) this.syntax(t);
  }
  syntax(t: Token = this.peek()): never {
    throw new ExpressionError(
      t.t === 'eof'
        ? `Invalid expression: Syntax error; token: "<EOF>", near: "${this.src.slice(-8)}"`
        : `Invalid expression: Syntax error; token: "${t.v}", near: "${this.src.slice(Math.max(0, t.at - 6), t.at + t.v.length + 6)}"`,
    );
  }
  atEnd(): boolean {
    return this.peek().t === 'eof';
  }
  done(): void {
    if (!this.atEnd()) this.syntax();
  }

  condition(): Condition {
    let left = this.andCondition();
    while (this.isKeyword('OR')) {
      this.take();
      left = { kind: 'or', left, right: this.andCondition() };
    }
    return left;
  }

  private andCondition(): Condition {
    let left = this.notCondition();
    while (this.isKeyword('AND')) {
      this.take();
      left = { kind: 'and', left, right: this.notCondition() };
    }
    return left;
  }

  private notCondition(): Condition {
    if (this.isKeyword('NOT')) {
      this.take();
      return { kind: 'not', cond: this.notCondition() };
    }
    return this.primaryCondition();
  }

  private primaryCondition(): Condition {
    if (this.peek().v === '(') {
      this.take();
      const c = this.condition();
      this.expect(')');
      return c;
    }
    const t = this.peek();
    const fn = t.t === 'id' ? t.v : '';
    if (['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains'].includes(fn) && this.tokens[this.pos + 1]?.v === '(') {
      this.take();
      this.take();
      const args: Operand[] = [this.operand()];
      while (this.peek().v === ',') {
        this.take();
        args.push(this.operand());
      }
      this.expect(')');
      const arity = fn === 'attribute_exists' || fn === 'attribute_not_exists' ? 1 : 2;
      if (args.length !== arity) throw new ExpressionError(`Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: ${fn}, number of operands: ${args.length}`);
      if (args[0]!.kind !== 'path') throw new ExpressionError(`Invalid ConditionExpression: Operator or function requires a document path; operator or function: ${fn}`);
      return { kind: 'fn', name: fn, args };
    }
    const left = this.operand();
    if (this.isKeyword('BETWEEN')) {
      this.take();
      const low = this.operand();
      this.expect('AND');
      return { kind: 'between', operand: left, low, high: this.operand() };
    }
    if (this.isKeyword('IN')) {
      this.take();
      this.expect('(');
      const list = [this.operand()];
      while (this.peek().v === ',') {
        this.take();
        list.push(this.operand());
      }
      this.expect(')');
      return { kind: 'in', operand: left, list };
    }
    const op = this.take();
    if (!['=', '<>', '<', '<=', '>', '>='].includes(op.v)) this.syntax(op);
    return { kind: 'compare', op: op.v as Comparator, left, right: this.operand() };
  }

  /** An operand of a condition or the right-hand side of SET. */
  operand(allowArith = false): Operand {
    let left = this.simpleOperand();
    while (allowArith && (this.peek().v === '+' || this.peek().v === '-')) {
      const op = this.take().v as '+' | '-';
      left = { kind: 'arith', op, left, right: this.simpleOperand() };
    }
    return left;
  }

  private simpleOperand(): Operand {
    const t = this.peek();
    if (t.t === 'value') {
      this.take();
      if (!this.ph.values || !(t.v in this.ph.values)) {
        throw new ExpressionError(`Invalid expression: An expression attribute value used in expression is not defined; attribute value: ${t.v}`);
      }
      this.usage.values.add(t.v);
      return { kind: 'value', name: t.v };
    }
    if (t.t === 'id' && this.tokens[this.pos + 1]?.v === '(') {
      const fn = t.v;
      if (fn === 'size') {
        this.take();
        this.take();
        const path = this.path();
        this.expect(')');
        return { kind: 'size', path };
      }
      if (fn === 'if_not_exists') {
        this.take();
        this.take();
        const path = this.path();
        this.expect(',');
        const fallback = this.operand();
        this.expect(')');
        return { kind: 'if_not_exists', path, fallback };
      }
      if (fn === 'list_append') {
        this.take();
        this.take();
        const a = this.operand();
        this.expect(',');
        const b = this.operand();
        this.expect(')');
        return { kind: 'list_append', a, b };
      }
      throw new ExpressionError(`Invalid expression: Invalid function name; function: ${fn}`);
    }
    return { kind: 'path', path: this.path() };
  }

  path(): PathElement[] {
    const out: PathElement[] = [this.pathName()];
    for (;;) {
      if (this.peek().v === '.') {
        this.take();
        out.push(this.pathName());
      } else if (this.peek().v === '[') {
        this.take();
        const n = this.take();
        if (n.t !== 'num') this.syntax(n);
        this.expect(']');
        out.push(Number(n.v));
      } else return out;
    }
  }

  private pathName(): string {
    const t = this.take();
    if (t.t === 'name') {
      const resolved = this.ph.names?.[t.v];
      if (resolved === undefined) throw new ExpressionError(`Invalid expression: An expression attribute name used in the document path is not defined; attribute name: ${t.v}`);
      this.usage.names.add(t.v);
      return resolved;
    }
    if (t.t !== 'id') this.syntax(t);
    if (RESERVED.has(t.v.toUpperCase())) throw new ExpressionError(`Invalid expression: Attribute name is a reserved keyword; reserved keyword: ${t.v}`);
    return t.v;
  }

  takeKeyword(): string | undefined {
    const t = this.peek();
    if (t.t !== 'id') return undefined;
    this.take();
    return t.v.toUpperCase();
  }

  comma(): boolean {
    if (this.peek().v !== ',') return false;
    this.take();
    return true;
  }

  expectEquals(): void {
    const t = this.take();
    if (t.v !== '=') this.syntax(t);
  }

  isClause(): boolean {
    return ['SET', 'REMOVE', 'ADD', 'DELETE'].some((k) => this.isKeyword(k));
  }
}

export function parseCondition(expr: string, ph: Placeholders, usage?: PlaceholderUsage, kind = 'ConditionExpression'): Condition {
  if (expr.trim() === '') throw new ExpressionError(`Invalid ${kind}: The expression can not be empty;`);
  const p = new Parser(expr, ph, usage);
  const c = p.condition();
  p.done();
  return c;
}

export function parseProjection(expr: string, ph: Placeholders, usage?: PlaceholderUsage): PathElement[][] {
  const p = new Parser(expr, ph, usage);
  const out = [p.path()];
  while (p.comma()) out.push(p.path());
  p.done();
  return out;
}

export type UpdateAction =
  | { readonly kind: 'SET'; readonly path: readonly PathElement[]; readonly value: Operand }
  | { readonly kind: 'REMOVE'; readonly path: readonly PathElement[] }
  | { readonly kind: 'ADD' | 'DELETE'; readonly path: readonly PathElement[]; readonly value: Operand };

export function parseUpdate(expr: string, ph: Placeholders, usage?: PlaceholderUsage): UpdateAction[] {
  const p = new Parser(expr, ph, usage);
  const actions: UpdateAction[] = [];
  const seen = new Set<string>();
  while (!p.atEnd()) {
    const clause = p.takeKeyword();
    if (!clause || !['SET', 'REMOVE', 'ADD', 'DELETE'].includes(clause)) p.syntax();
    if (seen.has(clause!)) throw new ExpressionError(`Invalid UpdateExpression: The "${clause}" section can only be used once in an update expression;`);
    seen.add(clause!);
    do {
      const path = p.path();
      if (clause === 'SET') {
        p.expectEquals();
        actions.push({ kind: 'SET', path, value: p.operand(true) });
      } else if (clause === 'REMOVE') {
        actions.push({ kind: 'REMOVE', path });
      } else {
        actions.push({ kind: clause as 'ADD' | 'DELETE', path, value: p.operand() });
      }
    } while (p.comma());
    if (!p.atEnd() && !p.isClause()) p.syntax();
  }
  return actions;
}

/** The value at a document path, or undefined. */
export function getPath(item: AttributeMap, path: readonly PathElement[]): AttributeValue | undefined {
  let cur: AttributeValue | undefined = item[path[0] as string];
  for (const el of path.slice(1)) {
    if (!cur) return undefined;
    if (typeof el === 'number') cur = 'L' in cur ? cur.L[el] : undefined;
    else cur = 'M' in cur ? cur.M[el] : undefined;
  }
  return cur;
}

/** A copy of `item` with the path set (value) or removed (undefined). Parents must exist. */
export function setPath(item: AttributeMap, path: readonly PathElement[], value: AttributeValue | undefined): Record<string, AttributeValue> {
  const [head, ...rest] = path;
  const out: Record<string, AttributeValue> = { ...item };
  if (rest.length === 0) {
    if (value === undefined) delete out[head as string];
    else out[head as string] = value;
    return out;
  }
  const child = out[head as string];
  if (!child) {
    if (value === undefined) return out;
    throw new ExpressionError('The document path provided in the update expression is invalid for update');
  }
  out[head as string] = setInValue(child, rest, value);
  return out;
}

function setInValue(v: AttributeValue, path: readonly PathElement[], value: AttributeValue | undefined): AttributeValue {
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    if (!('L' in v)) throw new ExpressionError('The document path provided in the update expression is invalid for update');
    const list = [...v.L];
    if (rest.length === 0) {
      if (value === undefined) list.splice(head, 1);
      else if (head >= list.length) list.push(value);
      else list[head] = value;
    } else {
      const child = list[head];
      if (!child) throw new ExpressionError('The document path provided in the update expression is invalid for update');
      list[head] = setInValue(child, rest, value);
    }
    return { L: list };
  }
  if (!('M' in v)) throw new ExpressionError('The document path provided in the update expression is invalid for update');
  return { M: setPath(v.M, [head!, ...rest], value) };
}

function resolve(op: Operand, item: AttributeMap | undefined, ph: Placeholders): AttributeValue | undefined {
  switch (op.kind) {
    case 'path':
      return item ? getPath(item, op.path) : undefined;
    case 'value':
      return ph.values?.[op.name];
    case 'size': {
      const v = item ? getPath(item, op.path) : undefined;
      if (!v) return undefined;
      const n = 'S' in v ? Buffer.byteLength(v.S) : 'B' in v ? Buffer.from(v.B, 'base64').length : 'L' in v ? v.L.length : 'M' in v ? Object.keys(v.M).length : 'SS' in v ? v.SS.length : 'NS' in v ? v.NS.length : 'BS' in v ? v.BS.length : undefined;
      return n === undefined ? undefined : { N: String(n) };
    }
    case 'if_not_exists':
      return (item ? getPath(item, op.path) : undefined) ?? resolve(op.fallback, item, ph);
    case 'list_append': {
      const a = resolve(op.a, item, ph);
      const b = resolve(op.b, item, ph);
      if (!a || !b || !('L' in a) || !('L' in b)) throw new ExpressionError('Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append');
      return { L: [...a.L, ...b.L] };
    }
    case 'arith': {
      const a = resolve(op.left, item, ph);
      const b = resolve(op.right, item, ph);
      if (!a || !b) throw new ExpressionError('The provided expression refers to an attribute that does not exist in the item');
      if (!('N' in a) || !('N' in b)) throw new ExpressionError(`Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ${op.op}`);
      const n = op.op === '+' ? Number(a.N) + Number(b.N) : Number(a.N) - Number(b.N);
      return { N: String(n) };
    }
  }
}

export function evaluateCondition(c: Condition, item: AttributeMap | undefined, ph: Placeholders): boolean {
  switch (c.kind) {
    case 'and':
      return evaluateCondition(c.left, item, ph) && evaluateCondition(c.right, item, ph);
    case 'or':
      return evaluateCondition(c.left, item, ph) || evaluateCondition(c.right, item, ph);
    case 'not':
      return !evaluateCondition(c.cond, item, ph);
    case 'compare': {
      const a = resolve(c.left, item, ph);
      const b = resolve(c.right, item, ph);
      if (!a || !b) return c.op === '<>' ? a !== b : false;
      if (c.op === '=') return attributeEquals(a, b);
      if (c.op === '<>') return !attributeEquals(a, b);
      const cmp = compareScalars(a, b);
      if (cmp === undefined) return false;
      return c.op === '<' ? cmp < 0 : c.op === '<=' ? cmp <= 0 : c.op === '>' ? cmp > 0 : cmp >= 0;
    }
    case 'between': {
      const v = resolve(c.operand, item, ph);
      const lo = resolve(c.low, item, ph);
      const hi = resolve(c.high, item, ph);
      if (!v || !lo || !hi) return false;
      const a = compareScalars(v, lo);
      const b = compareScalars(v, hi);
      return a !== undefined && b !== undefined && a >= 0 && b <= 0;
    }
    case 'in': {
      const v = resolve(c.operand, item, ph);
      return v !== undefined && c.list.some((o) => {
        const x = resolve(o, item, ph);
        return x !== undefined && attributeEquals(v, x);
      });
    }
    case 'fn': {
      const target = c.args[0]!.kind === 'path' && item ? getPath(item, c.args[0]!.path) : undefined;
      switch (c.name) {
        case 'attribute_exists':
          return target !== undefined;
        case 'attribute_not_exists':
          return target === undefined;
        case 'attribute_type': {
          const t = resolve(c.args[1]!, item, ph);
          return target !== undefined && t !== undefined && 'S' in t && typeOf(target) === t.S;
        }
        case 'begins_with': {
          const prefix = resolve(c.args[1]!, item, ph);
          if (!target || !prefix) return false;
          if ('S' in target && 'S' in prefix) return target.S.startsWith(prefix.S);
          if ('B' in target && 'B' in prefix) return Buffer.from(target.B, 'base64').subarray(0, Buffer.from(prefix.B, 'base64').length).equals(Buffer.from(prefix.B, 'base64'));
          return false;
        }
        case 'contains': {
          const x = resolve(c.args[1]!, item, ph);
          if (!target || !x) return false;
          if ('S' in target && 'S' in x) return target.S.includes(x.S);
          if ('SS' in target && 'S' in x) return target.SS.includes(x.S);
          if ('NS' in target && 'N' in x) return target.NS.some((n) => Number(n) === Number(x.N));
          if ('L' in target) return target.L.some((e) => attributeEquals(e, x));
          return false;
        }
      }
      return false;
    }
  }
}

/** Apply parsed update actions to an item (or to a new item with just its key). */
export function applyUpdate(item: AttributeMap, actions: readonly UpdateAction[], ph: Placeholders): Record<string, AttributeValue> {
  let out: Record<string, AttributeValue> = { ...item };
  for (const a of actions) {
    if (a.kind === 'REMOVE') {
      out = setPath(out, a.path, undefined);
      continue;
    }
    const value = resolve(a.value, item, ph);
    if (!value) throw new ExpressionError('The provided expression refers to an attribute that does not exist in the item');
    if (a.kind === 'SET') {
      out = setPath(out, a.path, value);
      continue;
    }
    const current = getPath(out, a.path);
    if (a.kind === 'ADD') {
      if ('N' in value) {
        if (current && !('N' in current)) throw new ExpressionError('An operand in the update expression has an incorrect data type');
        out = setPath(out, a.path, { N: String((current && 'N' in current ? Number(current.N) : 0) + Number(value.N)) });
      } else if ('SS' in value || 'NS' in value) {
        const key = 'SS' in value ? 'SS' : 'NS';
        const existing = current ? ((current as unknown as Record<string, string[]>)[key] ?? []) : [];
        const added = (value as unknown as Record<string, string[]>)[key]!;
        out = setPath(out, a.path, { [key]: [...new Set([...existing, ...added])] } as unknown as AttributeValue);
      } else throw new ExpressionError('Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD');
    } else {
      if (!current) continue;
      const key = typeOf(value);
      if (key !== 'SS' && key !== 'NS' && key !== 'BS') throw new ExpressionError('Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE');
      const remove = new Set((value as unknown as Record<string, string[]>)[key]);
      const left = ((current as unknown as Record<string, string[]>)[key] ?? []).filter((x) => !remove.has(x));
      out = setPath(out, a.path, left.length ? ({ [key]: left } as unknown as AttributeValue) : undefined);
    }
  }
  return out;
}

/** A projection of the item: only the listed paths (nested maps keep their structure; list elements are compacted, as DynamoDB does). */
export function project(item: AttributeMap, paths: readonly (readonly PathElement[])[]): Record<string, AttributeValue> {
  let out: Record<string, AttributeValue> = {};
  for (const p of paths) {
    const v = getPath(item, p);
    if (v !== undefined) out = mergeAt(out, p, v) as Record<string, AttributeValue>;
  }
  return out;
}

function mergeAt(target: Record<string, AttributeValue> | AttributeValue[], path: readonly PathElement[], v: AttributeValue): Record<string, AttributeValue> | AttributeValue[] {
  const [head, ...rest] = path;
  if (Array.isArray(target)) {
    const list = [...target];
    if (rest.length === 0) list.push(v);
    else list.push(wrap(mergeAt(typeof rest[0] === 'number' ? [] : {}, rest, v)));
    return list;
  }
  if (rest.length === 0) return { ...target, [head as string]: v };
  const existing = target[head as string];
  const inner = existing && 'M' in existing ? { ...existing.M } : existing && 'L' in existing ? [...existing.L] : typeof rest[0] === 'number' ? [] : {};
  return { ...target, [head as string]: wrap(mergeAt(inner, rest, v)) };
}

function wrap(x: Record<string, AttributeValue> | AttributeValue[]): AttributeValue {
  return Array.isArray(x) ? { L: x } : { M: x };
}

/** DynamoDB rejects placeholders that no expression of the request used. */
export function checkUnused(ph: Placeholders, usage: PlaceholderUsage): void {
  const values = Object.keys(ph.values ?? {}).filter((k) => !usage.values.has(k));
  if (values.length) throw new ExpressionError(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${values.join(', ')}}`);
  const names = Object.keys(ph.names ?? {}).filter((k) => !usage.names.has(k));
  if (names.length) throw new ExpressionError(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${names.join(', ')}}`);
}
