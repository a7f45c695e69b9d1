/**
 * The syntax tree of a parsed template. Positions are 1-based line and column, as Velocity
 * reports them.
 */
export interface Pos {
  line: number;
  column: number;
}

export type Node =
  | { t: 'text'; text: string }
  | { t: 'ref'; ref: Ref }
  | { t: 'set'; lhs: Ref; rhs: Expr; pos: Pos }
  | { t: 'if'; branches: Array<{ cond: Expr | null; body: Node[] }>; pos: Pos }
  | { t: 'foreach'; varName: string; iterable: Expr; body: Node[]; pos: Pos }
  /** A #foreach whose arguments Velocity cannot use: it renders nothing. */
  | { t: 'nothing' }
  /** `#name(...)`: a macro call, resolved when rendered (it may be defined later in the template). */
  | { t: 'call'; name: string; args: Expr[]; body: Node[] | null; literal: string; pos: Pos }
  | { t: 'define'; name: string; body: Node[]; pos: Pos }
  | { t: 'evaluate'; arg: Expr; pos: Pos }
  | { t: 'break'; arg: Expr | null; pos: Pos }
  | { t: 'stop'; pos: Pos }
  /** A directive that cannot work here (#include, #parse: there are no template files). */
  | { t: 'fail'; message: string; pos: Pos };

export type Expr =
  | { e: 'ref'; ref: Ref; literal: string }
  | { e: 'str'; value: string; interpolated: Node[] | null; dropLastChar: boolean; literal: string; pos: Pos }
  | { e: 'const'; value: unknown; literal: string }
  | { e: 'word'; word: string; literal: string }
  | { e: 'list'; items: Expr[]; literal: string }
  | { e: 'map'; entries: Array<[Expr, Expr]>; literal: string }
  | { e: 'range'; from: Expr; to: Expr; literal: string; pos: Pos }
  | { e: 'bin'; op: BinOp; l: Expr; r: Expr; literal: string; pos: Pos }
  | { e: 'not'; x: Expr; literal: string }
  | { e: 'group'; x: Expr; literal: string };

export type BinOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export interface Ref {
  /** The variable name: `input` in `$input.json('$')`. */
  root: string;
  /** `$!name`: renders nothing instead of its own text when null. */
  quiet: boolean;
  /** `${name}`. */
  formal: boolean;
  parts: Part[];
  /** The reference's source text from `$` to its end, printed when its value is null. */
  literal: string;
  /** Backslashes before the `$`: an odd count escapes the reference. */
  backslashes: number;
  pos: Pos;
}

export type Part =
  | { p: 'prop'; name: string; pos: Pos }
  | { p: 'method'; name: string; args: Expr[]; pos: Pos }
  | { p: 'index'; arg: Expr; pos: Pos };

export interface MacroDef {
  name: string;
  params: string[];
  body: Node[];
  pos: Pos;
}

export interface Template {
  nodes: Node[];
  macros: MacroDef[];
}
