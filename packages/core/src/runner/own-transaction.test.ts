/**
 * A migration's own transaction control, on a real PostgreSQL server and on PGlite: a
 * `BEGIN; ... COMMIT;` wrapper runs inside the runner's transaction (so a later failure rolls the
 * whole file back, as the message says), anything that would end or split that transaction is
 * refused before the file runs, and near misses (BEGIN ATOMIC, PL/pgSQL blocks, literals,
 * comments, dollar quotes, the file's own savepoints) are not mistaken for transaction commands.
 * The same for a rollback script, which runs in one transaction with its history row's removal
 * and its log line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/index.js';
import type { Database } from '../db/types.js';
import { Workspace } from './__fixtures__/migrations.js';
import { createTestDatabase, serverAvailable, type TestDatabase } from './__fixtures__/test-db.js';
import { migrate } from './migrate.js';
import type { MigrateOptions } from './migrate-types.js';
import { rollback } from './rollback.js';

const serverEnabled = await serverAvailable('runner/own-transaction.test.ts');

interface Target {
  db: Database;
  /** Rows of a query run outside the runner (a connection of its own on pg, the one session on PGlite). */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** Several statements, for setup. */
  exec(sql: string): Promise<void>;
}

const adapters: Array<{ name: string; enabled: boolean; open(): Promise<Target & { close(): Promise<void> }> }> = [
  {
    name: 'pg',
    enabled: serverEnabled,
    async open() {
      const testDb: TestDatabase = await createTestDatabase('owntx');
      const db = await openDatabase({ url: testDb.url });
      const admin = await testDb.admin();
      return {
        db,
        rows: async (sql) => (await admin.query(sql)).rows,
        exec: async (sql) => void (await admin.query(sql)),
        async close() {
          await db.close();
          await testDb.drop();
        },
      };
    },
  },
  {
    name: 'PGlite',
    enabled: true,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'pgwarden-owntx-'));
      const db = await openDatabase({ embeddedDir: join(dir, 'data') });
      return {
        db,
        async rows(sql) {
          const session = await db.session();
          try {
            return (await session.query<Record<string, unknown>>(sql)).rows;
          } finally {
            await session.close();
          }
        },
        async exec(sql) {
          const session = await db.session();
          try {
            await session.exec(sql);
          } finally {
            await session.close();
          }
        },
        async close() {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

describe.each(adapters.filter((a) => a.enabled))("a file's own transaction control ($name)", (adapter) => {
  let target: Target & { close(): Promise<void> };
  const workspaces: Workspace[] = [];
  beforeAll(async () => {
    target = await adapter.open();
  }, 60_000);
  afterAll(async () => {
    await target?.close();
    for (const ws of workspaces) ws.cleanup();
  });

  async function fresh(): Promise<Workspace> {
    await target.exec('DROP SCHEMA IF EXISTS pgwarden CASCADE; DROP SCHEMA IF EXISTS app CASCADE; CREATE SCHEMA app; CREATE TABLE app.notes (id int)');
    const ws = new Workspace();
    workspaces.push(ws);
    return ws;
  }

  const run = (ws: Workspace, extra: Partial<MigrateOptions> = {}) =>
    migrate({ db: target.db, migrations: ws.load(), envName: 'test', environment: { approvals: 0 }, appliedBy: 'tester', toolVersion: 'test', retryDelayMs: 20, ...extra });

  const columnExists = async (table: string, column: string) =>
    (await target.rows(`SELECT 1 FROM information_schema.columns WHERE table_schema = 'app' AND table_name = '${table}' AND column_name = '${column}'`)).length === 1;
  const tableExists = async (table: string) => (await target.rows(`SELECT to_regclass('app.${table}')::text AS t`))[0]!.t !== null;
  const history = () => target.rows('SELECT name, status FROM pgwarden.migration_history ORDER BY version');
  const lineOf = (ws: Workspace, file: string, needle: string) => ws.read(file).split('\n').findIndex((line) => line.includes(needle)) + 1;

  it('a wrapped file applies in the runner transaction and records its history row, with no warning', async () => {
    const ws = await fresh();
    ws.write({
      file: '2025-01-01_01_wrapped.sql',
      body: 'BEGIN;\nALTER TABLE app.notes ADD COLUMN pinned boolean NOT NULL DEFAULT false;\nCOMMIT;',
      verify: "SELECT count(*) = 1 FROM information_schema.columns WHERE table_schema = 'app' AND column_name = 'pinned'",
    });
    const result = await run(ws);
    expect(result.failed).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.applied.map((a) => a.name)).toEqual(['2025-01-01_01_wrapped.sql']);
    expect(await columnExists('notes', 'pinned')).toBe(true);
    expect(await history()).toEqual([{ name: '2025-01-01_01_wrapped.sql', status: 'applied' }]);
  });

  it('a failure after the wrapper rolls back the wrapped statements too, and the message says so truthfully', async () => {
    const ws = await fresh();
    const file = '2025-01-01_01_fails_after.sql';
    ws.write({
      file,
      body: 'BEGIN;\nALTER TABLE app.notes ADD COLUMN pinned boolean NOT NULL DEFAULT false;\nCOMMIT;\n\nSELECT no_such_column FROM app.notes;',
    });
    const result = await run(ws);
    expect(result.applied).toEqual([]);
    // The line is the file's own: the neutralised wrapper keeps every line where it was.
    expect(result.failed[0]!.message).toBe(
      `migration_history/${file}:${lineOf(ws, file, 'no_such_column')}: column "no_such_column" does not exist; rolled back, nothing of it was applied`,
    );
    expect(await columnExists('notes', 'pinned')).toBe(false);
    expect(await history()).toEqual([{ name: file, status: 'failed' }]);
  });

  it('a COMMIT in the middle of the file is refused before anything of it runs', async () => {
    const ws = await fresh();
    const file = '2025-01-01_01_mid_commit.sql';
    ws.write({ file, body: 'CREATE TABLE app.first (id int);\nCOMMIT;\nCREATE TABLE app.second (id int);' });
    const result = await run(ws);
    expect(result.applied).toEqual([]);
    expect(result.failed).toEqual([]);
    expect(result.refused.map((r) => [r.kind, r.message.split(' would ')[0]])).toEqual([
      ['transaction-control', `migration_history/${file}:${lineOf(ws, file, 'COMMIT;')}: COMMIT without a BEGIN before it`],
    ]);
    expect(await tableExists('first')).toBe(false);
    expect(await history()).toEqual([]);
  });

  it('a second BEGIN, a ROLLBACK and a foreign savepoint are refused, and the files before them do not run either', async () => {
    const ws = await fresh();
    ws.write(
      { file: '2025-01-01_01_ok.sql', body: 'CREATE TABLE app.ok (id int);' },
      { file: '2025-01-02_02_split.sql', body: 'BEGIN;\nCREATE TABLE app.a (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE app.b (id int);\nCOMMIT;' },
      { file: '2025-01-03_03_rollback.sql', body: 'CREATE TABLE app.c (id int);\nROLLBACK;' },
      { file: '2025-01-04_04_savepoint.sql', body: 'CREATE TABLE app.d (id int);\nROLLBACK TO SAVEPOINT runner;' },
    );
    const result = await run(ws);
    expect(result.refused.map((r) => r.message.replace(/ (would|names) .*/, ''))).toEqual([
      `migration_history/2025-01-02_02_split.sql:${lineOf(ws, '2025-01-02_02_split.sql', 'app.b') - 1}: a second BEGIN: a file's own transaction may appear once, and this one`,
      `migration_history/2025-01-03_03_rollback.sql:${lineOf(ws, '2025-01-03_03_rollback.sql', 'ROLLBACK')}: ROLLBACK`,
      `migration_history/2025-01-04_04_savepoint.sql:${lineOf(ws, '2025-01-04_04_savepoint.sql', 'ROLLBACK TO')}: ROLLBACK TO SAVEPOINT runner`,
    ]);
    expect(result.applied).toEqual([]);
    expect(await tableExists('ok')).toBe(false);
  });

  it('--dry-run shows the SQL that runs: the wrapper as comments, in the same lines', async () => {
    const ws = await fresh();
    const [m] = ws.write({ file: '2025-01-01_01_wrapped.sql', body: 'BEGIN;\nCREATE TABLE app.t (id int);\nCOMMIT;' });
    const result = await run(ws, { dryRun: true });
    const sql = result.planned[0]!.sql!;
    expect(sql.split('\n')).toHaveLength(m!.body.split('\n').length);
    expect(sql).toContain("/* the file's own BEGIN, neutralised: pgwarden runs the whole file in one transaction */;");
    expect(sql).toContain("/* the file's own COMMIT, neutralised: pgwarden commits the file together with its history row */;");
    expect(sql).toContain('CREATE TABLE app.t (id int);');
  });

  it('near misses stay accepted and apply atomically: BEGIN ATOMIC, DO blocks, function bodies, literals, comments, own savepoints', async () => {
    const ws = await fresh();
    const file = '2025-01-01_01_near_misses.sql';
    const nearMisses = [
      'BEGIN;',
      'CREATE FUNCTION app.one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;',
      'DO $$ BEGIN INSERT INTO app.notes VALUES (1); END $$;',
      "DO $$ BEGIN RAISE NOTICE 'COMMIT; ROLLBACK;'; END $$;",
      'CREATE PROCEDURE app.batch() LANGUAGE plpgsql AS $body$ BEGIN COMMIT; ROLLBACK; END $body$;',
      "INSERT INTO app.notes SELECT 2 WHERE 'COMMIT;' <> $q$ROLLBACK; BEGIN; END;$q$; -- COMMIT;",
      '/* ROLLBACK; */ SAVEPOINT before_three;',
      'INSERT INTO app.notes VALUES (3);',
      'ROLLBACK TO SAVEPOINT before_three;',
      'RELEASE SAVEPOINT before_three;',
      'COMMIT;',
    ];
    ws.write({ file, body: nearMisses.join('\n') });
    const applied = await run(ws);
    expect(applied.refused).toEqual([]);
    expect(applied.failed).toEqual([]);
    expect(await target.rows('SELECT id FROM app.notes ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await target.rows('SELECT app.one() AS one')).toEqual([{ one: 1 }]);
    expect(await history()).toEqual([{ name: file, status: 'applied' }]);

    // The same file failing at its end leaves nothing of it.
    const ws2 = await fresh();
    ws2.write({ file, body: [...nearMisses, 'SELECT 1/0;'].join('\n') });
    const failed = await run(ws2);
    expect(failed.failed[0]!.message).toMatch(/division by zero; rolled back, nothing of it was applied$/);
    expect(await target.rows('SELECT count(*)::int AS n FROM app.notes')).toEqual([{ n: 0 }]);
    expect(await target.rows("SELECT to_regprocedure('app.one()')::text AS f")).toEqual([{ f: null }]);
  });

  it('a no-transaction file with BEGIN/COMMIT is refused before its first statement runs', async () => {
    const ws = await fresh();
    const file = '2025-01-01_01_notx.sql';
    ws.write({ file, noTransaction: true, body: 'CREATE TABLE app.first (id int);\nBEGIN;\nCREATE TABLE app.second (id int);\nCOMMIT;' });
    const result = await run(ws);
    expect(result.refused.map((r) => [r.kind, r.message.split(':').slice(0, 3).join(':')])).toEqual([
      ['transaction-control', `migration_history/${file}:${lineOf(ws, file, 'BEGIN;')}: BEGIN in a pgwarden`],
    ]);
    expect(await tableExists('first')).toBe(false);
    expect(await history()).toEqual([]);
  });
});

describe.each(adapters.filter((a) => a.enabled))("a rollback script's own transaction control ($name)", (adapter) => {
  let target: Target & { close(): Promise<void> };
  const workspaces: Workspace[] = [];
  beforeAll(async () => {
    target = await adapter.open();
  }, 60_000);
  afterAll(async () => {
    await target?.close();
    for (const ws of workspaces) ws.cleanup();
  });

  const file = '2025-01-01_01_create_extra.sql';

  /** Applies a migration that creates app.extra, with `rollbackLines` commented under its Rollback heading. */
  async function applied(rollbackLines: string[]) {
    await target.exec('DROP SCHEMA IF EXISTS pgwarden CASCADE; DROP SCHEMA IF EXISTS app CASCADE; CREATE SCHEMA app');
    const ws = new Workspace();
    workspaces.push(ws);
    const body = ['CREATE TABLE app.extra (id int);', 'INSERT INTO app.extra VALUES (1);', '', '-- Rollback Script:', ...rollbackLines.map((line) => `-- ${line}`)].join('\n');
    const [migration] = ws.write({ file, body });
    const result = await migrate({ db: target.db, migrations: [migration!], envName: 'test', environment: { approvals: 0 }, appliedBy: 'tester', toolVersion: 'test' });
    expect(result.ok, JSON.stringify(result.refused)).toBe(true);
    return { ws, migration: migration! };
  }

  const extraExists = async () => (await target.rows(`SELECT to_regclass('app.extra')::text AS t`))[0]!.t !== null;
  const history = () => target.rows('SELECT name, status FROM pgwarden.migration_history');
  const logRows = async () => ((await target.rows(`SELECT to_regclass('pgwarden.rollback_log')::text AS t`))[0]!.t === null ? [] : target.rows('SELECT name, rolled_back_by FROM pgwarden.rollback_log'));
  const lineOf = (ws: Workspace, needle: string) => ws.read(file).split('\n').findIndex((line) => line.includes(needle)) + 1;

  /** Nothing happened: the table, its history row, no log line. */
  async function expectUnchanged() {
    expect(await extraExists()).toBe(true);
    expect(await history()).toEqual([{ name: file, status: 'applied' }]);
    expect(await logRows()).toEqual([]);
  }

  it('a script wrapped in its own BEGIN; ... COMMIT; runs, together with the history row removal and its log line', async () => {
    const { migration } = await applied(['BEGIN;', 'DROP TABLE IF EXISTS app.extra;', 'COMMIT;']);
    await rollback(target.db, { migration, by: 'alice' });
    expect(await extraExists()).toBe(false);
    expect(await history()).toEqual([]);
    expect(await logRows()).toEqual([{ name: file, rolled_back_by: 'alice' }]);
  });

  it('a wrapped script that fails after its COMMIT changes nothing, as the message says', async () => {
    const { migration } = await applied(['BEGIN;', 'DROP TABLE IF EXISTS app.extra;', 'COMMIT;', 'SELECT 1 / 0;']);
    await expect(rollback(target.db, { migration, by: 'alice' })).rejects.toThrow(/failed \(SQLSTATE 22012\): division by zero; nothing was changed/);
    await expectUnchanged();
  });

  it('a COMMIT later on a line, a ROLLBACK or an ABORT is refused before anything runs, naming file:line', async () => {
    for (const [word, lines] of [
      ['COMMIT', ['DROP TABLE IF EXISTS app.extra; COMMIT;', 'SELECT 1 / 0;']],
      ['ROLLBACK', ['DROP TABLE IF EXISTS app.extra;', 'ROLLBACK;']],
      ['ABORT', ['DROP TABLE IF EXISTS app.extra;', 'ABORT;']],
    ] as const) {
      const { ws, migration } = await applied([...lines]);
      const line = lineOf(ws, `${word};`);
      const refusal = await rollback(target.db, { migration, by: 'alice' }).then(
        () => 'ran',
        (error: Error) => error.message,
      );
      expect(refusal).toMatch(new RegExp(`^rollback: migration_history/${file}:${line}: ${word} .*; the rollback script was not run, nothing was changed$`));
      expect(refusal).not.toContain('\n');
      await expectUnchanged();
    }
  });

  it('near misses run: COMMIT in a string, a comment, a DO block and a procedure body', async () => {
    const { migration } = await applied([
      "DO $$ BEGIN RAISE NOTICE 'COMMIT;'; END $$;",
      'DO $$',
      'BEGIN',
      '  DELETE FROM app.extra;',
      'END $$;',
      'CREATE PROCEDURE app.batch() LANGUAGE plpgsql AS $body$',
      'BEGIN',
      '  COMMIT;',
      'END $body$;',
      'DROP PROCEDURE app.batch();',
      "SELECT 'ROLLBACK;' AS word; -- COMMIT;",
      'DROP TABLE IF EXISTS app.extra;',
    ]);
    await rollback(target.db, { migration, by: 'alice' });
    expect(await extraExists()).toBe(false);
    expect(await history()).toEqual([]);
    expect(await logRows()).toEqual([{ name: file, rolled_back_by: 'alice' }]);
  });
});
