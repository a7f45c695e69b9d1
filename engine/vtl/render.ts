/**
 * Renders a parsed template with Velocity 1.7's semantics.
 *
 * What differs from a naive template engine, and why it is so here:
 * - `#set($x = <null>)` leaves $x unchanged (directive.set.null.allowed=false).
 * - `#if` is false only for null and Boolean false; "" and 0 are true. Literals that are not
 *   booleans (a string, a number, a list) are false in a condition, as in Velocity's parser.
 * - A null reference prints its own source text, `$!ref` prints nothing. In the 'aws' flavor
 *   every null reference prints nothing and compares equal to "" (recorded API Gateway
 *   behaviour; see RenderFlavor).
 * - `#foreach` sets `$foreach` (index, count, hasNext, first, last, parent), `$velocityCount`
 *   and `$velocityHasNext`, restores the loop variable afterwards, and stops after 1000
 *   iterations as API Gateway does.
 * - Macros take their arguments by name: `$arg` inside the body re-evaluates the caller's
 *   expression each time, and a null argument prints the caller's source text.
 * - `#set` inside a macro or an #evaluate is global (velocimacro.context.localscope=false).
 */
import type { Expr, MacroDef, Node, Pos, Ref, Template } from './ast';
import { JavaException, TemplateError } from './errors';
import { arithmetic, compareNumbers } from './java-math';
import { JavaIterator, MAX_STRING_LENGTH, getProperty, invokeMethod } from './java-methods';
import {
  JAVA_ARRAY,
  JavaMap,
  NO_METHOD,
  VOID,
  isJavaList,
  isJavaNumber,
  javaClassOf,
  javaEquals,
  javaToString,
  javaToStringOrNull,
  type HostObject,
  type JavaList,
} from './java-values';
import { parseTemplate } from './parser';

/**
 * 'velocity': stock Apache Velocity 1.7 (what the conformance corpus records).
 * 'aws': API Gateway's deviations, recorded against AWS: a null reference renders as the empty
 * string, and null compares equal to "" and to null.
 */
export type RenderFlavor = 'aws' | 'velocity';

export const FOREACH_LIMIT = 1000;
export const MAX_MACRO_DEPTH = 20;
export const MAX_OUTPUT_LENGTH = MAX_STRING_LENGTH;
const MAX_RANGE = 1_000_000;
const MAX_READS = 200;

export interface RenderState {
  flavor: RenderFlavor;
  deadlineAt: number;
  deadlineMs: number;
  macros: Map<string, MacroDef>;
  reads: string[];
  /** Variables the template itself assigned: reading them is not an input read. */
  localNames: Set<string>;
  steps: number;
  macroDepth: number;
  evaluateDepth: number;
}

class BreakSignal {
  constructor(readonly target: ForeachScope | null) {}
}
class StopSignal {}

// ------------------------------------------------------------------------- scopes (contexts)

interface Scope {
  get(name: string): unknown;
  put(name: string, value: unknown): void;
  remove(name: string): void;
  /** The caller's source text for a null macro argument (`$v` prints `$missing`). */
  literalFor(refLiteral: string): string | undefined;
}

class GlobalScope implements Scope {
  constructor(readonly vars: Map<string, unknown>) {}
  get(name: string): unknown {
    return this.vars.get(name);
  }
  put(name: string, value: unknown): void {
    this.vars.set(name, value);
  }
  remove(name: string): void {
    this.vars.delete(name);
  }
  literalFor(): string | undefined {
    return undefined;
  }
}

