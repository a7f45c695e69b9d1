/**
 * java.util.regex on top of JavaScript RegExp, for String.replaceAll / replaceFirst / matches /
 * split. Java and JavaScript regexes agree on most syntax; this translates what differs:
 * `\Q..\E`, `\A` `\z` `\Z`, `\h` `\v` `\R`, Java's ASCII-only `\s`, POSIX `\p{Alpha}` classes,
 * `$` (Java's `$` also matches before a final line break), inline flags `(?i)`, possessive
 * quantifiers and atomic groups (approximated by their greedy forms (?)), and the escapes of
 * punctuation that Java allows anywhere. Java's replacement syntax (`$1`, `${name}`, `\$`) and
 * its split() rules are implemented here too, with Java's exceptions.
 */
import { JavaException } from './errors';
import { guardedMatches, mayBacktrackBadly } from './regex-guard';

const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
  javaLowerCase: '\\p{Ll}',
  javaUpperCase: '\\p{Lu}',
  javaWhitespace: ' \\t\\n\\x0B\\f\\r\\x1C-\\x1F\\u1680\\u2000-\\u2006\\u2008-\\u200A\\u2028\\u2029\\u205F\\u3000',
  javaLetter: '\\p{L}',
  javaDigit: '\\p{Nd}',
  javaLetterOrDigit: '\\p{L}\\p{Nd}',
};

const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';
const LINE_TERMINATORS = '\\n\\r\\u0085\\u2028\\u2029';
const SYNTAX_CHARS = '^$\\.*+?()[]{}|/';

function patternError(message: string, pattern: string, index: number): never {
  throw new JavaException('java.util.regex.PatternSyntaxException', `${message} near index ${index}\n${pattern}`);
}

function escapeLiteral(ch: string): string {
  return SYNTAX_CHARS.includes(ch) || ch === '-' ? `\\${ch}` : ch;
}

interface Translated {
  source: string;
  flags: string;
  groupCount: number;
  groupNames: Set<string>;
}

