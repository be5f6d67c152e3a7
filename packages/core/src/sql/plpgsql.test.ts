import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, span } from './__fixtures__/fixtures.js';
import { loadParser, parseSql } from './parser.js';
import type { SqlStatement } from './types.js';

beforeAll(() => loadParser());

function summary(statement: SqlStatement) {
  return { kind: statement.kind, range: span(statement.range), guard: statement.guard?.kind };
}

describe('parseSql: statements inside DO blocks and PL/pgSQL functions', () => {
  it('recognises to_regclass/to_regtype/to_regproc/to_regprocedure/to_regnamespace(...) IS [NOT] NULL guards', () => {
    const text = `DO $$
BEGIN
  IF to_regtype('public.mood') IS NULL THEN
    CREATE TYPE public.mood AS ENUM ('calm', 'tense');
  END IF;
  IF to_regclass('public.visit_notes') IS NOT NULL THEN
    ALTER TABLE public.visit_notes RENAME TO clinical_notes;
  END IF;
  IF to_regprocedure('public.touch(uuid)') IS NULL AND to_regnamespace('audit') IS NOT NULL THEN
    CREATE FUNCTION public.touch(uuid) RETURNS void LANGUAGE sql AS 'SELECT 1';
  END IF;
  IF to_regproc('public.helper') IS NULL THEN
    CREATE FUNCTION public.helper() RETURNS int LANGUAGE sql AS 'SELECT 1';
  END IF;
  IF length('to_regclass') > 3 THEN
    CREATE TYPE public.other AS ENUM ('a');
  END IF;
END $$;`;
    expect(parseSql(text).nested.map((statement) => statement.guard?.kind)).toEqual(['if-not-exists', 'if-exists', 'if-not-exists', 'if-not-exists', undefined]);
  });

  it('finds guarded statements in DO blocks, positioned in the file', () => {
    const text = fixture('do-block-guards.sql');
    const { statements, nested, errors } = parseSql(text);

    expect(errors).toEqual([]);
    expect(statements.map((statement) => [statement.kind, span(statement.range)])).toEqual([
      ['DoStmt', '5:1-14:7'],
      ['DoStmt', '16:1-22:8'],
      ['DoStmt', '24:1-39:7'],
    ]);
    expect(nested.map(summary)).toEqual([
      { kind: 'AlterTableStmt', range: '11:5-12:73', guard: 'if-not-exists' },
      { kind: 'CreateEnumStmt', range: '18:3-18:62', guard: 'exception-handler' },
      { kind: 'DropStmt', range: '29:5-29:51', guard: 'if-exists' },
      { kind: 'CreateStmt', range: '31:5-31:60', guard: 'if-not-exists' },
      // The FOR loop's SELECT and PERFORM only read: skipped.
      { kind: 'UpdateStmt', range: '36:5-36:61', guard: undefined },
      // EXECUTE of a constant string, positioned inside its quotes.
      { kind: 'AlterTableStmt', range: '38:12-38:63', guard: undefined },
    ]);
    for (const statement of nested) {
      expect(text.slice(statement.range.start.offset, statement.range.end.offset)).toBe(statement.text);
    }
    expect(nested.map((statement) => statement.parent)).toEqual([
      statements[0],
      statements[1],
      statements[2],
      statements[2],
      statements[2],
      statements[2],
    ]);
  });

  it('records the guard condition as written', () => {
    const [constraint, enumType, dropPolicy] = parseSql(fixture('do-block-guards.sql')).nested;
    expect(constraint.text).toBe(
      'ALTER TABLE public.visits\n      ADD CONSTRAINT visits_duration_check CHECK (duration_minutes >= 0)',
    );
    expect(constraint.guard).toEqual({
      kind: 'if-not-exists',
      condition: "NOT EXISTS (\n    SELECT 1 FROM pg_constraint WHERE conname = 'visits_duration_check'\n  )",
    });
    expect(enumType.guard).toEqual({ kind: 'exception-handler', condition: 'duplicate_object' });
    expect(dropPolicy.guard).toEqual({
      kind: 'if-exists',
      condition: "EXISTS (SELECT 1 FROM pg_policies WHERE policyname = 'visits_select_own')",
    });
  });

  it('maps node locations inside a DO block to the file', () => {
    const [constraint] = parseSql(fixture('do-block-guards.sql')).nested;
    expect(constraint.node.cmds[0].AlterTableCmd.def.Constraint.conname).toBe('visits_duration_check');
    expect(constraint.locate?.(constraint.node.relation.location)).toMatchObject({ line: 11, column: 17 });
  });

  it('finds the statements of a PL/pgSQL trigger function, with their leading comments', () => {
    const text = fixture('plpgsql-function.sql');
    const { statements, nested, errors } = parseSql(text);

    expect(errors).toEqual([]);
    expect(statements.map((statement) => [statement.kind, span(statement.range)])).toEqual([
      ['CreateFunctionStmt', '1:1-21:11'],
      ['CreateTrigStmt', '23:1-24:58'],
      // LANGUAGE sql: its body is not PL/pgSQL.
      ['CreateFunctionStmt', '26:1-28:73'],
    ]);
    expect(nested.map(summary)).toEqual([
      { kind: 'InsertStmt', range: '11:3-13:81', guard: undefined },
      // SELECT ... INTO only reads: skipped. The UPDATE's INTO target is PL/pgSQL, not SQL.
      { kind: 'UpdateStmt', range: '17:3-17:90', guard: undefined },
      { kind: 'DeleteStmt', range: '18:3-18:68', guard: undefined },
    ]);
    expect(nested.every((statement) => statement.parent === statements[0])).toBe(true);
    expect(nested[0].leadingComments).toEqual([{ text: 'Keep the counter → in sync', line: 10 }]);
    expect(nested[1].text).toBe('UPDATE public.patients SET last_visit_at = now() WHERE id = NEW.patient_id RETURNING id');
  });

  it('positions statements after non-ASCII text in the body', () => {
    const text = "DO $$\nBEGIN\n  RAISE NOTICE 'étape → 🚀'; DELETE FROM public.visits WHERE note = '✅';\nEND $$;";
    const [deleted] = parseSql(text).nested;
    expect(span(deleted.range)).toBe('3:30-3:72');
    expect(deleted.text).toBe("DELETE FROM public.visits WHERE note = '✅'");
    expect(deleted.locate?.(deleted.node.relation.location)).toMatchObject({ line: 3, column: 42 });
  });

  it('tells apart identical statements on one line', () => {
    const { nested } = parseSql('DO $$ BEGIN DELETE FROM t; DELETE FROM t; END $$;');
    expect(nested.map((statement) => span(statement.range))).toEqual(['1:13-1:26', '1:28-1:41']);
  });

  it('keeps the guard of an outer IF inside loops, and not in the ELSE branch', () => {
    const text = [
      'DO $$',
      'DECLARE i int;',
      'BEGIN',
      "  IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'rooms') THEN",
      '    FOR i IN 1..2 LOOP',
      '      INSERT INTO public.rooms VALUES (i);',
      '    END LOOP;',
      '  ELSE',
      '    TRUNCATE public.rooms;',
      '  END IF;',
      'END $$;',
    ].join('\n');
    expect(parseSql(text).nested.map(summary)).toEqual([
      { kind: 'InsertStmt', range: '6:7-6:42', guard: 'if-not-exists' },
      { kind: 'TruncateStmt', range: '9:5-9:26', guard: undefined },
    ]);
  });

  it('parses a single-quoted body and a DO block with an explicit LANGUAGE, but not other languages', () => {
    const { nested } = parseSql(
      "DO 'BEGIN DELETE FROM a; END';\nDO LANGUAGE plpgsql $$ BEGIN DELETE FROM b; END $$;\nDO LANGUAGE plpython3u $$ plpy.execute('DELETE FROM c') $$;",
    );
    expect(nested.map((statement) => [statement.text, span(statement.range)])).toEqual([
      ['DELETE FROM a', '1:11-1:24'],
      ['DELETE FROM b', '2:30-2:43'],
    ]);
  });

  it('reports a PL/pgSQL error once and yields no nested statements for that body', () => {
    const { nested, errors } = parseSql('DO $$\nDECLARE r record;\nBEGIN\n  DELETE FROM a;\n  RETURN QUERY SELECT 1;\nEND $$;');
    expect(nested).toEqual([]);
    expect(errors.map((error) => [span(error.range), error.message])).toEqual([
      // No position in the message: the body's opening quote is underlined.
      ['1:4-1:6', 'DO block: cannot use RETURN QUERY in a non-SETOF function'],
    ]);
  });
});