/** Velocity's ProxyVMContext: macro arguments by name, everything else shared with the caller. */
class MacroScope implements Scope {
  readonly local = new Map<string, unknown>();
  readonly proxies = new Map<string, { expr: Expr; scope: Scope }>();
  readonly literals = new Map<string, string>();
  constructor(
    readonly parent: Scope,
    private readonly resolve: (expr: Expr, scope: Scope) => unknown,
  ) {}
  get(name: string): unknown {
    if (this.local.has(name)) return this.local.get(name);
    const proxy = this.proxies.get(name);
    if (proxy) return this.resolve(proxy.expr, proxy.scope);
    return this.parent.get(name);
  }
  put(name: string, value: unknown): void {
    this.local.set(name, value);
    this.parent.put(name, value);
  }
  remove(name: string): void {
    this.local.delete(name);
    this.proxies.delete(name);
    this.parent.remove(name);
  }
  literalFor(refLiteral: string): string | undefined {
    return this.literals.get(refLiteral) ?? this.parent.literalFor(refLiteral);
  }
}

/** A #foreach over a null element sees the loop variable as null, not the previous value. */
class NullHolderScope implements Scope {
  constructor(
    readonly parent: Scope,
    private readonly key: string,
  ) {}
  get(name: string): unknown {
    return name === this.key ? null : this.parent.get(name);
  }
  put(name: string, value: unknown): void {
    this.parent.put(name, value);
  }
  remove(name: string): void {
    this.parent.remove(name);
  }
  literalFor(refLiteral: string): string | undefined {
    return this.parent.literalFor(refLiteral);
  }
}

// ------------------------------------------------------------------------- host objects made by directives

/** `$foreach`: Velocity 1.7's ForeachScope. */
class ForeachScope implements HostObject {
  readonly javaClass = 'org.apache.velocity.runtime.directive.ForeachScope';
  index = -1;
  hasNext = false;
  private readonly storage = new JavaMap();
  readonly parent: ForeachScope | null;
  constructor(replaced: unknown) {
    this.parent = replaced instanceof ForeachScope ? replaced : null;
  }
  private topmost(): ForeachScope {
    return this.parent ? this.parent.topmost() : this;
  }
  call(name: string, args: unknown[]): unknown {
    if (args.length === 0) {
      switch (name) {
        case 'getIndex':
          return this.index;
        case 'getCount':
          return this.index + 1;
        case 'hasNext':
        case 'getHasNext':
          return this.hasNext;
        case 'isFirst':
        case 'getFirst':
          return this.index < 1;
        case 'isLast':
        case 'getLast':
          return !this.hasNext;
        case 'getParent':
          return this.parent;
        case 'getTopmost':
          return this.topmost();
        case 'toString':
          return this.toJavaString();
      }
    }
    if (name === 'get' && args.length === 1) return this.storage.get(args[0]);
    if (name === 'put' && args.length === 2) return this.storage.put(args[0], args[1]);
    return NO_METHOD;
  }
  toJavaString(): string {
    return this.storage.toJavaString();
  }
}

/** `$block` from `#define($block)`: renders its body each time it is used (at most 2 deep). */
class BlockRef implements HostObject {
  readonly javaClass = 'org.apache.velocity.runtime.directive.Block$Reference';
  private depth = 0;
  constructor(private readonly renderBody: (out: Output) => void) {}
  call(name: string, args: unknown[]): unknown {
    if (name === 'toString' && args.length === 0) return this.toJavaString();
    return NO_METHOD;
  }
  /** Renders into `out`; false when nested too deep (the reference then prints literally). */
  renderInto(out: Output): boolean {
    if (this.depth >= 2) return false;
    this.depth++;
    try {
      this.renderBody(out);
      return true;
    } finally {
      this.depth--;
    }
  }
  toJavaString(): string | null {
    const out = new Output(() => ({ line: 1, column: 1 }));
    return this.renderInto(out) ? out.toString() : null;
  }
}

// ------------------------------------------------------------------------- output

class Output {
  private readonly parts: string[] = [];
  private length = 0;
  constructor(private readonly pos: () => Pos) {}
  write(s: string): void {
    if (!s) return;
    this.length += s.length;
    if (this.length > MAX_OUTPUT_LENGTH) {
      const { line, column } = this.pos();
      throw new TemplateError(`Template output exceeds ${MAX_OUTPUT_LENGTH} characters`, line, column);
    }
    this.parts.push(s);
  }
  toString(): string {
    return this.parts.join('');
  }
}

