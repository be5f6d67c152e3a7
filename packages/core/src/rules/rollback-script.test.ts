import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'rollback-script';

const migration = (sql: string) => `${header({ affected: 'documents, care_plans' })}\n${sql}`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

const DROP_LEGACY = `-- Ancien statut (remplacé par status → enum)
CREATE TABLE IF NOT EXISTS public.documents_legacy_status_backup AS
  SELECT id, legacy_status FROM public.documents;
ALTER TABLE public.documents DROP COLUMN IF EXISTS legacy_status;
`;

describe('rollback-script', () => {
  it('accepts a destructive migration with a commented rollback script', async () => {
    const text = migration(`${DROP_LEGACY}
-- Rollback Script
-- /*
-- ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS legacy_status text;
-- UPDATE public.documents d SET legacy_status = b.legacy_status
--   FROM public.documents_legacy_status_backup b WHERE b.id = d.id;
-- */
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('reports a DROP COLUMN without rollback at the statement, as an error', async () => {
    const text = migration(DROP_LEGACY);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', ...at(text, 'ALTER TABLE public.documents DROP') });
    expect(findings[0].message).toBe(
      `1 destructive statement: DROP COLUMN documents.legacy_status (line ${at(text, 'ALTER TABLE public.documents DROP').line}); there is no rollback script`,
    );
    expect(findings[0].hint).toContain('-- /* ALTER TABLE documents ADD COLUMN legacy_status <type as before>; */');
  });

  it("does not count the template's bare rollback heading with a placeholder", async () => {
    const text = migration(`${DROP_LEGACY}
-- Rollback Script (if needed)
-- /* DROP COLUMN IF EXISTS...; */
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain(`the Rollback section on line ${at(text, '-- Rollback Script').line} holds no SQL`);
  });

  it('counts every kind of destructive statement and reports at the first one', async () => {
    const text = migration(`ALTER TABLE public.care_plans ALTER COLUMN priority TYPE smallint USING priority::smallint;
ALTER TABLE public.care_plans RENAME COLUMN notes TO clinician_notes;
ALTER TYPE public.care_plan_status RENAME VALUE 'canceled' TO 'cancelled';
TRUNCATE public.care_plan_drafts;
DELETE FROM public.care_plan_audit;
DROP TABLE IF EXISTS public.care_plan_templates CASCADE;
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject(at(text, 'ALTER TABLE public.care_plans ALTER COLUMN'));
    const line = (needle: string) => at(text, needle).line;
    expect(findings[0].message).toBe(
      `6 destructive statements: ALTER COLUMN care_plans.priority TYPE (line ${line('ALTER COLUMN priority')}), ` +
        `RENAME COLUMN care_plans.notes TO clinician_notes (line ${line('RENAME COLUMN')}), ` +
        `ALTER TYPE care_plan_status RENAME VALUE 'canceled' (line ${line('RENAME VALUE')}) and 3 more; there is no rollback script`,
    );
  });

  it('accepts replace idioms: policy, trigger, function, index, view and constraint dropped then re-created', async () => {
    const text = migration(`DROP POLICY IF EXISTS "Patients read own care plans" ON public.care_plans;
CREATE POLICY "Patients read own care plans" ON public.care_plans
  FOR SELECT TO authenticated USING (patient_id = auth.uid());

DROP TRIGGER IF EXISTS trg_care_plans_updated_at ON public.care_plans;
CREATE TRIGGER trg_care_plans_updated_at BEFORE UPDATE ON public.care_plans
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

DROP FUNCTION IF EXISTS public.care_plan_summary(uuid);
CREATE FUNCTION public.care_plan_summary(p_plan_id uuid, p_locale text DEFAULT 'fr')
RETURNS text LANGUAGE sql STABLE SET search_path = '' AS $$ SELECT 'résumé'::text $$;

DROP INDEX IF EXISTS public.idx_care_plans_patient;
CREATE INDEX IF NOT EXISTS idx_care_plans_patient ON public.care_plans (patient_id, created_at);

DROP VIEW IF EXISTS public.active_care_plans;
CREATE VIEW public.active_care_plans AS SELECT * FROM public.care_plans WHERE status = 'active';

ALTER TABLE public.care_plans DROP CONSTRAINT IF EXISTS care_plans_priority_check;
ALTER TABLE public.care_plans ADD CONSTRAINT care_plans_priority_check CHECK (priority BETWEEN 1 AND 5);
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('reports a drop that is not followed by the same object (other table, other name, CASCADE); a drop of what the file created before is not one', async () => {
    const text = migration(`CREATE POLICY "Staff read care plans" ON public.care_plans FOR SELECT TO authenticated USING (true);
DROP POLICY IF EXISTS "Staff read care plans" ON public.care_plans;
DROP POLICY IF EXISTS "Patients read own documents" ON public.documents;
CREATE POLICY "Patients read own documents" ON public.care_plans FOR SELECT TO authenticated USING (patient_id = auth.uid());
DROP VIEW IF EXISTS public.active_care_plans CASCADE;
CREATE VIEW public.active_care_plans AS SELECT * FROM public.care_plans;
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    // The policy created on the line above and dropped again existed before nowhere: nothing is lost.
    expect(findings[0]).toMatchObject(at(text, 'DROP POLICY IF EXISTS "Patients'));
    expect(findings[0].message).toBe(
      `2 destructive statements: DROP POLICY Patients read own documents ON documents (line ${at(text, 'DROP POLICY IF EXISTS "Patients').line}), ` +
        `DROP VIEW active_care_plans CASCADE (line ${at(text, 'DROP VIEW').line}); there is no rollback script`,
    );
  });

  it('looks inside DO-block guards, but not into function bodies', async () => {
    const text = migration(`DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'documents_size_check') THEN
    ALTER TABLE public.documents DROP CONSTRAINT documents_size_check;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION public.purge_care_plan_drafts()
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
  DELETE FROM public.care_plan_drafts;
END;
$$;
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject(at(text, 'ALTER TABLE public.documents DROP CONSTRAINT'));
    expect(findings[0].message).toContain('1 destructive statement: DROP CONSTRAINT documents_size_check ON documents');
  });

  it('treats DELETE ... WHERE and additive DDL as non-destructive', async () => {
    const text = migration(`ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;
ALTER TABLE public.documents ALTER COLUMN processing_time_minutes DROP NOT NULL;
DELETE FROM public.documents WHERE deleted_at < now() - interval '7 years';
CREATE OR REPLACE VIEW public.active_care_plans AS SELECT * FROM public.care_plans WHERE status = 'active';
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('can be silenced at the statement with a reason', async () => {
    const text = migration(`-- pgwarden-ignore rollback-script -- the column was added by 2025-10-07_17, never released
${DROP_LEGACY.split('\n').slice(3).join('\n')}`);
    expect(await runRule(RULE, text)).toEqual([]);
    // The same file without the ignore line is reported.
    expect(await runRule(RULE, text.replace(/-- pgwarden-ignore .*\n/, ''))).toHaveLength(1);
  });

  it('does not count dropping what the same file created earlier as destructive', async () => {
    const text = migration(`
CREATE OR REPLACE FUNCTION public.pgw_tmp_normalise(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(value)) $$;
CREATE TABLE public.visit_import_stage (id uuid, label text);
UPDATE public.visits v SET label = public.pgw_tmp_normalise(v.label);
TRUNCATE public.visit_import_stage;
DROP TABLE public.visit_import_stage;
DROP FUNCTION public.pgw_tmp_normalise(text);
`);
    expect(await runRule(RULE, text)).toEqual([]);
    // Near miss: the same helper dropped in a file that did not create it is destructive.
    const other = migration('DROP FUNCTION IF EXISTS public.pgw_tmp_normalise(text);\n');
    expect((await runRule(RULE, other)).map((finding) => finding.message)).toEqual([
      `1 destructive statement: DROP FUNCTION pgw_tmp_normalise (line ${at(other, 'DROP FUNCTION').line}); there is no rollback script`,
    ]);
  });
});
