import { describe, expect, it } from 'vitest';
import { canonicalDirectives, isValidDuration, readDirectives } from './directives.js';
import { iterateLines } from './lines.js';

const read = (text: string) => readDirectives(iterateLines(text));

describe('readDirectives', () => {
  it('reads the three directives and ignores other lines', () => {
    expect(read('-- pgwarden:no-transaction\n-- Date: x\n--pgwarden:lock-timeout 5s\n-- pgwarden:statement-timeout   2min  \n')).toEqual({
      directives: { noTransaction: true, lockTimeout: '5s', statementTimeout: '2min' },
      problems: [],
    });
  });

  it('reports unknown, malformed and repeated directives and does not apply bad values', () => {
    const { directives, problems } = read(
      [
        '-- pgwarden:no-transactions',
        '-- pgwarden:no-transaction please',
        '-- pgwarden:lock-timeout 5 seconds',
        '-- pgwarden:statement-timeout',
        '-- pgwarden:lock-timeout 500ms',
      ].join('\n'),
    );
    expect(directives).toEqual({ noTransaction: true, lockTimeout: '500ms' });
    expect(problems).toEqual([
      {
        message: "Unknown directive 'pgwarden:no-transactions'; the known ones are pgwarden:no-transaction, pgwarden:lock-timeout and pgwarden:statement-timeout.",
        line: 1,
      },
      { message: "The directive pgwarden:no-transaction takes no value (found 'please').", line: 2 },
      {
        message:
          "The directive pgwarden:lock-timeout has the value '5 seconds', which is not a duration: use a number with an optional unit us, ms, s, min, h or d (a bare number is milliseconds), such as 500ms, 5s or 2min, or 0 to disable the timeout.",
        line: 3,
      },
      { message: 'The directive pgwarden:statement-timeout needs a duration such as 500ms, 5s or 2min.', line: 4 },
      { message: 'The directive pgwarden:lock-timeout is repeated (first on line 3); the last one applies.', line: 5 },
    ]);
  });

  it('is not confused by suppression comments', () => {
    expect(read('-- pgwarden-ignore-file no-emoji -- legacy file')).toEqual({ directives: { noTransaction: false }, problems: [] });
  });
});

describe('isValidDuration', () => {
  it('accepts Postgres time values', () => {
    for (const value of ['0', '0ms', '500', '500ms', '5s', '2min', '1h', '1d', '1500us', '1.5s', '5 s', '2147483647']) expect(isValidDuration(value), value).toBe(true);
  });
  it('refuses the rest, a value that rounds to 0 ms and one above 2147483647 ms', () => {
    for (const value of ['', '5S', '5 seconds', "'5s'", '-1s', '5m', 's', '1e3ms', '250us', '0.5us', '0.4', '2147483648', '25d', '99999999999999999999h']) {
      expect(isValidDuration(value), value).toBe(false);
    }
  });
  it('says why a directive value is refused', () => {
    expect(read('-- pgwarden:statement-timeout 0.5us').problems).toEqual([
      {
        message:
          "The directive pgwarden:statement-timeout has the value '0.5us', which rounds to 0 ms, and 0 disables the timeout (Postgres counts it in whole milliseconds): use at least 1ms, or write 0 to disable it on purpose.",
        line: 1,
      },
    ]);
    expect(read('-- pgwarden:lock-timeout 30d').problems[0]!.message).toContain('which is more than Postgres accepts for a timeout: at most 2147483647 ms');
  });
  it('stores a value with a space without it', () => {
    expect(read('-- pgwarden:lock-timeout 5 s').directives.lockTimeout).toBe('5s');
  });
});

describe('canonicalDirectives', () => {
  it('lists the set directives sorted by name', () => {
    expect(canonicalDirectives({ noTransaction: false })).toBe('');
    expect(canonicalDirectives({ noTransaction: true, statementTimeout: '2min', lockTimeout: '5s' })).toBe(
      'lock-timeout=5s\nno-transaction=1\nstatement-timeout=2min',
    );
  });
});
