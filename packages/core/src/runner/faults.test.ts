/**
 * Fault injection against a real PostgreSQL (issue 6): a concurrent index build interrupted,
 * the lock connection terminated under a running runner, kill -9 of a runner at random
 * points of a no-transaction file and between files, five runners on a fresh database with
 * the Supabase preset, and the cost of no-transaction progress. Every test counts outcomes
 * (rows, history rows, files), never time. Runners in child processes are built from these
 * sources (see __fixtures__/build-core.ts).
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { openDatabase } from '../db/index.js';
import type { Database } from '../db/types.js';
import { parseMigration } from '../migration/index.js';
import { presetStep } from '../shadow/presets.js';
import { buildCoreForChildProcess, type BuiltCore } from './__fixtures__/build-core.js';
import { Workspace, type MigrationSpec } from './__fixtures__/migrations.js';
import { createTestDatabase, serverAvailable, type TestDatabase } from './__fixtures__/test-db.js';
import { waitFor } from './__fixtures__/wait-for.js';
import { migrate } from './migrate.js';
import type { MigrateOptions, MigrateResult } from './migrate-types.js';

const enabled = await serverAvailable('runner/faults.test.ts');
const childScript = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'migrate-child.mjs');

/** A statement that sleeps only where the session sets pgwarden_test.sleep (same file, same checksum for every runner). */
const SLEEP_IF_ASKED = `SELECT pg_sleep(coalesce(nullif(current_setting('pgwarden_test.sleep', true), ''), '0')::float);`;

