/** The embedded adapter end to end: apply two migrations, reopen, status shows them applied. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './open.js';
import { DatabaseError } from './errors.js';
import { Workspace } from '../runner/__fixtures__/migrations.js';
import { migrate } from '../runner/migrate.js';
import { status } from '../runner/status.js';

const root = mkdtempSync(join(tmpdir(), 'pgwarden-pglite-'));
const ws = new Workspace();
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  ws.cleanup();
});

describe('PGlite adapter', () => {
  it('applies migrations to a persistent directory, keeps them after reopening, and locks the directory', async () => {
    const dir = join(root, '.pgwarden', 'local');
    const migrations = ws.write(
      { file: '2025-01-01_01_patients.sql', body: 'CREATE TABLE patients (id int PRIMARY KEY, name text);', verify: 'SELECT count(*) = 0 FROM patients' },
      { file: '2025-01-02_02_index.sql', body: 'CREATE INDEX IF NOT EXISTS patients_name ON patients (name);', lockTimeout: '2s' },
    );

    const db = await openDatabase({ embeddedDir: dir });
    expect(db.kind).toBe('pglite');
    expect(db.label).toBe(dir);
    const second = await openDatabase({ embeddedDir: dir, embeddedLockTimeoutMs: 50 }).catch((e: unknown) => e);
    expect((second as DatabaseError).reason).toBe('embedded-in-use');

    const result = await migrate({ db, migrations, envName: 'local', appliedBy: 'dev', toolVersion: 'test' });
    expect(result.refused).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.applied.map((a) => a.version)).toEqual(['2025-01-01_01', '2025-01-02_02']);
    await db.close();

    const reopened = await openDatabase({ embeddedDir: dir });
    const rows = await status(reopened, migrations);
    expect(rows.map((r) => [r.version, r.state, r.appliedBy])).toEqual([
      ['2025-01-01_01', 'applied', 'dev'],
      ['2025-01-02_02', 'applied', 'dev'],
    ]);
    const again = await migrate({ db: reopened, migrations, envName: 'local' });
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(2);

    const failing = ws.write({ file: '2025-01-03_03_bad.sql', body: 'CREATE TABLE x (id int);\nSELECT 1/0;' });
    const failed = await migrate({ db: reopened, migrations: failing, envName: 'local' });
    expect(failed.failed[0]!.message).toContain('division by zero; rolled back');
    const session = await reopened.session();
    expect((await session.query(`SELECT to_regclass('x') AS x`)).rows[0]).toEqual({ x: null });
    await reopened.close();
  }, 120_000);
});
