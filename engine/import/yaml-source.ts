/**
 * Parse YAML (JSON is YAML too) keeping source positions, so every error can name the line and
 * column of the value it is about.
 */
import { LineCounter, isMap, isNode, isPair, isScalar, isSeq, parseDocument, type Document } from 'yaml';

export type DocPath = readonly (string | number)[];

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface ParsedSource {
  readonly value: unknown;
  readonly syntaxErrors: readonly { readonly message: string; readonly line: number; readonly column: number }[];
  /** Where a value sits; falls back to the closest existing ancestor. */
  locate(path: DocPath): SourcePosition;
  /** Where the key of a mapping entry sits (for "unknown property" errors). */
  locateKey(path: DocPath, key: string): SourcePosition;
}

export function parseYamlSource(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, merge: true });
  // Only the first syntax error is reliable: the parser's later complaints follow from it.
  const syntaxErrors = doc.errors.slice(0, 1).map((e) => ({
    message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
    line: e.linePos?.[0].line ?? 1,
    column: e.linePos?.[0].col ?? 1,
  }));
  let value: unknown;
  try {
    value = syntaxErrors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    syntaxErrors.push({ message: err instanceof Error ? err.message : String(err), line: 1, column: 1 });
  }
  const pos = (offset: number | undefined): SourcePosition => {
    if (offset === undefined) return { line: 1, column: 1 };
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  /** The node at a path (or its closest ancestor), and the key node when it is a mapping entry. */
  const nodeAt = (path: DocPath): { node: unknown; key: unknown } => {
    let node: unknown = doc.contents;
    let best = { node, key: undefined as unknown };
    for (const key of path) {
      let keyNode: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
        node = pair && isPair(pair) ? pair.value : undefined;
        keyNode = pair && isPair(pair) ? pair.key : undefined;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
      } else {
        node = undefined;
      }
      if (node === undefined || node === null) break;
      best = { node, key: keyNode };
    }
    return best;
  };
  return {
    value,
    syntaxErrors,
    // A scalar is pointed at itself; a mapping or list value at the key that introduces it.
    locate: (path) => {
      const { node, key } = nodeAt(path);
      const target = (isMap(node) || isSeq(node)) && isNode(key) ? key : node;
      return pos(isNode(target) ? target.range?.[0] : undefined);
    },
    locateKey: (path, key) => {
      const n = nodeAt(path).node;
      if (isMap(n)) {
        const pair = n.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
        if (pair && isPair(pair) && isNode(pair.key)) return pos(pair.key.range?.[0]);
      }
      return pos(isNode(n) ? n.range?.[0] : undefined);
    },
  };
}

/** `steps[2].expect.status` */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : /^[A-Za-z_$][\w$-]*$/.test(k) ? `.${k}` : `["${k}"]`;
  return out;
}

/** JSON pointer (`/steps/2/expect`) → path segments, numbers for array indices. */
export function pointerToPath(pointer: string, value: unknown): (string | number)[] {
  if (pointer === '') return [];
  const out: (string | number)[] = [];
  let cur: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur) && /^\d+$/.test(key)) {
      out.push(Number(key));
      cur = cur[Number(key)];
    } else {
      out.push(key);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
    }
  }
  return out;
}
