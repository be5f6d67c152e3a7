/**
 * Reliability 7: no-transaction files on a real server: CREATE INDEX CONCURRENTLY, the
 * invalid index a failed one leaves behind, progress recording and the resume rule.
 */
import { describe, expect, it } from 'vitest';
import { runnerSuite } from './__fixtures__/runner-suite.js';
import { serverAvailable } from './__fixtures__/test-db.js';
import type { Workspace } from './__fixtures__/migrations.js';
import { migrate } from './migrate.js';
import type { MigrateOptions } from './migrate-types.js';
import { status } from './status.js';

const enabled = await serverAvailable('runner/no-transaction.test.ts');

describe.skipIf(!enabled)('no-transaction migrations', () => {
  const suite = runnerSuite('notx');
  const fresh = () => suite.fresh();

  const run = (ws: Workspace, extra: Partial<MigrateOptions> = {}) =>
    migrate({ db: suite.db, migrations: ws.load(), envName: 'test', environment: { approvals: 0 }, retryDelayMs: 20, ...extra });

  it('runs CREATE INDEX CONCURRENTLY statement by statement and records every statement', async () => {
    const ws = await fresh();
    await suite.admin.query('CREATE TABLE app.documents (id int, patient_id int); INSERT INTO app.documents SELECT g, g % 100 FROM generate_series(1, 5000) g');
    ws.write({
      file: '2025-01-01_01_index_documents.sql',
      noTransaction: true,
      body: [
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_patient ON app.documents (patient_id);',
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_id ON app.documents (id);',
      ].join('\n'),
      verify: `SELECT bool_and(indisvalid) AND count(*) = 2 FROM pg_index WHERE indrelid = 'app.documents'::regclass`,
    });
    const result = await run(ws);
    expect(result.failed).toEqual([]);
    expect(result.applied).toMatchObject([{ version: '2025-01-01_01', statementsApplied: 2 }]);
    const { rows } = await suite.admin.query(
      `SELECT status, statements_applied, (SELECT count(*)::int FROM pgwarden.statement_progress) AS hashes, attempts FROM pgwarden.migration_history`,
    );
    expect(rows).toEqual([{ status: 'applied', statements_applied: 2, hashes: 2, attempts: 1 }]);
    const valid = await suite.admin.query(`SELECT bool_and(indisvalid) AS ok FROM pg_index WHERE indrelid = 'app.documents'::regclass`);
    expect(valid.rows[0].ok).toBe(true);
  });

  it('a failed unique CREATE INDEX CONCURRENTLY reports the invalid index it left, without row data', async () => {
    const ws = await fresh();
    await suite.admin.query(`CREATE TABLE app.patients (email text); INSERT INTO app.patients VALUES ('jane.doe@example.org'), ('jane.doe@example.org')`);
    ws.write({
      file: '2025-01-01_01_unique_email.sql',
      noTransaction: true,
      body: 'CREATE UNIQUE INDEX CONCURRENTLY patients_email_key ON app.patients (email);',
    });
    const result = await run(ws);
    const failure = result.failed[0]!;
    expect(failure.invalidIndexes).toEqual(['app.patients_email_key']);
    expect(failure.message).toMatch(/^migration_history\/2025-01-01_01_unique_email\.sql:\d+: could not create unique index "patients_email_key"/);
    expect(failure.message).toContain(
      'left invalid index app.patients_email_key: DROP INDEX CONCURRENTLY IF EXISTS app.patients_email_key before retrying',
    );
    expect(failure.message).not.toContain('jane.doe');
    const { rows } = await suite.admin.query(`SELECT status, statements_applied FROM pgwarden.migration_history`);
    expect(rows).toEqual([{ status: 'failed', statements_applied: 0 }]);
  });

  it('resumes after the executed statements when they are unchanged, and refuses when one changed', async () => {
    const ws = await fresh();
    await suite.admin.query('CREATE TABLE app.counter (step int)');
    const file = '2025-01-01_01_steps.sql';
    ws.write({
      file,
      noTransaction: true,
      body: ['INSERT INTO app.counter VALUES (1);', 'SELECT 1/0;', 'INSERT INTO app.counter VALUES (3);'].join('\n'),
    });
    const first = await run(ws);
    expect(first.failed[0]!.message).toContain('statements 1-1 of 3 stay applied; a rerun resumes at statement 2 if they are unchanged');
    const [row] = await status(suite.db, ws.load());
    expect(row).toMatchObject({ state: 'failed', statementsApplied: 1 });

    // Changing an executed statement is refused.
    ws.edit(file, 'VALUES (1);', 'VALUES (10);');
    const refused = await run(ws);
    expect(refused.refused.map((r) => r.kind)).toEqual(['resume']);
    expect(refused.refused[0]!.message).toMatch(/2025-01-01_01_steps\.sql:\d+: statement 1 changed after a previous run executed it \(1 of 3 statements ran\)/);

    // Fixing only the failed statement resumes after the executed one.
    ws.edit(file, 'VALUES (10);', 'VALUES (1);');
    ws.edit(file, 'SELECT 1/0;', 'INSERT INTO app.counter VALUES (2);');
    const resumed = await run(ws);
    expect(resumed.planned).toMatchObject([{ noTransaction: true, resumeFrom: 1 }]);
    expect(resumed.applied).toMatchObject([{ statementsApplied: 3 }]);
    const { rows } = await suite.admin.query('SELECT step FROM app.counter ORDER BY step');
    expect(rows.map((r) => r.step)).toEqual([1, 2, 3]);
    const history = await suite.admin.query('SELECT status, attempts FROM pgwarden.migration_history');
    expect(history.rows).toEqual([{ status: 'applied', attempts: 2 }]);
  });

  it('an error in a statement that ran in its own transaction names its file line; its progress row rolled back with it', async () => {
    const ws = await fresh();
    const [m] = ws.write({
      file: '2025-01-01_01_typo.sql',
      noTransaction: true,
      body: ['CREATE TABLE app.ok (id int);', '', 'INSERT INTO app.ok', '  SELECT id FROM app.nothing;'].join('\n'),
    });
    const result = await run(ws);
    const line = m!.text.split('\n').findIndex((l) => l.includes('app.nothing')) + 1;
    expect(result.failed[0]!.message).toMatch(new RegExp(`^migration_history/2025-01-01_01_typo\\.sql:${line}: relation "app.nothing" does not exist; statements 1-1 of 2 stay applied`));
    const { rows } = await suite.admin.query('SELECT ordinal FROM pgwarden.statement_progress ORDER BY ordinal');
    expect(rows).toEqual([{ ordinal: 1 }]);
  });

  it('a transactional file cannot continue a half-done no-transaction run', async () => {
    const ws = await fresh();
    const file = '2025-01-01_01_mode.sql';
    ws.write({ file, noTransaction: true, body: 'CREATE TABLE app.m (id int);\nSELECT 1/0;' });
    await run(ws);
    ws.write({ file, body: 'CREATE TABLE app.m (id int);\nSELECT 1;' });
    const refused = await run(ws);
    expect(refused.refused.map((r) => r.kind)).toEqual(['resume']);
    expect(refused.refused[0]!.message).toContain('no longer has pgwarden:no-transaction');
  });
});