function withSleep(url: string, seconds: number): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c pgwarden_test.sleep=${seconds}`);
  return u.toString();
}

interface Child {
  output: () => string;
  events: () => Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  kill(): void;
}

function startChild(core: BuiltCore, url: string, dir: string, extra: Record<string, unknown> = {}): Child {
  const proc = spawn(process.execPath, [childScript, core.dir, url, dir, JSON.stringify(extra)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  return {
    output: () => output,
    events: () =>
      output
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    exited: new Promise((resolve) => proc.on('exit', (code, signal) => resolve(signal ? null : code))),
    kill: () => proc.kill('SIGKILL'),
  };
}

/** Runs trials 0..count-1, `lanes` at a time; every trial runs even when another fails, then the first failure is thrown. */
async function inLanes(count: number, lanes: number, trial: (index: number, lane: number) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async (_: unknown, laneIndex: number) => {
    while (next < count) {
      const index = next++;
      await trial(index, laneIndex).catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failures.length > 0) throw failures[0];
}

describe.skipIf(!enabled)('runner faults (real PostgreSQL)', () => {
  let testDb: TestDatabase;
  let admin: pg.Client;
  let core: BuiltCore;
  const databases: Database[] = [];
  const workspaces: Workspace[] = [];
  const laneDbs: TestDatabase[] = [];

  beforeAll(async () => {
    core = buildCoreForChildProcess();
    testDb = await createTestDatabase('faults');
    admin = await testDb.admin();
  });
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.close()));
    await testDb?.drop();
    await Promise.all(laneDbs.map((own) => own.drop()));
    core?.cleanup();
    for (const w of workspaces) w.cleanup();
  });

  async function open(url = testDb.url): Promise<Database> {
    const db = await openDatabase({ url });
    databases.push(db);
    return db;
  }

  /** Databases of their own for trials run side by side (the migration lock is per database). */
  async function laneDatabases(prefix: string, count: number): Promise<Array<{ url: string; admin: pg.Client }>> {
    return Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const own = await createTestDatabase(`${prefix}${index}`);
        laneDbs.push(own);
        return { url: own.url, admin: await own.admin() };
      }),
    );
  }

  async function fresh(...specs: MigrationSpec[]): Promise<Workspace> {
    return freshOn(admin, ...specs);
  }

  async function freshOn(admin: pg.Client, ...specs: MigrationSpec[]): Promise<Workspace> {
    await admin.query('DROP SCHEMA IF EXISTS pgwarden CASCADE; DROP SCHEMA IF EXISTS app CASCADE; CREATE SCHEMA app');
    const ws = new Workspace();
    workspaces.push(ws);
    if (specs.length > 0) ws.write(...specs);
    return ws;
  }

  /**
   * Once a runner sleeps inside a file (SLEEP_IF_ASKED), terminates the connection holding the
   * migration lock; returns the pids of the advisory-lock holders it found (the first one terminated).
   */
  async function terminateLockHolderInsideFile(): Promise<number[]> {
    await waitFor(
      'runner A to be inside the file',
      async () =>
        // wait_event, not the query text: a round trip's text holds pg_sleep before its lock check has run.
        (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pgwarden' AND wait_event = 'PgSleep'`))
          .rowCount
          ? true
          : undefined,
      20_000,
    );
    const holders = await admin.query(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    await admin.query('SELECT pg_terminate_backend($1)', [holders.rows[0].pid]);
    return holders.rows.map((row) => row.pid as number);
  }

  const run = (db: Database, ws: Workspace, extra: Partial<MigrateOptions> = {}): Promise<MigrateResult> =>
    migrate({ db, migrations: ws.load(), envName: 'test', environment: { approvals: 0 }, retryDelayMs: 20, toolVersion: 'test', ...extra });

  const invalidIndexes = async () =>
    (await admin.query(`SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid AND c.relnamespace = 'app'::regnamespace`)).rows.map(
      (r) => r.relname as string,
    );

  it('item 1: a CREATE INDEX CONCURRENTLY whose backend is terminated mid-build names the invalid index, and no rerun records the file applied until it is dropped', async () => {
    const file = '2025-01-01_01_index_documents.sql';
    const ws = await fresh({
      file,
      noTransaction: true,
      lockTimeout: '60s',
      body: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_patient ON app.documents (patient_id);',
    });
    await admin.query('CREATE TABLE app.documents (id int, patient_id int); INSERT INTO app.documents SELECT g, g % 100 FROM generate_series(1, 2000) g');
    const db = await open();

    // An older snapshot makes the build wait in its last phase, when the index exists but is not valid yet.
    const snapshotHolder = await testDb.admin();
    await snapshotHolder.query('BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM app.documents');
    const running = run(db, ws);
    const builder = await waitFor(
      'the index build to wait for the old snapshot',
      async () =>
        (
          await admin.query(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pgwarden'
                AND query ILIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event = 'virtualxid'`,
          )
        ).rows[0]?.pid as number | undefined,
      20_000,
    );
    await admin.query('SELECT pg_terminate_backend($1)', [builder]);
    await snapshotHolder.query('COMMIT');

    const first = await running;
    expect(first.applied).toEqual([]);
    expect(first.failed).toHaveLength(1);
    expect(first.failed[0]!.invalidIndexes).toEqual(['app.documents_patient']);
    expect(first.failed[0]!.message).toContain('DROP INDEX CONCURRENTLY IF EXISTS app.documents_patient');
    expect(await invalidIndexes()).toEqual(['documents_patient']);
    // The migration session died: the failure is recorded through a new one.
    expect((await admin.query('SELECT status FROM pgwarden.migration_history')).rows).toEqual([{ status: 'failed' }]);

    // IF NOT EXISTS would skip the invalid index: the rerun must still refuse to call the file applied.
    for (let rerun = 0; rerun < 2; rerun++) {
      const again = await run(db, ws);
      expect(again.applied).toEqual([]);
      expect(again.failed[0]!.message).toMatch(/^migration_history\/2025-01-01_01_index_documents\.sql:\d+: .*invalid index app\.documents_patient/);
      expect(again.failed[0]!.message).toContain('DROP INDEX CONCURRENTLY IF EXISTS app.documents_patient, then rerun');
      expect((await admin.query(`SELECT count(*)::int AS n FROM pgwarden.migration_history WHERE status = 'applied'`)).rows[0].n).toBe(0);
    }

    await admin.query('DROP INDEX CONCURRENTLY app.documents_patient');
    const fixed = await run(db, ws);
    expect(fixed.ok).toBe(true);
    expect(fixed.applied.map((a) => a.name)).toEqual([file]);
    expect(await invalidIndexes()).toEqual([]);
    expect((await admin.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'documents_patient'`)).rows[0].n).toBe(1);
  });

  it('item 1: kill -9 of the runner mid-build leaves a running row and an invalid index; the rerun fails naming it instead of recording the file applied', async () => {
    const file = '2025-01-01_01_index_visits.sql';
    const ws = await fresh({
      file,
      noTransaction: true,
      lockTimeout: '60s',
      body: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS visits_patient ON app.visits (patient_id);',
    });
    await admin.query('CREATE TABLE app.visits (id int, patient_id int); INSERT INTO app.visits SELECT g, g % 100 FROM generate_series(1, 2000) g');
    const snapshotHolder = await testDb.admin();
    await snapshotHolder.query('BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM app.visits');
    const child = startChild(core, testDb.url, ws.dir);
    const builder = await waitFor(
      'the child index build to wait for the old snapshot',
      async () =>
        (
          await admin.query(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event = 'virtualxid'`,
          )
        ).rows[0]?.pid as number | undefined,
      20_000,
    );
    child.kill();
    await child.exited;
    // The orphaned backend notices its client is gone (client_connection_check_interval) and abandons the build.
    await waitFor('the orphaned build to end', async () => ((await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [builder])).rowCount === 0 ? true : undefined), 20_000);
    await snapshotHolder.query('COMMIT');
    expect(await invalidIndexes()).toEqual(['visits_patient']);
    expect((await admin.query('SELECT status FROM pgwarden.migration_history')).rows).toEqual([{ status: 'running' }]);

    const db = await open();
    const rerun = await run(db, ws);
    expect(rerun.applied).toEqual([]);
    expect(rerun.failed[0]!.message).toContain('an earlier interrupted run left invalid index app.visits_patient');
    expect(rerun.failed[0]!.message).toContain('DROP INDEX CONCURRENTLY IF EXISTS app.visits_patient, then rerun');
    expect((await admin.query('SELECT status FROM pgwarden.migration_history')).rows).toEqual([{ status: 'failed' }]);
    await admin.query('DROP INDEX CONCURRENTLY app.visits_patient');
    expect((await run(db, ws)).applied.map((a) => a.name)).toEqual([file]);
    expect(await invalidIndexes()).toEqual([]);
  });

  it('item 1: an applied file whose concurrent index is invalid is refused with the index and the way out', async () => {
    const ws = await fresh({
      file: '2025-01-01_01_index.sql',
      noTransaction: true,
      body: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON app.t (a);',
    });
    await admin.query('CREATE TABLE app.t (a int)');
    const db = await open();
    expect((await run(db, ws)).ok).toBe(true);
    // What an older pgwarden recorded: applied, with the index invalid.
    await admin.query(`UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'app.t_a'::regclass`);
    ws.write({ file: '2025-01-02_02_next.sql', body: 'CREATE TABLE app.next (id int);' });
    const refused = await run(db, ws);
    expect(refused.applied).toEqual([]);
    expect(refused.refused.map((r) => r.kind)).toEqual(['invalid-index']);
    expect(refused.refused[0]!.message).toContain('recorded as applied, but index app.t_a of statement 1 is invalid');
    expect(refused.refused[0]!.message).toContain('DROP INDEX CONCURRENTLY IF EXISTS app.t_a, then pgwarden repair 2025-01-01_01 --resume-from 0');
  });

  it('item 2: a runner whose lock connection is terminated mid-file rolls back and stops; the second runner applies each file once (3 trials)', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const ws = await fresh(
        { file: '2025-01-01_01_count.sql', body: `UPDATE app.counter SET n = n + 1;\n${SLEEP_IF_ASKED}` },
        { file: '2025-01-02_02_after.sql', body: 'INSERT INTO app.after VALUES (1);' },
      );
      await admin.query('CREATE TABLE app.counter (n int); INSERT INTO app.counter VALUES (0); CREATE TABLE app.after (x int)');
      const a = await open(withSleep(testDb.url, 1.5));
      const b = await open();
      const runA = run(a, ws, { appliedBy: 'A' });
      const holders = await terminateLockHolderInsideFile();
      expect(holders).toHaveLength(1);
      const runB = run(b, ws, { appliedBy: 'B' });
      const [resultA, resultB] = await Promise.all([runA, runB]);

      expect(resultA.ok).toBe(false);
      expect(resultA.applied).toEqual([]);
      expect(resultA.aborted).toMatch(/^lost the pgwarden migration lock on .*: check that the server is up and rerun pgwarden migrate$/);
      expect(resultA.skipped.map((s) => [s.name, s.reason])).toEqual([['2025-01-02_02_after.sql', 'lock-lost']]);
      expect(resultB.ok, JSON.stringify(resultB)).toBe(true);
      expect(resultB.applied.map((x) => x.name)).toEqual(['2025-01-01_01_count.sql', '2025-01-02_02_after.sql']);
      const state = await admin.query(
        `SELECT (SELECT n FROM app.counter) AS counter, (SELECT count(*)::int FROM app.after) AS after,
                (SELECT json_agg(json_build_object('status', status, 'attempts', attempts, 'by', applied_by) ORDER BY version) FROM pgwarden.migration_history) AS history`,
      );
      expect(state.rows[0]).toEqual({
        counter: 1,
        after: 1,
        history: [
          { status: 'applied', attempts: 1, by: 'B' },
          { status: 'applied', attempts: 1, by: 'B' },
        ],
      });
    }
  });

  it('item 2: lock connection terminated while a runner is inside a no-transaction file: no statement runs twice (3 trials)', async () => {
    const outcomes: string[] = [];
    for (let trial = 0; trial < 3; trial++) {
      const ws = await fresh({
        file: '2025-01-01_01_steps.sql',
        noTransaction: true,
        body: ['INSERT INTO app.log VALUES (1);', SLEEP_IF_ASKED, 'INSERT INTO app.log VALUES (2);', 'INSERT INTO app.log VALUES (3);'].join('\n'),
      });
      await admin.query('CREATE TABLE app.log (v int)');
      const a = await open(withSleep(testDb.url, 1.5));
      const b = await open();
      const runA = run(a, ws, { appliedBy: 'A' });
      await terminateLockHolderInsideFile();
      const [resultA, resultB] = await Promise.all([runA, run(b, ws, { appliedBy: 'B' })]);
      expect(resultA.ok).toBe(false);
      expect(resultA.aborted).toMatch(/lost the pgwarden migration lock|another runner/);
      // B either finishes the file or stops because A got a statement in first; a third run completes it.
      const final = resultB.ok ? resultB : await run(b, ws, { appliedBy: 'C' });
      expect(final.ok, JSON.stringify(final)).toBe(true);
      outcomes.push(`B ${resultB.ok ? 'applied' : 'stopped'}`);
      const log = await admin.query('SELECT v, count(*)::int AS n FROM app.log GROUP BY v ORDER BY v');
      expect(log.rows).toEqual([1, 2, 3].map((v) => ({ v, n: 1 })));
      expect((await admin.query(`SELECT status FROM pgwarden.migration_history`)).rows).toEqual([{ status: 'applied' }]);
    }
    console.log(`[faults] lock lost inside a no-transaction file: ${outcomes.join(', ')}`);
  });

  it('item 3: kill -9 at random points of a no-transaction file never runs a statement twice (12 trials)', async () => {
    const statements = 30;
    // Each INSERT takes a moment (pg_sleep in its FROM), so most kills land while one executes or just after it committed.
    const body = Array.from({ length: statements }, (_, i) => `INSERT INTO app.log SELECT ${i + 1} FROM pg_sleep(0.02);`).join('\n');
    const outcomes: string[] = [];
    // Twelve independent trials, three side by side, each lane on a database of its own.
    const lanes = await laneDatabases('kill9_', 3);
    await inLanes(12, lanes.length, async (_, laneIndex) => {
      const { url, admin } = lanes[laneIndex]!;
      const ws = await freshOn(admin, { file: '2025-01-01_01_log.sql', noTransaction: true, body });
      await admin.query('CREATE TABLE app.log (v int)');
      const child = startChild(core, url, ws.dir);
      await waitFor('the child to start the file', async () => (child.output().includes('"type":"start"') ? true : undefined), 20_000);
      await sleep(randomInt(0, 700));
      child.kill();
      await child.exited;
      // The killed runner's backend ends on its own (client gone); the rerun then holds the lock alone.
      const before = await admin.query(
        `SELECT (SELECT count(*)::int FROM app.log) AS rows,
                (SELECT status FROM pgwarden.migration_history LIMIT 1) AS status`,
      ).catch(() => ({ rows: [{ rows: -1, status: null }] }));
      outcomes.push(`${before.rows[0].status ?? 'none'}@${before.rows[0].rows}`);
      const db = await open(url);
      const rerun = await run(db, ws);
      expect(rerun.ok, JSON.stringify(rerun)).toBe(true);
      const dup = await admin.query('SELECT v, count(*)::int AS n FROM app.log GROUP BY v HAVING count(*) <> 1');
      expect(dup.rows).toEqual([]);
      expect((await admin.query('SELECT count(DISTINCT v)::int AS n FROM app.log')).rows[0].n).toBe(statements);
      // Progress is as long as the file: every statement recorded exactly once.
      expect((await admin.query('SELECT count(*)::int AS n, count(DISTINCT ordinal)::int AS d FROM pgwarden.statement_progress')).rows[0]).toEqual({
        n: statements,
        d: statements,
      });
    });
    expect(outcomes).toHaveLength(12);
    console.log(`[faults] no-transaction kill -9 trials (history status @ rows of ${statements} before the rerun): ${outcomes.join(', ')}`);
  });

  it('item 9: no-transaction progress grows linearly: 4x the statements write about 4x the history bytes, not 16x', async () => {
    const historyBytes = async () =>
      Number(
        (
          await admin.query(
            `SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c WHERE c.relnamespace = 'pgwarden'::regnamespace AND c.relkind = 'r'`,
          )
        ).rows[0].bytes,
      );
    const measure = async (n: number) => {
      const ws = await fresh({
        file: '2025-01-01_01_many.sql',
        noTransaction: true,
        body: Array.from({ length: n }, (_, i) => `INSERT INTO app.many VALUES (${i});`).join('\n'),
      });
      await admin.query('CREATE TABLE app.many (v int)');
      const db = await open();
      // The history tables exist before the measured run: only the file's progress counts.
      await migrate({ db, migrations: [], envName: 'test', environment: { approvals: 0 } });
      const base = await historyBytes();
      const result = await run(db, ws);
      expect(result.ok).toBe(true);
      expect((await admin.query('SELECT count(*)::int AS n FROM app.many')).rows[0].n).toBe(n);
      expect((await admin.query('SELECT count(*)::int AS n FROM pgwarden.statement_progress')).rows[0].n).toBe(n);
      return (await historyBytes()) - base;
    };
    const small = await measure(250);
    const large = await measure(1000);
    console.log(`[faults] history bytes written for 250 statements: ${small}, for 1000: ${large} (x${(large / small).toFixed(2)})`);
    expect(large / small).toBeLessThan(6);
  });

  it('item 4: 20 trials of 5 runners on a fresh database with the Supabase preset: all succeed, each file applied once', async () => {
    const ws = new Workspace();
    workspaces.push(ws);
    const migrations = ws.write(
      { file: '2025-01-01_01_notes.sql', body: 'CREATE TABLE public.notes (id int, owner uuid DEFAULT auth.uid());\nCREATE TABLE public.runs (file int);\nINSERT INTO public.runs VALUES (1);' },
      { file: '2025-01-02_02_grant.sql', body: 'GRANT SELECT ON public.notes TO authenticated;\nINSERT INTO public.runs VALUES (2);' },
    );
    // Trials are independent (a database each): four at a time, as they mostly wait on the server.
    await inLanes(20, 4, async (trial) => {
      const target = await createTestDatabase(`preset${trial}`);
      const runners = await Promise.all(Array.from({ length: 5 }, () => openDatabase({ url: target.url })));
      try {
        const results = await Promise.all(
          runners.map((db, i) =>
            migrate({ db, migrations, envName: 'test', environment: { approvals: 0 }, appliedBy: `runner${i}`, toolVersion: 'test', preset: presetStep('supabase') }),
          ),
        );
        expect(results.map((r) => [r.ok, r.failed.map((f) => f.message)]), `trial ${trial}`).toEqual(results.map(() => [true, []]));
        expect(results.flatMap((r) => r.applied.map((a) => a.name)).sort()).toEqual(['2025-01-01_01_notes.sql', '2025-01-02_02_grant.sql']);
        const check = await target.admin();
        const runs = await check.query('SELECT file, count(*)::int AS n FROM public.runs GROUP BY file ORDER BY file');
        expect(runs.rows).toEqual([
          { file: 1, n: 1 },
          { file: 2, n: 1 },
        ]);
        expect((await check.query(`SELECT to_regprocedure('auth.uid()') IS NOT NULL AS present`)).rows[0].present).toBe(true);
      } finally {
        await Promise.all(runners.map((r) => r.close()));
        await target.drop();
      }
    });
  }, 300_000);

  it('item 5: an applied migration without its header record gets it on the next recording run; stale temp files of dead writers are removed', async () => {
    const ws = await fresh(
      { file: '2025-01-01_01_a.sql', body: 'CREATE TABLE app.a (id int);' },
      { file: '2025-01-02_02_b.sql', body: 'CREATE TABLE app.b (id int);' },
    );
    const db = await open();
    // A run killed between COMMIT and the header write leaves exactly this: applied rows, no records.
    expect((await run(db, ws, { finalize: false })).applied).toHaveLength(2);
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.on('exit', resolve));
    const staleName = `.2025-01-01_01_a.sql.${dead.pid}.0123abcd.tmp`;
    const liveName = `.2025-01-02_02_b.sql.${process.pid}.89abcdef.tmp`;
    writeFileSync(join(ws.dir, staleName), 'half a header');
    writeFileSync(join(ws.dir, liveName), 'a writer still at work');

    const again = await run(db, ws, { finalize: true });
    expect(again.ok).toBe(true);
    expect(again.applied).toEqual([]);
    expect(again.reconciled).toEqual(['migration_history/2025-01-01_01_a.sql', 'migration_history/2025-01-02_02_b.sql']);
    for (const m of ws.load()) expect(m.header?.executions.map((e) => [e.env, e.by])).toEqual([['test', expect.any(String)]]);
    expect(readdirSync(ws.dir).filter((f) => f.endsWith('.tmp'))).toEqual([liveName]);
    // Idempotent: a record is written once.
    expect((await run(db, ws, { finalize: true })).reconciled).toEqual([]);
  });

  it('item 5: kill -9 between files of a recording run, 8 trials: after the rerun every applied file has its record and no temp file is left', async () => {
    const specs = Array.from({ length: 6 }, (_, i) => ({
      file: `2025-01-0${i + 1}_0${i + 1}_step.sql`,
      body: `CREATE TABLE app.step${i + 1} (id int);\nSELECT pg_sleep(0.03);`,
    }));
    const kills: string[] = [];
    // Eight independent trials, two side by side, each lane on a database of its own.
    const lanes = await laneDatabases('between_', 2);
    await inLanes(8, lanes.length, async (_, laneIndex) => {
      const { url, admin } = lanes[laneIndex]!;
      const ws = await freshOn(admin, ...specs);
      const child = startChild(core, url, ws.dir, { finalize: true });
      await waitFor('the first file to be applied', async () => (child.output().includes('"type":"applied"') ? true : undefined), 20_000);
      await sleep(randomInt(0, 150));
      child.kill();
      await child.exited;
      const appliedBeforeRerun = (await admin.query(`SELECT count(*)::int AS n FROM pgwarden.migration_history WHERE status = 'applied'`)).rows[0].n as number;
      const recordedBeforeRerun = ws.load().filter((m) => (m.header?.executions.length ?? 0) > 0).length;
      kills.push(`${appliedBeforeRerun} applied/${recordedBeforeRerun} recorded`);
      const db = await open(url);
      const rerun = await run(db, ws, { finalize: true });
      expect(rerun.ok, JSON.stringify(rerun)).toBe(true);
      const files = ws.load();
      expect(files.map((m) => m.header?.executions.map((e) => e.env))).toEqual(files.map(() => ['test']));
      expect(readdirSync(ws.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      for (const m of files) expect(parseMigration({ path: m.path, relPath: m.relPath, text: ws.read(m.name.baseName) }).checksum).toBe(m.checksum);
    });
    expect(kills).toHaveLength(8);
    console.log(`[faults] kill -9 between files (state before the rerun): ${kills.join(', ')}`);
  });
});
