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

  it('skips tables in schemas that are not exposed and temporary tables', async () => {
    const text = migration(`CREATE SCHEMA IF NOT EXISTS private;
CREATE TABLE IF NOT EXISTS private.job_leases (job_id uuid PRIMARY KEY, leased_until timestamptz NOT NULL);
CREATE TEMP TABLE backfill_ids (id uuid);
CREATE TABLE IF NOT EXISTS private.vitals_2025_10 PARTITION OF private.vitals FOR VALUES FROM ('2025-10-01') TO ('2025-11-01');
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('covers partitions: queried directly, a partition bypasses the parent policies', async () => {
    const partition = "CREATE TABLE IF NOT EXISTS public.vitals_2025_10 PARTITION OF public.vitals FOR VALUES FROM ('2025-10-01') TO ('2025-11-01');\n";
    const findings = await runRule(RULE, migration(partition));
    expect(findings.map((finding) => finding.message)).toEqual([
      'partition public.vitals_2025_10 of public.vitals is created in exposed schema "public" without ENABLE ROW LEVEL SECURITY: queried directly, a partition bypasses its parent\'s policies',
    ]);
    // With RLS and no policy of its own, direct access is denied: no warning for a partition.
    expect(await runRule(RULE, migration(`${partition}ALTER TABLE public.vitals_2025_10 ENABLE ROW LEVEL SECURITY;\n`))).toEqual([]);
  });

  it('accepts CREATE TABLE IF NOT EXISTS of a table an earlier migration created with RLS', async () => {
    const history = {
      'archive/2025-06-01_03_create_care_notes.sql': `${CARE_NOTES}ALTER TABLE public.care_notes ENABLE ROW LEVEL SECURITY;\n${POLICY}`,
    };
    expect(await runRule(RULE, migration(CARE_NOTES), { history })).toEqual([]);
    // Near miss: the earlier migration created it without RLS.
    const unprotected = { '2025-06-01_03_create_care_notes.sql': CARE_NOTES };
    expect(await runRule(RULE, migration(CARE_NOTES), { history: unprotected })).toHaveLength(1);
    // Near miss: a later migration (by version) does not count as history of this one.
    const later = { '2026-01-01_40_create_care_notes.sql': `${CARE_NOTES}ALTER TABLE public.care_notes ENABLE ROW LEVEL SECURITY;\n` };
    expect(await runRule(RULE, migration(CARE_NOTES), { history: later })).toHaveLength(1);
  });

  it('flags a materialized view in an exposed schema unless it is revoked from anon and authenticated', async () => {
    const view = 'CREATE MATERIALIZED VIEW IF NOT EXISTS public.visit_stats AS SELECT clinic_id, count(*) AS visits FROM public.visits GROUP BY clinic_id;\n';
    const findings = await runRule(RULE, migration(view));
    expect(findings.map((finding) => [finding.line, finding.message])).toEqual([
      [
        at(migration(view), 'CREATE MATERIALIZED').line,
        'materialized view public.visit_stats is created in exposed schema "public": a materialized view cannot have row level security, so anon and authenticated can read every row of it through the API',
      ],
    ]);
    expect(await runRule(RULE, migration(`${view}REVOKE ALL ON public.visit_stats FROM anon, authenticated;\n`))).toEqual([]);
    // Near miss: revoking from PUBLIC leaves Supabase's grants to anon and authenticated.
    const publicOnly = await runRule(RULE, migration(`${view}REVOKE SELECT ON public.visit_stats FROM PUBLIC, anon;\n`));
    expect(publicOnly.map((finding) => finding.message)).toEqual([expect.stringContaining('so authenticated can read every row')]);
    // A materialized view in a schema that is not exposed is fine.
    expect(await runRule(RULE, migration(view.replace('public.visit_stats', 'private.visit_stats')))).toEqual([]);
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
