import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, span } from './__fixtures__/fixtures.js';
import { loadParser, parseSql } from './parser.js';

beforeAll(() => loadParser());

describe('parseSql: syntax errors', () => {
  it('reports ADD CONSTRAINT IF NOT EXISTS once, on the clause, with the DO-block guard filled in', () => {
    const { statements, errors } = parseSql(fixture('add-constraint-if-not-exists.sql'));

    expect(statements.map((statement) => [statement.kind, span(statement.range)])).toEqual([
      ['AlterTableStmt', '4:1-4:76'],
      ['IndexStmt', '9:1-9:83'],
    ]);
    expect(errors).toHaveLength(1);
    expect(span(errors[0].range)).toBe('7:18-7:31');
    expect(errors[0].message).toBe('syntax error at or near "EXISTS": ADD CONSTRAINT has no IF NOT EXISTS form');
    expect(errors[0].hint).toBe(
      [
        'Guard it with a DO block so that the migration can run twice:',
        'DO $$',
        'BEGIN',
        "  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'visits_duration_check' AND conrelid = 'public.visits'::regclass) THEN",
        '    ALTER TABLE public.visits',
        '      ADD CONSTRAINT visits_duration_check CHECK (duration_minutes >= 0);',
        '  END IF;',
        'END $$;',
      ].join('\n'),
    );
  });

  it('reports two independent errors exactly twice and keeps every other statement', () => {
    const { statements, errors } = parseSql(fixture('two-syntax-errors.sql'));

    expect(errors.map((error) => [span(error.range), error.message])).toEqual([
      ['3:58-3:59', 'syntax error at or near ";"'],
      ['9:36-9:40', 'syntax error at or near "WHER"'],
    ]);
    expect(statements.map((statement) => [statement.kind, span(statement.range)])).toEqual([
      ['CreateStmt', '1:1-1:68'],
      ['IndexStmt', '5:1-5:51'],
      ['InsertStmt', '7:1-7:79'],
      ['CommentStmt', '11:1-11:50'],
    ]);
    // Statements re-parsed one by one still map node locations into the file.
    const insert = statements[2];
    expect(insert.locate?.(insert.node.relation.location)).toMatchObject({ line: 7, column: 13 });
  });

  it('reports an unterminated dollar quote once, not once per following statement', () => {
    const { statements, errors } = parseSql(fixture('unterminated-dollar-quote.sql'));

    expect(statements.map((statement) => statement.kind)).toEqual(['CreateStmt']);
    expect(errors).toEqual([
      {
        message: 'unterminated dollar-quoted string at or near "$$"',
        range: expect.objectContaining({ start: expect.objectContaining({ line: 4, column: 21 }) }),
        hint: 'Close it with the same tag that opened it: $$ ... $$ or $tag$ ... $tag$.',
      },
    ]);
    expect(span(errors[0].range)).toBe('4:21-4:23');
  });

  it('reports an unterminated string and comment once each', () => {
    // Underlines what the message names: the literal up to the end of its first line.
    expect(parseSql("SELECT 1;\nINSERT INTO t VALUES ('oops);\nSELECT 2;").errors.map((error) => span(error.range))).toEqual(['2:23-2:30']);
    const comment = parseSql('SELECT 1;\n/* never closed; SELECT 2;\nSELECT 3;');
    expect(comment.errors.map((error) => [span(error.range), error.message])).toEqual([
      ['2:1-2:27', 'unterminated /* comment at or near "/* never closed; SELECT 2;"'],
    ]);
    expect(comment.statements).toHaveLength(1);
  });

  it('gives one error, with a hint, when a ; is missing between two statements', () => {
    const text = 'CREATE TABLE public.a (id int)\n\n-- next\nCREATE TABLE public.b (id int);\nSELECT 1;';
    const { statements, errors } = parseSql(text);
    expect(errors).toEqual([
      {
        message: 'syntax error at or near "CREATE"',
        range: expect.anything(),
        hint: 'The statement before it (ending on line 1) seems to lack its terminating ";".',
      },
    ]);
    expect(span(errors[0].range)).toBe('4:1-4:7');
    expect(statements.map((statement) => span(statement.range))).toEqual(['5:1-5:9']);
  });

  it('explains CREATE POLICY IF NOT EXISTS with DROP POLICY IF EXISTS first', () => {
    const { errors } = parseSql(
      'CREATE POLICY IF NOT EXISTS "Patients read own visits" ON public.visits\n  FOR SELECT USING (auth.uid() = patient_id);',
    );
    expect(errors).toHaveLength(1);
    expect(span(errors[0].range)).toBe('1:15-1:28');
    expect(errors[0].message).toBe('syntax error at or near "NOT": CREATE POLICY has no IF NOT EXISTS form');
    expect(errors[0].hint).toBe(
      'Drop the policy first so that the migration can run twice:\n' +
        'DROP POLICY IF EXISTS "Patients read own visits" ON public.visits;\n' +
        'CREATE POLICY "Patients read own visits" ON public.visits\n  FOR SELECT USING (auth.uid() = patient_id);',
    );
  });

  it('explains CREATE TRIGGER IF NOT EXISTS with OR REPLACE or DROP TRIGGER IF EXISTS', () => {
    const { errors } = parseSql(
      'CREATE TRIGGER IF NOT EXISTS set_updated_at BEFORE UPDATE ON public.visits FOR EACH ROW EXECUTE FUNCTION public.touch();',
    );
    expect(errors).toHaveLength(1);
    expect(span(errors[0].range)).toBe('1:16-1:29');
    expect(errors[0].hint).toBe(
      'Use CREATE OR REPLACE TRIGGER (PostgreSQL 14+), or drop the trigger first:\n' +
        'DROP TRIGGER IF EXISTS set_updated_at ON public.visits;\n' +
        'CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.visits FOR EACH ROW EXECUTE FUNCTION public.touch();',
    );
  });

  it('explains CREATE TYPE IF NOT EXISTS with a DO-block guard on pg_type', () => {
    const { errors } = parseSql("CREATE TYPE IF NOT EXISTS clinical.visit_status AS ENUM ('planned', 'done');");
    expect(errors).toHaveLength(1);
    expect(span(errors[0].range)).toBe('1:13-1:26');
    expect(errors[0].hint).toBe(
      [
        'Guard it with a DO block so that the migration can run twice:',
        'DO $$',
        'BEGIN',
        "  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'visit_status' AND typnamespace = 'clinical'::regnamespace) THEN",
        "    CREATE TYPE clinical.visit_status AS ENUM ('planned', 'done');",
        '  END IF;',
        'END $$;',
      ].join('\n'),
    );
  });

  it('does not blame a trap when the parser stumbled elsewhere in the statement', () => {
    const { errors } = parseSql('ALTER TABLE t ADD COLUMN x integer DEFAULT, ADD CONSTRAINT IF NOT EXISTS c CHECK (x > 0);');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe('syntax error at or near ","');
    expect(errors[0].hint).toBeUndefined();
  });

  it('finds the trap inside a DO block, past an IF NOT EXISTS guard, although PL/pgSQL errors carry no position', () => {
    const text = [
      'DO $$',
      'BEGIN',
      "  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'visits') THEN",
      '    ALTER TABLE public.visits ADD CONSTRAINT IF NOT EXISTS visits_pk PRIMARY KEY (id);',
      '  END IF;',
      'END $$;',
    ].join('\n');
    const { errors, nested } = parseSql(text);
    expect(nested).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(span(errors[0].range)).toBe('4:46-4:59');
    expect(errors[0].message).toBe('DO block: syntax error at or near "EXISTS": ADD CONSTRAINT has no IF NOT EXISTS form');
    expect(errors[0].hint).toContain('    ALTER TABLE public.visits ADD CONSTRAINT visits_pk PRIMARY KEY (id);');
  });

  it('reports a PL/pgSQL syntax error at the token when it occurs once in the body', () => {
    const { errors } = parseSql('CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  UPDAT t SET x = 1;\nEND $$;');
    expect(errors.map((error) => [span(error.range), error.message])).toEqual([
      ['3:3-3:8', 'function body: syntax error at or near "UPDAT"'],
    ]);
  });

  it('keeps a ; inside strings, quoted identifiers, comments and dollar quotes when splitting after an error', () => {
    const text = [
      "INSERT INTO notes (body) VALUES ('a;b'), (E'it\\'s; fine');",
      'CREATE TABLE "odd;name" (x int); /* ; */ -- ;',
      'SELEC 1;',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;',
      'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;',
    ].join('\n');
    const { statements, errors } = parseSql(text);
    expect(errors.map((error) => span(error.range))).toEqual(['3:1-3:6']);
    expect(statements.map((statement) => [statement.kind, span(statement.range)])).toEqual([
      ['InsertStmt', '1:1-1:58'],
      ['CreateStmt', '2:1-2:32'],
      ['CreateFunctionStmt', '4:1-4:72'],
      ['CreateFunctionStmt', '5:1-5:82'],
    ]);
  });

  it('maps the error column after astral characters (parser errors count code points, not bytes)', () => {
    const { errors } = parseSql("SELECT '🚀🚀', 'é→' FROM;");
    expect(span(errors[0].range)).toBe('1:25-1:26');
  });

  it('reports a NUL character instead of letting it cut the file short', () => {
    const { statements, errors } = parseSql('SELECT 1;\0\nSELEC 2;');
    expect(errors.map((error) => [span(error.range), error.message])).toEqual([
      ['1:10-1:11', 'NUL character (U+0000) in SQL text'],
      ['2:1-2:6', 'syntax error at or near "SELEC"'],
    ]);
    expect(statements).toHaveLength(1);
  });

  it('shortens a long "at or near" token in the message', () => {
    const { errors } = parseSql(`SELECT 'abc ${'x'.repeat(100)}`);
    expect(errors[0].message).toBe(`unterminated quoted string at or near "'abc ${'x'.repeat(35)}…"`);
  });
});
