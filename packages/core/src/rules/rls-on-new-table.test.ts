import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'rls-on-new-table';

/** A migration: the standard header, then `sql`. */
const migration = (sql: string) => `${header({ affected: 'care_notes' })}\n${sql}`;

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

const CARE_NOTES = `CREATE TABLE IF NOT EXISTS public.care_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
`;

const POLICY = `DROP POLICY IF EXISTS care_notes_owner_select ON public.care_notes;
CREATE POLICY care_notes_owner_select ON public.care_notes
  FOR SELECT TO authenticated USING (auth.uid() = patient_id);
`;

describe('rls-on-new-table', () => {
  it('reports a table created in public without ENABLE ROW LEVEL SECURITY, at the CREATE TABLE', async () => {
    const text = migration(`${CARE_NOTES}\nCREATE INDEX IF NOT EXISTS care_notes_patient_idx ON public.care_notes (patient_id);\n`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: RULE,
      severity: 'error',
      ...at(text, 'CREATE TABLE IF NOT EXISTS public.care_notes'),
      endLine: at(text, ');').line,
    });
    expect(findings[0].message).toBe(
      'table public.care_notes is created in exposed schema "public" without ENABLE ROW LEVEL SECURITY in this migration',
    );
    expect(findings[0].hint).toContain('ALTER TABLE public.care_notes ENABLE ROW LEVEL SECURITY;');
  });

  it('treats an unqualified table name as public', async () => {
    const text = migration('CREATE TABLE IF NOT EXISTS appointment_reminders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n');
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message])).toEqual([
      [at(text, 'CREATE TABLE').line, 'table public.appointment_reminders is created in exposed schema "public" without ENABLE ROW LEVEL SECURITY in this migration'],
    ]);
  });

  it('accepts RLS enabled with a policy, even under a different spelling of the name', async () => {
    const text = migration(`${CARE_NOTES}\nALTER TABLE care_notes ENABLE ROW LEVEL SECURITY;\n${POLICY}`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('accepts ENABLE ROW LEVEL SECURITY inside a DO block', async () => {
    const text = migration(`${CARE_NOTES}
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'care_notes' AND relrowsecurity) THEN
    ALTER TABLE public.care_notes ENABLE ROW LEVEL SECURITY;
  END IF;
END $$;
${POLICY}`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('does not count an ENABLE inside a function body: it runs only when the function is called', async () => {
    const text = migration(`${CARE_NOTES}
CREATE OR REPLACE FUNCTION public.secure_care_notes() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  ALTER TABLE public.care_notes ENABLE ROW LEVEL SECURITY;
END;
$$;
${POLICY}`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', line: at(text, 'CREATE TABLE').line });
  });

  it('warns at the ENABLE statement when the migration creates no policy for the table', async () => {
    const text = migration(`${CARE_NOTES}\nALTER TABLE public.care_notes ENABLE ROW LEVEL SECURITY;\n`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'warning', ...at(text, 'ALTER TABLE public.care_notes ENABLE') });
    expect(findings[0].message).toBe(
      'row level security is enabled on public.care_notes but this migration creates no policy for it: anon and authenticated are denied every row',
    );
    expect(findings[0].hint).toContain('deny-all is intended');
    expect(findings[0].hint).toContain('-- pgwarden-ignore rls-on-new-table -- deny-all');
  });

  it('lets an intended deny-all table be suppressed with a reason', async () => {
    const text = migration(`CREATE TABLE IF NOT EXISTS public.audit_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb NOT NULL);
-- pgwarden-ignore rls-on-new-table -- deny-all: written by SECURITY DEFINER triggers, read by service_role only
ALTER TABLE public.audit_events ENABLE ROW LEVEL SECURITY;
`);
    expect(await runRule([RULE, 'unused-ignore'], text)).toEqual([]);
  });

  it('never lets the deny-all warning outrank the configured severity', async () => {
    const text = migration(`${CARE_NOTES}\nALTER TABLE public.care_notes ENABLE ROW LEVEL SECURITY;\n`);
    const findings = await runRule(RULE, text, { config: { rules: { [RULE]: 'info' } } });
    expect(findings.map((finding) => finding.severity)).toEqual(['info']);
  });

  it('reports DISABLE ROW LEVEL SECURITY on an exposed table, created here or not', async () => {
    const text = migration('ALTER TABLE public.profiles DISABLE ROW LEVEL SECURITY;\n');
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', ...at(text, 'ALTER TABLE public.profiles') });
    expect(findings[0].message).toContain('DISABLE ROW LEVEL SECURITY on public.profiles');
  });

  it('allows DISABLE ROW LEVEL SECURITY outside the exposed schemas', async () => {
    const text = migration('ALTER TABLE private.job_leases DISABLE ROW LEVEL SECURITY;\n');
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('skips tables in schemas that are not exposed, temporary tables and partitions', async () => {
    const text = migration(`CREATE SCHEMA IF NOT EXISTS private;
CREATE TABLE IF NOT EXISTS private.job_leases (job_id uuid PRIMARY KEY, leased_until timestamptz NOT NULL);
CREATE TEMP TABLE backfill_ids (id uuid);
CREATE TABLE IF NOT EXISTS public.vitals_2025_10 PARTITION OF public.vitals FOR VALUES FROM ('2025-10-01') TO ('2025-11-01');
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('reads exposedSchemas from the configuration', async () => {
    const text = migration(`CREATE TABLE IF NOT EXISTS api.clinic_hours (clinic_id uuid PRIMARY KEY);
CREATE TABLE IF NOT EXISTS public.import_staging (id uuid PRIMARY KEY);
`);
    const findings = await runRule(RULE, text, { config: { exposedSchemas: ['api'] } });
    expect(findings.map((finding) => finding.message)).toEqual([
      'table api.clinic_hours is created in exposed schema "api" without ENABLE ROW LEVEL SECURITY in this migration',
    ]);
  });

  it('covers CREATE TABLE AS', async () => {
    const text = migration('CREATE TABLE public.patient_snapshot AS SELECT id, full_name FROM public.patients;\n');
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => finding.message)).toEqual([
      'table public.patient_snapshot is created in exposed schema "public" without ENABLE ROW LEVEL SECURITY in this migration',
    ]);
  });

  it('follows a table renamed in the same migration', async () => {
    const text = migration(`CREATE TABLE IF NOT EXISTS public.notes_tmp (id uuid PRIMARY KEY, patient_id uuid NOT NULL);
ALTER TABLE public.notes_tmp RENAME TO clinical_notes;
ALTER TABLE public.clinical_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY clinical_notes_owner ON public.clinical_notes FOR SELECT TO authenticated USING (auth.uid() = patient_id);
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('reports each unprotected table once, in file order', async () => {
    const text = migration(`CREATE TABLE IF NOT EXISTS public.a_items (id uuid PRIMARY KEY);
CREATE TABLE IF NOT EXISTS public.b_items (id uuid PRIMARY KEY);
ALTER TABLE public.b_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY b_items_read ON public.b_items FOR SELECT TO authenticated USING (true);
CREATE TABLE IF NOT EXISTS public.c_items (id uuid PRIMARY KEY);
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message.split(' ')[1]])).toEqual([
      [at(text, 'public.a_items').line, 'public.a_items'],
      [at(text, 'public.c_items').line, 'public.c_items'],
    ]);
  });
});
