/**
 * The function verifier on PGlite (the built-in engine): every defect class of
 * __fixtures__/functions.sql is reported at its body line and column, every near miss stays
 * clean, what cannot be checked is listed, and the database is left as it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.js';
import type { Database, DbSession } from '../db/types.js';
import { BUILTIN_CHECKED_COUNT, EXPECTED_BUILTIN, FIXTURE_SCHEMAS, FIXTURE_SQL, IDIOMS_SQL, IDIOM_FUNCTION_COUNT, expectDefects, generatedFunctions } from './__fixtures__/expected.js';
import { VerifyError, verifyFunctions } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'pgwarden-verify-'));
let db: Database;
let session: DbSession;

beforeAll(async () => {
  db = await openDatabase({ embeddedDir: join(root, 'db') });
  session = await db.session();
  await session.exec(FIXTURE_SQL);
});

afterAll(async () => {
  await db?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('verifyFunctions on PGlite (builtin engine)', () => {
  it('reports each defect class at its body line and column, and nothing on the near misses', async () => {
    const result = await verifyFunctions(db, { schemas: FIXTURE_SCHEMAS });
    expect(result.engine).toBe('builtin');
    expect(result.checked).toBe(BUILTIN_CHECKED_COUNT);
    await expectDefects(session, result.defects, EXPECTED_BUILTIN);
  });

  it('carries Postgres message and hint', async () => {
    const { defects } = await verifyFunctions(db, { schemas: ['public'], functions: ['public.bad_operator(uuid[])'] });
    expect(defects.map((d) => d.message)).toEqual(['operator does not exist: text = uuid[]', 'operator does not exist: text = uuid']);
    expect(defects[0].hint).toMatch(/explicit type casts/);
    expect(defects.every((d) => d.severity === 'error')).toBe(true);
  });

  it('lists dynamic SQL and statements on tables the function creates as unchecked instead of reporting them', async () => {
    const functions = ['public.ok_dynamic(text)', 'public.ok_temp_table()', 'public.ok_record_loop()', 'public.ok_transition_table()', 'public.ok_polymorphic(anyelement)', 'public.ok_return_query_execute(text)', 'public.ok_record_arithmetic()'];
    const result = await verifyFunctions(db, { schemas: ['public'], functions });
    expect(result.defects).toEqual([]);
    // The polymorphic function is not counted: nothing of it was checked.
    expect(result.checked).toBe(6);
    expect(result.unchecked).toEqual([
      { function: 'public.ok_dynamic(text)', bodyLine: 5, reason: 'dynamic SQL (EXECUTE) is built at run time' },
      { function: 'public.ok_polymorphic(anyelement)', reason: 'polymorphic parameter type anyelement: the types are known only per call' },
      // r.amount * r.factor: with NULL standing for the fields, only run time knows the operator.
      { function: 'public.ok_record_arithmetic()', bodyLine: 7, reason: 'the type of r is known only at run time' },
      { function: 'public.ok_return_query_execute(text)', bodyLine: 3, reason: 'dynamic SQL (EXECUTE) is built at run time' },
      { function: 'public.ok_temp_table()', bodyLine: 5, reason: 'CreateTableAsStmt statements cannot be prepared' },
      { function: 'public.ok_temp_table()', bodyLine: 6, reason: 'uses tmp_totals, which the function creates itself' },
      { function: 'public.ok_transition_table()', bodyLine: 3, reason: "uses new_orders, the trigger's transition table" },
    ]);
  });

  it('checks only the functions asked for, and says so when nothing was checked', async () => {
    const one = await verifyFunctions(session, { schemas: ['public'], functions: ['public.ok_cast(integer)'] });
    expect(one).toMatchObject({ checked: 1, defects: [] });
    const none = await verifyFunctions(session, { schemas: ['no_such_schema'] });
    expect(none).toMatchObject({ checked: 0, defects: [], unchecked: [] });
    const unknownKey = await verifyFunctions(session, { schemas: ['public'], functions: ['public.nope()'] });
    expect(unknownKey.checked).toBe(0);
  });

  it('refuses plpgsql_check on PGlite with one clear error', async () => {
    const error = await verifyFunctions(db, { schemas: ['public'], engine: 'plpgsql_check' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerifyError);
    expect((error as Error).message).toMatch(/^plpgsql_check is not available on this database/);
  });

  it('leaves the database as it found it', async () => {
    const before = await session.query(`SELECT current_setting('search_path') AS path, (SELECT count(*) FROM pg_class) AS relations`);
    await verifyFunctions(session, { schemas: ['public'] });
    const after = await session.query(`SELECT current_setting('search_path') AS path, (SELECT count(*) FROM pg_class) AS relations`);
    expect(after.rows).toEqual(before.rows);
    expect((await session.query('SELECT name FROM pg_prepared_statements')).rows).toEqual([]);
    // Not left inside the verifier's transaction: a failing statement does not poison the next one.
    await expect(session.query('SELECT 1/0')).rejects.toThrow();
    expect((await session.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('grows linearly: 4n functions prepare exactly 4 times the statements of n', async () => {
    await session.exec(generatedFunctions('grow_small', 5) + generatedFunctions('grow_large', 20));
    const small = await verifyFunctions(session, { schemas: ['grow_small'] });
    const large = await verifyFunctions(session, { schemas: ['grow_large'] });
    expect(small.checked).toBe(5);
    expect(large.checked).toBe(20);
    // Per function: 3 statements, and one ambiguity probe per unqualified variable name in each
    // that can be a column there (qty in the UPDATE: items has a column qty).
    expect(small.counts.prepared).toBe(5 * 4);
    expect(large.counts.prepared).toBe(4 * small.counts.prepared);
    expect(small.defects.map((d) => d.rule)).toEqual(Array(5).fill('function-ambiguous-column'));
  });

  it('reports nothing on correct code in common PL/pgSQL idioms', async () => {
    await session.exec(IDIOMS_SQL);
    const keys = (await session.query<{ key: string }>(
      `SELECT format('%s.%s(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)) AS key
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname LIKE 'ok\\_idioms\\_%'`,
    )).rows.map((row) => row.key);
    expect(keys).toHaveLength(IDIOM_FUNCTION_COUNT);
    for (const engine of ['builtin'] as const) {
      const result = await verifyFunctions(db, { schemas: ['public'], functions: keys, engine });
      expect(result.defects, engine).toEqual([]);
      expect(result.unchecked, engine).toEqual([]);
      expect(result.checked, engine).toBe(IDIOM_FUNCTION_COUNT);
    }
  });
});
