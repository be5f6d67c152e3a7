import { describe, expect, it } from 'vitest';
import { runRule } from './__fixtures__/run-rule.js';

const ID = 'idempotent-alter-column';
const lint = (sql: string) => runRule(ID, sql);

describe(ID, () => {
  it('accepts re-runnable column changes', async () => {
    const sql = `
ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;
ALTER TABLE public.documents ALTER COLUMN title TYPE text;
ALTER TABLE public.documents ALTER COLUMN status SET DEFAULT 'new', ALTER COLUMN title SET NOT NULL;
ALTER TABLE IF EXISTS public.old_name RENAME TO new_name;
ALTER TABLE public.documents DROP COLUMN IF EXISTS legacy, ADD COLUMN legacy jsonb;
`;
    expect(await lint(sql)).toEqual([]);
  });

  it('reports ADD COLUMN without IF NOT EXISTS with the fixed statement', async () => {
    const findings = await lint('ALTER TABLE public.documents\n  ADD COLUMN processing_time_minutes integer,\n  ADD COLUMN IF NOT EXISTS ok text,\n  ADD reviewed boolean DEFAULT false;');
    expect(findings).toEqual([
      expect.objectContaining({
        rule: ID,
        line: 1,
        column: 1,
        message: 'ALTER TABLE public.documents ADD COLUMN processing_time_minutes, reviewed without IF NOT EXISTS fails when the migration runs a second time',
        hint: 'write "ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer, ADD COLUMN IF NOT EXISTS ok text, ADD COLUMN IF NOT EXISTS reviewed boolean DEFAULT false"',
      }),
    ]);
  });

  it('does not confuse ADD CONSTRAINT with ADD COLUMN', async () => {
    expect(await lint('ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0), ADD PRIMARY KEY (id);')).toEqual([]);
  });

  it('reports RENAME COLUMN with the DO-block guard to write', async () => {
    const [finding] = await lint('ALTER TABLE public.documents RENAME COLUMN title TO name;');
    expect(finding!.message).toBe(
      'RENAME COLUMN title TO name on public.documents fails when the migration runs a second time (column title no longer exists); it has no IF EXISTS form',
    );
    expect(finding!.hint).toBe(
      "guard it: DO $$ BEGIN IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'documents' AND column_name = 'title') THEN ALTER TABLE public.documents RENAME COLUMN title TO name; END IF; END $$;",
    );
    // ALTER TABLE IF EXISTS only covers the table, not the column.
    expect(await lint('ALTER TABLE IF EXISTS documents RENAME COLUMN title TO name;')).toHaveLength(1);
  });

  it('reports RENAME TO of a table without IF EXISTS', async () => {
    const [finding] = await lint('ALTER TABLE app.patient RENAME TO patients;');
    expect(finding!.message).toBe('ALTER TABLE app.patient RENAME TO patients fails when the migration runs a second time (app.patient no longer exists)');
    expect(finding!.hint).toContain('ALTER TABLE IF EXISTS app.patient RENAME TO patients');
    expect(finding!.hint).toContain("to_regclass('app.patient') IS NOT NULL AND to_regclass('app.patients') IS NULL");
  });

  it('accepts renames and column additions inside a guarded DO block', async () => {
    const sql = `DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'documents' AND column_name = 'title') THEN
    ALTER TABLE documents RENAME COLUMN title TO name;
  END IF;
END $$;
DO $$ BEGIN ALTER TABLE documents ADD COLUMN note text; EXCEPTION WHEN duplicate_column THEN NULL; END $$;`;
    expect(await lint(sql)).toEqual([]);
  });

  it('reports an unguarded rename inside a DO block at its own line', async () => {
    const findings = await lint('DO $$\nBEGIN\n  ALTER TABLE documents RENAME COLUMN title TO name;\nEND $$;');
    expect(findings.map((finding) => [finding.line, finding.column])).toEqual([[3, 3]]);
  });
});
