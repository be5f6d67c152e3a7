/**
 * Reliability 3: another session holds ACCESS EXCLUSIVE on a table: migrate retries after
 * each lock timeout, then fails naming the table and the blocker, and applies nothing.
 * Also: a runner waiting for the migration advisory lock names its holder on timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openDatabase } from '../db/index.js';
import type { Database } from '../db/types.js';
import { createTestDatabase, serverAvailable, type TestDatabase } from './__fixtures__/test-db.js';
import { Workspace } from './__fixtures__/migrations.js';
import { acquireMigrationLock, MIGRATION_LOCK_KEY } from './lock.js';
import { migrate } from './migrate.js';
import type { MigrateEvent } from './migrate-types.js';
import { RunnerError } from './errors.js';

const enabled = await serverAvailable('runner/lock-timeout.test.ts');

describe.skipIf(!enabled)('lock timeouts', () => {
  let testDb: TestDatabase;
  let db: Database;
  let blocker: pg.Client;
  let ws: Workspace;

  beforeAll(async () => {
    ws = new Workspace();
    testDb = await createTestDatabase('locks');
    db = await openDatabase({ url: testDb.url });
    const admin = await testDb.admin();
    await admin.query('CREATE TABLE public.accounts (id int PRIMARY KEY)');
    blocker = new pg.Client({ connectionString: testDb.url, application_name: 'nightly-report' });
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker?.end().catch(() => {});
    await db?.close();
    await testDb?.drop();
    ws?.cleanup();
  });

  it('retries after each lock timeout, then names the table and the blocking session; nothing is applied', async () => {
    await blocker.query('BEGIN; LOCK TABLE public.accounts IN ACCESS EXCLUSIVE MODE');
    const blockerPid = (await blocker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    try {
      const migrations = ws.write(
        { file: '2025-01-01_01_new_table.sql', body: 'CREATE TABLE public.audit (id int);\nALTER TABLE public.accounts ADD COLUMN note text;' },
        { file: '2025-01-02_02_later.sql', body: 'CREATE TABLE public.later (id int);' },
      );
      const events: MigrateEvent[] = [];
      const result = await migrate({
        db,
        migrations,
        envName: 'test',
        environment: { approvals: 0 },
        config: { lockTimeout: '300ms', lockRetries: 2 },
        retryDelayMs: 50,
        onProgress: (e) => events.push(e),
      });
      expect(result.ok).toBe(false);
      expect(events.filter((e) => e.type === 'retry').map((e) => (e as { attempt: number }).attempt)).toEqual([2, 3]);
      const message = result.failed[0]!.message;
      expect(message).toContain('2025-01-01_01_new_table.sql: gave up waiting for a lock (lock_timeout 300ms, tried 3 times)');
      expect(message).toContain('waiting for AccessExclusiveLock on table accounts');
      expect(message).toContain(`blocked by pid ${blockerPid}, application "nightly-report"`);
      expect(message).toContain('holding AccessExclusiveLock');
      expect(message).toContain('nothing of it was applied');
      expect(result.applied).toEqual([]);
      expect(result.skipped.map((s) => s.reason)).toEqual(['earlier-failure']);

      const check = await testDb.admin();
      const state = await check.query(`SELECT to_regclass('public.audit') AS audit, to_regclass('public.later') AS later`);
      expect(state.rows[0]).toEqual({ audit: null, later: null });
      const history = await check.query(`SELECT status FROM pgwarden.migration_history`);
      expect(history.rows).toEqual([{ status: 'failed' }]);
    } finally {
      await blocker.query('ROLLBACK');
    }
  });

  it('a no-transaction statement that times out on a lock names its line, the table and the blocker', async () => {
    await blocker.query('BEGIN; LOCK TABLE public.accounts IN ACCESS EXCLUSIVE MODE');
    const other = new Workspace();
    try {
      const migrations = other.write({
        file: '2025-01-01_01_notx.sql',
        noTransaction: true,
        body: 'CREATE TABLE IF NOT EXISTS public.notx_first (id int);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_id2 ON public.accounts (id);',
      });
      const result = await migrate({
        db,
        migrations,
        envName: 'test',
        environment: { approvals: 0 },
        config: { lockTimeout: '200ms', lockRetries: 1 },
        retryDelayMs: 20,
      });
      const line = migrations[0]!.text.split('\n').findIndex((l) => l.includes('accounts_id2')) + 1;
      expect(result.failed[0]!.message).toMatch(
        new RegExp(`^migration_history/2025-01-01_01_notx\\.sql:${line}: gave up waiting for a lock \\(lock_timeout 200ms, tried 2 times\\): waiting for ShareUpdateExclusiveLock on table accounts, blocked by pid \\d+, application "nightly-report"`),
      );
      expect(result.failed[0]!.message).toContain('statements 1-1 of 2 stay applied');
    } finally {
      await blocker.query('ROLLBACK');
      other.cleanup();
      const admin = await testDb.admin();
      await admin.query('DROP SCHEMA pgwarden CASCADE; DROP TABLE IF EXISTS public.notx_first; DROP INDEX IF EXISTS public.accounts_id2');
    }
  });

  it('applies once the blocker is gone', async () => {
    const result = await migrate({ db, migrations: ws.load(), envName: 'test', environment: { approvals: 0 } });
    expect(result.ok).toBe(true);
    expect(result.applied.map((a) => a.version)).toEqual(['2025-01-01_01', '2025-01-02_02']);
  });

  it('a runner that cannot get the migration lock gives up at the deadline and names the holder', async () => {
    await blocker.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]);
    const blockerPid = (await blocker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    try {
      const started = Date.now();
      const waits: string[] = [];
      const error = await acquireMigrationLock(db, { timeoutMs: 400, onWait: (h) => waits.push(h) }).catch((e) => e);
      expect(error).toBeInstanceOf(RunnerError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect((error as RunnerError).userMessage).toMatch(
        new RegExp(`^another migration run holds the pgwarden lock on postgres://.*/${testDb.name} \\(pid ${blockerPid}, application "nightly-report", user postgres`),
      );
      expect(waits).toHaveLength(1);

      const viaMigrate = await migrate({ db, migrations: ws.load(), envName: 'test', environment: { approvals: 0 }, config: { advisoryLockTimeoutMs: 200 } }).catch(
        (e) => e,
      );
      expect((viaMigrate as RunnerError).kind).toBe('lock-timeout');
    } finally {
      await blocker.query('SELECT pg_advisory_unlock_all()');
    }
  });
});
