import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'affected-tables';

function at(text: string, needle: string, from = 0): { line: number; column: number } {
  const index = text.indexOf(needle, from);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** Header with the given AFFECTED TABLES value (may span lines), then the SQL. */
const migration = (affected: string, sql: string) => `${header({ affected })}\n${sql}`;

const ADD_AND_BACKFILL = `-- Durée de traitement → minutes
ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'documents_processing_job_fk') THEN
    ALTER TABLE public.documents
      ADD CONSTRAINT documents_processing_job_fk FOREIGN KEY (processing_job_id) REFERENCES public.processing_jobs (id);
  END IF;
END $$;

UPDATE public.documents d
   SET processing_time_minutes = j.minutes
  FROM (SELECT document_id, max(minutes) AS minutes FROM public.job_runs GROUP BY document_id) j
 WHERE j.document_id = d.id AND d.processing_time_minutes IS NULL;

CREATE INDEX IF NOT EXISTS idx_documents_processing_time ON public.documents (processing_time_minutes);
COMMENT ON COLUMN public.documents.processing_time_minutes IS 'Durée de traitement en minutes';
`;

describe('affected-tables', () => {
  it('accepts a list naming every touched table; reads and foreign-key targets need not be listed', async () => {
    expect(await runRule(RULE, migration('public.documents', ADD_AND_BACKFILL))).toEqual([]);
  });

  it('accepts read-only and referenced tables in the list, over lines, with bullets and notes', async () => {
    const affected = 'Documents (new column, backfilled),\n--   - job_runs (read only)\n--   - processing_jobs (FK target)';
    expect(await runRule(RULE, migration(affected, ADD_AND_BACKFILL))).toEqual([]);
  });

  it('reports a touched table missing from the list, at the statement that touches it', async () => {
    const sql = `${ADD_AND_BACKFILL}CREATE INDEX IF NOT EXISTS idx_processing_jobs_status ON public.processing_jobs (status);\n`;
    const text = migration('documents', sql);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', ...at(text, 'CREATE INDEX IF NOT EXISTS idx_processing_jobs') });
    expect(findings[0].message).toBe('processing_jobs is indexed here but missing from AFFECTED TABLES (line 8)');
    expect(findings[0].hint).toBe('list it: "-- AFFECTED TABLES: documents, processing_jobs"');
  });

  it('reports a listed table the SQL never touches, at its name on the header line', async () => {
    const text = migration('documents, care_plans', ADD_AND_BACKFILL);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, ...at(text, 'care_plans'), endColumn: at(text, 'care_plans').column + 'care_plans'.length });
    expect(findings[0].message).toBe('AFFECTED TABLES lists care_plans, but the SQL never touches it');
    expect(findings[0].hint).toContain('"-- AFFECTED TABLES: documents"');

    const withAnd = migration('documents and care_plans', ADD_AND_BACKFILL);
    const [andFinding, ...rest] = await runRule(RULE, withAnd);
    expect(rest).toEqual([]);
    expect(andFinding).toMatchObject({ ...at(withAnd, 'care_plans'), message: 'AFFECTED TABLES lists care_plans, but the SQL never touches it' });
  });

  it('finds tables written inside DO blocks, but not inside function bodies', async () => {
    const sql = `DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.tables WHERE table_name = 'care_plans') THEN
    UPDATE public.care_plans SET status = 'archivé' WHERE status = 'closed';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION public.log_care_plan_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
  INSERT INTO public.audit_events (entity, entity_id) VALUES ('care_plan', NEW.id);
  RETURN NEW;
END;
$$;
`;
    const text = migration('none', sql);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.column, finding.message])).toEqual([
      [
        at(text, 'UPDATE public.care_plans').line,
        at(text, 'UPDATE public.care_plans').column,
        'care_plans is written (UPDATE) here but missing from AFFECTED TABLES (line 8), which says none',
      ],
    ]);
    // Listing a table only the function body writes is allowed.
    expect(await runRule(RULE, migration('care_plans, audit_events', sql))).toEqual([]);
  });

  it('accepts none / N/A for a migration that touches no table', async () => {
    const sql = `CREATE OR REPLACE FUNCTION public.is_clinician() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT EXISTS (SELECT 1 FROM public.staff WHERE user_id = auth.uid())
$$;
ALTER TYPE public.document_status ADD VALUE IF NOT EXISTS 'archivé';
`;
    expect(await runRule(RULE, migration('none (function and enum only)', sql))).toEqual([]);
    expect(await runRule(RULE, migration('N/A', sql))).toEqual([]);
  });

  it('matches case-insensitively, ignores public., and accepts an unqualified name for another schema', async () => {
    const sql = `CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users
  FOR EACH ROW EXECUTE FUNCTION public.handle_new_user();
CREATE POLICY "Patients read own profile" ON "public"."Profiles" FOR SELECT TO authenticated USING (id = auth.uid());
ALTER TABLE public.care_plans ENABLE ROW LEVEL SECURITY;
`;
    expect(await runRule(RULE, migration('auth.users, profiles, PUBLIC.Care_Plans', sql))).toEqual([]);
    expect(await runRule(RULE, migration('users, profiles, care_plans', sql))).toEqual([]);
    const wrongSchema = migration('storage.users, profiles, care_plans', sql);
    const findings = await runRule(RULE, wrongSchema);
    expect(findings.map((finding) => finding.message)).toEqual([
      // Sorted by position: the header line comes first.
      'AFFECTED TABLES lists storage.users, but the SQL never touches it',
      'auth.users is given a trigger here but missing from AFFECTED TABLES (line 8)',
    ]);
  });

  it('covers created, dropped, renamed, truncated and commented tables', async () => {
    const sql = `CREATE TABLE IF NOT EXISTS public.care_plan_notes (id uuid PRIMARY KEY, care_plan_id uuid REFERENCES public.care_plans (id));
DROP TABLE IF EXISTS public.care_plan_drafts;
ALTER TABLE public.care_plan_templates RENAME TO care_plan_models;
TRUNCATE public.import_staging;
COMMENT ON TABLE public.care_plan_notes IS 'Notes cliniques';
`;
    const text = migration('care_plan_notes', sql);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message])).toEqual([
      [at(text, 'DROP TABLE').line, 'care_plan_drafts is dropped here but missing from AFFECTED TABLES (line 8)'],
      [at(text, 'ALTER TABLE public.care_plan_templates').line, 'care_plan_templates is renamed here but missing from AFFECTED TABLES (line 8)'],
      [at(text, 'TRUNCATE').line, 'import_staging is truncated here but missing from AFFECTED TABLES (line 8)'],
    ]);
  });

  it('does not call listed tables unused when a statement fails to parse', async () => {
    const sql = `ALTER TABLE public.documents ADD CONSTRAINT IF NOT EXISTS documents_status_check CHECK (status <> '');
UPDATE public.care_plans SET status = 'active' WHERE status IS NULL;
`;
    const text = migration('documents', sql);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => finding.message)).toEqual(['care_plans is written (UPDATE) here but missing from AFFECTED TABLES (line 8)']);
  });

  it('leaves a placeholder list to header-fields', async () => {
    expect(await runRule(RULE, migration('table_name_1, table_name_2', ADD_AND_BACKFILL))).toEqual([]);
  });

  it('reads labelled items (NEW:, MODIFIED:) and does not take the label for a table', async () => {
    const sql = `CREATE TABLE IF NOT EXISTS public.visit_notes (id uuid PRIMARY KEY, visit_id uuid REFERENCES public.visits (id), body text);
ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS note_count integer NOT NULL DEFAULT 0;
`;
    expect(await runRule(RULE, migration('NEW: visit_notes (note storage), MODIFIED: visits', sql))).toEqual([]);
    const bullets = migration('\n--   - NEW: visit_notes (note storage)\n--   - MODIFIED: visits (note_count)', sql);
    expect(await runRule(RULE, bullets)).toEqual([]);
    // Near miss: a labelled table that the SQL does not touch is still reported, by its name.
    const extra = await runRule(RULE, migration('NEW: visit_notes, MODIFIED: visits, REMOVED: visit_drafts', sql));
    expect(extra.map((finding) => finding.message)).toEqual(['AFFECTED TABLES lists visit_drafts, but the SQL never touches it']);
  });

  it('accepts tables annotated as affected indirectly, and tables a function body or EXECUTE format reaches', async () => {
    const sql = `ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS archived boolean NOT NULL DEFAULT false;
CREATE OR REPLACE FUNCTION public.visit_summary(p_clinic uuid) RETURNS TABLE (visits bigint) LANGUAGE sql STABLE AS $$
  SELECT count(*) FROM public.clinic_visits_v WHERE clinic_id = p_clinic
$$;
DO $$
BEGIN
  EXECUTE format('ALTER TABLE public.%I ADD COLUMN IF NOT EXISTS archived boolean', 'visit_archive');
END $$;
`;
    const listed = 'visits, patients (indirectly, via RLS helper), clinic_visits_v, visit_archive';
    expect(await runRule(RULE, migration(listed, sql))).toEqual([]);
    // Near miss: without the annotation, a table the SQL never names is reported.
    const plain = await runRule(RULE, migration('visits, patients, clinic_visits_v, visit_archive', sql));
    expect(plain.map((finding) => finding.message)).toEqual(['AFFECTED TABLES lists patients, but the SQL never touches it']);
  });

  it('takes a dropped index as touching the table the index was created on', async () => {
    const files = { 'current_schema/03_clinical_core.sql': 'CREATE TABLE public.visits (id uuid, clinic_id uuid);\nCREATE INDEX IF NOT EXISTS visits_clinic_idx ON public.visits (clinic_id);\n' };
    const sql = 'DROP INDEX IF EXISTS public.visits_clinic_idx;\n';
    expect(await runRule(RULE, migration('visits', sql), { files })).toEqual([]);
    // Near miss: an index nobody created does not vouch for a listed table.
    const unknown = await runRule(RULE, migration('visits', 'DROP INDEX IF EXISTS public.visits_other_idx;\n'), { files });
    expect(unknown.map((finding) => finding.message)).toEqual(['AFFECTED TABLES lists visits, but the SQL never touches it']);
  });
});
