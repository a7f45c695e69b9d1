/**
 * The Java value model that templates see.
 *
 * Velocity templates run against Java objects, and many visible behaviours follow from Java
 * types: `1.0` prints as `1.0` because it is a Double, `7 / 2` is 3 because both sides are
 * Integers, `$map` prints `{a=1}` because that is LinkedHashMap.toString(). So values keep
 * their Java type here:
 *
 *   Java                        JavaScript representation
 *   null                        null      (undefined = "not in the context at all")
 *   String                      string
 *   Boolean                     boolean
 *   Integer                     number    (always an integer within int32)
 *   Long / BigInteger           JavaLong  (bigint)
 *   Double                      JavaDouble
 *   Character                   JavaChar  (from String.charAt)
 *   ArrayList                   Array     (JSON_ARRAY marks json-smart's JSONArray, JAVA_ARRAY a String[])
 *   LinkedHashMap               JavaMap
 *   Map.Entry                   MapEntry
 *   anything else               a HostObject (e.g. $util, $input, $foreach)
 */
import { formatDouble } from './java-number-format';

export class JavaDouble {
  constructor(readonly value: number) {}
}

export class JavaLong {
  /** `big` marks a java.math.BigInteger rather than a Long. */
  constructor(readonly value: bigint, readonly big = false) {}
}

export class JavaChar {
  constructor(readonly value: string) {}
}

/** Marks an array that is a json-smart JSONArray: AWS's $input.path lists print as compact JSON. */
export const JSON_ARRAY = Symbol('JSONArray');
/** Marks an array that is a Java array (String[] from split()): it has no List methods of its own. */
export const JAVA_ARRAY = Symbol('JavaArray');

export type JavaList = unknown[] & { [JSON_ARRAY]?: boolean; [JAVA_ARRAY]?: string };

export function markJsonArray<T extends unknown[]>(list: T): T {
  (list as JavaList)[JSON_ARRAY] = true;
  return list;
}

export function markJavaArray<T extends unknown[]>(list: T, elementClass = 'java.lang.String'): T {
  (list as JavaList)[JAVA_ARRAY] = elementClass;
  return list;
}

/**
 * A host object: something with Java methods that is not one of the plain value types.
 * `call` returns NO_METHOD when no method of that name accepts the arguments, which makes the
 * reference render literally, as Velocity does.
 */
export interface HostObject {
  readonly javaClass: string;
  call(name: string, args: unknown[]): unknown;
  /** Property access `$obj.name`; return NO_METHOD to fall back to getName()/isName(). */
  getProperty?(name: string): unknown;
  toJavaString(): string | null;
}

export const NO_METHOD: unique symbol = Symbol('no such method');
/** Returned by void methods: Velocity renders a void call as the empty string. */
export const VOID: unique symbol = Symbol('void');

export function isHostObject(v: unknown): v is HostObject {
  return typeof v === 'object' && v !== null && typeof (v as HostObject).call === 'function' && 'javaClass' in v;
}

type MapKey = unknown;

/** java.util.LinkedHashMap: insertion order, Java key equality. */
export class JavaMap {
  private readonly store = new Map<unknown, [MapKey, unknown]>();

  static of(entries: Iterable<[MapKey, unknown]>): JavaMap {
    const m = new JavaMap();
    for (const [k, v] of entries) m.put(k, v);
    return m;
  }

  get size(): number {
    return this.store.size;
  }
  has(key: MapKey): boolean {
    return this.store.has(hashKey(key));
  }
  get(key: MapKey): unknown {
    const e = this.store.get(hashKey(key));
    return e === undefined ? null : e[1];
  }
  /** Returns the previous value, or null. Like Java, an existing key keeps its position. */
  put(key: MapKey, value: unknown): unknown {
    const h = hashKey(key);
    const e = this.store.get(h);
    if (e) {
      const old = e[1];
      e[1] = value;
      return old;
    }
    this.store.set(h, [key, value]);
    return null;
  }
  remove(key: MapKey): unknown {
    const h = hashKey(key);
    const e = this.store.get(h);
    if (!e) return null;
    this.store.delete(h);
    return e[1];
  }
  clear(): void {
    this.store.clear();
  }
  keys(): MapKey[] {
    return [...this.store.values()].map((e) => e[0]);
  }
  values(): unknown[] {
    return [...this.store.values()].map((e) => e[1]);
  }
  entries(): [MapKey, unknown][] {
    return [...this.store.values()].map((e) => [e[0], e[1]] as [MapKey, unknown]);
  }
  /** The string a Java Map prints as. Subclasses may differ (AWS's $context maps). */
  toJavaString(): string {
    const parts: string[] = [];
    for (const [k, v] of this.store.values()) {
      parts.push(`${k === this ? '(this Map)' : javaToString(k)}=${v === this ? '(this Map)' : javaToString(v)}`);
    }
    return `{${parts.join(', ')}}`;
  }
}

/** Map.Entry from entrySet(): setValue writes through to the map. */
export class MapEntry {
  constructor(
    readonly map: JavaMap,
    readonly key: unknown,
    public value: unknown,
  ) {}
}

