import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from '../../sql/index.js';
import { allSites, allStatements, builtinCalls, languageOf, whereNested } from './everywhere.js';

beforeAll(async () => {
  await loadParser();
});

const FILE = `DO $$ BEGIN DELETE FROM a; PERFORM lo_unlink(1); END $$;
CREATE FUNCTION public.f() RETURNS void LANGUAGE plpgsql AS $fn$ BEGIN DELETE FROM b; END $fn$;
CREATE FUNCTION public.g() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM c; DELETE FROM d $$;
CREATE FUNCTION public.h() RETURNS int LANGUAGE c AS 'lib', 'h';
SELECT pg_catalog.lo_import('/x'), lo_export(1, '/y'), other.lo_export(1, 'z'), LO_IMPORT('/w');`;

describe('allStatements', () => {
  it('lists top-level statements, DO and PL/pgSQL body statements, and LANGUAGE sql string bodies at their function', () => {
    const sql = parseSql(FILE);
    const list = allStatements(sql);
    expect(list.map((statement) => [statement.kind, statement.range.start.line, statement.parent?.kind])).toEqual([
      ['DoStmt', 1, undefined],
      ['DeleteStmt', 1, 'DoStmt'],
      ['CreateFunctionStmt', 2, undefined],
      ['DeleteStmt', 2, 'CreateFunctionStmt'],
      ['CreateFunctionStmt', 3, undefined],
      ['SelectStmt', 3, 'CreateFunctionStmt'],
      ['DeleteStmt', 3, 'CreateFunctionStmt'],
      ['CreateFunctionStmt', 4, undefined],
      ['SelectStmt', 5, undefined],
    ]);
    expect(allStatements(sql)).toBe(list);
  });

  it('sites add the parsed expressions of PL/pgSQL bodies', () => {
    const sites = allSites(parseSql(FILE));
    expect(sites.filter((site) => site.expression).map((site) => site.expression!.text)).toEqual(['SELECT lo_unlink(1)']);
  });
});

describe('builtinCalls', () => {
  it('finds calls unqualified or in pg_catalog, case-insensitively, positioned at the call; not other schemas', () => {
    const calls = builtinCalls(parseSql(FILE), new Set(['lo_import', 'lo_export', 'lo_unlink']));
    const [line1, , , , line5] = FILE.split('\n') as [string, string, string, string, string];
    expect(calls.map((call) => [call.name, call.range.start.line, call.range.start.column])).toEqual([
      // In a PERFORM: the expression's position (the call itself there).
      ['lo_unlink', 1, line1.indexOf('lo_unlink') + 1],
      ['lo_import', 5, line5.indexOf('pg_catalog.lo_import') + 1],
      ['lo_export', 5, line5.indexOf(' lo_export') + 2],
      ['lo_import', 5, line5.indexOf('LO_IMPORT') + 1],
    ]);
  });
});

describe('languageOf and whereNested', () => {
  it('reads the language (DO defaults to plpgsql) and says where a nested statement runs', () => {
    const sql = parseSql(FILE);
    expect(sql.statements.map(languageOf)).toEqual(['plpgsql', 'plpgsql', 'sql', 'c', undefined]);
    const [inDo, inFunction] = sql.nested;
    expect(whereNested(inDo)).toBe(' (in the DO block on line 1)');
    expect(whereNested(inFunction)).toBe(' (in the body of public.f on line 2, run each time it is called)');
    expect(whereNested(sql.statements[0])).toBe('');
  });
});
