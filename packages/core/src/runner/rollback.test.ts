/** rollback against a real PostgreSQL server: one transaction with the history row and the log, or nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { openDatabase } from '../db/index.js';
import type { Database } from '../db/types.js';
import { createTestDatabase, serverAvailable, type TestDatabase } from './__fixtures__/test-db.js';
import { Workspace } from './__fixtures__/migrations.js';
import { migrate } from './migrate.js';
import { rollback } from './rollback.js';

const enabled = await serverAvailable('runner/rollback.test.ts');

describe.skipIf(!enabled)('rollback on a real server', () => {
  let testDb: TestDatabase;
  let db: Database;
  let admin: pg.Client;
  const workspaces: Workspace[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase('rollback');
    db = await openDatabase({ url: testDb.url });
    admin = await testDb.admin();
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
    for (const w of workspaces) w.cleanup();
  });

  async function applied(schema: string, rollbackSection: string) {
    await admin.query(`DROP SCHEMA IF EXISTS pgwarden CASCADE; DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    const ws = new Workspace();
    workspaces.push(ws);
    const [migration] = ws.write({
      file: '2025-01-01_01_create_accounts.sql',
      body: `CREATE TABLE IF NOT EXISTS ${schema}.accounts (id int PRIMARY KEY);\nINSERT INTO ${schema}.accounts VALUES (1);\n\n${rollbackSection}\n`,
    });
    const result = await migrate({ db, migrations: [migration!], envName: 'test', environment: { approvals: 0 }, appliedBy: 'tester', toolVersion: 'test' });
    expect(result.ok, JSON.stringify(result.refused)).toBe(true);
    return migration!;
  }

  const exists = async (name: string) => (await admin.query(`SELECT to_regclass($1) IS NOT NULL AS e`, [name])).rows[0].e as boolean;
  const historyCount = async () => (await admin.query(`SELECT count(*)::int AS n FROM pgwarden.migration_history`)).rows[0].n as number;

  it('a script in a /* */ block runs; the history row goes and the log gets its line, in the same transaction', async () => {
    const migration = await applied('rb_block', `-- Rollback Script:\n/*\nDROP TABLE IF EXISTS rb_block.accounts;\n*/`);
    expect(migration.rollback?.text).toContain('DROP TABLE IF EXISTS rb_block.accounts;');
    const result = await rollback(db, { migration, by: 'alice', reason: 'test', toolVersion: '9.9.9' });
    expect(result).toMatchObject({ version: '2025-01-01_01', name: '2025-01-01_01_create_accounts.sql' });
    expect(await exists('rb_block.accounts')).toBe(false);
    expect(await historyCount()).toBe(0);
    const log = await admin.query(`SELECT version, name, rolled_back_by, reason, tool_version, checksum FROM pgwarden.rollback_log`);
    expect(log.rows).toEqual([{ version: '2025-01-01_01', name: '2025-01-01_01_create_accounts.sql', rolled_back_by: 'alice', reason: 'test', tool_version: '9.9.9', checksum: migration.checksum }]);
  });

  it('a failing script changes nothing: the table, the history row and an empty log stay', async () => {
    const migration = await applied('rb_fail', `-- Rollback Script:\n-- DROP TABLE IF EXISTS rb_fail.accounts;\n-- SELECT 1 / 0;`);
    await expect(rollback(db, { migration, by: 'alice' })).rejects.toThrow(/rollback: migration_history\/2025-01-01_01_create_accounts\.sql: the rollback script \(line \d+\) failed \(SQLSTATE 22012\): division by zero; nothing was changed/);
    expect(await exists('rb_fail.accounts')).toBe(true);
    expect(await historyCount()).toBe(1);
    // The log table is created in the rollback's own transaction: rolled back with it.
    expect(await exists('pgwarden.rollback_log')).toBe(false);
  });

  it('a migration without a rollback script is refused, naming it, before touching the database', async () => {
    const migration = await applied('rb_none', '-- nothing to undo here');
    await expect(rollback(db, { migration, by: 'alice' })).rejects.toThrow('rollback: migration_history/2025-01-01_01_create_accounts.sql: has no rollback script');
    expect(await historyCount()).toBe(1);
  });

  it('a script with its own COMMIT is refused (it would split the transaction), naming file:line', async () => {
    const migration = await applied('rb_commit', `-- Rollback Script:\n-- DROP TABLE IF EXISTS rb_commit.accounts;\n-- COMMIT;`);
    const commitLine = migration.rollback!.textLine + 1;
    await expect(rollback(db, { migration, by: 'alice' })).rejects.toThrow(
      `rollback: migration_history/2025-01-01_01_create_accounts.sql:${commitLine}: COMMIT without a BEGIN before it`,
    );
    expect(await exists('rb_commit.accounts')).toBe(true);
    expect(await historyCount()).toBe(1);
  });
});
