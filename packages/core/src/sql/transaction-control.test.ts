import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from './parser.js';
import { fileTransactionControl, withoutWrapper } from './transaction-control.js';

beforeAll(() => loadParser());

const judge = (sql: string, options?: { noTransaction?: boolean }) => fileTransactionControl(parseSql(sql).statements, options);
/** Each problem as `line: first words of the message`. */
const problems = (sql: string, options?: { noTransaction?: boolean }) =>
  judge(sql, options).problems.map((p) => `${p.statement.range.start.line}: ${p.message.split(':')[0]}`);

describe('fileTransactionControl', () => {
  it('finds the wrapper, with statements before and after it', () => {
    const control = judge('SET search_path = app;\nBEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\nSELECT 1;');
    expect(control.problems).toEqual([]);
    expect([control.wrapper?.begin.range.start.line, control.wrapper?.commit.range.start.line]).toEqual([2, 4]);
  });

  it('accepts the other spellings of a wrapper: START TRANSACTION / END, BEGIN WORK / COMMIT TRANSACTION', () => {
    expect(judge('START TRANSACTION;\nSELECT 1;\nEND;').wrapper).toBeDefined();
    expect(judge('begin work;\nSELECT 1;\ncommit transaction;').wrapper).toBeDefined();
  });

  it('refuses what would end or split the runner transaction, at its line', () => {
    expect(problems('CREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);')).toEqual(['2: COMMIT without a BEGIN before it would commit pgwarden\'s transaction early, so the statements before it and the history row would no longer be one unit']);
    expect(problems('BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;')).toEqual([
      '4: a second BEGIN',
      '6: a second COMMIT',
    ]);
    expect(problems('BEGIN;\nSELECT 1;\nROLLBACK;')[0]).toMatch(/^3: ROLLBACK would undo the file/);
    expect(problems('SELECT 1;\nABORT;')[0]).toMatch(/^2: ABORT would undo the file/);
    expect(problems('BEGIN;\nSELECT 1;')).toEqual(['1: BEGIN without a COMMIT after it']);
    expect(problems('BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nCOMMIT;')[0]).toMatch(/^1: BEGIN with transaction options/);
    expect(problems('BEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;\nSELECT 2;\nCOMMIT;')[0]).toMatch(/^3: COMMIT AND CHAIN would commit part of the file/);
    expect(problems("PREPARE TRANSACTION 'x';")[0]).toMatch(/^1: PREPARE TRANSACTION \(two-phase commit\)/);
    expect(problems("COMMIT PREPARED 'x';")[0]).toMatch(/^1: COMMIT PREPARED \(two-phase commit\)/);
  });

  it('keeps savepoints the file opens itself, refuses those it did not', () => {
    const kept = judge('SAVEPOINT a;\nSELECT 1;\nROLLBACK TO SAVEPOINT a;\nRELEASE SAVEPOINT a;');
    expect(kept.problems).toEqual([]);
    expect(kept.savepoints).toHaveLength(3);
    expect(problems('RELEASE SAVEPOINT outer_one;')[0]).toMatch(/^1: RELEASE SAVEPOINT outer_one names a savepoint the file did not open/);
    expect(problems('SAVEPOINT a;\nRELEASE SAVEPOINT a;\nROLLBACK TO SAVEPOINT a;')[0]).toMatch(/^3: ROLLBACK TO SAVEPOINT a names a savepoint/);
    // The wrapper's COMMIT releases every savepoint opened inside it, as it would under psql.
    expect(problems('BEGIN;\nSAVEPOINT a;\nCOMMIT;\nROLLBACK TO a;')[0]).toMatch(/^4: ROLLBACK TO SAVEPOINT a names a savepoint the file did not open before it \(its COMMIT released the earlier ones\)/);
  });

  it('does not take BEGIN ATOMIC, PL/pgSQL blocks, literals or comments for transaction commands', () => {
    const sql = [
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;',
      'DO $$ BEGIN PERFORM 1; END $$;',
      'CREATE PROCEDURE p() LANGUAGE plpgsql AS $body$ BEGIN COMMIT; ROLLBACK; END $body$;',
      "SELECT 'COMMIT;', $q$ROLLBACK; BEGIN;$q$; -- COMMIT;",
      '/* ROLLBACK; */ SELECT 2;',
    ].join('\n');
    expect(judge(sql)).toEqual({ savepoints: [], problems: [] });
  });

  it('refuses every transaction command in a no-transaction file', () => {
    expect(problems('BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;', { noTransaction: true })).toEqual([
      '1: BEGIN in a pgwarden',
      '3: COMMIT in a pgwarden',
    ]);
    expect(problems('SAVEPOINT a;', { noTransaction: true })).toEqual(['1: SAVEPOINT in a pgwarden']);
  });
});

describe('withoutWrapper', () => {
  it('replaces BEGIN and COMMIT with comments and keeps every line where it was', () => {
    const sql = 'BEGIN\n  TRANSACTION;\nSELECT 1; /* é */\ncommit;\nSELECT 2;';
    const control = judge(sql);
    const sent = withoutWrapper(sql, control.wrapper!);
    expect(sent.split('\n')).toHaveLength(sql.split('\n').length);
    expect(sent.split('\n')[2]).toBe('SELECT 1; /* é */');
    expect(sent.split('\n')[4]).toBe('SELECT 2;');
    expect(sent).not.toMatch(/^\s*(BEGIN|commit)\b/im);
    // What is left parses to the body without the wrapper, in the same lines.
    const again = parseSql(sent);
    expect(again.errors).toEqual([]);
    expect(again.statements.map((s) => [s.range.start.line, s.text])).toEqual([
      [3, 'SELECT 1'],
      [5, 'SELECT 2'],
    ]);
  });
});