describe('parseSql: the expressions of PL/pgSQL bodies', () => {
  const text = [
    'DO $$',
    'DECLARE',
    "  v_oid oid := lo_import('/etc/passwd');",
    '  v_sql text;',
    '  r record;',
    'BEGIN',
    "  PERFORM lo_export(v_oid, '/tmp/x');",
    "  v_sql := format('DROP TABLE %I', 'x');",
    '  EXECUTE v_sql;',
    "  EXECUTE 'DROP TABLE ' || v_sql USING 1;",
    '  IF lo_unlink(v_oid) > 0 THEN',
    "    RAISE NOTICE 'x %', v_oid;",
    '  END IF;',
    "  FOR r IN EXECUTE format('SELECT %s', v_sql) LOOP",
    '    NULL;',
    '  END LOOP;',
    "  SELECT lo_export(1, '/y') INTO v_oid;",
    "  EXECUTE 'DELETE FROM t';",
    'END $$;',
  ].join('\n');

  it('lists queries, expressions and dynamic EXECUTE strings with their positions, targets and parsed nodes', () => {
    const { statements, nested, expressions, errors } = parseSql(text);
    expect(errors).toEqual([]);
    expect(expressions.map((expression) => [expression.kind, expression.text, expression.target, span(expression.range), Boolean(expression.node?.targetList)])).toEqual([
      ['expression', "lo_import('/etc/passwd')", 'v_oid', '3:16-3:40', true],
      ['query', "SELECT lo_export(v_oid, '/tmp/x')", undefined, '7:11-7:37', true],
      ['expression', "v_sql := format('DROP TABLE %I', 'x')", 'v_sql', '8:3-8:40', true],
      ['dynamic-execute', 'v_sql', undefined, '9:11-9:16', true],
      ['dynamic-execute', "'DROP TABLE ' || v_sql", undefined, '10:11-10:33', true],
      ['expression', '1', undefined, '10:40-10:41', true],
      ['expression', 'lo_unlink(v_oid) > 0', undefined, '11:6-11:26', true],
      ['expression', 'v_oid', undefined, '12:25-12:30', true],
      ['dynamic-execute', "format('SELECT %s', v_sql)", undefined, '14:20-14:46', true],
      ['query', "SELECT lo_export(1, '/y')", undefined, '17:3-17:28', true],
    ]);
    for (const expression of expressions) expect(expression.parent).toBe(statements[0]);
    // A constant EXECUTE is a nested statement, not an expression.
    expect(nested.map((statement) => [statement.kind, span(statement.range)])).toEqual([['DeleteStmt', '18:12-18:25']]);
  });

  it('has none for a body that does not parse, or a language other than PL/pgSQL', () => {
    expect(parseSql("DO $$ BEGIN PERFORM lo_export(1, '/x') END $$;").expressions).toEqual([]);
    expect(parseSql("DO LANGUAGE plpython3u $$ plpy.execute('SELECT 1') $$;").expressions).toEqual([]);
  });
});

