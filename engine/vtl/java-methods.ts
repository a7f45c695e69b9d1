/**
 * Java methods and properties on template values: what `$s.substring(0, 5)`, `$list.size()`
 * and `$map.keySet()` do.
 *
 * Velocity looks a method up by name and argument types. When nothing matches — a String
 * argument where Java wants an int, or a method the class does not have — the call yields
 * null and the whole reference prints as its own source text. `invokeMethod` returns NO_METHOD
 * for that case. Java's own exceptions (an index out of range, a null argument) are thrown as
 * JavaException, which fails the render as Velocity's MethodInvocationException does.
 */
import { JavaException } from './errors';
import { javaMatches, javaReplace, javaSplit } from './java-regex';
import {
  JAVA_ARRAY,
  JavaChar,
  JavaDouble,
  JavaLong,
  JavaMap,
  MapEntry,
  NO_METHOD,
  VOID,
  isHostObject,
  javaClassOf,
  javaEquals,
  javaHashCode,
  javaToString,
  markJavaArray,
  type HostObject,
  type JavaList,
} from './java-values';

/** Largest string a method may build (hostile `repeat` or `replace` calls). */
export const MAX_STRING_LENGTH = 10 * 1024 * 1024;

const isInt = (v: unknown): v is number => typeof v === 'number';
/** A String parameter accepts a String or null (null matches any object parameter in Velocity). */
const isStr = (v: unknown): v is string | null => typeof v === 'string' || v === null;
const isList = (v: unknown): v is JavaList => Array.isArray(v);

function npe(): never {
  throw new JavaException('java.lang.NullPointerException', '');
}

function checkLength(s: string): string {
  if (s.length > MAX_STRING_LENGTH) throw new JavaException('java.lang.OutOfMemoryError', 'string too large for a mapping template');
  return s;
}

function isJavaWhitespace(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c === 0xa0 || c === 0x2007 || c === 0x202f) return false;
  return (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x20) || c === 0x1680 || (c >= 0x2000 && c <= 0x2006) || (c >= 0x2008 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x205f || c === 0x3000;
}

