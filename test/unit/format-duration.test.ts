/** Durations as the app prints them: measured live traces are fractional, simulated ones whole. */
import { expect, it } from 'vitest';
import { duration } from '../../renderer/src/format';

it('prints durations as people read them', () => {
  expect(duration(0.13623046875)).toBe('0.14 ms');
  expect(duration(0.1)).toBe('0.1 ms');
  expect(duration(4.203125)).toBe('4.2 ms');
  expect(duration(12)).toBe('12 ms');
  expect(duration(12.04)).toBe('12 ms');
  expect(duration(29_000)).toBe('29,000 ms');
  expect(duration(150.5)).toBe('151 ms');
  expect(duration(0)).toBe('0 ms');
});
