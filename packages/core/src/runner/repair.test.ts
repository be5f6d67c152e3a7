/** repair on a real server: the ways out of a partial no-transaction run, audited; a no-op repair is refused. */
import { describe, expect, it } from 'vitest';
import { runnerSuite } from './__fixtures__/runner-suite.js';
import { serverAvailable } from './__fixtures__/test-db.js';
import type { Workspace } from './__fixtures__/migrations.js';
import { migrate } from './migrate.js';
import type { MigrateOptions } from './migrate-types.js';
import { repair } from './repair.js';

const enabled = await serverAvailable('runner/repair.test.ts');

describe.skipIf(!enabled)('repair', () => {
  const suite = runnerSuite('repair');
  const fresh = () => suite.fresh('app', 'CREATE TABLE app.counter (step int)');

  const run = (ws: Workspace, extra: Partial<MigrateOptions> = {}) =>
    migrate({ db: suite.db, migrations: ws.load(), envName: 'test', environment: { approvals: 0 }, retryDelayMs: 20, ...extra });
  const file = '2025-01-01_01_steps.sql';
  const only = (ws: Workspace) => ws.load().find((m) => m.name.baseName === file)!;
  const repairAs = (ws: Workspace, extra: Partial<Parameters<typeof repair>[1]>) =>
    repair(suite.db, { version: '2025-01-01_01', by: 'alice', reason: 'incident 42', newChecksum: only(ws).checksum, migration: only(ws), ...extra });
  const log = async () =>
    (await suite.admin.query('SELECT action, repaired_by, reason, detail FROM pgwarden.repair_log ORDER BY id')).rows as Array<Record<string, string>>;

  it('--resume-from N gets a partial run out after an executed statement was edited; --accept is refused there; a repeat is a refused no-op', async () => {
    const ws = await fresh();
    ws.write({
      file,
      noTransaction: true,
      body: ['INSERT INTO app.counter VALUES (1);', 'SELECT 1/0;', 'INSERT INTO app.counter VALUES (3);'].join('\n'),
    });
    expect((await run(ws)).failed).toHaveLength(1);
    // The executed statement is reworded (same effect, new hash): the runner refuses to guess.
    ws.edit(file, 'INSERT INTO app.counter VALUES (1);', 'INSERT INTO app.counter (step) VALUES (1);');
    ws.edit(file, 'SELECT 1/0;', 'INSERT INTO app.counter VALUES (2);');
    const refused = await run(ws);
    expect(refused.refused[0]!.message).toContain('pgwarden repair 2025-01-01_01 --resume-from N');

    await expect(repairAs(ws, { action: 'accept' })).rejects.toThrow(/is failed, not applied: --accept only records a new checksum for an applied migration; for a partial run use --resume-from N or --mark-applied/);
    await expect(repairAs(ws, { action: 'resume-from', resumeFrom: 4 })).rejects.toThrow('--resume-from 4: the file has only 3 statements');
    const repaired = await repairAs(ws, { action: 'resume-from', resumeFrom: 1 });
    expect(repaired.detail).toBe('resume at statement 2 of 3 (was failed, 1 recorded as executed)');
    await expect(repairAs(ws, { action: 'resume-from', resumeFrom: 1 })).rejects.toThrow(
      'repair: 2025-01-01_01_steps.sql: nothing to repair: the next run already resumes at statement 2; run pgwarden migrate',
    );

    const resumed = await run(ws);
    expect(resumed.planned).toMatchObject([{ resumeFrom: 1 }]);
    expect(resumed.applied).toMatchObject([{ statementsApplied: 3 }]);
    expect((await suite.admin.query('SELECT step FROM app.counter ORDER BY step')).rows.map((r) => r.step)).toEqual([1, 2, 3]);
    expect(await log()).toEqual([{ action: 'resume-from', repaired_by: 'alice', reason: 'incident 42', detail: repaired.detail }]);
  });

  it('--mark-applied records a run finished by hand; --accept of an untampered file is a refused no-op', async () => {
    const ws = await fresh();
    ws.write({ file, noTransaction: true, body: ['INSERT INTO app.counter VALUES (1);', 'SELECT 1/0;'].join('\n') });
    await run(ws);
    await suite.admin.query("UPDATE pgwarden.migration_history SET status = 'running'"); // as a killed run leaves it
    const marked = await repairAs(ws, { action: 'mark-applied' });
    expect(marked.detail).toBe('marked applied (was running, 1 statements recorded as executed)');
    const after = await run(ws);
    expect(after.ok).toBe(true);
    expect(after.alreadyApplied).toBe(1);
    expect(after.applied).toEqual([]);
    await expect(repairAs(ws, { action: 'mark-applied' })).rejects.toThrow('is already applied: nothing to mark');
    await expect(repairAs(ws, { action: 'accept' })).rejects.toThrow(
      'repair: 2025-01-01_01_steps.sql: nothing to repair: the recorded checksum already matches the file (it is not tampered)',
    );
    expect((await log()).map((l) => l.action)).toEqual(['mark-applied']);
  });

  it('refuses to record a concurrent build as done while its index is invalid', async () => {
    const ws = await fresh();
    await suite.admin.query('CREATE TABLE app.t (a int)');
    ws.write({ file, noTransaction: true, body: ['CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON app.t (a);', 'SELECT 1/0;'].join('\n') });
    await run(ws);
    await suite.admin.query(`UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'app.t_a'::regclass`);
    await expect(repairAs(ws, { action: 'resume-from', resumeFrom: 1 })).rejects.toThrow(
      'statement 1 left invalid index app.t_a, so it did not complete: DROP INDEX CONCURRENTLY IF EXISTS app.t_a, then rerun with --resume-from 0',
    );
    await expect(repairAs(ws, { action: 'mark-applied' })).rejects.toThrow(/index app\.t_a is invalid/);
    expect(await log()).toEqual([]);
  });
});