function stringMethod(s: string, name: string, a: unknown[]): unknown {
  const n = a.length;
  const [x, y] = a;
  switch (name) {
    case 'length':
      return n === 0 ? s.length : NO_METHOD;
    case 'isEmpty':
      return n === 0 ? s.length === 0 : NO_METHOD;
    case 'isBlank':
      return n === 0 ? [...s].every(isJavaWhitespace) : NO_METHOD;
    case 'charAt':
      if (n !== 1 || !isInt(x)) return NO_METHOD;
      if (x < 0 || x >= s.length) throw new JavaException('java.lang.StringIndexOutOfBoundsException', `index ${x}, length ${s.length}`);
      return new JavaChar(s[x] ?? '');
    case 'codePointAt':
      if (n !== 1 || !isInt(x)) return NO_METHOD;
      if (x < 0 || x >= s.length) throw new JavaException('java.lang.StringIndexOutOfBoundsException', `index ${x}, length ${s.length}`);
      return s.codePointAt(x);
    case 'substring':
    case 'subSequence': {
      if (n < 1 || n > 2 || !isInt(x) || (n === 2 && !isInt(y))) return NO_METHOD;
      const end = n === 2 ? (y as number) : s.length;
      if (x < 0 || end > s.length || x > end) {
        throw new JavaException('java.lang.StringIndexOutOfBoundsException', `begin ${x}, end ${end}, length ${s.length}`);
      }
      return s.slice(x, end);
    }
    case 'indexOf':
    case 'lastIndexOf': {
      if (n < 1 || n > 2 || (n === 2 && !isInt(y))) return NO_METHOD;
      let needle: string;
      if (isInt(x)) needle = String.fromCodePoint(x);
      else if (x instanceof JavaChar) return NO_METHOD;
      else if (isStr(x)) needle = x ?? npe();
      else return NO_METHOD;
      if (name === 'indexOf') return n === 2 ? s.indexOf(needle, Math.max(0, y as number)) : s.indexOf(needle);
      if (n === 2 && (y as number) < 0) return -1;
      return n === 2 ? s.lastIndexOf(needle, y as number) : s.lastIndexOf(needle);
    }
    case 'contains':
    case 'contentEquals':
      if (n !== 1 || !isStr(x)) return NO_METHOD;
      if (x === null) npe();
      return name === 'contains' ? s.includes(x) : s === x;
    case 'startsWith':
      if (n < 1 || n > 2 || !isStr(x) || (n === 2 && !isInt(y))) return NO_METHOD;
      if (x === null) npe();
      if (n === 2 && ((y as number) < 0 || (y as number) > s.length)) return false;
      return s.startsWith(x, n === 2 ? (y as number) : 0);
    case 'endsWith':
      if (n !== 1 || !isStr(x)) return NO_METHOD;
      if (x === null) npe();
      return s.endsWith(x);
    case 'equals':
      return n === 1 ? s === x : NO_METHOD;
    case 'equalsIgnoreCase':
      if (n !== 1 || !isStr(x)) return NO_METHOD;
      return x !== null && x.length === s.length && x.toUpperCase().toLowerCase() === s.toUpperCase().toLowerCase();
    case 'compareTo':
    case 'compareToIgnoreCase': {
      if (n !== 1 || !isStr(x)) return NO_METHOD;
      if (x === null) npe();
      const l = name === 'compareTo' ? s : s.toUpperCase().toLowerCase();
      const r = name === 'compareTo' ? x : x.toUpperCase().toLowerCase();
      for (let i = 0; i < Math.min(l.length, r.length); i++) {
        if (l.charCodeAt(i) !== r.charCodeAt(i)) return l.charCodeAt(i) - r.charCodeAt(i);
      }
      return l.length - r.length;
    }
    case 'matches':
      if (n !== 1 || !isStr(x)) return NO_METHOD;
      return javaMatches(s, x ?? npe());
    case 'replaceAll':
    case 'replaceFirst':
      if (n !== 2 || !isStr(x) || !isStr(y)) return NO_METHOD;
      if (x === null || y === null) npe();
      return checkLength(javaReplace(s, x, y, name === 'replaceFirst'));
    case 'replace':
      if (n !== 2) return NO_METHOD;
      if (x instanceof JavaChar && y instanceof JavaChar) return s.split(x.value).join(y.value);
      if (!isStr(x) || !isStr(y)) return NO_METHOD;
      if (x === null || y === null) npe();
      if (x === '') {
        if ((s.length + 1) * y.length + s.length > MAX_STRING_LENGTH) checkLength('x'.repeat(MAX_STRING_LENGTH + 1));
        return y + [...s].join(y) + (s.length ? y : '');
      }
      return checkLength(s.split(x).join(y));
    case 'split': {
      if (n < 1 || n > 2 || !isStr(x) || (n === 2 && !isInt(y))) return NO_METHOD;
      return markJavaArray(javaSplit(s, x ?? npe(), n === 2 ? (y as number) : 0));
    }
    case 'toLowerCase':
      return n === 0 ? s.toLowerCase() : NO_METHOD;
    case 'toUpperCase':
      return n === 0 ? s.toUpperCase() : NO_METHOD;
    case 'trim': {
      if (n !== 0) return NO_METHOD;
      // Java's trim() removes characters up to U+0020, not Unicode whitespace.
      let st = 0;
      let end = s.length;
      while (st < end && s.charCodeAt(st) <= 32) st++;
      while (end > st && s.charCodeAt(end - 1) <= 32) end--;
      return s.slice(st, end);
    }
    case 'strip':
    case 'stripLeading':
    case 'stripTrailing': {
      if (n !== 0) return NO_METHOD;
      const chars = [...s];
      let st = 0;
      let end = chars.length;
      if (name !== 'stripTrailing') while (st < end && isJavaWhitespace(chars[st] ?? '')) st++;
      if (name !== 'stripLeading') while (end > st && isJavaWhitespace(chars[end - 1] ?? '')) end--;
      return chars.slice(st, end).join('');
    }
    case 'concat':
      if (n !== 1 || !isStr(x)) return NO_METHOD;
      return checkLength(s + (x ?? npe()));
    case 'repeat':
      if (n !== 1 || !isInt(x)) return NO_METHOD;
      if (x < 0) throw new JavaException('java.lang.IllegalArgumentException', `count is negative: ${x}`);
      if (s.length * x > MAX_STRING_LENGTH) checkLength('x'.repeat(MAX_STRING_LENGTH + 1));
      return s.repeat(x);
    case 'toString':
    case 'intern':
      return n === 0 ? s : NO_METHOD;
    case 'hashCode':
      return n === 0 ? javaHashCode(s) : NO_METHOD;
  }
  return NO_METHOD;
}

