/**
 * JSON text to Java values, keeping what JSON.parse loses: `1` is an Integer and `1.0` a
 * Double (Velocity and AWS print them differently), integers beyond 2^53 stay exact, and object
 * keys keep their order even when they look like numbers (JavaScript objects would move "1"
 * first; a Java LinkedHashMap does not).
 */
import { JavaDouble, JavaMap, javaIntegerFromBigInt, markJsonArray } from './java-values';

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

export interface JsonToJavaOptions {
  /** Arrays become json-smart JSONArrays, which print as compact JSON (AWS's $input.path). */
  jsonArrays?: boolean;
}

export function parseJsonToJava(text: string, options: JsonToJavaOptions = {}): unknown {
  const p = new JsonParser(text, options.jsonArrays ?? false);
  p.ws();
  const value = p.value();
  p.ws();
  if (p.i < text.length) p.fail('Unexpected data after the JSON value');
  return value;
}

/**
 * Number-preserving JSON parse (the public helper the REST pipeline uses): objects become
 * LinkedHashMaps (JavaMap), arrays ArrayLists, `1` an Integer (Long/BigInteger when larger),
 * `1.0` a Double (JavaDouble).
 */
export function parseJsonPreservingNumbers(text: string): unknown {
  return parseJsonToJava(text);
}

class JsonParser {
  i = 0;
  constructor(
    private readonly s: string,
    private readonly jsonArrays: boolean,
  ) {}

  fail(message: string): never {
    throw new JsonSyntaxError(`${message} at offset ${this.i}`, this.i);
  }

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  value(): unknown {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    switch (c) {
      case 123 /* { */: {
        this.i++;
        const m = new JavaMap();
        this.ws();
        if (s.charCodeAt(this.i) === 125) {
          this.i++;
          return m;
        }
        for (;;) {
          this.ws();
          if (s.charCodeAt(this.i) !== 34) this.fail('Expected a string key');
          const key = this.string();
          this.ws();
          if (s.charCodeAt(this.i) !== 58) this.fail("Expected ':'");
          this.i++;
          this.ws();
          m.put(key, this.value());
          this.ws();
          const d = s.charCodeAt(this.i++);
          if (d === 125) return m;
          if (d !== 44) {
            this.i--;
            this.fail("Expected ',' or '}'");
          }
        }
      }
      case 91 /* [ */: {
        this.i++;
        const list: unknown[] = [];
        if (this.jsonArrays) markJsonArray(list);
        this.ws();
        if (s.charCodeAt(this.i) === 93) {
          this.i++;
          return list;
        }
        for (;;) {
          this.ws();
          list.push(this.value());
          this.ws();
          const d = s.charCodeAt(this.i++);
          if (d === 93) return list;
          if (d !== 44) {
            this.i--;
            this.fail("Expected ',' or ']'");
          }
        }
      }
      case 34 /* " */:
        return this.string();
      case 116 /* t */:
        return this.literal('true', true);
      case 102 /* f */:
        return this.literal('false', false);
      case 110 /* n */:
        return this.literal('null', null);
      default:
        return this.number();
    }
  }

  private literal(word: string, value: unknown): unknown {
    if (!this.s.startsWith(word, this.i)) this.fail('Unexpected token');
    this.i += word.length;
    return value;
  }

  private string(): string {
    const s = this.s;
    this.i++;
    let out = '';
    let start = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail('Unterminated string');
      const c = s.charCodeAt(this.i);
      if (c === 34) {
        out += s.slice(start, this.i);
        this.i++;
        return out;
      }
      if (c === 92) {
        out += s.slice(start, this.i);
        const e = s[this.i + 1];
        this.i += 2;
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          case 'u': {
            const hex = s.slice(this.i, this.i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Bad \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.i += 4;
            break;
          }
          default:
            this.i -= 1;
            this.fail('Bad escape');
        }
        start = this.i;
        continue;
      }
      if (c < 32) this.fail('Control character in string');
      this.i++;
    }
  }

  private number(): unknown {
    const s = this.s;
    const start = this.i;
    if (s[this.i] === '-') this.i++;
    const digitsStart = this.i;
    while (this.i < s.length && s.charCodeAt(this.i) >= 48 && s.charCodeAt(this.i) <= 57) this.i++;
    if (this.i === digitsStart) this.fail('Unexpected token');
    let isDouble = false;
    if (s[this.i] === '.') {
      isDouble = true;
      this.i++;
      const f = this.i;
      while (this.i < s.length && s.charCodeAt(this.i) >= 48 && s.charCodeAt(this.i) <= 57) this.i++;
      if (this.i === f) this.fail('Bad number');
    }
    if (s[this.i] === 'e' || s[this.i] === 'E') {
      isDouble = true;
      this.i++;
      if (s[this.i] === '+' || s[this.i] === '-') this.i++;
      const e = this.i;
      while (this.i < s.length && s.charCodeAt(this.i) >= 48 && s.charCodeAt(this.i) <= 57) this.i++;
      if (this.i === e) this.fail('Bad number');
    }
    const text = s.slice(start, this.i);
    if (isDouble) return new JavaDouble(Number(text));
    if (text.length < 10) return Number(text);
    return javaIntegerFromBigInt(BigInt(text));
  }
}