/** Keys are compared with Java equals(): strings, Integers and Booleans by value, boxed numbers by type and value. */
function hashKey(key: MapKey): unknown {
  if (key === null || typeof key !== 'object') return key;
  if (key instanceof JavaDouble) return `\u0000D${Object.is(key.value, -0) ? '-0' : key.value}`;
  if (key instanceof JavaLong) return `\u0000${key.big ? 'B' : 'L'}${key.value}`;
  if (key instanceof JavaChar) return `\u0000C${key.value}`;
  return key;
}

export function isJavaInteger(v: unknown): v is number {
  return typeof v === 'number';
}

export function isJavaNumber(v: unknown): v is number | JavaDouble | JavaLong {
  return typeof v === 'number' || v instanceof JavaDouble || v instanceof JavaLong;
}

export function isJavaList(v: unknown): v is JavaList {
  return Array.isArray(v);
}

/** The Java class name Velocity would report, used in messages and for "same class" equality. */
export function javaClassOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return 'java.lang.String';
    case 'number':
      return 'java.lang.Integer';
    case 'boolean':
      return 'java.lang.Boolean';
  }
  if (v instanceof JavaDouble) return 'java.lang.Double';
  if (v instanceof JavaLong) return v.big ? 'java.math.BigInteger' : 'java.lang.Long';
  if (v instanceof JavaChar) return 'java.lang.Character';
  if (Array.isArray(v)) {
    const a = v as JavaList;
    if (a[JAVA_ARRAY]) return `[L${a[JAVA_ARRAY]};`;
    return a[JSON_ARRAY] ? 'net.minidev.json.JSONArray' : 'java.util.ArrayList';
  }
  if (v instanceof JavaMap) return 'java.util.LinkedHashMap';
  if (v instanceof MapEntry) return 'java.util.LinkedHashMap$Entry';
  if (isHostObject(v)) return v.javaClass;
  return 'java.lang.Object';
}

/** String.valueOf(v): what Velocity prints for a non-null reference, and what "$v" interpolates. */
export function javaToString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
  }
  if (v instanceof JavaDouble) return formatDouble(v.value);
  if (v instanceof JavaLong) return v.value.toString();
  if (v instanceof JavaChar) return v.value;
  if (Array.isArray(v)) return listToString(v as JavaList);
  if (v instanceof JavaMap) return v.toJavaString();
  if (v instanceof MapEntry) return `${javaToString(v.key)}=${javaToString(v.value)}`;
  if (isHostObject(v)) return v.toJavaString() ?? 'null';
  return String(v);
}

/** Like javaToString, but a host object whose toString() returns null stays null. */
export function javaToStringOrNull(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (isHostObject(v)) return v.toJavaString();
  return javaToString(v);
}

function listToString(list: JavaList): string {
  if (list[JSON_ARRAY]) return toJsonText(list);
  if (list[JAVA_ARRAY]) {
    // A Java array prints its type and identity hash; the hash is arbitrary, so keep it stable.
    return `[L${list[JAVA_ARRAY]};@${stableHash(list)}`;
  }
  return `[${list.map((e) => (e === list ? '(this Collection)' : javaToString(e))).join(', ')}]`;
}

function stableHash(list: JavaList): string {
  let h = 0x1b6d3586;
  for (const e of list) {
    const s = javaToString(e);
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  }
  return (h >>> 0).toString(16);
}

/**
 * Compact JSON as json-smart writes it (JSONValue.toJSONString with the default NO_COMPRESS
 * style): AWS's $input.json output and the way $input.path lists print.
 */
export function toJsonText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return quoteJsonSmart(v);
    case 'number':
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
  }
  if (v instanceof JavaDouble) return Number.isFinite(v.value) ? formatDouble(v.value) : 'null';
  if (v instanceof JavaLong) return v.value.toString();
  if (Array.isArray(v)) return `[${v.map((e) => toJsonText(e)).join(',')}]`;
  if (v instanceof JavaMap) {
    return `{${v
      .entries()
      .map(([k, val]) => `${quoteJsonSmart(javaToString(k))}:${toJsonText(val)}`)
      .join(',')}}`;
  }
  return quoteJsonSmart(javaToString(v));
}

const HEX = '0123456789ABCDEF';

/** json-smart's "protect for web" escaping: also escapes '/' and a few invisible ranges. (?) */
export function quoteJsonSmart(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    switch (ch) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += '\\\\';
        continue;
      case 0x08:
        out += '\\b';
        continue;
      case 0x0c:
        out += '\\f';
        continue;
      case 0x0a:
        out += '\\n';
        continue;
      case 0x0d:
        out += '\\r';
        continue;
      case 0x09:
        out += '\\t';
        continue;
      case 0x2f:
        out += '\\/';
        continue;
    }
    if (ch <= 0x1f || (ch >= 0x7f && ch <= 0x9f) || (ch >= 0x2000 && ch <= 0x20ff)) {
      out += `\\u${HEX[(ch >> 12) & 15]}${HEX[(ch >> 8) & 15]}${HEX[(ch >> 4) & 15]}${HEX[ch & 15]}`;
    } else {
      out += s[i];
    }
  }
  return out + '"';
}

