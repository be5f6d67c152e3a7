/**
 * What applying a transactional file costs, counted on a real PostgreSQL through a Database whose
 * sessions record every call (issue 10): two round trips and one transaction on the migration
 * session, nothing on the lock connection. Counted as the difference between a run of 6 files and
 * one of 2, so the per-run set-up (lock, history, plan) does not enter. Also: the lock check the
 * session runs itself still stops a runner whose lock connection is gone, before a file (skipped,
 * nothing of it ran) and before a COMMIT (rolled back), even when another session holds the lock.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Database, DbSession } from '../db/types.js';
import { runnerSuite } from './__fixtures__/runner-suite.js';
import { serverAvailable } from './__fixtures__/test-db.js';
import type { MigrationSpec, Workspace } from './__fixtures__/migrations.js';
import { acquireMigrationLock, inSessionCheck, LOCK_LOST_STATE, MIGRATION_LOCK_KEY } from './lock.js';
import { migrate } from './migrate.js';
import type { MigrateOptions } from './migrate-types.js';

const enabled = await serverAvailable('runner/round-trips.test.ts');

interface Call {
  /** Sessions numbered in the order they were asked for. */
  session: number;
  sql: string;
}

/** `db` with every query and exec recorded; `before` may act (await) before a call goes out. */
function counting(db: Database, before?: (call: Call) => Promise<void>): { db: Database; calls: Call[] } {
  const calls: Call[] = [];
  let opened = 0;
  const record = async (call: Call) => {
    calls.push(call);
    await before?.(call);
  };
  const wrapped: Database = {
    kind: db.kind,
    label: db.label,
    close: () => db.close(),
    async session(): Promise<DbSession> {
      const index = opened++;
      const inner = await db.session();
      return {
        async query(sql, params) {
          await record({ session: index, sql });
          return inner.query(sql, params);
        },
        async exec(sql) {
          await record({ session: index, sql });
          return inner.exec(sql);
        },
        close: () => inner.close(),
      };
    },
  };
  return { db: wrapped, calls };
}

/** The lock connection is the session that takes the advisory lock; the migration session runs BEGIN. */
const lockSession = (calls: Call[]) => calls.find((c) => c.sql.includes('pg_try_advisory_lock'))!.session;
const migrationSession = (calls: Call[]) => calls.find((c) => c.sql.startsWith('BEGIN'))!.session;

