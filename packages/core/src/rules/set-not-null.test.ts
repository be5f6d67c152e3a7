import { describe, expect, it } from 'vitest';
import { runRule } from './__fixtures__/run-rule.js';

const ID = 'set-not-null';
const lint = (sql: string, postgresVersion = 15, options: { files?: Record<string, string>; history?: Record<string, string>; severity?: 'info' } = {}) =>
  runRule(ID, sql, { config: { postgresVersion, ...(options.severity ? { rules: { [ID]: options.severity } } : {}) }, files: options.files, history: options.history });

describe(ID, () => {
  it('reports SET NOT NULL on an existing table with the validated-CHECK route (PG 12+)', async () => {
    const findings = await lint('SELECT 1;\nALTER TABLE public.documents ALTER COLUMN owner_id SET NOT NULL;');
    expect(findings).toEqual([
      expect.objectContaining({
        rule: ID,
        severity: 'warning',
        line: 2,
        column: 1,
        message:
          'ALTER COLUMN owner_id SET NOT NULL on public.documents scans every row to check for NULLs while holding an ACCESS EXCLUSIVE lock on public.documents: reads and writes wait',
        hint:
          'prove it first with a constraint: "ALTER TABLE public.documents ADD CONSTRAINT documents_owner_id_not_null CHECK (owner_id IS NOT NULL) NOT VALID;", ' +
          'then in a later migration "ALTER TABLE public.documents VALIDATE CONSTRAINT documents_owner_id_not_null;" (SHARE UPDATE EXCLUSIVE: reads and writes go on), ' +
          'then "ALTER TABLE public.documents ALTER COLUMN owner_id SET NOT NULL;" (PG 12+ skips the scan) and "ALTER TABLE public.documents DROP CONSTRAINT documents_owner_id_not_null;"',
      }),
    ]);
  });

  it('is silent when a validated CHECK (col IS NOT NULL) precedes it in the file', async () => {
    const validated = `ALTER TABLE documents ADD CONSTRAINT owner_nn CHECK (owner_id IS NOT NULL) NOT VALID;
ALTER TABLE documents VALIDATE CONSTRAINT owner_nn;
ALTER TABLE documents ALTER COLUMN owner_id SET NOT NULL;`;
    expect(await lint(validated)).toEqual([]);
    const direct = 'ALTER TABLE documents ADD CONSTRAINT owner_nn CHECK (owner_id IS NOT NULL AND size > 0);\nALTER TABLE documents ALTER COLUMN owner_id SET NOT NULL;';
    expect(await lint(direct)).toEqual([]);
  });

  it('still reports when the CHECK is not validated, covers another column, or was dropped', async () => {
    expect(await lint('ALTER TABLE documents ADD CONSTRAINT owner_nn CHECK (owner_id IS NOT NULL) NOT VALID;\nALTER TABLE documents ALTER COLUMN owner_id SET NOT NULL;')).toHaveLength(1);
    expect(await lint('ALTER TABLE documents ADD CONSTRAINT t_nn CHECK (title IS NOT NULL);\nALTER TABLE documents ALTER COLUMN owner_id SET NOT NULL;')).toHaveLength(1);
    expect(
      await lint('ALTER TABLE documents ADD CONSTRAINT o_nn CHECK (owner_id IS NOT NULL);\nALTER TABLE documents DROP CONSTRAINT o_nn;\nALTER TABLE documents ALTER COLUMN owner_id SET NOT NULL;'),
    ).toHaveLength(1);
  });

  it('finds the validated CHECK in an earlier migration of the history', async () => {
    const history = {
      '2025-10-01_10_owner_check.sql': 'ALTER TABLE documents ADD CONSTRAINT owner_nn CHECK (owner_id IS NOT NULL) NOT VALID;',
      '2025-10-02_11_validate_owner_check.sql': 'ALTER TABLE documents VALIDATE CONSTRAINT owner_nn;',
    };
    expect(await lint('ALTER TABLE documents ALTER COLUMN owner_id SET NOT NULL;', 15, { history })).toEqual([]);
  });

  it('before PostgreSQL 12 the CHECK does not help, and the hint says so', async () => {
    const sql = 'ALTER TABLE documents ADD CONSTRAINT owner_nn CHECK (owner_id IS NOT NULL);\nALTER TABLE documents ALTER COLUMN owner_id SET NOT NULL;';
    const [finding] = await lint(sql, 11);
    expect(finding!.line).toBe(2);
    expect(finding!.hint).toContain('before PostgreSQL 12 (target: 11) no constraint lets SET NOT NULL skip the scan');
  });

  it('reports ADD COLUMN ... NOT NULL without a default as an error', async () => {
    const [finding] = await lint('ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS code text NOT NULL;');
    expect(finding).toMatchObject({
      severity: 'error',
      message: 'ADD COLUMN code ... NOT NULL without a DEFAULT on public.documents fails as soon as the table has a row (existing rows would get NULL)',
    });
    expect((await lint('ALTER TABLE documents ADD COLUMN code text NOT NULL DEFAULT NULL;'))[0]!.severity).toBe('error');
    expect((await lint('ALTER TABLE documents ADD COLUMN id2 int PRIMARY KEY;'))).toHaveLength(1);
    // the configured severity wins
    expect((await lint('ALTER TABLE documents ADD COLUMN code text NOT NULL;', 15, { severity: 'info' }))[0]!.severity).toBe('info');
  });

  it('accepts NOT NULL columns that get a value for existing rows', async () => {
    const sql = `ALTER TABLE documents ADD COLUMN IF NOT EXISTS reviewed boolean NOT NULL DEFAULT false;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS n bigint GENERATED ALWAYS AS IDENTITY NOT NULL;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS s bigserial NOT NULL;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS note text;`;
    expect(await lint(sql)).toEqual([]);
  });

  it('skips tables created in the same file', async () => {
    const sql = `CREATE TABLE IF NOT EXISTS notes (id int, body text);
ALTER TABLE notes ALTER COLUMN body SET NOT NULL;
ALTER TABLE notes ADD COLUMN IF NOT EXISTS owner uuid NOT NULL;`;
    expect(await lint(sql)).toEqual([]);
  });

  it('checks DO blocks', async () => {
    const findings = await lint('DO $$\nBEGIN\n  ALTER TABLE documents ALTER COLUMN owner_id SET NOT NULL;\nEND $$;');
    expect(findings.map((finding) => [finding.line, finding.column])).toEqual([[3, 3]]);
  });

  it('accepts NOT NULL on a table emptied by TRUNCATE earlier in the file, or created in it', async () => {
    const truncated = `TRUNCATE public.import_stage;
ALTER TABLE public.import_stage ADD COLUMN batch_id uuid NOT NULL;
ALTER TABLE public.import_stage ALTER COLUMN source SET NOT NULL;`;
    expect(await runRule(ID, truncated)).toEqual([]);
    const created = `CREATE TABLE IF NOT EXISTS public.visit_notes (id uuid PRIMARY KEY, body text);
ALTER TABLE public.visit_notes ADD COLUMN author_id uuid NOT NULL;`;
    expect(await runRule(ID, created)).toEqual([]);
    // Near miss: rows inserted after the TRUNCATE are there again.
    const refilled = `TRUNCATE public.import_stage;
INSERT INTO public.import_stage (source) SELECT source FROM public.import_archive;
ALTER TABLE public.import_stage ADD COLUMN batch_id uuid NOT NULL;`;
    expect((await runRule(ID, refilled)).map((finding) => [finding.line, finding.severity])).toEqual([[3, 'error']]);
    // Near miss: another table was truncated.
    const other = 'TRUNCATE public.import_archive;\nALTER TABLE public.import_stage ADD COLUMN batch_id uuid NOT NULL;';
    expect((await runRule(ID, other)).map((finding) => finding.line)).toEqual([2]);
  });

  it('does not take CREATE TABLE IF NOT EXISTS of a table an earlier migration created for a new, empty table', async () => {
    const history = { 'archive/2025-01-02_01_create_visits.sql': 'CREATE TABLE public.visits (id uuid PRIMARY KEY);\n' };
    const sql = 'CREATE TABLE IF NOT EXISTS public.visits (id uuid PRIMARY KEY);\nALTER TABLE public.visits ADD COLUMN reminder_id uuid NOT NULL;';
    expect((await runRule(ID, sql, { history })).map((finding) => [finding.line, finding.severity])).toEqual([[2, 'error']]);
    // Near miss: without that history the table is new here, and empty.
    expect(await runRule(ID, sql)).toEqual([]);
  });
});