/** Object.equals() between two Java values (used by List.contains, Map keys, ==, ...). */
export function javaEquals(a: unknown, b: unknown): boolean {
  if (a === b) return a !== undefined || b !== undefined;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof JavaDouble) return b instanceof JavaDouble && Object.is(a.value, b.value);
  if (a instanceof JavaLong) return b instanceof JavaLong && a.big === b.big && a.value === b.value;
  if (a instanceof JavaChar) return b instanceof JavaChar && a.value === b.value;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || (a as JavaList)[JAVA_ARRAY] || (b as JavaList)[JAVA_ARRAY]) return false;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!javaEquals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof JavaMap) {
    if (!(b instanceof JavaMap) || a.size !== b.size) return false;
    for (const [k, v] of a.entries()) {
      if (!b.has(k)) return false;
      const bv = b.get(k);
      if (v === null ? bv !== null : !javaEquals(v, bv)) return false;
    }
    return true;
  }
  if (a instanceof MapEntry) return b instanceof MapEntry && javaEquals(a.key, b.key) && javaEquals(a.value, b.value);
  return false;
}

/** Object.hashCode(), for the values where templates can observe it. */
export function javaHashCode(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'string') {
    let h = 0;
    for (let i = 0; i < v.length; i++) h = (Math.imul(h, 31) + v.charCodeAt(i)) | 0;
    return h;
  }
  if (typeof v === 'number') return v | 0;
  if (typeof v === 'boolean') return v ? 1231 : 1237;
  if (v instanceof JavaLong) return Number(BigInt.asIntN(32, v.value ^ (v.value >> 32n)));
  if (v instanceof JavaDouble) {
    const buf = new DataView(new ArrayBuffer(8));
    buf.setFloat64(0, Number.isNaN(v.value) ? NaN : v.value);
    return (buf.getInt32(0) ^ buf.getInt32(4)) | 0;
  }
  if (v instanceof JavaChar) return v.value.charCodeAt(0);
  if (Array.isArray(v)) {
    let h = 1;
    for (const e of v) h = (Math.imul(h, 31) + javaHashCode(e)) | 0;
    return h;
  }
  if (v instanceof JavaMap) {
    let h = 0;
    for (const [k, val] of v.entries()) h = (h + (javaHashCode(k) ^ javaHashCode(val))) | 0;
    return h;
  }
  if (v instanceof MapEntry) return javaHashCode(v.key) ^ javaHashCode(v.value);
  return 0;
}

/** A JavaScript number as the Java number a JSON parser would produce for it. */
export function javaNumberFromJs(n: number): number | JavaDouble | JavaLong {
  if (Number.isInteger(n) && !Object.is(n, -0)) {
    if (n >= -2147483648 && n <= 2147483647) return n;
    if (Number.isSafeInteger(n)) return new JavaLong(BigInt(n));
  }
  return new JavaDouble(n);
}

/** A bigint as Integer, Long or BigInteger, whichever is the narrowest that holds it. */
export function javaIntegerFromBigInt(n: bigint): number | JavaLong {
  if (n >= -2147483648n && n <= 2147483647n) return Number(n);
  if (n >= -9223372036854775808n && n <= 9223372036854775807n) return new JavaLong(n);
  return new JavaLong(n, true);
}

/**
 * Converts plain JavaScript data (the `variables` a caller passes) into Java values. Objects
 * become LinkedHashMaps in their key order, arrays ArrayLists; Java values pass through.
 */
export function fromPlain(v: unknown): unknown {
  if (v === undefined) return null;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return javaNumberFromJs(v);
  if (typeof v === 'bigint') return javaIntegerFromBigInt(v);
  if (Array.isArray(v)) {
    if ((v as JavaList)[JSON_ARRAY] || (v as JavaList)[JAVA_ARRAY]) return v;
    return v.map(fromPlain);
  }
  if (v instanceof JavaMap || v instanceof JavaDouble || v instanceof JavaLong || v instanceof JavaChar || v instanceof MapEntry) return v;
  if (isHostObject(v)) return v;
  if (typeof v === 'object') {
    const m = new JavaMap();
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) m.put(k, fromPlain(val));
    return m;
  }
  return String(v);
}

/** Converts a Java value back to plain JavaScript (for traces and overrides). Doubles and Longs become numbers. */
export function toPlain(v: unknown): unknown {
  if (v === null || v === undefined || typeof v !== 'object') return v;
  if (v instanceof JavaDouble) return v.value;
  if (v instanceof JavaLong) return Number.isSafeInteger(Number(v.value)) ? Number(v.value) : v.value.toString();
  if (v instanceof JavaChar) return v.value;
  if (Array.isArray(v)) return v.map(toPlain);
  if (v instanceof JavaMap) {
    const o: Record<string, unknown> = {};
    for (const [k, val] of v.entries()) o[javaToString(k)] = toPlain(val);
    return o;
  }
  if (v instanceof MapEntry) return { key: toPlain(v.key), value: toPlain(v.value) };
  return javaToString(v);
}
