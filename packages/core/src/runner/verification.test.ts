import { describe, expect, it } from 'vitest';
import { normaliseVerification, verificationProblem } from './verification.js';
import { checkDuration, durationToMs, setTimeoutsSql } from './timeouts.js';
import { RunnerError } from './errors.js';

describe('verification result', () => {
  const one = (value: unknown) => ({ rows: [{ ok: value }], fields: ['ok'] });

  it('passes only one row of one boolean column that is true', () => {
    expect(verificationProblem(one(true), 'boolean')).toBeUndefined();
  });

  it.each([
    ['no', 'text'],
    ['t', 'text'],
    ['true', 'text'],
    [1, 'integer'],
    ['3', 'bigint'],
  ])('%j of type %s fails, naming the type and never the value', (value, type) => {
    const problem = verificationProblem(one(value), type)!;
    expect(problem).toBe(`returned one value of type ${type}, not boolean; expected one row with one boolean column that is true (compare it: SELECT <expression> = <expected>)`);
    expect(problem).not.toContain(`'${String(value)}'`);
  });

  it.each([false, null])('boolean %s fails', (value) => {
    expect(verificationProblem(one(value), 'boolean')).toBe('returned a boolean that is not true (false or NULL); expected one row with one boolean column that is true');
  });

  it('no row, several rows or several columns fail with the counts only', () => {
    expect(verificationProblem({ rows: [], fields: ['ok'] }, 'boolean')).toBe('returned 0 rows of 1 column; expected one row with one boolean column that is true');
    expect(verificationProblem({ rows: [{ ok: true }, { ok: true }], fields: ['ok'] }, 'boolean')).toMatch(/^returned 2 rows of 1 column;/);
    expect(verificationProblem({ rows: [{ ok: true, name: 'Jane Doe' }], fields: ['ok', 'name'] }, undefined)).toBe(
      'returned 1 row of 2 columns; expected one row with one boolean column that is true',
    );
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