function translate(pattern: string): Translated {
  const flags = new Set<string>(['u']);
  let out = '';
  let inClass = false;
  let groupCount = 0;
  const groupNames = new Set<string>();
  let extended = false;
  const p = pattern;
  for (let i = 0; i < p.length; i++) {
    const c = p[i] ?? '';
    if (extended && !inClass) {
      if (/\s/.test(c)) continue;
      if (c === '#') {
        while (i < p.length && p[i] !== '\n') i++;
        continue;
      }
    }
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) patternError('Unexpected internal error', p, i + 1);
      i++;
      switch (n) {
        case 'Q': {
          const end = p.indexOf('\\E', i + 1);
          const lit = end < 0 ? p.slice(i + 1) : p.slice(i + 1, end);
          out += [...lit].map(escapeLiteral).join('');
          i = end < 0 ? p.length : end + 1;
          continue;
        }
        case 'E':
          continue;
        case 'A':
          out += '(?<![\\s\\S])';
          continue;
        case 'z':
          out += '(?![\\s\\S])';
          continue;
        case 'Z':
          out += `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?(?![\\s\\S]))`;
          continue;
        case 'G':
          continue;
        case 'h':
          out += inClass ? ' \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000' : '[ \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]';
          continue;
        case 'H':
          out += '[^ \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]';
          continue;
        case 'v':
          out += inClass ? '\\n\\x0B\\f\\r\\x85\\u2028\\u2029' : '[\\n\\x0B\\f\\r\\x85\\u2028\\u2029]';
          continue;
        case 'V':
          out += '[^\\n\\x0B\\f\\r\\x85\\u2028\\u2029]';
          continue;
        case 'R':
          out += '(?:\\r\\n|[\\n\\x0B\\f\\r\\x85\\u2028\\u2029])';
          continue;
        case 's':
          out += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
          continue;
        case 'S':
          out += inClass ? '\\S' : `[^${JAVA_SPACE}]`;
          continue;
        case 'e':
          out += '\\x1B';
          continue;
        case 'a':
          out += '\\x07';
          continue;
        case '0': {
          const m = /^[0-3]?[0-7]{1,2}/.exec(p.slice(i + 1)) ?? /^[0-7]/.exec(p.slice(i + 1));
          if (!m) patternError('Illegal octal escape sequence', p, i);
          out += `\\u{${parseInt(m[0], 8).toString(16)}}`;
          i += m[0].length;
          continue;
        }
        case 'x': {
          if (p[i + 1] === '{') {
            const end = p.indexOf('}', i + 2);
            if (end < 0) patternError('Unclosed hexadecimal escape sequence', p, i);
            out += `\\u{${p.slice(i + 2, end)}}`;
            i = end;
          } else {
            out += `\\x${p.slice(i + 1, i + 3)}`;
            i += 2;
          }
          continue;
        }
        case 'p':
        case 'P': {
          let name: string;
          if (p[i + 1] === '{') {
            const end = p.indexOf('}', i + 2);
            if (end < 0) patternError('Unclosed character family', p, i);
            name = p.slice(i + 2, end);
            i = end;
          } else {
            name = p[i + 1] ?? '';
            i++;
          }
          const negate = n === 'P';
          const posix = POSIX[name.replace(/^Is/, '')];
          if (posix !== undefined) {
            if (inClass && !negate) out += posix;
            else out += `[${negate ? '^' : ''}${posix}]`;
          } else {
            let prop = name.replace(/^Is/, '');
            if (/^In/.test(prop)) prop = `Script=${prop.slice(2)}`; // Unicode blocks: scripts are the nearest JS has (?)
            if (/^(Latin|Greek|Cyrillic|Han|Arabic|Hebrew)$/.test(prop)) prop = `Script=${prop}`;
            out += `\\${negate ? 'P' : 'p'}{${prop}}`;
          }
          continue;
        }
        default:
          if (/[1-9]/.test(n)) {
            out += `\\${n}`;
            continue;
          }
          if ('bBdDwWtnrfck'.includes(n) || n === 'u') {
            out += `\\${n}`;
            continue;
          }
          if (/[a-zA-Z]/.test(n)) patternError('Illegal/unsupported escape sequence', p, i);
          out += escapeLiteral(n);
          continue;
      }
    }
    if (inClass) {
      if (c === ']') inClass = false;
      if (c === '[') {
        out += '\\[';
        continue;
      }
      if (c === '&' && p[i + 1] === '&') patternError('Character class intersection is not supported', p, i);
      out += c === '/' ? '\\/' : c === '{' || c === '}' || c === '(' || c === ')' || c === '|' ? `\\${c}` : c;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += '[';
        if (p[i + 1] === '^') {
          out += '^';
          i++;
        }
        if (p[i + 1] === ']') {
          out += '\\]';
          i++;
        }
        continue;
      case ']':
      case '}':
      case '/':
        out += `\\${c}`;
        continue;
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
        if (!m) patternError('Illegal repetition', p, i);
        out += m[0];
        i += m[0].length - 1;
        if (p[i + 1] === '+') i++; // possessive: approximated as greedy (?)
        continue;
      }
      case '*':
      case '+':
      case '?':
        out += c;
        if (p[i + 1] === '+') i++; // possessive: approximated as greedy (?)
        continue;
      case '$':
        out += flags.has('m') ? '$' : `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?(?![\\s\\S]))`;
        continue;
      case '(':
        if (p[i + 1] === '?') {
          const rest = p.slice(i + 2);
          const flagGroup = /^([idmsuxU]*)(?:-([idmsuxU]*))?([):])/.exec(rest);
          if (flagGroup && (flagGroup[1] || flagGroup[2] !== undefined)) {
            // Inline flags apply to the whole pattern here (JavaScript has no scoped flags) (?).
            for (const f of flagGroup[1] ?? '') {
              if (f === 'i') flags.add('i');
              if (f === 's') flags.add('s');
              if (f === 'm') flags.add('m');
              if (f === 'x') extended = true;
            }
            i += 1 + flagGroup[0].length;
            if (flagGroup[3] === ':') out += '(?:';
            continue;
          }
          if (rest.startsWith('>')) {
            out += '(?:'; // atomic group: approximated as a plain group (?)
            i += 2;
            continue;
          }
          if (rest.startsWith('<') && !rest.startsWith('<=') && !rest.startsWith('<!')) {
            const name = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(rest);
            if (!name) patternError('named capturing group is missing trailing \'>\'', p, i);
            groupCount++;
            groupNames.add(name[1] ?? '');
          }
          out += '(';
          continue;
        }
        groupCount++;
        out += '(';
        continue;
      default:
        out += c;
    }
  }
  if (inClass) patternError('Unclosed character class', p, p.length - 1);
  return { source: out, flags: [...flags].join(''), groupCount, groupNames };
}

interface CompiledRegex extends Translated {
  find: RegExp;
  whole: RegExp;
  /** Nested quantifiers: long inputs run in the guarded worker. */
  risky: boolean;
}

/** Inputs shorter than this cannot backtrack long enough to matter. */
const GUARD_MIN_INPUT = 24;

