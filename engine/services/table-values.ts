/**
 * DynamoDB attribute values (`{"S": "abc"}`, `{"N": "42"}`, `{"M": {...}}`...) and the
 * conversions the DocumentClient makes between them and plain JSON.
 */

export type AttributeValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly B: string }
  | { readonly BOOL: boolean }
  | { readonly NULL: true }
  | { readonly M: Readonly<Record<string, AttributeValue>> }
  | { readonly L: readonly AttributeValue[] }
  | { readonly SS: readonly string[] }
  | { readonly NS: readonly string[] }
  | { readonly BS: readonly string[] };

export type AttributeMap = Readonly<Record<string, AttributeValue>>;

export type ScalarType = 'S' | 'N' | 'B';

const TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'] as const;
export type AttributeType = (typeof TYPES)[number];

export function typeOf(v: AttributeValue): AttributeType {
  return Object.keys(v)[0] as AttributeType;
}

/** Checks the DynamoDB JSON shape; returns a ValidationException message, or undefined when fine. */
export function checkAttributeValue(v: unknown, where: string): string | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return `${where}: an attribute value must be an object like {"S": "text"}`;
  const keys = Object.keys(v);
  if (keys.length !== 1 || !TYPES.includes(keys[0] as AttributeType)) {
    return `Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes`;
  }
  const t = keys[0] as AttributeType;
  const x = (v as Record<string, unknown>)[t];
  switch (t) {
    case 'S':
    case 'B':
      return typeof x === 'string' ? undefined : `${where}: ${t} must be a string`;
    case 'N':
      return typeof x === 'string' && isNumber(x) ? undefined : `A value provided cannot be converted into a number`;
    case 'BOOL':
      return typeof x === 'boolean' ? undefined : `${where}: BOOL must be true or false`;
    case 'NULL':
      return x === true ? undefined : `One or more parameter values were invalid: Null attribute value types must have the value of true`;
    case 'SS':
    case 'BS':
    case 'NS':
      // DynamoDB's own wording, double space and "An string" included.
      if (!Array.isArray(x) || x.length === 0) return `One or more parameter values were invalid: An ${t === 'NS' ? 'number' : t === 'SS' ? 'string' : 'binary'} set  may not be empty`;
      if (new Set(x).size !== x.length) return `One or more parameter values were invalid: Input collection contains duplicates`;
      return x.every((e) => typeof e === 'string' && (t !== 'NS' || isNumber(e))) ? undefined : `${where}: ${t} must hold strings`;
    case 'M':
      if (!x || typeof x !== 'object' || Array.isArray(x)) return `${where}: M must be an object`;
      for (const [k, e] of Object.entries(x)) {
        const err = checkAttributeValue(e, `${where}.${k}`);
        if (err) return err;
      }
      return undefined;
    case 'L':
      if (!Array.isArray(x)) return `${where}: L must be a list`;
      for (const [i, e] of x.entries()) {
        const err = checkAttributeValue(e, `${where}[${i}]`);
        if (err) return err;
      }
      return undefined;
  }
}

export function isNumber(s: string): boolean {
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s);
}

/** Plain JSON → attribute value, as the DocumentClient marshalls. */
export function marshall(v: unknown): AttributeValue {
  if (v === null || v === undefined) return { NULL: true };
  if (typeof v === 'string') return { S: v };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`Number ${v} cannot be stored in DynamoDB`);
    return { N: String(v) };
  }
  if (typeof v === 'boolean') return { BOOL: v };
  if (Array.isArray(v)) return { L: v.map(marshall) };
  if (typeof v === 'object') return { M: marshallItem(v as Record<string, unknown>) };
  throw new TypeError(`Unsupported type passed: ${typeof v}`);
}

/** Undefined members are dropped, as the DocumentClient does. */
export function marshallItem(item: Record<string, unknown>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(item)) if (v !== undefined) out[k] = marshall(v);
  return out;
}

/** Attribute value → plain JSON, as the DocumentClient unmarshalls (numbers become JS numbers). */
export function unmarshall(v: AttributeValue): unknown {
  if ('S' in v) return v.S;
  if ('N' in v) return Number(v.N);
  if ('B' in v) return v.B;
  if ('BOOL' in v) return v.BOOL;
  if ('NULL' in v) return null;
  if ('M' in v) return unmarshallItem(v.M);
  if ('L' in v) return v.L.map(unmarshall);
  if ('SS' in v) return [...v.SS];
  if ('NS' in v) return v.NS.map(Number);
  return [...v.BS];
}

export function unmarshallItem(item: AttributeMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) out[k] = unmarshall(v);
  return out;
}

/** DynamoDB equality: same type and same value (numbers compare numerically, sets ignore order). */
export function attributeEquals(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  const x = (a as Record<string, unknown>)[ta];
  const y = (b as Record<string, unknown>)[ta];
  switch (ta) {
    case 'N':
      return Number(x) === Number(y);
    case 'NS': {
      const xs = (x as string[]).map(Number).sort();
      const ys = (y as string[]).map(Number).sort();
      return xs.length === ys.length && xs.every((n, i) => n === ys[i]);
    }
    case 'SS':
    case 'BS': {
      const xs = [...(x as string[])].sort();
      const ys = [...(y as string[])].sort();
      return xs.length === ys.length && xs.every((s, i) => s === ys[i]);
    }
    case 'M': {
      const xm = x as AttributeMap;
      const ym = y as AttributeMap;
      const keys = Object.keys(xm);
      return keys.length === Object.keys(ym).length && keys.every((k) => ym[k] !== undefined && attributeEquals(xm[k]!, ym[k]!));
    }
    case 'L': {
      const xl = x as AttributeValue[];
      const yl = y as AttributeValue[];
      return xl.length === yl.length && xl.every((e, i) => attributeEquals(e, yl[i]!));
    }
    default:
      return x === y;
  }
}

/**
 * Ordering for scalar keys and comparisons: numbers numerically, strings and binary by their
 * UTF-8 bytes. Returns undefined when the types differ (such comparisons are false).
 */
export function compareScalars(a: AttributeValue, b: AttributeValue): number | undefined {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return undefined;
  if ('N' in a && 'N' in b) return Number(a.N) - Number(b.N);
  if ('S' in a && 'S' in b) return Buffer.compare(Buffer.from(a.S, 'utf8'), Buffer.from(b.S, 'utf8'));
  if ('B' in a && 'B' in b) return Buffer.compare(Buffer.from(a.B, 'base64'), Buffer.from(b.B, 'base64'));
  return undefined;
}

/** Item size as DynamoDB counts it (attribute names plus values), close enough for the 400 KB limit. */
export function itemSize(item: AttributeMap): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) n += Buffer.byteLength(k, 'utf8') + valueSize(v);
  return n;
}

function valueSize(v: AttributeValue): number {
  if ('S' in v) return Buffer.byteLength(v.S, 'utf8');
  if ('N' in v) return Math.ceil(v.N.replace(/[^0-9]/g, '').length / 2) + 1;
  if ('B' in v) return Buffer.from(v.B, 'base64').length;
  if ('BOOL' in v || 'NULL' in v) return 1;
  if ('M' in v) return 3 + itemSize(v.M);
  if ('L' in v) return 3 + v.L.reduce((n, e) => n + 1 + valueSize(e), 0);
  if ('SS' in v) return v.SS.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0);
  if ('NS' in v) return v.NS.reduce((n, s) => n + Math.ceil(s.length / 2) + 1, 0);
  return v.BS.reduce((n, s) => n + Buffer.from(s, 'base64').length, 0);
}
