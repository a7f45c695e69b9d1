/**
 * A parser for Velocity 1.7 templates, written to reproduce Velocity's own lexer (Parser.jjt)
 * where it shows in the output. The rules a reader needs, in the order the code meets them:
 *
 * - Text runs until `$`, `#` or `\`. Whitespace inside a text run is kept.
 * - `#set(` eats the spaces and tabs before it, but only when they are not part of a text run:
 *   after a reference, a directive or at the start of the template (`$y #set(...)` loses the
 *   space; `{\n  #set(` keeps its indentation).
 * - A directive's closing `)` eats trailing blanks and one newline (`#set(...)\n`,
 *   `#if(...)\n`, `#foreach(...)\n`, macro calls); `#else` and `#end` do the same.
 *   Indentation before a directive is kept, except for `#set` as above.
 * - `##` comments run through the newline; `#* *#` comments do not eat the newline after them;
 *   `#[[ ]]#` is copied verbatim.
 * - `\$ref` prints `$ref` when the reference has a value and `\$ref` when it does not;
 *   `\#if` prints `#if`.
 * - `#word` that is no directive is plain text, unless a `(` follows: then it is a macro call
 *   and, if no such macro exists when it runs, prints its own source text.
 * - Inside directives, expressions allow the operators; inside method arguments only values
 *   (`$s.substring($i + 1)` is a lexical error in Velocity 1.7, and so here).
 * - A template that ends right after `$` or `#` is a lexical error, as in Velocity.
 */
import type { BinOp, Expr, MacroDef, Node, Part, Pos, Ref, Template } from './ast';
import { TemplateError } from './errors';
import { JavaDouble, javaIntegerFromBigInt } from './java-values';

/** Directives Velocity 1.7 registers by default; `\#name` escapes only recognised directives. */
const BUILTIN_DIRECTIVES = new Set(['foreach', 'include', 'parse', 'macro', 'literal', 'evaluate', 'break', 'define']);
const CONTROL_WORDS = new Set(['if', 'else', 'elseif', 'end', 'set', 'stop']);
const WORD_OPERATORS: Record<string, string> = { and: '&&', or: '||', lt: '<', le: '<=', gt: '>', ge: '>=', eq: '==', ne: '!=', not: '!' };

type Terminator = { kind: 'eof' | 'end' | 'else' | 'elseif'; start: number; image: string };

interface DirToken {
  kind: 'ws' | 'str' | 'int' | 'float' | 'bool' | 'op' | 'word' | 'punct' | 'dollar' | 'hash' | 'eof';
  text: string;
  start: number;
  end: number;
}

