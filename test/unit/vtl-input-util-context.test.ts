/** $input, $util, $context and the trace details (reads, overrides) of renderTemplateDetailed. */
import { describe, expect, it } from 'vitest';
import { parseJsonPreservingNumbers, renderTemplate, renderTemplateDetailed, type RenderOptions } from '../../engine/vtl';
import { JavaDouble, JavaMap } from '../../engine/vtl/java-values';

const params = { path: { id: '7' }, querystring: { id: 'q', page: '2' }, header: { 'Content-Type': 'application/json', id: 'h' } };
const withBody = (body: string, extra: Partial<RenderOptions> = {}): RenderOptions => ({ input: { body, params }, ...extra });
const BODY = '{"name": "Ada", "price": 10.0, "qty": 2, "big": 9007199254740993, "tags": ["a", "b"], "address": {"city": "Dublin", "zip": null}, "items": [{"id": 1, "ok": true}, {"id": 2, "ok": false}], "url": "http://x/y"}';

describe('parseJsonPreservingNumbers', () => {
  it('keeps integers and doubles apart, big integers exact and key order', () => {
    const v = parseJsonPreservingNumbers('{"b": 1, "a": 1.0, "1": 9007199254740993, "e": 1e3}') as JavaMap;
    expect(v.keys()).toEqual(['b', 'a', '1', 'e']);
    expect(v.get('b')).toBe(1);
    expect(v.get('a')).toEqual(new JavaDouble(1));
    expect(renderTemplate('$v.a $v.get("1") $v.e', { v })).toBe('1.0 9007199254740993 1000.0');
  });
});

describe('$input', () => {
  it('path() returns navigable values; doubles print as Java doubles', () => {
    expect(renderTemplate("$input.path('$.price') $input.path('$.qty') $input.path('$.big') $input.path('$.tags').size() $input.path('$.address.city')", undefined, withBody(BODY))).toBe(
      '10.0 2 9007199254740993 2 Dublin',
    );
  });

  it('json() returns JSON text, keeping 10.0 and escaping like json-smart', () => {
    expect(renderTemplate("$input.json('$.name')|$input.json('$.price')|$input.json('$.address')|$input.json('$.tags')|$input.json('$.url')", undefined, withBody(BODY))).toBe(
      '"Ada"|10.0|{"city":"Dublin","zip":null}|["a","b"]|"http:\\/\\/x\\/y"',
    );
  });

  it('JSONPath: wildcards, filters, slices, deep scan and functions', () => {
    const r = (p: string) => renderTemplate(`$input.json("${p}")`, undefined, withBody(BODY));
    expect(r('$.items[*].id')).toBe('[1,2]');
    expect(r('$.items[?(@.ok == true)].id')).toBe('[1]');
    expect(r('$.items[-1].id')).toBe('2');
    expect(r('$.tags[0:1]')).toBe('["a"]');
    expect(r('$..id')).toBe('[1,2]');
    expect(r('$.tags.length()')).toBe('2');
    expect(r("$['name']")).toBe('"Ada"');
    expect(r('$.missing')).toBe('null');
  });

  it('a missing path is null: empty in API Gateway, where null also equals ""', () => {
    expect(renderTemplate('[$input.path(\'$.nope\')] #if($input.path(\'$.nope\') == "")eq#end #if(!$input.path(\'$.nope\'))falsy#end', undefined, withBody(BODY))).toBe('[] eq falsy');
  });

  it('body: raw text, {} when empty; a non-JSON body is $input.path("$")', () => {
    expect(renderTemplate('$input.body', undefined, withBody(''))).toBe('{}');
    expect(renderTemplate("$input.json('$')", undefined, withBody(''))).toBe('{}');
    expect(renderTemplate("$input.path('$')|$input.path('$.a')|$input.path('$').split('&').size()", undefined, withBody('a=1&b=2'))).toBe('a=1&b=2||2');
  });

  it('params(): path, then querystring, then header; "" when missing; params() is a map', () => {
    expect(renderTemplate("$input.params('id')|$input.params('page')|$input.params('content-type')|[$input.params('nope')]", undefined, withBody('{}'))).toBe(
      '7|2|application/json|[]',
    );
    expect(renderTemplate('$input.params()', undefined, withBody('{}'))).toBe('{path={id=7}, querystring={id=q, page=2}, header={Content-Type=application/json, id=h}}');
    expect(renderTemplate('#foreach($k in $input.params().querystring.keySet())$k#end', undefined, withBody('{}'))).toBe('idpage');
  });
});

