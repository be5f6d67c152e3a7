import { describe, expect, it } from 'vitest';
import { MAX_TIMEOUT_MS, parseTimeoutDuration } from './duration.js';

const ms = (value: string) => {
  const result = parseTimeoutDuration(value);
  return result.ok ? result.ms : result.reason;
};

describe('parseTimeoutDuration', () => {
  it('converts each unit to whole milliseconds; a bare number is milliseconds', () => {
    expect(['0', '1', '1500us', '500ms', '5s', '2min', '1h', '1d', '1.5s', '5 s'].map(ms)).toEqual([0, 1, 2, 500, 5000, 120_000, 3_600_000, 86_400_000, 1500, 5000]);
  });

  it('rounds half to even like Postgres (rint)', () => {
    expect(['1.5', '2.5', '2500us', '3500us', '0.6'].map(ms)).toEqual([2, 2, 2, 4, 1]);
  });

  it('accepts 0 written as 0 (disables the timeout) but not a value that rounds to 0', () => {
    expect(ms('0')).toBe(0);
    expect(ms('0.0s')).toBe(0);
    for (const value of ['0.5us', '499us', '0.5', '0.4ms']) expect(ms(value), value).toMatch(/^rounds to 0 ms, and 0 disables the timeout/);
  });

  it('accepts at most 2147483647 ms', () => {
    expect(ms('2147483647')).toBe(MAX_TIMEOUT_MS);
    expect(ms('2147483.647s')).toBe(MAX_TIMEOUT_MS);
    for (const value of ['2147483648', '24.9d', '596524h', '99999999999999999999h', `${'9'.repeat(400)}d`]) {
      expect(ms(value), value).toMatch(/^is more than Postgres accepts for a timeout: at most 2147483647 ms/);
    }
  });

  it('says which units are accepted for anything else', () => {
    for (const value of ['', 'soon', '5S', '5m', '-1s', '1e3ms', '5  s', "'5s'"]) {
      expect(ms(value), value).toBe(
        'is not a duration: use a number with an optional unit us, ms, s, min, h or d (a bare number is milliseconds), such as 500ms, 5s or 2min, or 0 to disable the timeout',
      );
    }
  });
});