const isIdentStart = (c: string | undefined) => c !== undefined && /[a-zA-Z_]/.test(c);
const isAlpha = (c: string | undefined) => c !== undefined && /[a-zA-Z]/.test(c);
const IDENT = /[a-zA-Z_][a-zA-Z0-9_-]*/y;
const WORD = /[a-zA-Z_@][a-zA-Z0-9_@]*/y;
const BRACKETED_WORD = /\{([a-zA-Z_][a-zA-Z0-9_@]*)\}/y;
const SET_START = /[ \t]*(?:#set|#\{set\}) *\(/y;
const INTEGER = /-?[0-9]+(\.\.)?/y;
const FLOAT = /-?[0-9]+\.[0-9]*(?:[eE][+-]?[0-9]+)?|-?\.[0-9]+(?:[eE][+-]?[0-9]+)?|-?[0-9]+[eE][+-]?[0-9]+/y;

export interface ParseOptions {
  /** Where this text sits in an enclosing template (string literals are parsed on their own). */
  lineOffset?: number;
  columnOffset?: number;
  /** Macro definitions are shared with the enclosing template. */
  macros?: MacroDef[];
}

export function parseTemplate(src: string, options: ParseOptions = {}): Template {
  const parser = new Parser(src, options);
  const nodes = parser.parseRoot();
  return { nodes, macros: parser.macros };
}

class Parser {
  private pos = 0;
  private readonly lineStarts: number[] = [0];
  readonly macros: MacroDef[];
  /** Names of macros defined so far: `\#name` escapes them, `\\#name` prints one backslash. */
  private readonly macroNames = new Set<string>();

  constructor(
    private readonly src: string,
    private readonly options: ParseOptions,
  ) {
    for (let i = 0; i < src.length; i++) {
      const c = src.charCodeAt(i);
      if (c === 10 || (c === 13 && src.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
    }
    this.macros = options.macros ?? [];
    for (const m of this.macros) this.macroNames.add(m.name);
  }

  parseRoot(): Node[] {
    const { nodes, term } = this.parseBlock();
    if (term.kind !== 'eof') this.unexpected(term.image, term.start);
    return nodes;
  }

  // ---------------------------------------------------------------- positions and errors

  private at(offset: number): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const line = lo + 1;
    const column = offset - (this.lineStarts[lo] ?? 0) + 1;
    const lineOffset = this.options.lineOffset ?? 0;
    const columnOffset = line === 1 ? (this.options.columnOffset ?? 0) : 0;
    return { line: line + lineOffset, column: column + columnOffset };
  }

  private fail(message: string, offset: number): never {
    const { line, column } = this.at(offset);
    throw new TemplateError(`${message} at line ${line}, column ${column}`, line, column);
  }

  private unexpected(image: string, offset: number): never {
    // Velocity places the end of input on the template's last character.
    if (offset >= this.src.length) this.fail('Encountered "<EOF>"', Math.max(0, this.src.length - 1));
    this.fail(`Encountered "${image}"`, offset);
  }

  private lexicalError(offset: number): never {
    if (offset >= this.src.length) {
      const prev = this.src[offset - 1] ?? '';
      this.fail(`Lexical error: Encountered <EOF> after "${prev}"`, offset);
    }
    const c = this.src[offset] ?? '';
    this.fail(`Lexical error: Encountered "${c}" (${c.charCodeAt(0)})`, offset);
  }

  // ---------------------------------------------------------------- template text level

  /** Parses statements until EOF or a `#end` / `#else` / `#elseif`, which it returns unconsumed by the node list. */
  private parseBlock(): { nodes: Node[]; term: Terminator } {
    const nodes: Node[] = [];
    const src = this.src;
    const addText = (text: string) => {
      if (!text) return;
      const last = nodes[nodes.length - 1];
      if (last && last.t === 'text') last.text += text;
      else nodes.push({ t: 'text', text });
    };
    for (;;) {
      const p = this.pos;
      if (p >= src.length) return { nodes, term: { kind: 'eof', start: p, image: '<EOF>' } };
      SET_START.lastIndex = p;
      if (SET_START.test(src)) {
        nodes.push(this.parseSet());
        continue;
      }
      const c = src[p];
      if (c === '$') {
        this.parseDollar(nodes, addText, 0);
      } else if (c === '\\') {
        this.parseBackslashes(nodes, addText);
      } else if (c === '#') {
        const term = this.parseHash(nodes, addText);
        if (term) return { nodes, term };
      } else {
        let j = p;
        while (j < src.length) {
          const ch = src.charCodeAt(j);
          if (ch === 36 /* $ */ || ch === 35 /* # */ || ch === 92 /* \ */) break;
          j++;
        }
        addText(src.slice(p, j));
        this.pos = j;
      }
    }
  }

  /** At `$` (after `backslashes` backslashes): a reference, or plain text when none follows. */
  private parseDollar(nodes: Node[], addText: (s: string) => void, backslashes: number): void {
    const src = this.src;
    const dollar = this.pos + backslashes;
    const quiet = src[dollar + 1] === '!';
    const ref = this.parseReferenceAt(dollar, backslashes);
    if (ref) {
      nodes.push({ t: 'ref', ref });
      if (!ref.formal && (src[this.pos] === '{' || src[this.pos] === '}')) this.braceAfterReference(nodes, addText);
      else if (ref.parts[ref.parts.length - 1]?.p === 'prop' && src.startsWith('##', this.pos)) {
        // Velocity quirk: right after `.property`, `##` starts no comment; the line prints.
        let j = this.pos;
        while (j < src.length && src[j] !== '\n' && src[j] !== '\r') j++;
        if (src[j] === '\r' && src[j + 1] === '\n') j++;
        addText(src.slice(this.pos, Math.min(j + 1, src.length)));
        this.pos = Math.min(j + 1, src.length);
      }
      return;
    }
    const slashBang = /^\$(\\+)!([a-zA-Z_][a-zA-Z0-9_-]*)/.exec(src.slice(dollar, dollar + 200));
    if (slashBang) {
      // `$\!name` prints `$!name`: Velocity drops one backslash and treats the rest as text.
      addText('\\'.repeat(backslashes) + '$' + '\\'.repeat((slashBang[1] ?? '').length - 1) + '!' + (slashBang[2] ?? ''));
      this.pos = dollar + slashBang[0].length;
      return;
    }
    const afterPrefix = dollar + (quiet ? 2 : 1);
    if (afterPrefix >= src.length) this.lexicalError(afterPrefix);
    if (src[afterPrefix] === '[') {
      // Velocity's EMPTY_INDEX token: `$[` and `$![` are text.
      if (backslashes > 0) this.unexpected(src.slice(this.pos, afterPrefix + 1), this.pos);
      addText(src.slice(dollar, afterPrefix + 1));
      this.pos = afterPrefix + 1;
      return;
    }
    // Not a reference: the backslashes and `$` print as they are; a `!` after the `$` is lost,
    // as Velocity's "special token" text keeps only `$`, `#` and backslash runs. That text only
    // survives in front of plain text: before a directive, a comment or `\\` it is lost.
    this.pos = afterPrefix;
    const prefix = '\\'.repeat(backslashes) + '$';
    const run = /^\\+(?=\$!?[a-zA-Z_{])/.exec(src.slice(afterPrefix, afterPrefix + 200));
    if (run) {
      // `$\\$s`: the backslashes belong to the text before the reference, unhalved.
      addText(prefix + run[0]);
      this.pos = afterPrefix + run[0].length;
      const ref = this.parseReferenceAt(this.pos, 0);
      if (ref) nodes.push({ t: 'ref', ref });
      return;
    }
    const word = src[afterPrefix] === '#' ? this.directiveWordAt(afterPrefix + 1) : null;
    if (word && !CONTROL_WORDS.has(word.name) && !this.isSetAt(afterPrefix)) {
      // `$#foreach(...)`: the `$` joins the directive name, which is then no directive.
      this.pos = afterPrefix + 1 + word.length;
      const node = this.parseDirective(`#${word.name}`, afterPrefix);
      const literalOf = (n: Node | string | null) => (typeof n === 'string' ? n : n && n.t === 'call' ? n.literal : '');
      addText(prefix + literalOf(node));
      return;
    }
    if (!this.swallowsPrefix(afterPrefix)) addText(prefix);
  }

  /**
   * Right after `$ref`, Velocity's lexer is still inside the reference, where `{` and `}` are
   * tokens of their own. `}` is text; so is `{`, unless a name follows: then `{name...}` is
   * read as a reference that is never defined (and must be closed).
   */
  private braceAfterReference(nodes: Node[], addText: (s: string) => void): void {
    const src = this.src;
    const start = this.pos;
    this.pos++;
    if (src[start] === '}' || !/^\\*\$?!?[a-zA-Z_]/.test(src.slice(this.pos, this.pos + 40))) {
      addText(src[start] ?? '');
      return;
    }
    const m = /^\{\\*\$?!?[a-zA-Z_][\w-]*(?:\.[a-zA-Z][\w-]*(?:\([^()]*\))?|\[[^\]]*\])*\}/.exec(src.slice(start, start + 500));
    if (!m) {
      const end = /^\{\\*\$?!?[a-zA-Z_][\w-]*(?:\.[a-zA-Z][\w-]*(?:\([^()]*\))?|\[[^\]]*\])*/.exec(src.slice(start))?.[0].length ?? 1;
      this.unexpected(src[start + end] ?? '<EOF>', start + end);
    }
    this.pos = start + m[0].length;
    nodes.push({ t: 'ref', ref: { root: '\u0000', quiet: false, formal: true, parts: [], literal: m[0], backslashes: 0, pos: this.at(start) } });
  }

  /** Whether the token after a failed `$` drops it: directives, block comments, escapes. */
  private swallowsPrefix(offset: number): boolean {
    const src = this.src;
    if (src.startsWith('\\\\', offset) || (src.startsWith('#*', offset) && !src.startsWith('##', offset))) return true;
    if (src[offset] === '\\') return src[offset + 1] === '#' && this.directiveWordAt(offset + 2) !== null;
    if (src[offset] !== '#') return false;
    if (this.isSetAt(offset)) return true;
    const word = this.directiveWordAt(offset + 1);
    return word !== null && CONTROL_WORDS.has(word.name);
  }

  private parseBackslashes(nodes: Node[], addText: (s: string) => void): void {
    const src = this.src;
    const start = this.pos;
    let j = start;
    while (src[j] === '\\') j++;
    const n = j - start;
    if (src[j] === '$') {
      this.parseDollar(nodes, addText, n);
      return;
    }
    if (src[j] === '#') {
      const word = this.directiveWordAt(j + 1);
      if (word && n % 2 === 1) {
        // ESCAPE_DIRECTIVE: `\#if` prints `#if` (half of the other backslashes stay).
        const end = j + 1 + word.length;
        const image = src.slice(start, end);
        addText(this.isKnownDirective(word.name) ? '\\'.repeat((n - 1) / 2) + src.slice(j, end) : image);
        this.pos = end;
        return;
      }
      if (word && n % 2 === 0) {
        // `\\#if`: pairs of backslashes before a directive print as one backslash each.
        addText(this.isKnownDirective(word.name) && !this.isSetAt(j) ? '\\'.repeat(n / 2) : '\\'.repeat(n));
        this.pos = j;
        return;
      }
    }
    addText('\\'.repeat(n));
    this.pos = j;
  }

  private isSetAt(offset: number): boolean {
    SET_START.lastIndex = offset;
    return SET_START.test(this.src);
  }

  private isKnownDirective(name: string): boolean {
    return CONTROL_WORDS.has(name) || BUILTIN_DIRECTIVES.has(name) || this.macroNames.has(name);
  }

  /** A directive name after `#`: `word` or `{word}`. */
  private directiveWordAt(offset: number): { name: string; length: number; bracketed: boolean } | null {
    if (this.src[offset] === '{') {
      BRACKETED_WORD.lastIndex = offset;
      const m = BRACKETED_WORD.exec(this.src);
      return m ? { name: m[1] ?? '', length: m[0].length, bracketed: true } : null;
    }
    WORD.lastIndex = offset;
    const m = WORD.exec(this.src);
    return m ? { name: m[0], length: m[0].length, bracketed: false } : null;
  }

  /** At `#`: comments, text blocks and directives. Returns a terminator for #end/#else/#elseif. */
  private parseHash(nodes: Node[], addText: (s: string) => void): Terminator | null {
    const src = this.src;
    const p = this.pos;
    if (src.startsWith('##', p)) {
      let j = p + 2;
      while (j < src.length && src[j] !== '\n' && src[j] !== '\r') j++;
      if (j >= src.length && j > p + 2 && /[$#]$/.test(src)) this.lexicalError(src.length);
      if (src[j] === '\r' && src[j + 1] === '\n') j++;
      this.pos = Math.min(j + 1, src.length);
      return null;
    }
    if (src.startsWith('#[[', p)) {
      const end = src.indexOf(']]#', p + 3);
      if (end < 0) this.lexicalError(src.length);
      addText(src.slice(p + 3, end));
      this.pos = end + 3;
      return null;
    }
    if (src.startsWith('#*', p)) {
      // An unterminated block comment runs to the end of the template.
      const end = src.indexOf('*#', p + 2);
      if (end < 0 && /[$#]$/.test(src) && src.length > p + 2) this.lexicalError(src.length);
      this.pos = end < 0 ? src.length : end + 2;
      return null;
    }
    if (p + 1 >= src.length) this.lexicalError(p + 1);
    const word = this.directiveWordAt(p + 1);
    if (!word) {
      // `#` before anything else (a number, a space, `{}`) is text, but a following `\\$ref`
      // keeps its backslashes, and an escape sequence swallows the `#`.
      this.pos = p + 1;
      const run = /^\\+(?=\$!?[a-zA-Z_{])/.exec(src.slice(p + 1, p + 200));
      if (run) {
        addText(`#${run[0]}`);
        this.pos = p + 1 + run[0].length;
        const ref = this.parseReferenceAt(this.pos, 0);
        if (ref) nodes.push({ t: 'ref', ref });
        return null;
      }
      if (!(src[p + 1] === '\\' && this.swallowsPrefix(p + 1))) addText('#');
      return null;
    }
    const afterWord = p + 1 + word.length;
    switch (word.name) {
      case 'end':
      case 'else': {
        this.pos = afterWord;
        this.eatLineEnd();
        return { kind: word.name, start: p, image: src.slice(p, afterWord) };
      }
      case 'elseif':
        this.pos = afterWord;
        return { kind: 'elseif', start: p, image: src.slice(p, afterWord) };
      case 'if':
        this.pos = afterWord;
        nodes.push(this.parseIf(p));
        return null;
      case 'stop':
        this.pos = afterWord;
        nodes.push({ t: 'stop', pos: this.at(p) });
        return null;
    }
    this.pos = afterWord;
    const node = this.parseDirective(word.name, p);
    if (typeof node === 'string') addText(node);
    else if (node) nodes.push(node);
    return null;
  }

  /** After `#end`, `#else` or a directive's `)`: blanks then one newline are part of the directive. */
  private eatLineEnd(): void {
    const src = this.src;
    let j = this.pos;
    while (src[j] === ' ' || src[j] === '\t') j++;
    if (src[j] === '\n') this.pos = j + 1;
    else if (src[j] === '\r') this.pos = src[j + 1] === '\n' ? j + 2 : j + 1;
  }

  private parseIf(start: number): Node {
    const branches: Array<{ cond: Expr | null; body: Node[] }> = [];
    let cond: Expr | null = this.parseCondition();
    for (;;) {
      const { nodes, term } = this.parseBlock();
      branches.push({ cond, body: nodes });
      if (term.kind === 'end') break;
      if (term.kind === 'eof') this.unexpected('<EOF>', term.start);
      if (cond === null) this.unexpected(term.image, term.start); // nothing may follow #else
      cond = term.kind === 'elseif' ? this.parseCondition() : null;
    }
    return { t: 'if', branches, pos: this.at(start) };
  }

  /** `[ws] ( expression )` after #if / #elseif. */
  private parseCondition(): Expr {
    this.skipDirectiveSpace();
    if (this.src[this.pos] !== '(') this.unexpected(this.src[this.pos] ?? '<EOF>', this.pos);
    this.pos++;
    const expr = this.parseExpression();
    this.expectCloseParen();
    return expr;
  }

  private expectCloseParen(): void {
    this.skipDirectiveSpace();
    if (this.src[this.pos] !== ')') {
      const t = this.peekDir();
      this.unexpected(t.text || '<EOF>', t.start);
    }
    this.pos++;
    this.eatLineEnd();
  }

  private parseSet(): Node {
    const src = this.src;
    while (src[this.pos] === ' ' || src[this.pos] === '\t') this.pos++;
    const hashAt = this.pos;
    this.pos += src.startsWith('#{set}', this.pos) ? 6 : 4;
    while (src[this.pos] === ' ') this.pos++;
    this.pos++; // (
    this.skipDirectiveSpace();
    if (src[this.pos] !== '$') {
      const t = this.peekDir();
      this.unexpected(t.text || '<EOF>', t.start);
    }
    const lhs = this.parseReferenceAt(this.pos, 0);
    if (!lhs) this.unexpected(src.slice(this.pos, this.pos + 2), this.pos);
    this.skipDirectiveSpace();
    const eq = this.peekDir();
    if (eq.kind !== 'op' || eq.text !== '=') this.unexpected(eq.text || '<EOF>', eq.start);
    this.pos = eq.end;
    const rhs = this.parseExpression();
    this.expectCloseParen();
    return { t: 'set', lhs, rhs, pos: this.at(hashAt) };
  }

  /**
   * `#name`, `#name(args)` and block directives. Returns text for something that turns out not
   * to be a directive, or null for a macro definition (collected, not rendered).
   */
  private parseDirective(name: string, start: number): Node | string | null {
    const src = this.src;
    const afterName = this.pos;
    const pos = this.at(start);
    let hasParens = false;
    let j = afterName;
    while (j < src.length && ' \t\r\n'.includes(src[j] ?? '')) j++;
    if (src[j] === '(') hasParens = true;
    const args: Expr[] = [];
    if (hasParens) {
      this.pos = j + 1;
      for (;;) {
        this.skipDirectiveSpace();
        if (src[this.pos] === ',') {
          this.pos++;
          this.skipDirectiveSpace();
        }
        if (src[this.pos] === ')') break;
        args.push(this.parseDirectiveArg());
      }
      this.pos++;
      this.eatLineEnd();
    }
    // A bare word is only allowed as #macro's name and as #foreach's `in`.
    const known = BUILTIN_DIRECTIVES.has(name);
    if (name.startsWith('#')) return { t: 'call', name, args, body: null, literal: src.slice(start, this.pos), pos };
    args.forEach((a, i) => {
      if (a.e !== 'word') return;
      if ((name === 'macro' && i === 0) || (name === 'foreach' && i === 1)) return;
      if (known) this.fail(`Invalid arg #${i} in directive #${name}`, start);
      if (this.macroNames.has(name)) this.fail(`Invalid arg #${i} in VM #${name}`, start);
    });
    const literal = src.slice(start, this.pos);
    const requireParens = () => {
      if (!hasParens) this.fail(`#${name}(): arguments expected`, start);
    };
    switch (name.startsWith('#') ? '' : name) {
      case 'macro': {
        if (!hasParens) this.fail('A macro declaration requires at least a name argument', start);
        const [first, ...rest] = args;
        if (!first || first.e !== 'word') this.fail('Invalid first arg in #macro() directive - must be a word token', start);
        const params = rest.map((a) => {
          if (a.e !== 'ref' || a.ref.parts.length > 0) this.fail(`Macro argument "${a.literal}" must be a reference`, start);
          return a.ref.root;
        });
        const { nodes, term } = this.parseBlock();
        if (term.kind !== 'end') this.unexpected(term.image, term.start);
        // Velocity keeps the first definition of a name (inline macros may not replace it).
        if (!this.macroNames.has(first.word)) this.macros.push({ name: first.word, params, body: nodes, pos });
        this.macroNames.add(first.word);
        return null;
      }
      case 'foreach': {
        requireParens();
        const [v, inWord, iterable] = args;
        const body = this.parseEndBlock();
        if (args.length !== 3 || !v || v.e !== 'ref' || !inWord || !iterable) return { t: 'nothing' };
        return { t: 'foreach', varName: v.ref.root, iterable, body, pos };
      }
      case 'define': {
        requireParens();
        const [v] = args;
        if (args.length !== 1 || !v || v.e !== 'ref') this.fail('#define(): argument must be a reference', start);
        return { t: 'define', name: v.ref.root, body: this.parseEndBlock(), pos };
      }
      case 'evaluate': {
        requireParens();
        const [arg] = args;
        if (args.length !== 1 || !arg) this.fail('#evaluate(): argument count must be 1', start);
        return { t: 'evaluate', arg, pos };
      }
      case 'break':
        return { t: 'break', arg: args[0] ?? null, pos };
      case 'literal': {
        // Deprecated in 1.7 but still there: the body is printed unparsed.
        const bodyStart = this.pos;
        const { term } = this.parseBlock();
        if (term.kind !== 'end') this.unexpected(term.image, term.start);
        return src.slice(bodyStart, term.start);
      }
      case 'include':
      case 'parse':
        return { t: 'fail', message: `#${name}: API Gateway templates cannot load other templates`, pos };
    }
    if (name.startsWith('@')) {
      // A block macro call: `#@name(args) body #end`; without parentheses it is just text.
      if (!hasParens) return literal;
      const body = this.parseEndBlock();
      return { t: 'call', name: name.slice(1), args, body, literal: src.slice(start, this.pos), pos };
    }
    // Without parentheses this is a call only if such a macro exists when it runs.
    return { t: 'call', name, args, body: null, literal, pos };
  }

  private parseEndBlock(): Node[] {
    const { nodes, term } = this.parseBlock();
    if (term.kind !== 'end') this.unexpected(term.image, term.start);
    return nodes;
  }

  /** Directive arguments are values, not expressions: references, words, literals, lists, maps, ranges. */
  private parseDirectiveArg(): Expr {
    const t = this.peekDir();
    if (t.kind === 'word') {
      this.pos = t.end;
      return { e: 'word', word: t.text, literal: t.text };
    }
    if (t.kind === 'float') {
      this.pos = t.end;
      return { e: 'const', value: new JavaDouble(Number(t.text)), literal: t.text };
    }
    return this.parseValue(t, 'directive');
  }

  // ---------------------------------------------------------------- references

  /**
   * A reference starting at `$` (offset `dollar`): `$name`, `$!name`, `${name}` with
   * `.property`, `.method(args)` and `[index]` parts. Returns null when no identifier follows.
   */
  private parseReferenceAt(dollar: number, backslashes: number): Ref | null {
    const src = this.src;
    let j = dollar + 1;
    const quiet = src[j] === '!';
    if (quiet) j++;
    let formal = false;
    if (src[j] === '{' && /^\\*\$!?[a-zA-Z_]/.test(src.slice(j + 1, j + 40))) {
      // `${$s}`: Velocity lexes the inner `$s` as the identifier; such a name is never defined,
      // so the reference prints as written (and must be closed by `}`).
      let k = j + 1;
      while (src[k] === '\\') k++;
      const inner = this.parseReferenceAt(k, 0);
      if (!inner || src[this.pos] !== '}') this.unexpected(src[this.pos] ?? '<EOF>', this.pos);
      this.pos++;
      const literal = src.slice(dollar, this.pos);
      return { root: `$${inner.root}`, quiet, formal: true, parts: [], literal, backslashes, pos: this.at(dollar) };
    }
    if (src[j] === '{' && isIdentStart(src[j + 1])) {
      formal = true;
      j++;
    } else if (!isIdentStart(src[j])) {
      return null;
    }
    IDENT.lastIndex = j;
    const root = (IDENT.exec(src) ?? [''])[0];
    if (root === 'true' || root === 'false') this.unexpected(root, j);
    this.pos = j + root.length;
    const parts: Part[] = [];
    for (;;) {
      const c = src[this.pos];
      if (c === '[') {
        parts.push(this.parseIndex());
      } else if (c === '.' && isAlpha(src[this.pos + 1])) {
        const nameAt = this.pos + 1;
        IDENT.lastIndex = nameAt;
        const name = (IDENT.exec(src) ?? [''])[0];
        if (name === 'true' || name === 'false') this.unexpected(name, nameAt);
        this.pos = nameAt + name.length;
        if (src[this.pos] === '(' && this.pos + 1 < src.length) {
          // Velocity looks three tokens ahead: `.name(` followed by the end of the template is a
          // property and text; anything else commits to a method call.
          this.pos++;
          parts.push({ p: 'method', name, args: this.parseMethodArgs(), pos: this.at(nameAt) });
        } else {
          parts.push({ p: 'prop', name, pos: this.at(nameAt) });
        }
      } else {
        break;
      }
    }
    if (formal) {
      if (src[this.pos] !== '}') this.unexpected(src[this.pos] ?? '<EOF>', this.pos);
      this.pos++;
    }
    return { root, quiet, formal, parts, literal: src.slice(dollar, this.pos), backslashes, pos: this.at(dollar) };
  }

  /** `[index]`: a string, integer, boolean or reference. */
  private parseIndex(): Part {
    const open = this.pos;
    this.pos++;
    this.skipDirectiveSpace();
    const t = this.peekDir();
    let arg: Expr;
    if (t.kind === 'str' || t.kind === 'int' || t.kind === 'bool' || t.kind === 'dollar') arg = this.parseValue(t, 'index');
    else if (t.kind === 'eof' || t.kind === 'punct' || t.kind === 'float') this.unexpected(t.text || '<EOF>', t.start);
    else this.lexicalError(t.start);
    this.skipDirectiveSpace();
    if (this.src[this.pos] !== ']') {
      const n = this.peekDir();
      this.unexpected(n.text || '<EOF>', n.start);
    }
    this.pos++;
    return { p: 'index', arg, pos: this.at(open) };
  }

  /** Method arguments: comma-separated values (no operators). The `(` is consumed. */
  private parseMethodArgs(): Expr[] {
    const args: Expr[] = [];
    if (this.src[this.pos] === ')') {
      this.pos++;
      return args;
    }
    for (;;) {
      this.skipDirectiveSpace();
      const t = this.peekDir();
      if (t.kind === 'op' || t.kind === 'hash') this.lexicalError(t.start);
      if (t.kind === 'eof' || (t.kind === 'punct' && (t.text === ')' || t.text === ','))) this.unexpected(t.text || '<EOF>', t.start);
      if (t.kind === 'word') {
        // A bare word is lexed as a reference missing its `$`; Velocity looks up the name
        // minus its first character. It is almost always null.
        this.pos = t.end;
        args.push({
          e: 'ref',
          ref: { root: t.text.slice(1), quiet: false, formal: false, parts: [], literal: t.text, backslashes: 0, pos: this.at(t.start) },
          literal: t.text,
        });
      } else if (t.kind === 'float') {
        this.pos = t.end;
        args.push({ e: 'const', value: new JavaDouble(Number(t.text)), literal: t.text });
      } else {
        args.push(this.parseValue(t, 'method'));
      }
      this.skipDirectiveSpace();
      const c = this.src[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ')') {
        this.pos++;
        return args;
      }
      const n = this.peekDir();
      if (n.kind === 'op' || n.kind === 'hash' || n.kind === 'word') this.lexicalError(n.start);
      this.unexpected(n.text || '<EOF>', n.start);
    }
  }

  // ---------------------------------------------------------------- expressions (inside #if, #set, ...)

  private skipDirectiveSpace(): void {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  /** The next token of Velocity's DIRECTIVE state, without consuming it. */
  private peekDir(): DirToken {
    const src = this.src;
    const p = this.pos;
    if (p >= src.length) return { kind: 'eof', text: '', start: p, end: p };
    const c = src[p] ?? '';
    const tok = (kind: DirToken['kind'], len: number): DirToken => ({ kind, text: src.slice(p, p + len), start: p, end: p + len });
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      let j = p;
      while (j < src.length && ' \t\r\n'.includes(src[j] ?? '')) j++;
      return tok('ws', j - p);
    }
    if (c === '"' || c === "'") {
      const end = this.scanString(p);
      if (end < 0) this.lexicalError(p);
      return tok('str', end - p);
    }
    if (c === '$') return tok('dollar', 1);
    if (c === '#') return tok('hash', 1);
    if (/[0-9.\-]/.test(c)) {
      INTEGER.lastIndex = p;
      const im = INTEGER.exec(src);
      FLOAT.lastIndex = p;
      const fm = FLOAT.exec(src);
      const il = im ? im[0].length : 0;
      const fl = fm ? fm[0].length : 0;
      if (il > 0 && il >= fl) return tok('int', im && im[1] ? il - 2 : il);
      if (fl > 0) return tok('float', fl);
      if (src.startsWith('..', p)) return tok('punct', 2);
      if (c === '-') return tok('op', 1);
      this.lexicalError(p + 1);
    }
    if (/[a-zA-Z_@]/.test(c)) {
      WORD.lastIndex = p;
      const w = (WORD.exec(src) ?? [''])[0];
      if (w === 'true' || w === 'false') return tok('bool', w.length);
      const op = WORD_OPERATORS[w];
      if (op) return { kind: 'op', text: op, start: p, end: p + w.length };
      return tok('word', w.length);
    }
    const two = src.slice(p, p + 2);
    if (['&&', '||', '<=', '>=', '==', '!='].includes(two)) return tok('op', 2);
    if ('<>=!+*/%'.includes(c)) return tok('op', 1);
    if ('[]{}(),:'.includes(c)) return tok('punct', 1);
    this.lexicalError(p);
  }

  /**
   * The end of the string literal starting at `start`, or -1. A doubled quote (`""` inside
   * double quotes, `''` inside single quotes) stands for one quote; a backslash escapes nothing.
   */
  private scanString(start: number): number {
    const src = this.src;
    const q = src[start];
    let i = start + 1;
    while (i < src.length) {
      if (src[i] === q) {
        if (src[i + 1] === q) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return -1;
  }

  private parseExpression(): Expr {
    return this.parseBinary(0);
  }

  private static readonly LEVELS: BinOp[][] = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

  private parseBinary(level: number): Expr {
    const ops = Parser.LEVELS[level];
    if (!ops) return this.parseUnary();
    const start = this.pos;
    let left = this.parseBinary(level + 1);
    for (;;) {
      this.skipDirectiveSpace();
      const t = this.peekDir();
      if (t.kind !== 'op' || !ops.includes(t.text as BinOp)) return left;
      const opPos = this.at(t.start);
      this.pos = t.end;
      const right = this.parseBinary(level + 1);
      left = { e: 'bin', op: t.text as BinOp, l: left, r: right, literal: this.src.slice(start, this.pos).trim(), pos: opPos };
    }
  }

  private parseUnary(): Expr {
    this.skipDirectiveSpace();
    const start = this.pos;
    const t = this.peekDir();
    if (t.kind === 'op' && t.text === '!') {
      this.pos = t.end;
      const x = this.parseUnary();
      return { e: 'not', x, literal: this.src.slice(start, this.pos) };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    this.skipDirectiveSpace();
    const t = this.peekDir();
    if (t.kind === 'punct' && t.text === '(') {
      const start = this.pos;
      this.pos = t.end;
      const x = this.parseExpression();
      this.skipDirectiveSpace();
      if (this.src[this.pos] !== ')') {
        const n = this.peekDir();
        this.unexpected(n.text || '<EOF>', n.start);
      }
      this.pos++;
      return { e: 'group', x, literal: this.src.slice(start, this.pos) };
    }
    if (t.kind === 'float') {
      this.pos = t.end;
      return { e: 'const', value: new JavaDouble(Number(t.text)), literal: t.text };
    }
    if (t.kind === 'hash' || t.kind === 'word' || t.kind === 'op' || t.kind === 'eof' || (t.kind === 'punct' && t.text !== '[' && t.text !== '{')) {
      this.unexpected(t.text || '<EOF>', t.start);
    }
    return this.parseValue(t, 'directive');
  }

  /** A value: string, integer, boolean, reference, list, range or map. */
  private parseValue(t: DirToken, where: 'directive' | 'method' | 'index'): Expr {
    const src = this.src;
    switch (t.kind) {
      case 'str':
        this.pos = t.end;
        return this.stringLiteral(t);
      case 'int':
        this.pos = t.end;
        return { e: 'const', value: javaIntegerFromBigInt(BigInt(t.text)), literal: t.text };
      case 'bool':
        this.pos = t.end;
        return { e: 'const', value: t.text === 'true', literal: t.text };
      case 'dollar': {
        const ref = this.parseReferenceAt(t.start, 0);
        if (!ref) this.unexpected(src.slice(t.start, t.start + 2), t.start);
        return { e: 'ref', ref, literal: ref.literal };
      }
      case 'punct':
        if (t.text === '[' && where !== 'index') return this.parseListOrRange();
        if (t.text === '{' && where !== 'index') return this.parseMap();
        break;
      case 'float':
        this.pos = t.end;
        return { e: 'const', value: new JavaDouble(Number(t.text)), literal: t.text };
    }
    this.unexpected(t.text || '<EOF>', t.start);
  }

  private stringLiteral(t: DirToken): Expr {
    const image = t.text;
    const quote = image[0] ?? '"';
    let value = image.slice(1, -1);
    if (quote === '"') value = value.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    value = value.split(quote + quote).join(quote);
    const pos = this.at(t.start);
    if (quote === '"' && /[$#]/.test(image)) {
      // Velocity parses the contents as a template. It adds a space so that a reference at the
      // very end is complete, and drops it again after rendering (unless there is a ## comment).
      const hasLineComment = value.includes('##');
      const text = hasLineComment ? value : value + ' ';
      const inner = parseTemplate(text, { lineOffset: pos.line - 1, columnOffset: pos.column, macros: this.macros });
      return { e: 'str', value, interpolated: inner.nodes, dropLastChar: !hasLineComment, literal: image, pos };
    }
    return { e: 'str', value, interpolated: null, dropLastChar: false, literal: image, pos };
  }

  /** `[a, b]` or `[1..$n]`. */
  private parseListOrRange(): Expr {
    const src = this.src;
    const start = this.pos;
    this.pos++;
    // A range is `[` (reference | integer) `..` (reference | integer) `]`.
    const save = this.pos;
    this.skipDirectiveSpace();
    const first = this.peekDir();
    if (first.kind === 'int' || first.kind === 'dollar') {
      const from = this.parseValue(first, 'directive');
      this.skipDirectiveSpace();
      if (src.startsWith('..', this.pos)) {
        this.pos += 2;
        this.skipDirectiveSpace();
        const second = this.peekDir();
        if (second.kind !== 'int' && second.kind !== 'dollar') this.unexpected(second.text || '<EOF>', second.start);
        const to = this.parseValue(second, 'directive');
        this.skipDirectiveSpace();
        if (src[this.pos] !== ']') {
          const n = this.peekDir();
          this.unexpected(n.text || '<EOF>', n.start);
        }
        this.pos++;
        return { e: 'range', from, to, literal: src.slice(start, this.pos), pos: this.at(start) };
      }
    }
    this.pos = save;
    const items: Expr[] = [];
    this.skipDirectiveSpace();
    if (src[this.pos] === ']') {
      this.pos++;
      return { e: 'list', items, literal: src.slice(start, this.pos) };
    }
    for (;;) {
      items.push(this.parseParameter());
      const c = src[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return { e: 'list', items, literal: src.slice(start, this.pos) };
      }
      const n = this.peekDir();
      this.unexpected(n.text || '<EOF>', n.start);
    }
  }

  private parseMap(): Expr {
    const src = this.src;
    const start = this.pos;
    this.pos++;
    const entries: Array<[Expr, Expr]> = [];
    this.skipDirectiveSpace();
    if (src[this.pos] === '}') {
      this.pos++;
      return { e: 'map', entries, literal: src.slice(start, this.pos) };
    }
    for (;;) {
      const key = this.parseParameter();
      if (src[this.pos] !== ':') {
        const n = this.peekDir();
        this.unexpected(n.text || '<EOF>', n.start);
      }
      this.pos++;
      const value = this.parseParameter();
      entries.push([key, value]);
      const c = src[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '}') {
        this.pos++;
        return { e: 'map', entries, literal: src.slice(start, this.pos) };
      }
      const n = this.peekDir();
      this.unexpected(n.text || '<EOF>', n.start);
    }
  }

  /** A list element, map key or value: a value with optional whitespace around it. */
  private parseParameter(): Expr {
    this.skipDirectiveSpace();
    const t = this.peekDir();
    const v = this.parseValue(t, 'method');
    this.skipDirectiveSpace();
    return v;
  }
}
