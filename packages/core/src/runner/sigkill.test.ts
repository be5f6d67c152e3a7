/**
 * Reliability 1: SIGKILL the runner in the middle of a slow migration: nothing of it is
 * applied, no applied row, and the next run applies it once. The runner runs in a child
 * process built from these sources (see __fixtures__/build-core.ts).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { openDatabase } from '../db/index.js';
import { buildCoreForChildProcess, type BuiltCore } from './__fixtures__/build-core.js';
import { createTestDatabase, serverAvailable, type TestDatabase } from './__fixtures__/test-db.js';
import { Workspace } from './__fixtures__/migrations.js';
import { migrate } from './migrate.js';

const enabled = await serverAvailable('runner/sigkill.test.ts');
const child = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'migrate-child.mjs');

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe.skipIf(!enabled)('SIGKILL during a slow migration', () => {
  let testDb: TestDatabase;
  let admin: pg.Client;
  let core: BuiltCore;
  let ws: Workspace;

  beforeAll(async () => {
    ws = new Workspace();
    core = buildCoreForChildProcess();
    testDb = await createTestDatabase('sigkill');
    admin = await testDb.admin();
  });
  afterAll(async () => {
    await testDb?.drop();
    core?.cleanup();
    ws?.cleanup();
  });

  it('leaves nothing applied and no applied row; the next run applies it exactly once', async () => {
    ws.write({
      file: '2025-01-01_01_slow.sql',
      // Sleeps only where the session sets pgwarden_test.sleep (the child's URL does): same file, same checksum.
      body: [
        'CREATE TABLE public.slow_done (id int);',
        'INSERT INTO public.slow_done VALUES (1);',
        `SELECT pg_sleep(coalesce(nullif(current_setting('pgwarden_test.sleep', true), ''), '0')::float);`,
      ].join('\n'),
    });
    const slowUrl = new URL(testDb.url);
    slowUrl.searchParams.set('options', '-c pgwarden_test.sleep=30');

    const proc = spawn(process.execPath, [child, core.dir, slowUrl.toString(), ws.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d) => (output += d));
    proc.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code, signal) => resolve(signal ? null : code)));

    const sleeper = await waitFor(
      'the child to be inside pg_sleep',
      async () => {
        const { rows } = await admin.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pgwarden' AND wait_event = 'PgSleep'`,
        );
        if (proc.exitCode !== null) throw new Error(`child exited early: ${output}`);
        return rows[0]?.pid as number | undefined;
      },
      20_000,
    );
    expect(output).toContain('"type":"start"');
    proc.kill('SIGKILL');
    expect(await exited).toBeNull();

    // client_connection_check_interval lets the orphaned backend notice the dead client and roll back.
    await waitFor(
      'the orphaned backend to end',
      async () => ((await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [sleeper])).rowCount === 0 ? true : undefined),
      10_000,
    );
    const state = await admin.query(
      `SELECT to_regclass('public.slow_done') AS t,
              (SELECT count(*)::int FROM pgwarden.migration_history WHERE status = 'applied') AS applied`,
    );
    expect(state.rows[0]).toEqual({ t: null, applied: 0 });

    const db = await openDatabase({ url: testDb.url });
    try {
      const result = await migrate({ db, migrations: ws.load(), envName: 'test', environment: { approvals: 0 } });
      expect(result.ok).toBe(true);
      expect(result.applied.map((a) => a.version)).toEqual(['2025-01-01_01']);
      const again = await migrate({ db, migrations: ws.load(), envName: 'test', environment: { approvals: 0 } });
      expect(again.applied).toEqual([]);
    } finally {
      await db.close();
    }
    const after = await admin.query(
      `SELECT (SELECT count(*)::int FROM public.slow_done) AS rows,
              (SELECT count(*)::int FROM pgwarden.migration_history) AS history,
              (SELECT attempts FROM pgwarden.migration_history) AS attempts`,
    );
    expect(after.rows[0]).toEqual({ rows: 1, history: 1, attempts: 1 });
  });
});
