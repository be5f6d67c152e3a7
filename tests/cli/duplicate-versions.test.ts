/**
 * Histories where several files share a version (many files numbered `_00_` on the same day, as
 * real histories have): `repair`, `rollback` and `migrate --to` name one file by its file name or
 * path; a bare shared version is refused, listing the files and the command for each, and changes
 * nothing. The real built binary; the server part needs PostgreSQL, the near miss (a version no
 * other file has, as before) runs on the embedded database.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createTestDatabase, serverAvailable, type TestDatabase } from '../../packages/core/src/runner/__fixtures__/test-db.js';
import { assertBuilt, CliWorkspace, cleanupWorkspaces, lines } from '../support/cli-workspace.js';

const enabled = await serverAvailable('tests/cli/duplicate-versions.test.ts');

beforeAll(() => assertBuilt());
afterAll(() => cleanupWorkspaces());

const NOTES = '2025-09-01_01_create_notes.sql';
const A = '2025-09-15_00_add_notes_a.sql';
const B = '2025-09-15_00_add_notes_b.sql';
const C = '2025-09-15_00_add_notes_c.sql';
const D = '2025-09-20_01_add_notes_d.sql';

function migration(file: string, body: string, rollback: string): string {
  const date = file.slice(0, 10);
  return `-- ============================================================================
-- Migration: ${file.slice(14, -4).replace(/_/g, ' ')}
-- Date: ${date}
-- Issue: notes need more columns
--
-- PROBLEM: notes need more columns.
-- SOLUTION: add them.
-- AFFECTED TABLES: notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/01_base.sql (Lines 1-8: notes)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [N/A] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [X] Executed ${date}
-- ============================================================================

${body}

-- Rollback Script:
-- ${rollback}
`;
}

const addColumn = (file: string, column: string) =>
  migration(file, `ALTER TABLE public.notes ADD COLUMN IF NOT EXISTS ${column} text;`, `ALTER TABLE public.notes DROP COLUMN IF EXISTS ${column};`);

/** The three `_00_` files of the sweep's reproduction, after one unique version. */
function workspace(extra: Record<string, string> = {}): CliWorkspace {
  const ws = new CliWorkspace({
    migrations: false,
    schema: false,
    config: { migrationsDir: 'migration_history', schemaDir: 'current_schema', postgresVersion: 15, defaultEnv: 'local', environments: { local: { approvals: 0 } } },
  });
  ws.write(
    'current_schema/01_base.sql',
    'CREATE TABLE IF NOT EXISTS public.notes (\n  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n  body text NOT NULL,\n  a text,\n  b text,\n  c text\n);\nALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;\n',
  );
  ws.write(
    `migration_history/${NOTES}`,
    migration(
      NOTES,
      'CREATE TABLE IF NOT EXISTS public.notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body text NOT NULL);\nALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;',
      'DROP TABLE IF EXISTS public.notes;',
    ),
  );
  ws.write(`migration_history/${A}`, addColumn(A, 'a'));
  ws.write(`migration_history/${B}`, addColumn(B, 'b'));
  ws.write(`migration_history/${C}`, addColumn(C, 'c'));
  for (const [file, text] of Object.entries(extra)) ws.write(`migration_history/${file}`, text);
  return ws;
}

/** Edits a comment in B's body: its checksum changes, so the applied file is tampered. */
const editB = (ws: CliWorkspace) => ws.edit(`migration_history/${B}`, 'ADD COLUMN IF NOT EXISTS b text;', 'ADD COLUMN IF NOT EXISTS b text; -- free text');

const appliedNames = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('  applied  ')).map((l) => l.trim().split(/\s+/)[1]);

const ambiguous = (command: string) =>
  `pgwarden: 2025-09-15_00: 3 migration files have this version (migration_history/${A}, migration_history/${B}, migration_history/${C}): name the one you mean: ${command} 2025-09-15_00_add_notes_a, ${command} 2025-09-15_00_add_notes_b or ${command} 2025-09-15_00_add_notes_c\n`;