/** java.util.Iterator over a list (from iterator()); #foreach can also iterate it. */
export class JavaIterator implements HostObject {
  readonly javaClass = 'java.util.ArrayList$Itr';
  private cursor = 0;
  constructor(private readonly list: JavaList) {}
  remaining(): unknown[] {
    const rest = this.list.slice(this.cursor);
    this.cursor = this.list.length;
    return rest;
  }
  call(name: string, args: unknown[]): unknown {
    if (args.length !== 0) return NO_METHOD;
    if (name === 'hasNext') return this.cursor < this.list.length;
    if (name === 'next') {
      if (this.cursor >= this.list.length) throw new JavaException('java.util.NoSuchElementException', '');
      return this.list[this.cursor++];
    }
    return NO_METHOD;
  }
  toJavaString(): string {
    return `java.util.ArrayList$Itr@${(this.list.length * 2654435761 >>> 0).toString(16)}`;
  }
}

function listMethod(list: JavaList, name: string, a: unknown[]): unknown {
  const n = a.length;
  const [x, y] = a;
  const isArray = Boolean(list[JAVA_ARRAY]);
  const outOfBounds = (i: number, size = list.length) => {
    throw new JavaException('java.lang.IndexOutOfBoundsException', `Index ${i} out of bounds for length ${size}`);
  };
  const fixedSize = () => {
    if (isArray) throw new JavaException('java.lang.UnsupportedOperationException', '');
  };
  switch (name) {
    case 'size':
      return n === 0 ? list.length : NO_METHOD;
    case 'isEmpty':
      return n === 0 ? list.length === 0 : NO_METHOD;
    case 'get':
      if (n !== 1 || !isInt(x)) return NO_METHOD;
      if (x < 0 || x >= list.length) outOfBounds(x);
      return list[x];
    case 'set': {
      if (n !== 2 || !isInt(x)) return NO_METHOD;
      if (x < 0 || x >= list.length) outOfBounds(x);
      const old = list[x];
      list[x] = y;
      return old;
    }
    case 'add':
      if (n === 1) {
        fixedSize();
        list.push(x);
        return true;
      }
      if (n === 2 && isInt(x)) {
        fixedSize();
        if (x < 0 || x > list.length) outOfBounds(x);
        list.splice(x, 0, y);
        return VOID;
      }
      return NO_METHOD;
    case 'addAll':
      if (n === 1 && isList(x)) {
        fixedSize();
        list.push(...x);
        return x.length > 0;
      }
      if (n === 2 && isInt(x) && isList(y)) {
        fixedSize();
        if (x < 0 || x > list.length) outOfBounds(x);
        list.splice(x, 0, ...y);
        return y.length > 0;
      }
      return NO_METHOD;
    case 'remove': {
      if (n !== 1) return NO_METHOD;
      fixedSize();
      // remove(int) is more specific than remove(Object) for an Integer argument.
      if (isInt(x)) {
        if (x < 0 || x >= list.length) outOfBounds(x);
        return list.splice(x, 1)[0];
      }
      const i = list.findIndex((e) => (x === null ? e === null : javaEquals(x, e)));
      if (i < 0) return false;
      list.splice(i, 1);
      return true;
    }
    case 'clear':
      if (n !== 0) return NO_METHOD;
      fixedSize();
      list.length = 0;
      return VOID;
    case 'contains':
    case 'indexOf':
    case 'lastIndexOf': {
      if (n !== 1) return NO_METHOD;
      const eq = (e: unknown) => (x === null ? e === null : javaEquals(x, e));
      if (name === 'contains') return list.some(eq);
      return name === 'indexOf' ? list.findIndex(eq) : list.findLastIndex(eq);
    }
    case 'containsAll':
      if (n !== 1 || !isList(x)) return NO_METHOD;
      return x.every((v) => list.some((e) => (v === null ? e === null : javaEquals(v, e))));
    case 'subList':
      if (n !== 2 || !isInt(x) || !isInt(y)) return NO_METHOD;
      if (x < 0 || y > list.length || x > y) outOfBounds(x < 0 ? x : y);
      return list.slice(x, y);
    case 'toArray':
      return n === 0 ? markJavaArray([...list], 'java.lang.Object') : NO_METHOD;
    case 'iterator':
    case 'listIterator':
      return n === 0 ? new JavaIterator(list) : NO_METHOD;
    case 'equals':
      return n === 1 ? !isArray && javaEquals(list, x) : NO_METHOD;
    case 'hashCode':
      return n === 0 ? javaHashCode(list) : NO_METHOD;
    case 'toString':
      return n === 0 ? javaToString(list) : NO_METHOD;
  }
  return NO_METHOD;
}