describe('$util', () => {
  it('escapeJavaScript follows commons-lang', () => {
    expect(renderTemplate('$util.escapeJavaScript($s)', { s: 'it\'s "x" / \\ \n é 😀' })).toBe('it\\\'s \\"x\\" \\/ \\\\ \\n \\u00E9 \\uD83D\\uDE00');
  });
  it('url and base64 helpers', () => {
    expect(renderTemplate('$util.urlEncode("a b&c=d~")|$util.urlDecode("a+b%26c")|$util.base64Encode("hé")|$util.base64Decode("aMOp")')).toBe('a+b%26c%3Dd%7E|a b&c|aMOp|hé');
  });
  it('parseJson returns Java values', () => {
    expect(renderTemplate('#set($o = $util.parseJson($s))$o.a $o.b.size() $o.c', { s: '{"a": 1.0, "b": [1, 2], "c": {"d": null}}' })).toBe('1.0 2 {d=null}');
  });
  it('helpers take Strings: anything else prints the reference (nothing in API Gateway)', () => {
    expect(renderTemplate('$util.urlEncode($n)', { n: 5 })).toBe('$util.urlEncode($n)');
    expect(renderTemplate('[$util.urlEncode($missing)]', undefined, { context: {} })).toBe('[]');
  });
  it('a malformed escape fails the render', () => {
    expect(() => renderTemplate('$util.urlDecode("%zz")')).toThrow(/URLDecoder/);
    expect(() => renderTemplate('$util.base64Decode("a_b")')).toThrow(/Illegal base64 character 5f/);
  });
});

describe('$context, $stageVariables and the trace details', () => {
  it('reads lists what the template read from outside, once, in order', () => {
    const r = renderTemplateDetailed(
      "#set($n = $input.path('$.name'))$n $n $context.requestId $stageVariables.env $input.json('$.name') #foreach($t in $input.path('$.tags'))$t#end",
      undefined,
      withBody(BODY, { context: { requestId: 'r1' }, stageVariables: { env: 'dev' } }),
    );
    expect(r.output).toBe('Ada Ada r1 dev "Ada" ab');
    expect(r.reads).toEqual(["$input.path('$.name')", '$context.requestId', '$stageVariables.env', "$input.json('$.name')", "$input.path('$.tags')"]);
  });

  it('requestOverride and responseOverride writes are reported', () => {
    const r = renderTemplateDetailed(
      '#set($context.requestOverride.header.X-Trace = "abc")#set($context.requestOverride.querystring.page = 3)#set($context.requestOverride.path.id = "9")#set($context.responseOverride.status = "418")#set($context.responseOverride.header.Retry-After = 30)',
      undefined,
      { context: { requestId: 'r1', identity: { sourceIp: '1.2.3.4' } } },
    );
    expect(r.requestOverride).toEqual({ header: { 'X-Trace': 'abc' }, querystring: { page: '3' }, path: { id: '9' } });
    expect(r.responseOverride).toEqual({ status: 418, header: { 'Retry-After': '30' } });
  });

  it('a template that never names $context carries the overrides exactly as one that reads it', () => {
    const contexts: (Record<string, unknown> | undefined)[] = [
      undefined,
      {},
      { requestId: 'r1', requestOverride: { path: {}, header: {}, querystring: {} }, responseOverride: { header: {} } },
      { requestOverride: { path: {}, header: { 'X-Trace': 'abc' }, querystring: {} }, responseOverride: { header: {}, status: 418 } },
      { requestOverride: { custom: 'x' }, responseOverride: { header: { 'Retry-After': '30' } } },
    ];
    for (const context of contexts) {
      const plain = renderTemplateDetailed('{"ok": true}', undefined, { context, input: { body: '', params } });
      // Naming $context (in a comment) takes the long way: the map is built and read back.
      const reading = renderTemplateDetailed('{"ok": true}## $context', undefined, { context, input: { body: '', params } });
      expect(plain.output).toBe('{"ok": true}');
      expect({ ...plain, reads: [] }).toEqual({ ...reading, reads: [] });
      expect(JSON.stringify(plain.contextOverrides)).toBe(JSON.stringify(reading.contextOverrides));
    }
  });

  it('$context values are navigable; nested objects print as ""', () => {
    const opts: RenderOptions = { context: { identity: { sourceIp: '1.2.3.4', caller: null }, authorizer: { claims: { sub: 'u-1' } }, requestTimeEpoch: 1700000000000 } };
    expect(renderTemplate('$context.identity.sourceIp|$context.identity.caller|$context.authorizer.claims.sub|$context.requestTimeEpoch|[$context.identity]', undefined, opts)).toBe(
      '1.2.3.4||u-1|1700000000000|[]',
    );
  });

  it('stock Velocity prints null references literally; API Gateway prints nothing', () => {
    expect(renderTemplate('$missing $a.b', { a: {} })).toBe('$missing $a.b');
    expect(renderTemplate('[$missing $a.b]', { a: {} }, { context: {} })).toBe('[ ]');
    expect(renderTemplate('[$missing]', undefined, { flavor: 'velocity', context: {} })).toBe('[$missing]');
  });

  it('variables may be a JSON text; a top-level null stays undefined', () => {
    expect(renderTemplate('$a|$b|$c', '{"a": 1.0, "b": null, "c": [1, 2.5]}')).toBe('1.0|$b|[1, 2.5]');
  });
});
