/** Header expectations: a string matches the joined values (or one of them); a list matches every value, in order. */
import { describe, expect, it } from 'vitest';
import { checkExpectation } from '../../engine/scenario/expect';
import type { Trace } from '../../engine/trace/types';

const trace = {
  response: { statusCode: 200, headers: { 'Set-Cookie': ['session=abc; Secure', 'theme=dark'] }, body: '', isBase64Encoded: false },
  steps: [],
} as unknown as Trace;

const passed = (headers: Record<string, string | string[] | null>) => checkExpectation({ headers }, trace).every((c) => c.passed);

describe('header expectations', () => {
  it('a list is every value, in order, as separate header lines', () => {
    expect(passed({ 'set-cookie': ['session=abc; Secure', 'theme=dark'] })).toBe(true);
    expect(passed({ 'set-cookie': ['theme=dark', 'session=abc; Secure'] })).toBe(false);
    expect(passed({ 'set-cookie': ['session=abc; Secure'] })).toBe(false);
  });

  it('a string is the values joined with ", ", or any one of them; null is absent', () => {
    expect(passed({ 'Set-Cookie': 'session=abc; Secure, theme=dark' })).toBe(true);
    expect(passed({ 'Set-Cookie': 'theme=dark' })).toBe(true);
    expect(passed({ 'X-Other': null })).toBe(true);
    expect(passed({ 'Set-Cookie': null })).toBe(false);
  });
});
