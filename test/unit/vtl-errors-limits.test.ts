/** Errors carry Velocity's line and column; limits: template size, #foreach cap, deadline, depth. */
import { describe, expect, it } from 'vitest';
import { TemplateError, renderTemplate } from '../../engine/vtl';

function errorOf(template: string, vars?: Record<string, unknown>, deadlineMs?: number): TemplateError {
  try {
    renderTemplate(template, vars, deadlineMs === undefined ? undefined : { deadlineMs, flavor: 'velocity' });
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return e as TemplateError;
  }
  throw new Error(`expected ${JSON.stringify(template)} to fail`);
}

describe('errors carry line and column (as Velocity 1.7 reports them)', () => {
  it.each([
    ['#if($x)yes', {}, 1, 10], // Encountered "<EOF>"
    ['a#end b', {}, 1, 2], // Encountered "#end"
    ['line one\n  #if($x)\nno end', {}, 3, 6],
    ['$s.substring($i + 1)', { s: 'abcdef', i: 1 }, 1, 17], // lexical error at "+"
    ['#set($up = "abc".toUpperCase())$up', {}, 1, 18],
    ['$items[5]', { items: ['a'] }, 1, 7], // get(5) out of bounds, at the index
    ['$s.substring(2, 10)', { s: 'abc' }, 1, 4], // at the method name
    ['x\n$util.urlDecode($s)', { s: '100%' }, 2, 7],
    ['$s.replaceAll("(", "x")', { s: 'a(b' }, 1, 4],
    ['#foreach($i in [1..2])\n  #if(\n#end', {}, 3, 1],
  ])('%j', (template, vars, line, column) => {
    const e = errorOf(template, vars);
    expect([e.line, e.column]).toEqual([line, column]);
  });

  it('errors inside a string literal point into the template', () => {
    const e = errorOf('#set($a = 1)\n#set($s = "x $a.b(")');
    expect(e.line).toBe(2);
  });
});

describe('limits', () => {
  it('#foreach stops after 1000 iterations, as API Gateway does', () => {
    expect(renderTemplate('#foreach($i in [1..2000])x#end').length).toBe(1000);
    expect(renderTemplate('#set($n = 0)#foreach($i in [1..1001])#set($n = $i)#end$n')).toBe('1000');
  });

  it('refuses templates over 300 KB', () => {
    const e = errorOf('x'.repeat(300 * 1024 + 1));
    expect(e.message).toMatch(/300 KB/);
    expect(() => renderTemplate('x'.repeat(300 * 1024))).not.toThrow();
  });

  it('stops a hostile template at the deadline', () => {
    const started = performance.now();
    const e = errorOf('#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])$c#end#end#end', {}, 50);
    expect(e.message).toMatch(/deadline/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('stops a catastrophically backtracking regex at the deadline', () => {
    const started = performance.now();
    const e = errorOf(`#set($s = "${'a'.repeat(40)}X")$s.matches("(a+)+b")`, {}, 100);
    expect(e.message).toMatch(/deadline/);
    expect(performance.now() - started).toBeLessThan(2000);
    // The same kind of pattern still works normally on ordinary input.
    expect(renderTemplate('$s.replaceAll("(a+)+", "<$1>")', { s: 'aaa bbb aaaa ccc aa dddddddddddd eeeeeeeeeeee' })).toBe(
      '<aaa> bbb <aaaa> ccc <aa> dddddddddddd eeeeeeeeeeee',
    );
  });

  it('limits macro recursion to 20 calls deep', () => {
    expect(errorOf('#macro(r $n)#r($n)#end#r(1)').message).toMatch(/calling depth of 20/);
  });

  it('limits #evaluate recursion', () => {
    expect(errorOf("#set($t = '#evaluate($t)')#evaluate($t)").message).toMatch(/#evaluate/);
  });

  it('limits the size of ranges and strings a template builds', () => {
    expect(errorOf('#set($r = [1..100000000])').message).toMatch(/too large/);
    expect(errorOf('#set($s = "abcdefghij")#foreach($i in [1..30])#set($s = "$s$s")#end').message).toMatch(/exceeds|too large/);
    expect(() => renderTemplate('$s.repeat(100000000)', { s: 'ab' })).toThrow(TemplateError);
  });

  it('stops a template whose output passes 10 MB, with where it was', () => {
    // 1,000^3 loop bodies of 16 characters: the output cap, not the deadline, ends it.
    const e = errorOf('#foreach($i in [1..1000])#foreach($j in [1..1000])\n#foreach($k in [1..1000])0123456789abcdef#end#end#end', {}, 60_000);
    expect(e.message).toBe('Template output exceeds 10485760 characters');
    expect(e.line).toBe(2);
  });

  it('#define recursion renders the reference literally instead of looping', () => {
    expect(renderTemplate('#define($d)[$d]#end$d')).toBe('[[$d]]');
  });
});
