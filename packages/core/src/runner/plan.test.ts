/** The gates, planned without a database: history rows are given directly. */
import { afterAll, describe, expect, it } from 'vitest';
import { Workspace } from './__fixtures__/migrations.js';
import type { HistoryRow } from './history.js';
import { buildPlan, type PlanInput } from './plan.js';
import type { Migration } from '../migration/types.js';

const ws = new Workspace();
afterAll(() => ws.cleanup());

function row(m: Migration, overrides: Partial<HistoryRow> = {}): HistoryRow {
  return {
    version: m.name.version!,
    name: m.name.baseName,
    checksum: m.checksum,
    status: 'applied',
    startedAt: new Date('2025-01-01T00:00:00Z'),
    finishedAt: new Date('2025-01-01T00:00:01Z'),
    durationMs: 1000,
    appliedBy: 'ci',
    toolVersion: 'test',
    statementsApplied: null,
    statementHashes: [],
    attempts: 1,
    error: null,
    ...overrides,
  };
}

function plan(input: Partial<PlanInput> & { migrations: Migration[] }) {
  return buildPlan({ history: [], envName: 'local', environment: { approvals: 0 }, dbKind: 'pg', ...input });
}

describe('buildPlan', () => {
  const [a, b, c] = ws.write(
    { file: '2025-01-01_01_a.sql', body: 'CREATE TABLE a (id int);' },
    { file: '2025-01-02_02_b.sql', body: 'CREATE TABLE b (id int);' },
    { file: '2025-01-03_03_c.sql', body: 'CREATE TABLE c (id int);' },
  ) as [Migration, Migration, Migration];

  it('plans the pending files in version order', async () => {
    const p = await plan({ migrations: [c, a, b], history: [row(a)] });
    expect(p.refusals).toEqual([]);
    expect(p.pending.map((x) => x.ref.version)).toEqual(['2025-01-02_02', '2025-01-03_03']);
    expect(p.appliedCount).toBe(1);
  });

  it('orders sequence numbers numerically (_100 after _99)', async () => {
    const w = new Workspace();
    const ms = w.write(
      { file: '2025-01-01_100_late.sql', body: 'SELECT 1;' },
      { file: '2025-01-01_99_early.sql', body: 'SELECT 1;' },
    );
    const p = await plan({ migrations: ms });
    expect(p.pending.map((x) => x.ref.name)).toEqual(['2025-01-01_99_early.sql', '2025-01-01_100_late.sql']);
    w.cleanup();
  });

  it('--to stops at the version and reports what comes after', async () => {
    const p = await plan({ migrations: [a, b, c], to: '2025-01-02_02' });
    expect(p.pending.map((x) => x.ref.version)).toEqual(['2025-01-01_01', '2025-01-02_02']);
    expect(p.afterTarget.map((m) => m.name.version)).toEqual(['2025-01-03_03']);
  });

  it('--to with an unknown version is refused', async () => {
    const p = await plan({ migrations: [a], to: '2030-01-01_99' });
    expect(p.refusals.map((r) => r.kind)).toEqual(['unknown-target']);
  });

  it('refuses a pending file that sorts before the newest applied one, unless allowed', async () => {
    const p = await plan({ migrations: [a, b, c], history: [row(a), row(c)] });
    expect(p.refusals).toHaveLength(1);
    expect(p.refusals[0]!.kind).toBe('out-of-order');
    expect(p.refusals[0]!.message).toContain('2025-01-02_02_b.sql: pending, but sorts before 2025-01-03_03_c.sql');
    const allowed = await plan({ migrations: [a, b, c], history: [row(a), row(c)], allowOutOfOrder: true });
    expect(allowed.refusals).toEqual([]);
    expect(allowed.pending.map((x) => x.ref.version)).toEqual(['2025-01-02_02']);
  });

  it('lists every applied file whose SQL changed, and history rows without a file', async () => {
    const p = await plan({
      migrations: [a, b],
      history: [row(a, { checksum: '0'.repeat(64) }), row(b, { checksum: '1'.repeat(64) }), row(c)],
    });
    expect(p.refusals.map((r) => [r.kind, r.version])).toEqual([
      ['tampered', '2025-01-01_01'],
      ['tampered', '2025-01-02_02'],
      ['missing-file', '2025-01-03_03'],
    ]);
    expect(p.refusals[0]!.message).toContain('pgwarden repair --accept 2025-01-01_01');
  });

  it('refuses pending files with lint errors, naming them', async () => {
    const lintErrors = new Map([[b.relPath, ['line 3: ALTER TABLE without lock_timeout (no-bare-alter)']]]);
    const p = await plan({ migrations: [a, b], lintErrors });
    expect(p.refusals).toHaveLength(1);
    expect(p.refusals[0]!.message).toBe(
      'migration_history/2025-01-02_02_b.sql: has lint errors, fix them first: line 3: ALTER TABLE without lock_timeout (no-bare-alter)',
    );
  });

  it('ignores lint errors of applied files', async () => {
    const lintErrors = new Map([[a.name.version!, ['whatever']]]);
    expect((await plan({ migrations: [a], history: [row(a)], lintErrors })).refusals).toEqual([]);
  });

  it('refuses a file name without a version', async () => {
    const w = new Workspace();
    const ms = w.write({ file: 'add_stuff.sql', body: 'SELECT 1;' });
    const p = await plan({ migrations: ms });
    expect(p.refusals.map((r) => r.kind)).toEqual(['invalid-name']);
    w.cleanup();
  });
});

