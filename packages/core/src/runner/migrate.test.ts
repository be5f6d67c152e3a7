/** migrate, status and repair against a real PostgreSQL server. */
import { describe, expect, it } from 'vitest';
import { parseMigration } from '../migration/index.js';
import { runnerSuite } from './__fixtures__/runner-suite.js';
import { serverAvailable } from './__fixtures__/test-db.js';
import type { MigrationSpec, Workspace } from './__fixtures__/migrations.js';
import { ensureHistory, readHistory } from './history.js';
import { migrate } from './migrate.js';
import type { MigrateEvent, MigrateOptions } from './migrate-types.js';
import { repair } from './repair.js';
import { status } from './status.js';

const enabled = await serverAvailable('runner/migrate.test.ts');

describe.skipIf(!enabled)('migrate on a real server', () => {
  const suite = runnerSuite('migrate');
  /** Each test works in its own schema so that tests do not see each other's tables. */
  const fresh = (schema: string) => suite.fresh(schema);

  function run(ws: Workspace, extra: Partial<MigrateOptions> = {}) {
    return migrate({
      db: suite.db,
      migrations: ws.load(),
      envName: 'test',
      environment: { approvals: 0 },
      appliedBy: 'tester',
      toolVersion: 'test',
      retryDelayMs: 20,
      ...extra,
    });
  }

  const table = (schema: string, file: string, name: string): MigrationSpec => ({
    file,
    body: `CREATE TABLE IF NOT EXISTS ${schema}.${name} (id int PRIMARY KEY);`,
  });

  it('applies pending migrations in order, once, with one progress event each and a history row each', async () => {
    const ws = await fresh('s1');
    ws.write(table('s1', '2025-01-01_01_a.sql', 'a'), table('s1', '2025-01-02_02_b.sql', 'b'));
    const events: MigrateEvent[] = [];
    const first = await run(ws, { onProgress: (e) => events.push(e) });
    expect(first.ok).toBe(true);
    expect(first.applied.map((a) => a.version)).toEqual(['2025-01-01_01', '2025-01-02_02']);
    expect(first.applied.every((a) => a.durationMs >= 0)).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['start', 'applied', 'start', 'applied']);

    const second = await run(ws);
    expect(second.ok).toBe(true);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(2);

    const { rows } = await suite.admin.query(`SELECT version, name, status, applied_by, tool_version, attempts FROM pgwarden.migration_history ORDER BY version`);
    expect(rows).toEqual([
      { version: '2025-01-01_01', name: '2025-01-01_01_a.sql', status: 'applied', applied_by: 'tester', tool_version: 'test', attempts: 1 },
      { version: '2025-01-02_02', name: '2025-01-02_02_b.sql', status: 'applied', applied_by: 'tester', tool_version: 'test', attempts: 1 },
    ]);
    const layout = await suite.admin.query('SELECT layout_version FROM pgwarden.history_meta');
    expect(layout.rows).toEqual([{ layout_version: 2 }]);
  });

  it('creates the history idempotently, also when several sessions race', async () => {
    await fresh('s_hist');
    const sessions = await Promise.all([suite.db.session(), suite.db.session(), suite.db.session()]);
    // ensureHistory is meant to run under the advisory lock; run it serially twice per session to prove idempotency.
    for (const s of sessions) {
      await ensureHistory(s);
      await ensureHistory(s);
    }
    expect(await readHistory(sessions[0]!)).toEqual([]);
    await Promise.all(sessions.map((s) => s.close()));
    const { rows } = await suite.admin.query(`SELECT count(*)::int AS n FROM pgwarden.history_meta`);
    expect(rows[0].n).toBe(1);
  });

  it('refuses an applied migration whose body changed, accepts a header edit, and repair accepts the change', async () => {
    const ws = await fresh('s2');
    ws.write(table('s2', '2025-01-01_01_a.sql', 'a'));
    expect((await run(ws)).ok).toBe(true);

    ws.edit('2025-01-01_01_a.sql', '-- Issue: test', '-- Issue: #42 reviewed and documented');
    const headerOnly = await run(ws);
    expect(headerOnly.ok).toBe(true);
    expect(headerOnly.refused).toEqual([]);

    const edited = ws.edit('2025-01-01_01_a.sql', '(id int PRIMARY KEY)', '(id bigint PRIMARY KEY)');
    ws.write(table('s2', '2025-01-02_02_b.sql', 'b'));
    const refused = await run(ws);
    expect(refused.ok).toBe(false);
    expect(refused.applied).toEqual([]);
    expect(refused.refused.map((r) => r.kind)).toEqual(['tampered']);
    expect(refused.refused[0]!.message).toMatch(/^migration_history\/2025-01-01_01_a\.sql: the SQL changed after it was applied/);
    expect((await suite.admin.query(`SELECT to_regclass('s2.b') AS t`)).rows[0].t).toBeNull();

    const accepted = await repair(suite.db, { version: '2025-01-01_01', by: 'alice', reason: 'widened id in review', newChecksum: edited[0]!.checksum });
    expect(accepted.newChecksum).toBe(edited[0]!.checksum);
    const log = await suite.admin.query(`SELECT version, repaired_by, reason, new_checksum FROM pgwarden.repair_log`);
    expect(log.rows).toEqual([{ version: '2025-01-01_01', repaired_by: 'alice', reason: 'widened id in review', new_checksum: edited[0]!.checksum }]);
    const after = await run(ws);
    expect(after.ok).toBe(true);
    expect(after.applied.map((a) => a.version)).toEqual(['2025-01-02_02']);
  });

  it('reports an applied migration whose file is missing', async () => {
    const ws = await fresh('s3');
    ws.write(table('s3', '2025-01-01_01_a.sql', 'a'));
    await run(ws);
    ws.remove('2025-01-01_01_a.sql');
    const result = await run(ws);
    expect(result.refused.map((r) => r.kind)).toEqual(['missing-file']);
    expect(result.refused[0]!.message).toContain('2025-01-01_01_a.sql: applied on');
  });

  it('a failing VERIFY query rolls the migration back and names the query and its result', async () => {
    const ws = await fresh('s4');
    ws.write({
      file: '2025-01-01_01_verified.sql',
      body: `CREATE TABLE s4.t (id int);\nINSERT INTO s4.t VALUES (1);`,
      verify: 'SELECT count(*) = 2 AS two_rows FROM s4.t;',
    });
    const result = await run(ws);
    expect(result.ok).toBe(false);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]!.message).toMatch(
      /^migration_history\/2025-01-01_01_verified\.sql:\d+: verification failed: verification query "SELECT count\(\*\) = 2 AS two_rows FROM s4\.t" returned a boolean that is not true \(false or NULL\); expected one row with one boolean column that is true; rolled back/,
    );
    expect((await suite.admin.query(`SELECT to_regclass('s4.t') AS t`)).rows[0].t).toBeNull();
    const { rows } = await suite.admin.query(`SELECT status, error FROM pgwarden.migration_history`);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('failed');
    expect(rows[0].error).toContain('verification failed');
  });

  it('a passing VERIFY query lets the migration commit; a failed attempt is retried by the next run', async () => {
    const ws = await fresh('s5');
    ws.write({ file: '2025-01-01_01_x.sql', body: `CREATE TABLE s5.t (id int);\nSELECT 1/0;` });
    const failed = await run(ws);
    expect(failed.failed[0]!.message).toMatch(/^migration_history\/2025-01-01_01_x\.sql: division by zero; rolled back, nothing of it was applied$/);
    expect(failed.failed[0]!.code).toBe('22012');
    ws.write({ file: '2025-01-01_01_x.sql', body: `CREATE TABLE s5.t (id int);\nINSERT INTO s5.t VALUES (1);`, verify: 'SELECT count(*) = 1 FROM s5.t' });
    const fixed = await run(ws);
    expect(fixed.ok).toBe(true);
    const { rows } = await suite.admin.query(`SELECT status, attempts, error FROM pgwarden.migration_history`);
    expect(rows).toEqual([{ status: 'applied', attempts: 2, error: null }]);
  });

  it("a VERIFY query returning a string ('no', or a patient's name) fails, naming the type, never the value", async () => {
    const ws = await fresh('s4b');
    ws.write({
      file: '2025-01-01_01_verified.sql',
      body: `CREATE TABLE s4b.patients (name text);\nINSERT INTO s4b.patients VALUES ('Jane Doe');`,
      verify: 'SELECT name FROM s4b.patients',
    });
    const result = await run(ws);
    expect(result.failed[0]!.message).toContain(
      'returned one value of type text, not boolean; expected one row with one boolean column that is true (compare it: SELECT <expression> = <expected>); rolled back',
    );
    expect(result.failed[0]!.message).not.toContain('Jane');
    ws.write({ file: '2025-01-01_01_verified.sql', body: 'CREATE TABLE s4b.t (id int);', verify: "SELECT 'no'" });
    expect((await run(ws)).failed[0]!.message).toContain('returned one value of type text, not boolean');
    expect((await suite.admin.query(`SELECT to_regclass('s4b.t') AS t`)).rows[0].t).toBeNull();
  });

  it('names the file line of an SQL error', async () => {
    const ws = await fresh('s6');
    const [m] = ws.write({ file: '2025-01-01_01_typo.sql', body: `CREATE TABLE s6.ok (id int);\nINSERT INTO s6.ok SELECT id FROM s6.nothing;` });
    const result = await run(ws);
    const line = m!.text.split('\n').findIndex((l) => l.includes('s6.nothing')) + 1;
    expect(result.failed[0]!.message).toContain(`2025-01-01_01_typo.sql:${line}: relation "s6.nothing" does not exist`);
  });

  it('stops at the first failure and skips the rest', async () => {
    const ws = await fresh('s7');
    ws.write(
      { file: '2025-01-01_01_bad.sql', body: 'SELECT 1/0;' },
      table('s7', '2025-01-02_02_b.sql', 'b'),
    );
    const events: MigrateEvent[] = [];
    const result = await run(ws, { onProgress: (e) => events.push(e) });
    expect(result.failed.map((f) => f.version)).toEqual(['2025-01-01_01']);
    expect(result.skipped).toEqual([{ version: '2025-01-02_02', name: '2025-01-02_02_b.sql', relPath: 'migration_history/2025-01-02_02_b.sql', reason: 'earlier-failure' }]);
    expect(events.map((e) => e.type)).toEqual(['start', 'failed', 'skipped']);
  });

  it('dry-run plans without a lock and writes nothing (not even the history tables)', async () => {
    const ws = await fresh('s8');
    ws.write(table('s8', '2025-01-01_01_a.sql', 'a'), table('s8', '2025-01-02_02_b.sql', 'b'));
    const result = await run(ws, { dryRun: true });
    expect(result.ok).toBe(true);
    expect(result.planned.map((p) => p.version)).toEqual(['2025-01-01_01', '2025-01-02_02']);
    expect(result.skipped.map((s) => s.reason)).toEqual(['dry-run', 'dry-run']);
    expect(result.applied).toEqual([]);
    expect((await suite.admin.query(`SELECT to_regclass('pgwarden.migration_history') AS t, to_regclass('s8.a') AS a`)).rows[0]).toEqual({ t: null, a: null });
  });

  it('--to stops at the given version', async () => {
    const ws = await fresh('s9');
    ws.write(table('s9', '2025-01-01_01_a.sql', 'a'), table('s9', '2025-01-02_02_b.sql', 'b'), table('s9', '2025-01-03_03_c.sql', 'c'));
    const result = await run(ws, { to: '2025-01-02_02' });
    expect(result.applied.map((a) => a.version)).toEqual(['2025-01-01_01', '2025-01-02_02']);
    expect(result.skipped.map((s) => [s.version, s.reason])).toEqual([['2025-01-03_03', 'after-target']]);
    expect((await run(ws)).applied.map((a) => a.version)).toEqual(['2025-01-03_03']);
  });

  it('refuses out-of-order files unless allowed', async () => {
    const ws = await fresh('s10');
    ws.write(table('s10', '2025-01-01_01_a.sql', 'a'), table('s10', '2025-01-03_03_c.sql', 'c'));
    await run(ws);
    ws.write(table('s10', '2025-01-02_02_b.sql', 'b'));
    const refused = await run(ws);
    expect(refused.refused.map((r) => r.kind)).toEqual(['out-of-order']);
    expect(refused.applied).toEqual([]);
    const allowed = await run(ws, { allowOutOfOrder: true });
    expect(allowed.applied.map((a) => a.version)).toEqual(['2025-01-02_02']);
  });

  it('the approval gate and the promotion order refuse before anything runs', async () => {
    const ws = await fresh('s11');
    ws.write(
      { ...table('s11', '2025-01-01_01_a.sql', 'a'), approvedBy: ['alice'], executedIn: ['local'] },
      { ...table('s11', '2025-01-02_02_b.sql', 'b'), staleApprovalBy: ['bob'], executedIn: ['local', 'staging'] },
    );
    const result = await run(ws, { envName: 'production', environment: { approvals: 1, requires: ['local', 'staging'] } });
    expect(result.ok).toBe(false);
    expect(result.refused.map((r) => [r.kind, r.version])).toEqual([
      ['promotion', '2025-01-01_01'],
      ['approval', '2025-01-02_02'],
    ]);
    expect(result.refused[1]!.message).toContain('voided by a later edit');
    expect((await suite.admin.query(`SELECT to_regclass('s11.a') AS a`)).rows[0].a).toBeNull();
  });

  it('refuses pending migrations that have lint errors', async () => {
    const ws = await fresh('s12');
    ws.write(table('s12', '2025-01-01_01_a.sql', 'a'));
    const result = await run(ws, { lintErrors: new Map([['2025-01-01_01', ['3:1 error no-emoji: emoji in a migration']]]) });
    expect(result.refused.map((r) => r.kind)).toEqual(['lint']);
    expect(result.refused[0]!.message).toContain('no-emoji');
  });

  it('finalize writes the execution record into the header without changing the checksum', async () => {
    const ws = await fresh('s13');
    const [before] = ws.write(table('s13', '2025-01-01_01_a.sql', 'a'));
    const result = await run(ws, { finalize: true, envName: 'staging' });
    expect(result.applied[0]!.finalized).toBe(true);
    const text = ws.read('2025-01-01_01_a.sql');
    expect(text).toMatch(/\[X\] staging \d{4}-\d{2}-\d{2} by tester \(\d+ ms\)/);
    const after = parseMigration({ path: before!.path, relPath: before!.relPath, text });
    expect(after.checksum).toBe(before!.checksum);
    expect(after.header?.executions.map((e) => e.env)).toContain('staging');
    expect((await run(ws)).ok).toBe(true);
  });

  it('a body with its own BEGIN/COMMIT applies in the runner transaction, the wrapper neutralised (own-transaction.test.ts)', async () => {
    const ws = await fresh('s14');
    ws.write({ file: '2025-01-01_01_own_tx.sql', body: 'BEGIN;\nCREATE TABLE s14.t (id int);\nCOMMIT;' });
    const result = await run(ws);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it('status shows applied, tampered, missing-file and pending rows with approvals', async () => {
    const ws = await fresh('s15');
    ws.write(
      table('s15', '2025-01-01_01_a.sql', 'a'),
      table('s15', '2025-01-02_02_gone.sql', 'gone'),
      table('s15', '2025-01-03_03_c.sql', 'c'),
    );
    await run(ws);
    ws.remove('2025-01-02_02_gone.sql');
    ws.edit('2025-01-03_03_c.sql', 'id int', 'id bigint');
    ws.write(
      { file: '2025-01-04_04_approved.sql', body: 'SELECT 4;', approvedBy: ['alice'] },
      { file: '2025-01-05_05_voided.sql', body: 'SELECT 5;', staleApprovalBy: ['bob'] },
    );
    const rows = await status(suite.db, ws.load(), { name: 'production', config: { approvals: 1 } });
    expect(rows.map((r) => [r.version, r.state])).toEqual([
      ['2025-01-01_01', 'applied'],
      ['2025-01-02_02', 'missing-file'],
      ['2025-01-03_03', 'tampered'],
      ['2025-01-04_04', 'pending'],
      ['2025-01-05_05', 'pending'],
    ]);
    expect(rows[0]!.appliedBy).toBe('tester');
    expect(rows[0]!.appliedAt).toBeInstanceOf(Date);
    expect(rows[1]!.relPath).toBe('');
    expect(rows[3]!.approvals).toEqual({ valid: 1, required: 1, voided: false, rejected: [] });
    expect(rows[4]!.approvals).toEqual({ valid: 0, required: 1, voided: true, rejected: [] });
  });

  it('status reports a failed attempt with its error', async () => {
    const ws = await fresh('s16');
    ws.write({ file: '2025-01-01_01_bad.sql', body: 'SELECT 1/0;' });
    await run(ws);
    const [row] = await status(suite.db, ws.load());
    expect(row!.state).toBe('failed');
    expect(row!.error).toContain('division by zero');
  });

  it('status on a database without history shows everything pending and creates nothing', async () => {
    const ws = await fresh('s17');
    ws.write(table('s17', '2025-01-01_01_a.sql', 'a'));
    const rows = await status(suite.db, ws.load());
    expect(rows.map((r) => r.state)).toEqual(['pending']);
    expect((await suite.admin.query(`SELECT to_regnamespace('pgwarden') AS n`)).rows[0].n).toBeNull();
  });

  it('header timeouts override the config (SET LOCAL)', async () => {
    const ws = await fresh('s18');
    ws.write({
      file: '2025-01-01_01_timeouts.sql',
      lockTimeout: '1234ms',
      body: `CREATE TABLE s18.t AS SELECT current_setting('lock_timeout') AS lt, current_setting('statement_timeout') AS st;`,
    });
    await run(ws, { config: { statementTimeout: '42s' } });
    const { rows } = await suite.admin.query(`SELECT lt, st FROM s18.t`);
    expect(rows).toEqual([{ lt: '1234ms', st: '42s' }]);
  });
});
