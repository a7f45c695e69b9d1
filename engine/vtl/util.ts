/**
 * `$util`: API Gateway's helpers, with the Java semantics the conformance corpus records.
 * Each takes one String: any other argument type finds no method, so the reference prints
 * literally (in the 'aws' flavor: nothing).
 */
import { JavaException } from './errors';
import { NO_METHOD, type HostObject } from './java-values';
import { parseJsonToJava } from './json';
import type { RenderFlavor } from './render';

const HEX = '0123456789ABCDEF';

/** org.apache.commons.lang.StringEscapeUtils.escapeJavaScript (commons-lang 2.x). */
export function escapeJavaScript(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch > 0x7f) {
      out += `\\u${ch.toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (ch < 32) {
      switch (ch) {
        case 8:
          out += '\\b';
          break;
        case 10:
          out += '\\n';
          break;
        case 9:
          out += '\\t';
          break;
        case 12:
          out += '\\f';
          break;
        case 13:
          out += '\\r';
          break;
        default:
          out += `\\u00${HEX[ch >> 4]}${HEX[ch & 15]}`;
      }
    } else {
      switch (ch) {
        case 0x27:
          out += "\\'";
          break;
        case 0x22:
          out += '\\"';
          break;
        case 0x5c:
          out += '\\\\';
          break;
        case 0x2f:
          out += '\\/';
          break;
        default:
          out += s[i];
      }
    }
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** java.net.URLEncoder.encode(s, "UTF-8"): form encoding, space becomes '+'. */
export function urlEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    if (/[A-Za-z0-9.\-*_]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else for (const b of encoder.encode(ch)) out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/** java.net.URLDecoder.decode(s, "UTF-8"): '+' is a space; a bad %-escape throws. */
export function urlDecode(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '+') {
      out += ' ';
      i++;
    } else if (c === '%') {
      const bytes: number[] = [];
      while (i + 2 < s.length && s[i] === '%') {
        const hex = s.slice(i + 1, i + 3);
        const v = parseInt(hex, 16);
        if (!/^(?:[0-9a-fA-F]{2}|[+-][0-9a-fA-F])$/.test(hex) || Number.isNaN(v)) {
          throw new JavaException('java.lang.IllegalArgumentException', `URLDecoder: Illegal hex characters in escape (%) pattern - For input string: "${hex}"`);
        }
        if (v < 0) throw new JavaException('java.lang.IllegalArgumentException', 'URLDecoder: Illegal hex characters in escape (%) pattern - negative value');
        bytes.push(v);
        i += 3;
      }
      if (i < s.length && s[i] === '%') {
        throw new JavaException('java.lang.IllegalArgumentException', 'URLDecoder: Incomplete trailing escape (%) pattern');
      }
      out += decoder.decode(new Uint8Array(bytes));
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** java.util.Base64.getEncoder() over the UTF-8 bytes. */
export function base64Encode(s: string): string {
  return Buffer.from(encoder.encode(s)).toString('base64');
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** java.util.Base64.getDecoder() (basic alphabet, padding optional), bytes read as UTF-8. */
export function base64Decode(s: string): string {
  const bytes: number[] = [];
  let bits = 0;
  let acc = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === '=') break;
    const v = B64.indexOf(c);
    if (v < 0) {
      throw new JavaException('java.lang.IllegalArgumentException', `Illegal base64 character ${s.charCodeAt(i).toString(16)}`);
    }
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
  }
  if (bits === 6) throw new JavaException('java.lang.IllegalArgumentException', 'Last unit does not have enough valid bits');
  if (i < s.length) {
    // Padding must complete the last unit exactly, and nothing may follow it.
    const pad = s.slice(i);
    const expected = bits === 4 ? '==' : bits === 2 ? '=' : '';
    if (pad !== expected) {
      throw new JavaException('java.lang.IllegalArgumentException', 'Input byte array has wrong 4-byte ending unit');
    }
  }
  return decoder.decode(new Uint8Array(bytes));
}

export class UtilObject implements HostObject {
  readonly javaClass = 'com.amazonaws.apigateway.mapping.Util';
  constructor(private readonly flavor: RenderFlavor) {}

  call(name: string, args: unknown[]): unknown {
    if (args.length !== 1) return NO_METHOD;
    const [s] = args;
    if (typeof s !== 'string' && s !== null) return NO_METHOD;
    switch (name) {
      case 'escapeJavaScript':
        return s === null ? null : escapeJavaScript(s);
      case 'urlEncode':
        return this.orNull(s, urlEncode);
      case 'urlDecode':
        return this.orNull(s, urlDecode);
      case 'base64Encode':
        return this.orNull(s, base64Encode);
      case 'base64Decode':
        return this.orNull(s, base64Decode);
      case 'parseJson':
        return this.orNull(s, (text) => {
          try {
            return parseJsonToJava(text);
          } catch (e) {
            throw new JavaException('com.fasterxml.jackson.core.JsonParseException', (e as Error).message);
          }
        });
    }
    return NO_METHOD;
  }

  /**
   * A null argument: Java's helpers throw NullPointerException. API Gateway evidently does
   * not (a recorded `$util.urlEncode($input.body.missing)` renders as ""), so the 'aws'
   * flavor returns null, which renders as nothing. (?)
   */
  private orNull<T>(s: string | null, fn: (s: string) => T): T | null {
    if (s === null) {
      if (this.flavor === 'aws') return null;
      throw new JavaException('java.lang.NullPointerException', '');
    }
    return fn(s);
  }

  toJavaString(): string {
    return '$util';
  }
}