describe('approval gate', () => {
  const w = new Workspace();
  afterAll(() => w.cleanup());
  const [none, one, two, stale] = w.write(
    { file: '2025-02-01_01_none.sql', body: 'SELECT 1;' },
    { file: '2025-02-01_02_one.sql', body: 'SELECT 2;', approvedBy: ['alice'] },
    { file: '2025-02-01_03_two.sql', body: 'SELECT 3;', approvedBy: ['alice', 'bob'] },
    { file: '2025-02-01_04_stale.sql', body: 'SELECT 4;', staleApprovalBy: ['carol'] },
  ) as [Migration, Migration, Migration, Migration];

  it('refuses a migration without the required approvals', async () => {
    const p = await plan({ migrations: [none, one, two], environment: { approvals: 2 }, envName: 'production' });
    expect(p.refusals.map((r) => r.relPath)).toEqual([none.relPath, one.relPath]);
    expect(p.refusals[1]!.message).toContain('has 1 of 2 required approvals for environment production');
  });

  it('says when an approval was voided by a later edit', async () => {
    const p = await plan({ migrations: [stale], environment: { approvals: 1 }, envName: 'staging' });
    expect(p.refusals).toHaveLength(1);
    expect(p.refusals[0]!.message).toMatch(/has 0 of 1 required approval for environment staging; the approval by carol \(2025-02-01, line \d+\) was voided by a later edit of the SQL/);
  });

  it('requires one approval on a server and none on the embedded database by default', async () => {
    expect((await plan({ migrations: [none], environment: {}, dbKind: 'pg' })).refusals).toHaveLength(1);
    expect((await plan({ migrations: [none], environment: {}, dbKind: 'pglite' })).refusals).toEqual([]);
  });

  it('counts one approval per reviewer', async () => {
    const ms = w.write({ file: '2025-02-01_05_twice.sql', body: 'SELECT 5;', approvedBy: ['dave', 'Dave'] });
    const twice = ms.find((m) => m.name.baseName === '2025-02-01_05_twice.sql')!;
    expect((await plan({ migrations: [twice], environment: { approvals: 2 } })).refusals).toHaveLength(1);
  });
});

describe('promotion order', () => {
  const w = new Workspace();
  afterAll(() => w.cleanup());
  const [local, both] = w.write(
    { file: '2025-03-01_01_local_only.sql', body: 'SELECT 1;', executedIn: ['local'] },
    { file: '2025-03-01_02_everywhere.sql', body: 'SELECT 2;', executedIn: ['local', 'staging'] },
  ) as [Migration, Migration];

  it('refuses a migration not yet applied to the environments that come first, naming them', async () => {
    const environment = { approvals: 0, requires: ['local', 'staging'] };
    const p = await plan({ migrations: [local, both], environment, envName: 'production' });
    expect(p.refusals).toHaveLength(1);
    expect(p.refusals[0]!.message).toBe(
      'migration_history/2025-03-01_01_local_only.sql: must be applied to staging before production (no execution record for staging in its header): run pgwarden migrate --env staging first',
    );
  });
});