function mapMethod(map: JavaMap, name: string, a: unknown[]): unknown {
  const n = a.length;
  const [x, y] = a;
  switch (name) {
    case 'get':
      return n === 1 ? map.get(x) : NO_METHOD;
    case 'getOrDefault':
      return n === 2 ? (map.has(x) ? map.get(x) : y) : NO_METHOD;
    case 'put':
      return n === 2 ? map.put(x, y) : NO_METHOD;
    case 'putIfAbsent': {
      if (n !== 2) return NO_METHOD;
      const old = map.get(x);
      if (old === null) map.put(x, y);
      return old;
    }
    case 'putAll':
      if (n !== 1 || !(x instanceof JavaMap)) return NO_METHOD;
      for (const [k, v] of x.entries()) map.put(k, v);
      return VOID;
    case 'remove':
      return n === 1 ? map.remove(x) : NO_METHOD;
    case 'clear':
      if (n !== 0) return NO_METHOD;
      map.clear();
      return VOID;
    case 'containsKey':
      return n === 1 ? map.has(x) : NO_METHOD;
    case 'containsValue':
      return n === 1 ? map.values().some((v) => (x === null ? v === null : javaEquals(x, v))) : NO_METHOD;
    case 'keySet':
      return n === 0 ? map.keys() : NO_METHOD;
    case 'values':
      return n === 0 ? map.values() : NO_METHOD;
    case 'entrySet':
      return n === 0 ? map.entries().map(([k, v]) => new MapEntry(map, k, v)) : NO_METHOD;
    case 'size':
      return n === 0 ? map.size : NO_METHOD;
    case 'isEmpty':
      return n === 0 ? map.size === 0 : NO_METHOD;
    case 'equals':
      return n === 1 ? javaEquals(map, x) : NO_METHOD;
    case 'hashCode':
      return n === 0 ? javaHashCode(map) : NO_METHOD;
    case 'toString':
      return n === 0 ? map.toJavaString() : NO_METHOD;
  }
  return NO_METHOD;
}

function entryMethod(e: MapEntry, name: string, a: unknown[]): unknown {
  switch (name) {
    case 'getKey':
      return a.length === 0 ? e.key : NO_METHOD;
    case 'getValue':
      return a.length === 0 ? e.value : NO_METHOD;
    case 'setValue': {
      if (a.length !== 1) return NO_METHOD;
      const old = e.value;
      e.value = a[0];
      e.map.put(e.key, a[0]);
      return old;
    }
  }
  return NO_METHOD;
}

function toInt32(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d);
}

function toLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= 9.223372036854776e18) return 9223372036854775807n;
  if (d <= -9.223372036854776e18) return -9223372036854775808n;
  return BigInt(Math.trunc(d));
}

function numberMethod(v: number | JavaDouble | JavaLong, name: string, a: unknown[]): unknown {
  if (a.length !== 0) {
    if (name === 'equals' && a.length === 1) return javaEquals(v, a[0]) || (typeof v === 'number' && v === a[0]);
    if (name === 'compareTo' && a.length === 1) {
      const o = a[0];
      if (o === null) npe();
      const same = typeof v === 'number' ? typeof o === 'number' : v instanceof JavaDouble ? o instanceof JavaDouble : o instanceof JavaLong && !o.big === !(v as JavaLong).big;
      if (!same) return NO_METHOD;
      const l = typeof v === 'number' ? v : v instanceof JavaDouble ? v.value : v.value;
      const r = typeof o === 'number' ? o : o instanceof JavaDouble ? o.value : (o as JavaLong).value;
      return l < r ? -1 : l > r ? 1 : 0;
    }
    return NO_METHOD;
  }
  const asDouble = typeof v === 'number' ? v : v instanceof JavaDouble ? v.value : Number(v.value);
  switch (name) {
    case 'toString':
      return javaToString(v);
    case 'hashCode':
      return javaHashCode(v);
    case 'intValue':
      return v instanceof JavaLong ? Number(BigInt.asIntN(32, v.value)) : toInt32(asDouble);
    case 'longValue':
      return new JavaLong(v instanceof JavaLong ? BigInt.asIntN(64, v.value) : toLong(asDouble));
    case 'doubleValue':
    case 'floatValue':
      return new JavaDouble(name === 'floatValue' ? Math.fround(asDouble) : asDouble);
    case 'shortValue':
      return ((toInt32(asDouble) << 16) >> 16);
    case 'byteValue':
      return ((toInt32(asDouble) << 24) >> 24);
    case 'isNaN':
      return v instanceof JavaDouble ? Number.isNaN(v.value) : NO_METHOD;
    case 'isInfinite':
      return v instanceof JavaDouble ? !Number.isFinite(v.value) && !Number.isNaN(v.value) : NO_METHOD;
  }
  return NO_METHOD;
}

/** java.lang.Class, from `$x.class` / `$x.getClass()`. */
class JavaClassObject implements HostObject {
  readonly javaClass = 'java.lang.Class';
  constructor(private readonly name: string) {}
  call(method: string, args: unknown[]): unknown {
    if (args.length !== 0) return NO_METHOD;
    if (method === 'getName' || method === 'getTypeName') return this.name;
    if (method === 'getSimpleName') return this.name.slice(this.name.lastIndexOf('.') + 1).replace(/;$/, '');
    if (method === 'toString') return this.toJavaString();
    return NO_METHOD;
  }
  toJavaString(): string {
    return `class ${this.name}`;
  }
}

/**
 * Zero-argument methods per class. Velocity 1.7 treats a method without parameters as a match
 * for any arguments, so `$s.trim(1)` calls trim() with one argument and fails with
 * "wrong number of arguments" instead of printing literally.
 */
const ZERO_ARG_METHODS: Record<string, Set<string>> = {
  string: new Set(['length', 'isEmpty', 'isBlank', 'toLowerCase', 'toUpperCase', 'trim', 'strip', 'stripLeading', 'stripTrailing', 'toString', 'intern', 'hashCode', 'toCharArray', 'getBytes', 'chars', 'codePoints', 'lines', 'getClass']),
  list: new Set(['size', 'isEmpty', 'clear', 'hashCode', 'toString', 'iterator', 'listIterator', 'toArray', 'stream', 'getClass', 'trimToSize', 'clone']),
  map: new Set(['size', 'isEmpty', 'clear', 'keySet', 'values', 'entrySet', 'hashCode', 'toString', 'clone', 'getClass']),
  number: new Set(['intValue', 'longValue', 'doubleValue', 'floatValue', 'shortValue', 'byteValue', 'toString', 'hashCode', 'isNaN', 'isInfinite', 'getClass']),
  other: new Set(['toString', 'hashCode', 'getClass', 'booleanValue', 'charValue', 'getKey', 'getValue']),
};