describe.skipIf(!enabled)('files sharing a version, on a real server', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of databases) await db.drop();
  });

  const history = async (admin: pg.Client) =>
    (await admin.query<{ version: string; name: string; checksum: string }>('SELECT version, name, checksum FROM pgwarden.migration_history ORDER BY version, name')).rows;
  const columns = async (admin: pg.Client) =>
    (await admin.query<{ c: string }>("SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'notes' AND column_name IN ('a', 'b', 'c') ORDER BY 1")).rows.map((r) => r.c);

  it('migrate --to a file name, repair --accept and rollback by file name or path touch that file only; a bare shared version lists the files and changes nothing', async () => {
    const ws = workspace();
    const db = await createTestDatabase('cli_dup');
    databases.push(db);
    const admin = await db.admin();
    const cli = (...args: string[]) => ws.run([...args, '--database-url', db.url]);

    // --to a file name stops after that file, though b and c share its version.
    const toA = await cli('migrate', '--preset', 'none', '--to', '2025-09-15_00_add_notes_a');
    expect(toA.code, toA.all).toBe(0);
    expect(appliedNames(toA.stdout)).toEqual([NOTES, A]);
    const rest = await cli('migrate', '--preset', 'none');
    expect(rest.code, rest.all).toBe(0);
    expect(appliedNames(rest.stdout)).toEqual([B, C]);

    editB(ws);
    const status = await cli('status');
    expect(status.code, status.all).toBe(1);
    expect(status.stdout).toMatch(/\napplied\s+2025-09-15_00_add_notes_a\.sql\s.*\ntampered\s+2025-09-15_00_add_notes_b\.sql\s.*\napplied\s+2025-09-15_00_add_notes_c\.sql\s/);
    expect(status.stdout).toContain('\n3 applied, 0 pending, 0 failed, 1 tampered, 0 missing\n');
    const refused = await cli('migrate');
    expect(refused.code).toBe(1);
    expect(lines(refused.stderr)).toHaveLength(1);
    expect(refused.stderr).toContain(`migration_history/${B}: the SQL changed after it was applied`);
    expect(refused.stderr).toContain('accept it with pgwarden repair --accept 2025-09-15_00_add_notes_b --by NAME --reason TEXT\n');

    const before = await history(admin);
    const bare = await cli('repair', '--accept', '2025-09-15_00', '--by', 'alice', '--reason', 'comment added');
    expect(bare.code, bare.all).toBe(2);
    expect(bare.stderr).toBe(ambiguous('pgwarden repair --accept'));
    expect(await history(admin)).toEqual(before);
    expect((await admin.query('SELECT count(*)::int AS n FROM pgwarden.repair_log')).rows[0].n).toBe(0);

    const repaired = await cli('repair', '--accept', '2025-09-15_00_add_notes_b', '--by', 'alice', '--reason', 'comment added');
    expect(repaired.code, repaired.all).toBe(0);
    expect(repaired.stdout).toMatch(/^pgwarden: 2025-09-15_00_add_notes_b\.sql: checksum [0-9a-f]{12} -> [0-9a-f]{12} accepted by alice\n$/);
    const after = await history(admin);
    // Only b's recorded checksum changed.
    expect(after.filter((r) => r.name !== B)).toEqual(before.filter((r) => r.name !== B));
    expect(after.find((r) => r.name === B)!.checksum).not.toBe(before.find((r) => r.name === B)!.checksum);
    expect((await admin.query('SELECT version, name, repaired_by, action FROM pgwarden.repair_log')).rows).toEqual([
      { version: '2025-09-15_00', name: B, repaired_by: 'alice', action: 'accept' },
    ]);
    const proceeds = await cli('migrate');
    expect(proceeds.code, proceeds.all).toBe(0);
    expect(proceeds.stdout).toContain('pgwarden: 0 applied, 4 already applied');

    const bareRollback = await cli('rollback', '2025-09-15_00', '--by', 'alice');
    expect(bareRollback.code, bareRollback.all).toBe(2);
    expect(bareRollback.stderr).toBe(ambiguous('pgwarden rollback'));
    expect(await columns(admin)).toEqual(['a', 'b', 'c']);

    // By path, relative to the current folder (here migration_history/).
    const rolledBack = await ws.run(['rollback', C, '--by', 'alice', '--reason', 'try again', '--database-url', db.url], { cwd: ws.path('migration_history') });
    expect(rolledBack.code, rolledBack.all).toBe(0);
    expect(rolledBack.stdout).toContain(`pgwarden: ${C}: rolled back in`);
    expect(await columns(admin)).toEqual(['a', 'b']);
    expect((await history(admin)).map((r) => r.name)).toEqual([NOTES, A, B]);
    expect((await admin.query('SELECT version, name, rolled_back_by FROM pgwarden.rollback_log')).rows).toEqual([{ version: '2025-09-15_00', name: C, rolled_back_by: 'alice' }]);

    // a is older than b, which shares its version: the newest goes first.
    const olderFirst = await cli('rollback', '2025-09-15_00_add_notes_a.sql', '--by', 'alice');
    expect(olderFirst.code).toBe(1);
    expect(olderFirst.stderr).toBe(`pgwarden: rollback: migration_history/${A}: later migrations are applied (${B}): roll back the newest first\n`);

    const again = await cli('migrate');
    expect(again.code, again.all).toBe(0);
    expect(appliedNames(again.stdout)).toEqual([C]);
  });
});

describe('a version no other file has, on the embedded database (near miss)', () => {
  it('repair --accept VERSION and rollback VERSION work as before', async () => {
    const ws = workspace({ [D]: addColumn(D, 'd') });
    expect((await ws.run(['migrate', '--preset', 'none'])).code).toBe(0);

    ws.edit(`migration_history/${NOTES}`, 'ENABLE ROW LEVEL SECURITY;', 'ENABLE ROW LEVEL SECURITY; -- owner only');
    const refused = await ws.run(['migrate']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('accept it with pgwarden repair --accept 2025-09-01_01 --by NAME --reason TEXT\n');
    const repaired = await ws.run(['repair', '--accept', '2025-09-01_01', '--by', 'alice', '--reason', 'comment added']);
    expect(repaired.code, repaired.all).toBe(0);
    expect(repaired.stdout).toMatch(/^pgwarden: 2025-09-01_01_create_notes\.sql: checksum [0-9a-f]{12} -> [0-9a-f]{12} accepted by alice\n$/);

    const rolledBack = await ws.run(['rollback', '2025-09-20_01', '--by', 'alice']);
    expect(rolledBack.code, rolledBack.all).toBe(0);
    expect(rolledBack.stdout).toContain(`pgwarden: ${D}: rolled back in`);
    const status = await ws.run(['status']);
    expect(status.code, status.all).toBe(0);
    expect(status.stdout).toContain('\n4 applied, 1 pending, 0 failed, 0 tampered, 0 missing\n');

    const unknown = await ws.run(['rollback', '2025-09-20_02', '--by', 'alice']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'pgwarden: 2025-09-20_02: no migration file has this version: name a migration by its version (YYYY-MM-DD_NN), its file name (YYYY-MM-DD_NN_slug, .sql optional) or its path\n',
    );
  }, 120_000);
});
