import { describe, expect, it } from 'vitest';
import { isTruthy, normaliseVerification } from './verification.js';
import { checkDuration, durationToMs, setTimeoutsSql } from './timeouts.js';
import { RunnerError } from './errors.js';

describe('verification result', () => {
  it.each([
    [true, true],
    [false, false],
    [null, false],
    [1, true],
    [0, false],
    ['3', true],
    ['0', false],
    ['t', true],
    ['f', false],
    ['false', false],
    ['', false],
    ['ok', true],
  ])('%j is %s', (value, expected) => {
    expect(isTruthy(value)).toBe(expected);
  });

  it('drops the trailing semicolon', () => {
    expect(normaliseVerification('  SELECT 1;  ')).toBe('SELECT 1');
  });
});

describe('timeouts', () => {
  it('accepts Postgres durations and converts them', () => {
    expect(checkDuration('5s', 'lockTimeout')).toBe('5s');
    expect(checkDuration('500 ms', 'lockTimeout')).toBe('500ms');
    expect(durationToMs('2min')).toBe(120_000);
    expect(durationToMs('250')).toBe(250);
  });

  it('refuses anything that would be inlined unsafely, naming the setting', () => {
    expect(() => checkDuration("5s'; DROP TABLE x; --", 'lockTimeout')).toThrow(RunnerError);
    expect(() => setTimeoutsSql({ lockTimeout: '1 hour', statementTimeout: '0' }, 'local')).toThrow(/invalid lock timeout '1 hour'/);
  });

  it('renders SET LOCAL for one transaction and SET for a session', () => {
    expect(setTimeoutsSql({ lockTimeout: '5s', statementTimeout: '0' }, 'local')).toBe(
      "SET LOCAL lock_timeout = '5s'; SET LOCAL statement_timeout = '0'",
    );
  });
});
