/**
 * The function verifier on the real PostgreSQL 15: the plpgsql_check engine and the built-in
 * engine on the same fixture, so that both are held to the same defect classes (their known
 * differences are listed in __fixtures__/expected.ts). Skipped with one line without a server;
 * PGWARDEN_REQUIRE_DB=1 makes a missing server (or a missing plpgsql_check) a failure.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.js';
import type { Database, DbSession } from '../db/types.js';
import { TEST_DATABASE_URL, createTestDatabase, serverAvailable, type TestDatabase } from '../runner/__fixtures__/test-db.js';
import {
  BUILTIN_CHECKED_COUNT,
  EXPECTED_BUILTIN,
  EXPECTED_PLPGSQL_CHECK,
  FIXTURE_FUNCTION_COUNT,
  FIXTURE_SCHEMAS,
  FIXTURE_SQL,
  IDIOMS_SQL,
  IDIOM_FUNCTION_COUNT,
  expectDefects,
  generatedFunctions,
} from './__fixtures__/expected.js';
import { verifyFunctions } from './index.js';

const enabled = await serverAvailable('verify/plpgsql-check.test.ts');
const plpgsqlCheck = enabled && (await extensionAvailable('plpgsql_check'));
if (enabled && !plpgsqlCheck) {
  if (process.env.PGWARDEN_REQUIRE_DB === '1') throw new Error('verify/plpgsql-check.test.ts: the server has no plpgsql_check (apt-get install postgresql-15-plpgsql-check)');
  console.warn('[skipped] verify/plpgsql-check.test.ts, plpgsql_check engine: the server has no plpgsql_check (apt-get install postgresql-15-plpgsql-check)');
}

async function extensionAvailable(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_available_extensions WHERE name = $1', [name])).rows.length > 0;
  } finally {
    await client.end();
  }
}

describe.skipIf(!enabled)('verifyFunctions on PostgreSQL 15', () => {
  let testDb: TestDatabase;
  let db: Database;
  let session: DbSession;

  beforeAll(async () => {
    testDb = await createTestDatabase('verify');
    db = await openDatabase({ url: testDb.url });
    session = await db.session();
    await session.exec(FIXTURE_SQL);
  });

  afterAll(async () => {
    await session?.close();
    await db?.close();
    await testDb?.drop();
  });

  it.skipIf(!plpgsqlCheck)('plpgsql_check: every error of every function, at its body line, and nothing on the near misses', async () => {
    const result = await verifyFunctions(db, { schemas: FIXTURE_SCHEMAS });
    expect(result.engine).toBe('plpgsql_check');
    expect(result.checked).toBe(FIXTURE_FUNCTION_COUNT);
    expect(result.counts.plpgsqlCheckCalls).toBeGreaterThan(0);
    await expectDefects(session, result.defects, EXPECTED_PLPGSQL_CHECK);
    expect(result.unchecked).toEqual([
      { function: 'public.ok_dynamic(text)', bodyLine: 5, reason: 'dynamic SQL (EXECUTE) is built at run time' },
      { function: 'public.ok_return_query_execute(text)', bodyLine: 3, reason: 'dynamic SQL (EXECUTE) is built at run time' },
      { function: 'public.ok_temp_table()', bodyLine: 6, reason: 'uses tmp_totals, which the function creates itself' },
    ]);
  });

  it('without plpgsql_check, auto falls back to builtin, and says which engine ran', async () => {
    const result = await verifyFunctions(db, { schemas: ['public'], functions: ['public.bad_cast(integer)'], engine: plpgsqlCheck ? 'builtin' : 'auto' });
    expect(result).toMatchObject({ engine: 'builtin', checked: 1 });
    expect(result.defects.map((d) => d.sqlstate)).toEqual(['42846']);
  });

  it('builtin on PG 15 finds what it finds on PGlite', async () => {
    const result = await verifyFunctions(db, { schemas: FIXTURE_SCHEMAS, engine: 'builtin' });
    expect(result.engine).toBe('builtin');
    expect(result.checked).toBe(BUILTIN_CHECKED_COUNT);
    await expectDefects(session, result.defects, EXPECTED_BUILTIN);
  });

  it.skipIf(!plpgsqlCheck)('both engines agree on the defect classes of every function', async () => {
    const classes = (defects: { function: string; rule: string }[]) => [...new Set(defects.map((d) => `${d.function} ${d.rule}`))].sort();
    const checked = await verifyFunctions(db, { schemas: FIXTURE_SCHEMAS, engine: 'plpgsql_check' });
    const builtin = await verifyFunctions(db, { schemas: FIXTURE_SCHEMAS, engine: 'builtin' });
    expect(classes(checked.defects)).toEqual(classes(builtin.defects));
  });

  it.skipIf(!plpgsqlCheck)('installs plpgsql_check only inside its own transaction: the database keeps no trace', async () => {
    await verifyFunctions(db, { schemas: ['public'], engine: 'plpgsql_check' });
    const traces = await session.query(
      `SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'plpgsql_check') AS extensions,
              (SELECT count(*) FROM pg_namespace WHERE nspname = 'pgwarden_plpgsql_check') AS schemas`,
    );
    expect(traces.rows).toEqual([{ extensions: '0', schemas: '0' }]);
  });

  it.skipIf(!plpgsqlCheck)('uses an extension the schema already installed, wherever it lives', async () => {
    await session.exec('CREATE SCHEMA extensions; CREATE EXTENSION plpgsql_check SCHEMA extensions');
    try {
      const result = await verifyFunctions(db, { schemas: ['public'], functions: ['public.bad_missing_table()'] });
      expect(result).toMatchObject({ engine: 'plpgsql_check', checked: 1 });
      expect(result.defects.map((d) => d.message)).toEqual(['relation "public.user_profiles" does not exist']);
      // Extension members are not the schema's functions: none of plpgsql_check's own are verified.
      const all = await verifyFunctions(db, { schemas: ['extensions'] });
      expect(all.checked).toBe(0);
    } finally {
      await session.exec('DROP EXTENSION plpgsql_check; DROP SCHEMA extensions');
    }
  });

  it.skipIf(!plpgsqlCheck)('a role that may not create the extension: auto falls back to builtin, an explicit request fails in one line', async () => {
    const role = `pgw_verify_${process.pid}`;
    await session.exec(`CREATE ROLE ${role} LOGIN`);
    const url = new URL(testDb.url);
    url.username = role;
    const limited = await openDatabase({ url: url.toString() });
    try {
      const auto = await verifyFunctions(limited, { schemas: ['public'], functions: ['public.bad_cast(integer)'] });
      expect(auto).toMatchObject({ engine: 'builtin', checked: 1 });
      expect(auto.defects.map((d) => d.message)).toEqual(['cannot cast type jsonb to integer[]']);
      const error = await verifyFunctions(limited, { schemas: ['public'], engine: 'plpgsql_check' }).catch((e: unknown) => e);
      // The role may not create the extension's schema (nor, as superuser-only, the extension).
      expect((error as Error).message).toMatch(/^cannot use plpgsql_check on this database: permission denied [^\n]+$/);
    } finally {
      await limited.close();
      await session.exec(`DROP ROLE ${role}`);
    }
  });

  it.skipIf(!plpgsqlCheck)('grows linearly on both engines: 4n functions cost 4 times the work of n', async () => {
    await session.exec(generatedFunctions('grow_small', 5) + generatedFunctions('grow_large', 20));
    for (const engine of ['plpgsql_check', 'builtin'] as const) {
      const small = await verifyFunctions(db, { schemas: ['grow_small'], engine });
      const large = await verifyFunctions(db, { schemas: ['grow_large'], engine });
      expect([small.checked, large.checked]).toEqual([5, 20]);
      const work = (r: typeof small) => r.counts.prepared + r.counts.plpgsqlCheckCalls;
      expect(work(small)).toBe(engine === 'builtin' ? 5 * 4 : 5);
      expect(work(large)).toBe(4 * work(small));
      expect(large.defects.map((d) => d.rule)).toEqual(Array(20).fill('function-ambiguous-column'));
    }
  });

  it('reports nothing on correct code in common PL/pgSQL idioms', async () => {
    await session.exec(IDIOMS_SQL);
    const keys = (await session.query<{ key: string }>(
      `SELECT format('%s.%s(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)) AS key
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname LIKE 'ok\\_idioms\\_%'`,
    )).rows.map((row) => row.key);
    expect(keys).toHaveLength(IDIOM_FUNCTION_COUNT);
    for (const engine of plpgsqlCheck ? (['plpgsql_check', 'builtin'] as const) : (['builtin'] as const)) {
      const result = await verifyFunctions(db, { schemas: ['public'], functions: keys, engine });
      expect(result.defects, engine).toEqual([]);
      expect(result.unchecked, engine).toEqual([]);
      expect(result.checked, engine).toBe(IDIOM_FUNCTION_COUNT);
    }
  });
});