function zeroArgKind(target: unknown): keyof typeof ZERO_ARG_METHODS {
  if (typeof target === 'string') return 'string';
  if (Array.isArray(target)) return 'list';
  if (target instanceof JavaMap) return 'map';
  if (typeof target === 'number' || target instanceof JavaDouble || target instanceof JavaLong) return 'number';
  return 'other';
}

/** Calls `name(args)` on a Java value. Returns NO_METHOD when Velocity would find no method. */
export function invokeMethod(target: unknown, name: string, args: unknown[]): unknown {
  if (name === 'getClass' && args.length === 0 && !isHostObject(target)) return new JavaClassObject(javaClassOf(target));
  const result = invokeKnownMethod(target, name, args);
  if (result === NO_METHOD && args.length > 0 && !isHostObject(target) && ZERO_ARG_METHODS[zeroArgKind(target)]?.has(name)) {
    throw new JavaException('java.lang.IllegalArgumentException', 'wrong number of arguments');
  }
  return result;
}

function invokeKnownMethod(target: unknown, name: string, args: unknown[]): unknown {
  if (typeof target === 'string') return stringMethod(target, name, args);
  if (Array.isArray(target)) return listMethod(target as JavaList, name, args);
  if (target instanceof JavaMap) return mapMethod(target, name, args);
  if (isHostObject(target)) return target.call(name, args);
  if (typeof target === 'number' || target instanceof JavaDouble || target instanceof JavaLong) return numberMethod(target, name, args);
  if (typeof target === 'boolean') {
    if (args.length === 0 && (name === 'toString' || name === 'booleanValue')) return name === 'toString' ? String(target) : target;
    if (args.length === 0 && name === 'hashCode') return javaHashCode(target);
    if (args.length === 1 && name === 'equals') return args[0] === target;
    return NO_METHOD;
  }
  if (target instanceof JavaChar) {
    if (args.length === 0 && (name === 'toString' || name === 'charValue')) return name === 'toString' ? target.value : target;
    if (args.length === 0 && name === 'hashCode') return javaHashCode(target);
    if (args.length === 1 && name === 'equals') return javaEquals(target, args[0]);
    return NO_METHOD;
  }
  if (target instanceof MapEntry) {
    const r = entryMethod(target, name, args);
    if (r !== NO_METHOD) return r;
  }
  if (args.length === 0 && name === 'toString') return javaToString(target);
  if (args.length === 0 && name === 'hashCode') return javaHashCode(target);
  if (args.length === 1 && name === 'equals') return javaEquals(target, args[0]);
  return NO_METHOD;
}

/**
 * `$obj.name` without parentheses, in Velocity's order: a Map's get("name"); otherwise
 * getName() (or getname()), then get("name"), then isName() for booleans.
 */
export function getProperty(target: unknown, name: string): unknown {
  if (target instanceof JavaMap) return name === 'class' ? invokeMethod(target, 'getClass', []) : target.get(name);
  if (isHostObject(target) && target.getProperty) {
    const v = target.getProperty(name);
    if (v !== NO_METHOD) return v;
  }
  const first = name.charAt(0);
  const flipped = (first === first.toUpperCase() ? first.toLowerCase() : first.toUpperCase()) + name.slice(1);
  for (const getter of [`get${name}`, `get${flipped}`]) {
    const v = invokeMethod(target, getter, []);
    if (v !== NO_METHOD) return v;
  }
  const viaGet = invokeMethod(target, 'get', [name]);
  if (viaGet !== NO_METHOD) return viaGet;
  for (const getter of [`is${name}`, `is${flipped}`]) {
    const v = invokeMethod(target, getter, []);
    if (v !== NO_METHOD && typeof v === 'boolean') return v;
  }
  return NO_METHOD;
}