const cache = new Map<string, CompiledRegex>();

export function compileJavaRegex(pattern: string): CompiledRegex {
  let compiled = cache.get(pattern);
  if (compiled) return compiled;
  const t = translate(pattern);
  try {
    compiled = {
      ...t,
      find: new RegExp(t.source, `${t.flags}g`),
      whole: new RegExp(`(?<![\\s\\S])(?:${t.source})(?![\\s\\S])`, t.flags),
      risky: mayBacktrackBadly(t.source),
    };
  } catch (e) {
    patternError((e as Error).message.replace(/^Invalid regular expression: /, ''), pattern, 0);
  }
  if (cache.size > 500) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

type Match = { index: number; 0: string; groups?: Record<string, string | undefined>; [group: number]: string | undefined };

/** The matches of `re` in `s`, advancing past empty matches as Java's Matcher.find() does. */
function* matches(re: RegExp, s: string, risky = false): Generator<Match> {
  if (risky && s.length >= GUARD_MIN_INPUT) {
    for (const m of guardedMatches(re.source, re.flags, s, true)) {
      const match: Match = { index: m.index, 0: m.text, groups: m.named };
      m.groups.forEach((g, i) => (match[i + 1] = g));
      yield match;
    }
    return;
  }
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(s);
    if (!m) return;
    yield m;
    if (m[0].length === 0) re.lastIndex = m.index + 1;
    if (re.lastIndex > s.length) return;
  }
}

export function javaMatches(s: string, regex: string): boolean {
  const re = compileJavaRegex(regex);
  if (re.risky && s.length >= GUARD_MIN_INPUT) return guardedMatches(re.whole.source, re.whole.flags, s, false).length > 0;
  return re.whole.test(s);
}

/** The text Matcher.appendReplacement adds for one match (Java's `$n`, `${name}` and `\x`). */
function expandReplacement(replacement: string, m: Match, re: CompiledRegex): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw new JavaException('java.lang.IllegalArgumentException', 'character to be escaped is missing');
      out += replacement[i];
    } else if (c === '$') {
      i++;
      if (i >= replacement.length) throw new JavaException('java.lang.IllegalArgumentException', 'Illegal group reference: group index is missing');
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        if (end < 0) throw new JavaException('java.lang.IllegalArgumentException', "named capturing group is missing trailing '}'");
        const name = replacement.slice(i + 1, end);
        if (!re.groupNames.has(name)) throw new JavaException('java.lang.IllegalArgumentException', `No group with name {${name}}`);
        out += m.groups?.[name] ?? '';
        i = end;
      } else {
        let ref = replacement.charCodeAt(i) - 48;
        if (ref < 0 || ref > 9) throw new JavaException('java.lang.IllegalArgumentException', 'Illegal group reference');
        // Java reads as many digits as still name an existing group.
        while (i + 1 < replacement.length) {
          const d = replacement.charCodeAt(i + 1) - 48;
          if (d < 0 || d > 9) break;
          const next = ref * 10 + d;
          if (next > re.groupCount) break;
          ref = next;
          i++;
        }
        if (ref > re.groupCount) throw new JavaException('java.lang.IndexOutOfBoundsException', `No group ${ref}`);
        out += m[ref] ?? '';
      }
    } else {
      out += c;
    }
  }
  return out;
}

export function javaReplace(s: string, regex: string, replacement: string, firstOnly: boolean): string {
  const re = compileJavaRegex(regex);
  let out = '';
  let last = 0;
  for (const m of matches(re.find, s, re.risky)) {
    out += s.slice(last, m.index) + expandReplacement(replacement, m, re);
    last = m.index + m[0].length;
    if (firstOnly) break;
  }
  return last === 0 && out === '' ? s : out + s.slice(last);
}

/** String.split(regex, limit) with Java's rules for empty leading and trailing strings. */
export function javaSplit(s: string, regex: string, limit = 0): string[] {
  const re = compileJavaRegex(regex);
  const list: string[] = [];
  let index = 0;
  const limited = limit > 0;
  for (const m of matches(re.find, s, re.risky)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!limited || list.length < limit - 1) {
      if (index === 0 && start === 0 && start === end) continue;
      list.push(s.slice(index, start));
      index = end;
    } else if (list.length === limit - 1) {
      list.push(s.slice(index));
      index = end;
      break;
    }
  }
  if (index === 0) return [s];
  if (!limited || list.length < limit) list.push(s.slice(index));
  let size = list.length;
  if (limit === 0) while (size > 0 && list[size - 1] === '') size--;
  return list.slice(0, size);
}
