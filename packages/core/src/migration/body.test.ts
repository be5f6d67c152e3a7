import { describe, expect, it } from 'vitest';
import { scanBody } from './body.js';

const scan = (text: string) => scanBody(text, 0, 1);

describe('verification queries', () => {
  it('reads -- VERIFY: with continuation lines joined by newlines', () => {
    const facts = scan(
      [
        'UPDATE patients SET status = \'active\' WHERE status IS NULL;',
        '',
        '-- VERIFY: SELECT count(*) = 0',
        '--   FROM patients',
        '--\tWHERE status IS NULL;',
        '-- not part of it',
        '--VERIFY: SELECT true;',
      ].join('\n'),
    );
    expect(facts.verifications).toEqual([
      { sql: 'SELECT count(*) = 0\nFROM patients\nWHERE status IS NULL;', line: 3 },
      { sql: 'SELECT true;', line: 7 },
    ]);
  });

  it('accepts the query starting on the continuation lines, and skips an empty one', () => {
    expect(scan('-- VERIFY:\n--   SELECT true;\n').verifications).toEqual([{ sql: 'SELECT true;', line: 1 }]);
    expect(scan('-- VERIFY:\nSELECT 1;\n').verifications).toEqual([]);
  });

  it('does not read indented, lower-case or inline mentions as queries', () => {
    expect(scan('--   VERIFY: SELECT 1;\n-- verify: SELECT 1;\n-- write "-- VERIFY: <sql>"\n').verifications).toEqual([]);
  });
});

describe('rollback', () => {
  it('reads commented SQL after the heading', () => {
    const facts = scan(
      [
        'ALTER TABLE patients ADD COLUMN IF NOT EXISTS nickname text;',
        '',
        '-- Rollback Script (if needed)',
        '-- ALTER TABLE patients',
        '--   DROP COLUMN IF EXISTS nickname;',
        '',
        '-- DROP INDEX IF EXISTS idx_patients_nickname;',
      ].join('\n'),
    );
    expect(facts.rollback).toEqual({
      text: 'ALTER TABLE patients\n  DROP COLUMN IF EXISTS nickname;\n\nDROP INDEX IF EXISTS idx_patients_nickname;',
      line: 3,
      textLine: 4,
    });
    expect(facts.rollbackHeadingLine).toBe(3);
  });

  it('reads a /* */ block, on several lines or one', () => {
    expect(scan('-- ROLLBACK:\n/*\nDROP TABLE IF EXISTS audit_notes;\n*/\n').rollback).toEqual({ text: 'DROP TABLE IF EXISTS audit_notes;', line: 1, textLine: 3 });
    expect(scan('-- rollback\n/* drop table if exists audit_notes; */\n').rollback?.text).toBe('drop table if exists audit_notes;');
    expect(scan('-- Rollback Script (if needed)\n-- /* DROP VIEW IF EXISTS v; */\n').rollback?.text).toBe('DROP VIEW IF EXISTS v;');
  });

  it('reads SQL written on the heading line after the colon', () => {
    expect(scan('-- ROLLBACK: DROP INDEX IF EXISTS idx_a;\n').rollback).toEqual({ text: 'DROP INDEX IF EXISTS idx_a;', line: 1, textLine: 1 });
  });

  it('keeps only the heading line when no SQL follows (template, prose, placeholder)', () => {
    const bare = scan('-- Migration SQL here\n\n-- Rollback Script (if needed)\n');
    expect(bare.rollback).toBeUndefined();
    expect(bare.rollbackHeadingLine).toBe(3);
    expect(scan('-- Rollback: not needed, the change is additive.\n-- Drop the table by hand if you must\n').rollback).toBeUndefined();
    expect(scan('-- Rollback Script (if needed)\n-- /* DROP COLUMN IF EXISTS...; */\n').rollback).toBeUndefined();
  });

  it('ends at the next active SQL line or VERIFY line', () => {
    const facts = scan('-- Rollback plan\n-- (see runbook)\nCREATE TABLE t (id int);\n-- DROP TABLE t;\n');
    expect(facts.rollback).toBeUndefined();
    expect(facts.rollbackHeadingLine).toBe(1);
    const beforeVerify = scan('-- ROLLBACK:\n-- DROP TABLE t;\n-- VERIFY: SELECT true;\n');
    expect(beforeVerify.rollback?.text).toBe('DROP TABLE t;');
    expect(beforeVerify.verifications).toHaveLength(1);
  });

  it('reads a commented ROLLBACK statement as part of the script, not as a new heading', () => {
    const facts = scan('-- Rollback Script:\n-- DROP TABLE t;\n-- ROLLBACK;\n-- ROLLBACK TO SAVEPOINT s;\n');
    expect(facts.rollback).toEqual({ text: 'DROP TABLE t;\nROLLBACK;\nROLLBACK TO SAVEPOINT s;', line: 1, textLine: 2 });
  });

  it('takes the first heading that carries SQL', () => {
    const facts = scan('-- Rollback: none for step 1\nUPDATE t SET a = 1;\n-- Rollback for step 2:\n-- DROP TABLE t2;\n');
    expect(facts.rollback).toEqual({ text: 'DROP TABLE t2;', line: 3, textLine: 4 });
    expect(facts.rollbackHeadingLine).toBe(1);
  });
});

describe('directives in the body', () => {
  it('are reported with their line because they have no effect there', () => {
    expect(scanBody('\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- pgwarden:no-transaction\n', 0, 40).misplacedDirectives).toEqual([
      { message: 'This pgwarden directive is in the body, where it has no effect; move it into the header block.', line: 42 },
    ]);
  });

  it('are not reported when already read from a header-less file', () => {
    expect(scanBody('-- pgwarden:no-transaction\nSELECT 1;\n', 0, 1, new Set([1])).misplacedDirectives).toEqual([]);
  });
});
