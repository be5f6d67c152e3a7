import { describe, expect, it } from 'vitest';
import { lintDatabase } from './__fixtures__/lint-database.js';

const ID = 'policy-without-rls';
const { lint } = lintDatabase(ID);

describe(ID, () => {
  it('reports a table whose policies are not enforced, in any schema', async () => {
    const findings = await lint(`
      CREATE SCHEMA private;
      CREATE TABLE private.notes (id int PRIMARY KEY, owner uuid);
      CREATE POLICY notes_owner ON private.notes USING (owner = auth.uid());
      CREATE POLICY notes_admin ON private.notes TO service_role USING (true);
    `);
    expect(findings).toEqual([
      {
        rule: ID,
        severity: 'error',
        object: { kind: 'table', key: 'private.notes' },
        message: 'table private.notes has policies notes_admin, notes_owner but row level security is disabled, so they are not enforced',
        hint: 'ALTER TABLE private.notes ENABLE ROW LEVEL SECURITY;',
      },
    ]);
  });

  it('stays clean: policies with RLS enabled, RLS enabled without policies, no policies in a private schema', async () => {
    expect(
      await lint(`
        CREATE TABLE public.a (id int PRIMARY KEY);
        ALTER TABLE public.a ENABLE ROW LEVEL SECURITY;
        CREATE POLICY a_read ON public.a FOR SELECT USING (true);
        CREATE TABLE public.b (id int PRIMARY KEY);
        ALTER TABLE public.b ENABLE ROW LEVEL SECURITY;
        CREATE SCHEMA private;
        CREATE TABLE private.c (id int PRIMARY KEY);
      `),
    ).toEqual([]);
  });

  it('says "policy" for one', async () => {
    const findings = await lint('CREATE TABLE public.d (id int PRIMARY KEY); CREATE POLICY d_read ON public.d FOR SELECT USING (true);', { severity: 'warning' });
    expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([
      ['warning', 'table public.d has policy d_read but row level security is disabled, so it is not enforced'],
    ]);
  });
});
