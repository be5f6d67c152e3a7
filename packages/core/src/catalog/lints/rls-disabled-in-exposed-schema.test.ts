import { describe, expect, it } from 'vitest';
import { lintDatabase } from './__fixtures__/lint-database.js';

const ID = 'rls-disabled-in-exposed-schema';
const { lint } = lintDatabase(ID);

describe(ID, () => {
  it('reports a table in public without row level security, naming it', async () => {
    const findings = await lint('CREATE TABLE public.patients (id uuid PRIMARY KEY, full_name text);');
    expect(findings).toEqual([
      {
        rule: ID,
        severity: 'error',
        object: { kind: 'table', key: 'public.patients' },
        message:
          'table public.patients in exposed schema "public" has row level security disabled: every role with privileges on it (anon, authenticated) reads and writes all of its rows through the API',
        hint: 'ALTER TABLE public.patients ENABLE ROW LEVEL SECURITY; then add policies for the roles that need access',
      },
    ]);
  });

  it('reports a partition without RLS even when its parent has it', async () => {
    const findings = await lint(`
      CREATE TABLE public.events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
      ALTER TABLE public.events ENABLE ROW LEVEL SECURITY;
      CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    `);
    expect(findings.map((finding) => finding.object.key)).toEqual(['public.events_2025']);
    expect(findings[0]!.message).toContain('partition public.events_2025 of public.events');
  });

  it('follows exposedSchemas and quotes names in the hint', async () => {
    const sql = 'CREATE SCHEMA api; CREATE TABLE api."Visits" (id int PRIMARY KEY);';
    expect(await lint(sql)).toEqual([]);
    const findings = await lint(sql, { exposedSchemas: ['public', 'api'] });
    expect(findings.map((finding) => finding.hint)).toEqual(['ALTER TABLE api."Visits" ENABLE ROW LEVEL SECURITY; then add policies for the roles that need access']);
  });

  it('stays clean: RLS enabled (without policies too), a private schema, a view, a table with policies (policy-without-rls)', async () => {
    expect(
      await lint(`
        CREATE TABLE public.notes (id int PRIMARY KEY);
        ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
        CREATE SCHEMA private;
        CREATE TABLE private.secrets (id int PRIMARY KEY);
        CREATE VIEW public.note_ids WITH (security_invoker = true) AS SELECT id FROM public.notes;
        CREATE TABLE public.drafts (id int PRIMARY KEY);
        CREATE POLICY drafts_read ON public.drafts FOR SELECT USING (true);
      `),
    ).toEqual([]);
  });

  it('takes the configured severity', async () => {
    const findings = await lint('CREATE TABLE public.t (id int PRIMARY KEY);', { severity: 'warning' });
    expect(findings.map((finding) => finding.severity)).toEqual(['warning']);
    expect(await lint('CREATE TABLE public.t (id int PRIMARY KEY);', { severity: 'off' })).toEqual([]);
  });
});
