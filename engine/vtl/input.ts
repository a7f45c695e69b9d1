/**
 * `$input`: the request (or integration response) payload and parameters.
 *
 * - `$input.body` is the raw payload; an empty payload reads as `{}` (recorded on AWS).
 * - `$input.path(p)` evaluates JSONPath `p` and returns navigable values: objects are
 *   LinkedHashMaps that print as `{a=1}`, arrays are json-smart JSONArrays that print as compact
 *   JSON (`[{"foo":"bar"}]`), exactly as recorded on AWS.
 * - `$input.json(p)` returns the same result as JSON text; a missing path gives `null` (?).
 * - A payload that is not JSON: `$input.path('$')` is the raw text (the well-known trick for
 *   parsing form posts relies on it), any other path is null, and `$input.json('$')` quotes the
 *   text as a JSON string (?).
 * - `$input.params()` is `{path={...}, querystring={...}, header={...}}`; `$input.params(x)`
 *   searches path, then querystring, then header (header names ignoring case (?)), else "".
 */
import { JavaException } from './errors';
import { JavaMap, NO_METHOD, toJsonText, type HostObject } from './java-values';
import { JsonPathError, evaluateJsonPath } from './jsonpath';
import { parseJsonToJava } from './json';

export interface InputParams {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

export class InputObject implements HostObject {
  readonly javaClass = 'com.amazonaws.apigateway.mapping.Input';
  private parsed: { json: boolean; value: unknown } | undefined;
  private paramsMap: JavaMap | undefined;
  private paramsValue: InputParams | (() => InputParams);
  readonly body: string;

  /** `params` may be a function: most templates never read them, so they are built on first use. */
  constructor(body: string, params: InputParams | (() => InputParams)) {
    this.body = body === '' ? '{}' : body;
    this.paramsValue = params;
  }

  private get params(): InputParams {
    if (typeof this.paramsValue === 'function') this.paramsValue = this.paramsValue();
    return this.paramsValue;
  }

  private payload(): { json: boolean; value: unknown } {
    if (!this.parsed) {
      try {
        this.parsed = { json: true, value: parseJsonToJava(this.body, { jsonArrays: true }) };
      } catch {
        this.parsed = { json: false, value: this.body };
      }
    }
    return this.parsed;
  }

  path(path: string): unknown {
    const { json, value } = this.payload();
    if (!json) return path.trim() === '$' ? value : null;
    try {
      return evaluateJsonPath(value, path);
    } catch (e) {
      if (e instanceof JsonPathError) throw new JavaException('com.jayway.jsonpath.InvalidPathException', e.message);
      throw e;
    }
  }

  json(path: string): string {
    return toJsonText(this.path(path));
  }

  param(name: string): string {
    const { path, querystring, header } = this.params;
    if (Object.hasOwn(path, name)) return path[name] ?? '';
    if (Object.hasOwn(querystring, name)) return querystring[name] ?? '';
    if (Object.hasOwn(header, name)) return header[name] ?? '';
    const lower = name.toLowerCase();
    for (const [k, v] of Object.entries(header)) if (k.toLowerCase() === lower) return v;
    return '';
  }

  allParams(): JavaMap {
    if (!this.paramsMap) {
      const toMap = (r: Record<string, string>) => JavaMap.of(Object.entries(r));
      this.paramsMap = JavaMap.of([
        ['path', toMap(this.params.path)],
        ['querystring', toMap(this.params.querystring)],
        ['header', toMap(this.params.header)],
      ]);
    }
    return this.paramsMap;
  }

  call(name: string, args: unknown[]): unknown {
    const [a] = args;
    switch (name) {
      case 'getBody':
        return args.length === 0 ? this.body : NO_METHOD;
      case 'json':
      case 'path':
        if (args.length !== 1 || (typeof a !== 'string' && a !== null)) return NO_METHOD;
        if (a === null) throw new JavaException('java.lang.IllegalArgumentException', 'path can not be null');
        return name === 'json' ? this.json(a) : this.path(a);
      case 'params':
        if (args.length === 0) return this.allParams();
        if (args.length === 1 && typeof a === 'string') return this.param(a);
        return NO_METHOD;
    }
    return NO_METHOD;
  }

  getProperty(name: string): unknown {
    return name === 'body' ? this.body : NO_METHOD;
  }

  toJavaString(): string {
    return '$input';
  }
}