describe('files that share a version (many numbered _00_ on one day)', () => {
  const w = new Workspace();
  afterAll(() => w.cleanup());
  const [notes, a, b, c] = w.write(
    { file: '2025-09-01_01_create_notes.sql', body: 'SELECT 1;' },
    { file: '2025-09-15_00_add_notes_a.sql', body: 'SELECT 2;' },
    { file: '2025-09-15_00_add_notes_b.sql', body: 'SELECT 3;' },
    { file: '2025-09-15_00_add_notes_c.sql', body: 'SELECT 4;' },
  ) as [Migration, Migration, Migration, Migration];
  const names = (ms: readonly Migration[]) => ms.map((m) => m.name.baseName);

  it('a tampered file is keyed by version and name: only it is refused, and the repair suggested names it alone', async () => {
    const p = await plan({ migrations: [notes, a, b, c], history: [row(notes), row(a), row(b, { checksum: '0'.repeat(64) }), row(c)] });
    expect(p.refusals.map((r) => [r.kind, r.relPath])).toEqual([['tampered', b.relPath]]);
    expect(p.refusals[0]!.message).toContain('accept it with pgwarden repair --accept 2025-09-15_00_add_notes_b --by NAME --reason TEXT');
    // A version no other file has stays the short name.
    const unique = await plan({ migrations: [notes, a, b, c], history: [row(notes, { checksum: '0'.repeat(64) })] });
    expect(unique.refusals[0]!.message).toContain('pgwarden repair --accept 2025-09-01_01 --by NAME');
  });

  it('--to a file name stops after that file; --to the version takes every file of it', async () => {
    const toA = await plan({ migrations: [c, b, a, notes], to: '2025-09-15_00_add_notes_a' });
    expect(toA.refusals).toEqual([]);
    expect(toA.pending.map((x) => x.ref.name)).toEqual(names([notes, a]));
    expect(names(toA.afterTarget)).toEqual(names([b, c]));
    expect((await plan({ migrations: [notes, a, b, c], to: 'migration_history/2025-09-15_00_add_notes_b.sql' })).pending.map((x) => x.ref.name)).toEqual(names([notes, a, b]));
    const toVersion = await plan({ migrations: [notes, a, b, c], to: '2025-09-15_00' });
    expect(toVersion.pending.map((x) => x.ref.name)).toEqual(names([notes, a, b, c]));
    expect(toVersion.afterTarget).toEqual([]);
  });

  it('--to a name that fits no file is refused, saying what a name may be', async () => {
    const p = await plan({ migrations: [notes, a, b, c], to: 'add_notes_b' });
    expect(p.refusals.map((r) => r.kind)).toEqual(['unknown-target']);
    expect(p.refusals[0]!.message).toBe(
      '--to add_notes_b: no migration file has this name: name a migration by its version (YYYY-MM-DD_NN), its file name (YYYY-MM-DD_NN_slug, .sql optional) or its path; did you mean pgwarden migrate --to 2025-09-15_00_add_notes_b?',
    );
  });

  it('a lint error keyed by path refuses that file only, not the others of its version', async () => {
    const p = await plan({ migrations: [notes, a, b, c], history: [row(notes)], lintErrors: new Map([[b.relPath, ['x']]]) });
    expect(p.refusals.map((r) => r.relPath)).toEqual([b.relPath]);
  });

  it('a partial no-transaction run suggests the repair by file name', async () => {
    const [partial] = w.write({ file: '2025-09-15_00_add_notes_d.sql', body: 'SELECT 5;\nSELECT 6;', noTransaction: true }).filter((m) => m.name.slug === 'add_notes_d') as [Migration];
    const p = await plan({
      migrations: [notes, a, b, c, partial],
      history: [row(notes), row(a), row(b), row(c), row(partial, { status: 'failed', statementsApplied: 1, statementHashes: ['0'.repeat(64)] })],
    });
    expect(p.refusals.map((r) => r.kind)).toEqual(['resume']);
    expect(p.refusals[0]!.message).toContain('pgwarden repair 2025-09-15_00_add_notes_d --resume-from N (statements 1..N done) or, after finishing by hand, pgwarden repair 2025-09-15_00_add_notes_d --mark-applied');
  });
});