// ------------------------------------------------------------------------- the renderer

export class Renderer {
  private lastPos: Pos = { line: 1, column: 1 };
  private readonly evaluateCache = new Map<string, Template>();

  constructor(private readonly state: RenderState) {}

  render(template: Template, vars: Map<string, unknown>): string {
    for (const m of template.macros) if (!this.state.macros.has(m.name)) this.state.macros.set(m.name, m);
    const out = new Output(() => this.lastPos);
    try {
      this.renderNodes(template.nodes, new GlobalScope(vars), out);
    } catch (e) {
      if (!(e instanceof StopSignal) && !(e instanceof BreakSignal)) throw e;
    }
    return out.toString();
  }

  private tick(pos: Pos): void {
    this.lastPos = pos;
    if ((++this.state.steps & 127) === 0 && performance.now() > this.state.deadlineAt) {
      throw new TemplateError(`Rendering exceeded its ${this.state.deadlineMs} ms deadline`, pos.line, pos.column);
    }
  }

  private renderNodes(nodes: Node[], scope: Scope, out: Output): void {
    for (const node of nodes) {
      switch (node.t) {
        case 'text':
          out.write(node.text);
          break;
        case 'ref':
          this.renderRef(node.ref, scope, out);
          break;
        case 'set':
          this.tick(node.pos);
          this.set(node.lhs, node.rhs, scope);
          break;
        case 'if':
          this.tick(node.pos);
          for (const branch of node.branches) {
            if (branch.cond === null || this.condition(branch.cond, scope)) {
              this.renderNodes(branch.body, scope, out);
              break;
            }
          }
          break;
        case 'foreach':
          this.foreach(node.varName, node.iterable, node.body, node.pos, scope, out);
          break;
        case 'call':
          this.callMacro(node, scope, out);
          break;
        case 'define': {
          const body = node.body;
          this.state.localNames.add(node.name);
          scope.put(
            node.name,
            new BlockRef((inner) => {
              try {
                this.renderNodes(body, scope, inner);
              } catch (e) {
                if (!(e instanceof BreakSignal) || e.target) throw e;
              }
            }),
          );
          break;
        }
        case 'evaluate':
          this.evaluate(node.arg, node.pos, scope, out);
          break;
        case 'break': {
          this.tick(node.pos);
          if (!node.arg) throw new BreakSignal(null);
          const target = this.value(node.arg, scope);
          if (!(target instanceof ForeachScope)) {
            throw new TemplateError(`${node.arg.literal} is not a valid org.apache.velocity.runtime.directive.Scope instance`, node.pos.line, node.pos.column);
          }
          throw new BreakSignal(target);
        }
        case 'nothing':
          break;
        case 'stop':
          throw new StopSignal();
        case 'fail':
          throw new TemplateError(node.message, node.pos.line, node.pos.column);
      }
    }
  }

  // ---------------------------------------------------------------- references

  private renderRef(ref: Ref, scope: Scope, out: Output): void {
    const value = this.reference(ref, scope);
    const escPrefix = '\\'.repeat(ref.backslashes >> 1);
    if (ref.backslashes % 2 === 1) {
      // `\$name`: prints `$name` when it has a value, `\$name` (schmoo) when it does not.
      const literal = scope.literalFor(ref.literal) ?? ref.literal;
      out.write(value === null || value === undefined ? `${escPrefix}\\${literal}` : escPrefix + literal);
      return;
    }
    if (value instanceof BlockRef && value.renderInto(out)) return;
    const text = value === null || value === undefined ? null : javaToStringOrNull(value);
    if (text === null) {
      if (this.state.flavor === 'aws' || ref.quiet) out.write(escPrefix + escPrefix);
      else out.write(escPrefix + escPrefix + (scope.literalFor(ref.literal) ?? ref.literal));
      return;
    }
    out.write(escPrefix + text);
  }