describe.skipIf(!enabled)('round trips per applied file (real PostgreSQL)', () => {
  const suite = runnerSuite('roundtrips');

  const table = (i: number, extra: Partial<MigrationSpec> = {}): MigrationSpec => ({
    file: `2025-01-0${i}_0${i}_t${i}.sql`,
    body: `CREATE TABLE app.t${i} (id int PRIMARY KEY);\nINSERT INTO app.t${i} VALUES (1);`,
    ...extra,
  });

  function run(db: Database, ws: Workspace, extra: Partial<MigrateOptions> = {}) {
    return migrate({ db, migrations: ws.load(), envName: 'test', environment: { approvals: 0 }, appliedBy: 'tester', toolVersion: 'test', ...extra });
  }

  async function callsOfRun(count: number, spec: (i: number) => MigrationSpec = (i) => table(i)): Promise<Call[]> {
    const ws = await suite.fresh('app');
    ws.write(...Array.from({ length: count }, (_, i) => spec(i + 1)));
    const { db, calls } = counting(suite.db);
    const result = await run(db, ws);
    expect(result.ok, JSON.stringify(result.failed)).toBe(true);
    expect(result.applied).toHaveLength(count);
    return calls;
  }

  const on = (calls: Call[], session: number) => calls.filter((c) => c.session === session);
  const commits = (calls: Call[]) => calls.filter((c) => /\bCOMMIT\s*;?\s*$/.test(c.sql)).length;

  it('a transactional file costs the migration session two round trips and one COMMIT, and the lock connection none', async () => {
    const two = await callsOfRun(2);
    const six = await callsOfRun(6);
    const perFile = (role: (calls: Call[]) => number) => (on(six, role(six)).length - on(two, role(two)).length) / 4;
    expect(lockSession(six)).not.toBe(migrationSession(six));
    expect(perFile(migrationSession)).toBe(2);
    expect(perFile(lockSession)).toBe(0);
    expect((commits(on(six, migrationSession(six))) - commits(on(two, migrationSession(two)))) / 4).toBe(1);

    // Each file: BEGIN, the lock check and the body in one call; the history row, the check again and COMMIT in the next.
    const perFileCalls = on(six, migrationSession(six)).slice(-12);
    for (let i = 0; i < 6; i++) {
      const [opening, closing] = [perFileCalls[2 * i]!.sql, perFileCalls[2 * i + 1]!.sql];
      expect(opening).toMatch(/^BEGIN; SET LOCAL lock_timeout = '5s'; SET LOCAL statement_timeout = '0'; DO \$pgwarden\$/);
      expect(opening).toContain('pg_locks');
      expect(opening).toContain(`CREATE TABLE app.t${i + 1}`);
      expect(closing).toContain(`'2025-01-0${i + 1}_0${i + 1}_t${i + 1}.sql'`);
      expect(closing).toContain('pg_locks');
      expect(closing).toMatch(/\nCOMMIT$/);
    }
  });

  it('a passing VERIFY query adds one round trip, not two', async () => {
    const verified = (i: number) => table(i, { verify: `SELECT count(*) = 1 FROM app.t${i}` });
    const two = await callsOfRun(2, verified);
    const six = await callsOfRun(6, verified);
    expect((on(six, migrationSession(six)).length - on(two, migrationSession(two)).length) / 4).toBe(3);
  });

  /** The backend holding the migration lock, terminated; resolves once it is gone. */
  async function terminateLockHolder(): Promise<void> {
    const { rows } = await suite.admin.query(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(rows).toHaveLength(1);
    await suite.admin.query('SELECT pg_terminate_backend($1, 5000)', [rows[0].pid]);
  }

  it('a lock connection lost between files: the next file is skipped before anything of it runs, the run stops', async () => {
    const ws = await suite.fresh('app');
    ws.write(table(1), table(2), table(3));
    const { db } = counting(suite.db, async (call) => {
      if (call.sql.includes('CREATE TABLE app.t2')) await terminateLockHolder();
    });
    const result = await run(db, ws);
    expect(result.ok).toBe(false);
    expect(result.applied.map((a) => a.name)).toEqual(['2025-01-01_01_t1.sql']);
    expect(result.failed).toEqual([]);
    expect(result.skipped.map((s) => [s.name, s.reason])).toEqual([
      ['2025-01-02_02_t2.sql', 'lock-lost'],
      ['2025-01-03_03_t3.sql', 'lock-lost'],
    ]);
    expect(result.aborted).toMatch(/^lost the pgwarden migration lock on .*\(its session no longer holds it\)/);
    const state = await suite.admin.query(
      `SELECT to_regclass('app.t2') AS t2, (SELECT json_agg(name ORDER BY name) FROM pgwarden.migration_history) AS history`,
    );
    expect(state.rows[0]).toEqual({ t2: null, history: ['2025-01-01_01_t1.sql'] });
  });

  it('a lock connection lost inside a file, the lock now held by another session: the file rolls back, no row is written', async () => {
    const ws = await suite.fresh('app');
    ws.write(table(1), table(2));
    const other = new pg.Client({ connectionString: suite.url });
    await other.connect();
    try {
      const { db } = counting(suite.db, async (call) => {
        // Before the history row and COMMIT of the first file: another session now holds the lock.
        if (call.sql.includes(`'2025-01-01_01_t1.sql'`) && call.sql.endsWith('COMMIT')) {
          await terminateLockHolder();
          await other.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]);
        }
      });
      const result = await run(db, ws);
      expect(result.ok).toBe(false);
      expect(result.applied).toEqual([]);
      expect(result.failed.map((f) => f.name)).toEqual(['2025-01-01_01_t1.sql']);
      expect(result.aborted).toMatch(/^lost the pgwarden migration lock on .*\(its session no longer holds it\)/);
      expect(result.skipped.map((s) => [s.name, s.reason])).toEqual([['2025-01-02_02_t2.sql', 'lock-lost']]);
      const state = await suite.admin.query(`SELECT to_regclass('app.t1') AS t1, (SELECT count(*)::int FROM pgwarden.migration_history) AS rows`);
      expect(state.rows[0]).toEqual({ t1: null, rows: 0 });
    } finally {
      await other.end();
    }
  });

  it('the in-session check before COMMIT names the lock connection by pid and start time: the same pid started at another time (a reused pid) does not count', async () => {
    const lock = await acquireMigrationLock(suite.db, { timeoutMs: 5000 });
    const session = await suite.db.session();
    try {
      const { rows } = await lock.monitor!.query<{ pid: number; database: string; started: string }>(
        `SELECT pg_backend_pid() AS pid, (SELECT oid FROM pg_database WHERE datname = current_database())::bigint::text AS database,
                (SELECT (extract(epoch FROM backend_start) * 1000000)::bigint::text FROM pg_stat_get_activity(pg_backend_pid())) AS started`,
      );
      const backend = rows[0]!;
      const check = (started: string) => session.exec(`DO $pgwarden$BEGIN ${inSessionCheck({ ...backend, started }, 'db')!.beforeCommit} END$pgwarden$`);
      await check(backend.started);
      await expect(check(String(BigInt(backend.started) - 1n))).rejects.toMatchObject({ code: LOCK_LOST_STATE });
      // The check before the body reads pg_locks only: a pid reused by another runner's lock connection passes it, and only it.
      await session.exec(`DO $pgwarden$BEGIN ${inSessionCheck({ ...backend, started: '1' }, 'db')!.beforeBody} END$pgwarden$`);
      expect(inSessionCheck({ ...backend, started: "1'; DROP TABLE x; --" }, 'db')).toBeUndefined();
    } finally {
      await session.close();
      await lock.release();
    }
  });
});