  /** The value of `$a.b.c(...)[i]`, or null as soon as a step yields null. */
  private reference(ref: Ref, scope: Scope): unknown {
    this.tick(ref.pos);
    const state = this.state;
    if (state.reads.length < MAX_READS && !state.localNames.has(ref.root) && !state.reads.includes(ref.literal)) {
      state.reads.push(ref.literal);
    }
    let v = scope.get(ref.root);
    if (v === undefined || v === null) return null;
    for (const part of ref.parts) {
      switch (part.p) {
        case 'prop': {
          const r = this.guard(part.pos, v, part.name, () => getProperty(v, part.name));
          v = r === NO_METHOD ? null : r;
          break;
        }
        case 'method': {
          const args = part.args.map((a) => this.value(a, scope));
          const target = v;
          const r = this.guard(part.pos, target, part.name, () => invokeMethod(target, part.name, args));
          v = r === NO_METHOD ? null : r === VOID ? '' : r;
          break;
        }
        case 'index':
          v = this.index(v, this.value(part.arg, scope), part.pos);
          break;
      }
      if (v === null || v === undefined) return null;
    }
    return v;
  }

  /** Java exceptions from a method become errors at the method's position, as in Velocity. */
  private guard<T>(pos: Pos, target: unknown, name: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof JavaException) {
        throw new TemplateError(`Invocation of method '${name}' in class ${javaClassOf(target)} threw exception ${e.message}`, pos.line, pos.column);
      }
      throw e;
    }
  }

  /** `$x[i]`: Velocity calls get(i); a negative Integer counts from the end. */
  private index(target: unknown, arg: unknown, pos: Pos): unknown {
    if (typeof arg === 'number' && arg < 0) {
      const size = invokeMethod(target, 'size', []);
      if (typeof size === 'number') arg = size + arg;
    }
    try {
      const r = invokeMethod(target, 'get', [arg]);
      return r === NO_METHOD ? null : r === VOID ? '' : r;
    } catch (e) {
      if (e instanceof JavaException) {
        throw new TemplateError(`Error invoking method 'get(${javaClassOf(arg)})' in ${javaClassOf(target)}: ${e.message}`, pos.line, pos.column);
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- #set

  private set(lhs: Ref, rhs: Expr, scope: Scope): void {
    const value = this.value(rhs, scope);
    if (value === null || value === undefined) return;
    if (lhs.parts.length === 0) {
      // Velocity names the variable after the reference's first token minus the `$`, so
      // `#set($!x = 1)` sets "!x" and `#set(${x} = 1)` sets "{", neither of them $x.
      const name = lhs.formal ? '{' : lhs.quiet ? `!${lhs.root}` : lhs.root;
      this.state.localNames.add(name);
      scope.put(name, value);
      return;
    }
    let base = scope.get(lhs.root);
    if (base === null || base === undefined) return;
    const last = lhs.parts[lhs.parts.length - 1];
    for (const part of lhs.parts.slice(0, -1)) {
      if (part.p === 'prop') {
        const r = getProperty(base, part.name);
        base = r === NO_METHOD ? null : r;
      } else if (part.p === 'method') {
        const args = part.args.map((a) => this.value(a, scope));
        const target = base;
        const r = this.guard(part.pos, target, part.name, () => invokeMethod(target, part.name, args));
        base = r === NO_METHOD ? null : r === VOID ? '' : r;
      } else {
        base = this.index(base, this.value(part.arg, scope), part.pos);
      }
      if (base === null || base === undefined) return;
    }
    if (!last) return;
    const target = base;
    if (last.p === 'index') {
      let key = this.value(last.arg, scope);
      if (typeof key === 'number' && key < 0) {
        const size = invokeMethod(target, 'size', []);
        if (typeof size === 'number') key = size + key;
      }
      const r = this.guard(last.pos, target, 'set', () => invokeMethod(target, 'set', [key, value]));
      if (r === NO_METHOD) this.guard(last.pos, target, 'put', () => invokeMethod(target, 'put', [key, value]));
    } else if (last.p === 'prop') {
      if (target instanceof JavaMap) {
        target.put(last.name, value);
        return;
      }
      const setter = `set${last.name.charAt(0).toUpperCase()}${last.name.slice(1)}`;
      const r = this.guard(last.pos, target, setter, () => invokeMethod(target, setter, [value]));
      if (r === NO_METHOD) this.guard(last.pos, target, 'put', () => invokeMethod(target, 'put', [last.name, value]));
    }
  }

  // ---------------------------------------------------------------- expressions

  value(expr: Expr, scope: Scope): unknown {
    switch (expr.e) {
      case 'ref':
        return this.reference(expr.ref, scope);
      case 'str':
        return expr.interpolated ? this.interpolate(expr.interpolated, expr.dropLastChar, scope) : expr.value;
      case 'const':
        return expr.value;
      case 'word':
        return null;
      case 'list':
        return expr.items.map((item) => this.value(item, scope));
      case 'map': {
        const m = new JavaMap();
        for (const [k, v] of expr.entries) m.put(this.value(k, scope), this.value(v, scope));
        return m;
      }
      case 'range':
        return this.range(expr.from, expr.to, expr.pos, scope);
      case 'group':
        return this.value(expr.x, scope);
      case 'not':
        return !this.condition(expr.x, scope);
      case 'bin':
        switch (expr.op) {
          case '&&':
          case '||':
          case '==':
          case '!=':
          case '<':
          case '<=':
          case '>':
          case '>=':
            return this.condition(expr, scope);
          default:
            return this.math(expr.op, expr.l, expr.r, scope);
        }
    }
  }

  private interpolate(nodes: Node[], dropLastChar: boolean, scope: Scope): string {
    const out = new Output(() => this.lastPos);
    this.renderNodes(nodes, scope, out);
    const s = out.toString();
    return dropLastChar && s.length > 0 ? s.slice(0, -1) : s;
  }

  private range(fromExpr: Expr, toExpr: Expr, pos: Pos, scope: Scope): unknown {
    const from = this.value(fromExpr, scope);
    const to = this.value(toExpr, scope);
    if (!isJavaNumber(from) || !isJavaNumber(to)) return null;
    return this.rangeList(Number(javaToString(invokeMethod(from, 'intValue', []))), Number(javaToString(invokeMethod(to, 'intValue', []))), pos);
  }

  private rangeList(from: number, to: number, pos: Pos): number[] {
    const count = Math.abs(to - from) + 1;
    if (count > MAX_RANGE) throw new TemplateError(`Range [${from}..${to}] is too large for a mapping template`, pos.line, pos.column);
    const step = from <= to ? 1 : -1;
    const list: number[] = new Array(count);
    for (let i = 0, v = from; i < count; i++, v += step) list[i] = v;
    return list;
  }

  private math(op: '+' | '-' | '*' | '/' | '%', lExpr: Expr, rExpr: Expr, scope: Scope): unknown {
    const l = this.value(lExpr, scope);
    const r = this.value(rExpr, scope);
    if (op === '+' && (typeof l === 'string' || typeof r === 'string')) {
      // String concatenation; a null side contributes its source text (nothing in 'aws').
      const nullText = (e: Expr) => (this.state.flavor === 'aws' ? '' : e.literal);
      const s = (l === null || l === undefined ? nullText(lExpr) : javaToString(l)) + (r === null || r === undefined ? nullText(rExpr) : javaToString(r));
      if (s.length > MAX_STRING_LENGTH) throw new TemplateError('String too large for a mapping template', this.lastPos.line, this.lastPos.column);
      return s;
    }
    if (!isJavaNumber(l) || !isJavaNumber(r)) return null;
    return arithmetic(op, l, r);
  }

  /** Truth of an expression in #if / && / || / !. */
  condition(expr: Expr, scope: Scope): boolean {
    switch (expr.e) {
      case 'ref': {
        const v = this.reference(expr.ref, scope);
        if (v === null || v === undefined) return false;
        if (typeof v === 'boolean') return v;
        return javaToStringOrNull(v) !== null;
      }
      case 'const':
        return expr.value === true;
      case 'group':
        return this.condition(expr.x, scope);
      case 'not':
        return !this.condition(expr.x, scope);
      case 'bin':
        switch (expr.op) {
          case '&&':
            return this.condition(expr.l, scope) && this.condition(expr.r, scope);
          case '||':
            return this.condition(expr.l, scope) || this.condition(expr.r, scope);
          case '==':
            return this.equals(this.value(expr.l, scope), this.value(expr.r, scope));
          case '!=':
            return !this.equals(this.value(expr.l, scope), this.value(expr.r, scope));
          case '<':
          case '<=':
          case '>':
          case '>=': {
            const l = this.value(expr.l, scope);
            const r = this.value(expr.r, scope);
            if (!isJavaNumber(l) || !isJavaNumber(r)) return false;
            const c = compareNumbers(l, r);
            return expr.op === '<' ? c < 0 : expr.op === '<=' ? c <= 0 : expr.op === '>' ? c > 0 : c >= 0;
          }
          default:
            // Velocity's arithmetic nodes are false in a condition, whatever their value.
            return false;
        }
      default:
        // Velocity: a string, list, map or range literal in a condition evaluates to false.
        return false;
    }
  }

  /** `==` with Velocity 1.7's rules: numbers by value, same classes by equals(), else by toString(). */
  private equals(l: unknown, r: unknown): boolean {
    if (this.state.flavor === 'aws') {
      // API Gateway treats a null reference as "" in comparisons (recorded: null == "" is true).
      if (l === null || l === undefined) l = '';
      if (r === null || r === undefined) r = '';
    }
    if (isJavaNumber(l) && isJavaNumber(r)) return compareNumbers(l, r) === 0;
    const lNull = l === null || l === undefined;
    const rNull = r === null || r === undefined;
    if (!lNull && !rNull && sameClass(l, r)) return javaEquals(l, r);
    const ls = lNull ? null : javaToStringOrNull(l);
    const rs = rNull ? null : javaToStringOrNull(r);
    if (ls === null && rs === null) return true;
    if (ls === null || rs === null) return false;
    return ls === rs;
  }

  // ---------------------------------------------------------------- directives

  private foreach(varName: string, iterableExpr: Expr, body: Node[], pos: Pos, scope: Scope, out: Output): void {
    this.tick(pos);
    const iterable = this.value(iterableExpr, scope);
    let items: unknown[];
    // Lists are iterated live, like Java's iterator: removing elements can end the loop early.
    if (isJavaList(iterable)) items = iterable;
    else if (iterable instanceof JavaMap) items = iterable.values();
    else if (iterable instanceof JavaIterator) items = iterable.remaining();
    else return; // null or not iterable: Velocity renders nothing
    this.state.localNames.add(varName);
    const savedValue = scope.get(varName);
    const savedCount = scope.get('velocityCount');
    const savedHasNext = scope.get('velocityHasNext');
    const savedForeach = scope.get('foreach');
    const loop = new ForeachScope(savedForeach);
    scope.put('foreach', loop);
    try {
      const size = items.length;
      for (let i = 0; i !== items.length && i < FOREACH_LIMIT; i++) {
        this.tick(pos);
        const item = items[i];
        const hasNext = i + 1 !== items.length;
        scope.put('velocityCount', i + 1);
        scope.put('velocityHasNext', hasNext);
        scope.put(varName, item);
        loop.index++;
        loop.hasNext = hasNext;
        try {
          this.renderNodes(body, item === null || item === undefined ? new NullHolderScope(scope, varName) : scope, out);
        } catch (e) {
          if (e instanceof BreakSignal && (e.target === null || e.target === loop)) break;
          throw e;
        }
        if (items.length !== size) {
          // Java's iterator: the loop ends if the new size equals the position, else it fails.
          if (items.length === i + 1) break;
          throw new TemplateError('java.util.ConcurrentModificationException: the list changed while #foreach iterated it', pos.line, pos.column);
        }
      }
    } finally {
      const restore = (name: string, saved: unknown) => (saved === undefined || saved === null ? scope.remove(name) : scope.put(name, saved));
      restore(varName, savedValue);
      restore('velocityCount', savedCount);
      restore('velocityHasNext', savedHasNext);
      restore('foreach', savedForeach);
    }
  }

  private callMacro(node: Extract<Node, { t: 'call' }>, scope: Scope, out: Output): void {
    this.tick(node.pos);
    const def = this.state.macros.get(node.name);
    if (!def) {
      // Velocity's RuntimeMacro: an unknown #name(...) prints its own source text.
      out.write(node.literal);
      return;
    }
    if (this.state.macroDepth >= MAX_MACRO_DEPTH) {
      throw new TemplateError(`Max calling depth of ${MAX_MACRO_DEPTH} was exceeded in macro '${node.name}'`, node.pos.line, node.pos.column);
    }
    const macroScope = new MacroScope(scope, (expr, s) => (expr.e === 'ref' && expr.ref.parts.length === 0 ? (s.get(expr.ref.root) ?? null) : this.value(expr, s)));
    const count = Math.min(def.params.length, node.args.length);
    for (let i = 0; i < count; i++) {
      const param = def.params[i] ?? '';
      const arg = node.args[i];
      if (!arg) continue;
      this.state.localNames.add(param);
      if (arg.e === 'const' || arg.e === 'word') {
        macroScope.local.set(param, arg.e === 'const' ? arg.value : null);
      } else {
        macroScope.proxies.set(param, { expr: arg, scope });
        macroScope.literals.set(`$${param}`, arg.literal);
      }
    }
    if (node.body) {
      const body = node.body;
      macroScope.local.set(
        'bodyContent',
        new BlockRef((inner) => this.renderNodes(body, scope, inner)),
      );
    }
    this.state.macroDepth++;
    try {
      this.renderNodes(def.body, macroScope, out);
    } catch (e) {
      if (!(e instanceof BreakSignal) || e.target) throw e;
    } finally {
      this.state.macroDepth--;
    }
  }

  private evaluate(arg: Expr, pos: Pos, scope: Scope, out: Output): void {
    this.tick(pos);
    const v = this.value(arg, scope);
    const source = v === null || v === undefined ? '' : javaToString(v);
    if (this.state.evaluateDepth >= MAX_MACRO_DEPTH) {
      throw new TemplateError(`#evaluate nested more than ${MAX_MACRO_DEPTH} deep`, pos.line, pos.column);
    }
    let template = this.evaluateCache.get(source);
    if (!template) {
      try {
        template = parseTemplate(source);
      } catch (e) {
        if (e instanceof TemplateError) throw new TemplateError(`#evaluate: ${e.message}`, pos.line, pos.column);
        throw e;
      }
      this.evaluateCache.set(source, template);
    }
    for (const m of template.macros) if (!this.state.macros.has(m.name)) this.state.macros.set(m.name, m);
    this.state.evaluateDepth++;
    try {
      this.renderNodes(template.nodes, scope, out);
    } catch (e) {
      if (!(e instanceof BreakSignal) || e.target) throw e;
    } finally {
      this.state.evaluateDepth--;
    }
  }
}

/** Whether Java would compare the two with equals() (one class assignable from the other). */
function sameClass(l: unknown, r: unknown): boolean {
  if (isJavaList(l) && isJavaList(r)) return !(l as JavaList)[JAVA_ARRAY] && !(r as JavaList)[JAVA_ARRAY];
  if (l instanceof JavaMap && r instanceof JavaMap) return true;
  return javaClassOf(l) === javaClassOf(r);
}
