import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'security-definer-search-path';

const migration = (sql: string) => `${header({ affected: 'profiles' })}\n${sql}`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** The Supabase sign-up trigger function, with `setting` in place of its SET clause. */
const handleNewUser = (setting: string) => `CREATE OR REPLACE FUNCTION public.handle_new_user()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER${setting ? `\n${setting}` : ''}
AS $$
BEGIN
  INSERT INTO public.profiles (id, email, full_name)
  VALUES (NEW.id, NEW.email, NEW.raw_user_meta_data ->> 'full_name');
  RETURN NEW;
END;
$$;
`;

describe('security-definer-search-path: functions', () => {
  it('reports a SECURITY DEFINER function without SET search_path, at the CREATE FUNCTION', async () => {
    const text = migration(handleNewUser(''));
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', ...at(text, 'CREATE OR REPLACE FUNCTION'), endLine: at(text, '$$;').line });
    expect(findings[0].message).toBe(
      "SECURITY DEFINER function public.handle_new_user does not set search_path: it runs with its owner's privileges and the caller's search_path, so a caller's objects can stand in for the ones it uses",
    );
    expect(findings[0].hint).toContain("SET search_path = ''");
  });

  it("accepts SET search_path = '' and a trusted list ending in pg_temp", async () => {
    expect(await runRule(RULE, migration(handleNewUser("SET search_path = ''")))).toEqual([]);
    expect(await runRule(RULE, migration(handleNewUser('SET search_path TO public, pg_temp')))).toEqual([]);
    expect(await runRule(RULE, migration(handleNewUser('SET search_path = pg_catalog, public, extensions, pg_temp')))).toEqual([]);
  });

  it('ignores SECURITY INVOKER functions', async () => {
    const text = migration(`CREATE OR REPLACE FUNCTION public.set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('reports SET search_path FROM CURRENT as not fixed', async () => {
    const findings = await runRule(RULE, migration(handleNewUser('SET search_path FROM CURRENT')));
    expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([
      [
        'error',
        'SECURITY DEFINER function public.handle_new_user uses SET search_path FROM CURRENT: it captures whatever search_path the migration session had, which this file does not fix',
      ],
    ]);
  });

  it('reports SET search_path TO DEFAULT', async () => {
    const findings = await runRule(RULE, migration(handleNewUser('SET search_path TO DEFAULT')));
    expect(findings.map((finding) => finding.severity)).toEqual(['error']);
    expect(findings[0].message).toContain('resets search_path to the server default');
  });

  it('warns when pg_temp is not listed: temporary tables are then searched first', async () => {
    const text = migration(handleNewUser('SET search_path = public'));
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', ...at(text, 'CREATE OR REPLACE FUNCTION') });
    expect(findings[0].message).toBe(
      "SECURITY DEFINER function public.handle_new_user sets search_path = public: pg_temp is not listed, so the caller's temporary schema is searched first for tables and views; list pg_temp last",
    );
  });

  it('warns when pg_temp is not last, and when pg_catalog comes after a user schema', async () => {
    const findings = await runRule(RULE, migration(handleNewUser('SET search_path = pg_temp, public, pg_catalog')));
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('warning');
    expect(findings[0].message).toContain('pg_temp is not the last entry');
    expect(findings[0].message).toContain('pg_catalog comes after public, so objects created there can shadow built-in functions');
  });

  it("warns about a quoted list, which Postgres reads as one schema name", async () => {
    const findings = await runRule(RULE, migration(handleNewUser("SET search_path = 'public, pg_temp'")));
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain(`'public, pg_temp' is one quoted value, so Postgres reads it as a single schema named "public, pg_temp"`);
  });

  it('checks procedures and reports each function of the file', async () => {
    const text = migration(`CREATE OR REPLACE PROCEDURE public.purge_expired_sessions()
LANGUAGE sql SECURITY DEFINER
AS $$ DELETE FROM public.sessions WHERE expires_at < now() $$;

CREATE OR REPLACE FUNCTION public.is_clinician() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$ SELECT EXISTS (SELECT 1 FROM public.clinicians c WHERE c.user_id = auth.uid()) $$;

CREATE OR REPLACE FUNCTION public.current_org_id() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER
AS $$ SELECT org_id FROM public.memberships WHERE user_id = auth.uid() LIMIT 1 $$;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message.split(' does not')[0]])).toEqual([
      [at(text, 'CREATE OR REPLACE PROCEDURE').line, 'SECURITY DEFINER procedure public.purge_expired_sessions'],
      [at(text, 'CREATE OR REPLACE FUNCTION public.current_org_id').line, 'SECURITY DEFINER function public.current_org_id'],
    ]);
  });

  it('reports ALTER FUNCTION ... SECURITY DEFINER without a search_path', async () => {
    const text = migration('ALTER FUNCTION public.archive_patient(uuid) SECURITY DEFINER;\n');
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', ...at(text, 'ALTER FUNCTION') });
    expect(findings[0].message).toBe(
      "function public.archive_patient is made SECURITY DEFINER without setting search_path in this migration: it runs with its owner's privileges and the caller's search_path",
    );
  });

  it("accepts ALTER FUNCTION ... SECURITY DEFINER SET search_path = ''", async () => {
    expect(await runRule(RULE, migration("ALTER FUNCTION public.archive_patient(uuid) SECURITY DEFINER SET search_path = '';\n"))).toEqual([]);
  });

  it('accepts a CREATE without SET that a later ALTER FUNCTION ... SET search_path fixes', async () => {
    const text = migration(`${handleNewUser('')}
ALTER FUNCTION public.handle_new_user() SET search_path = '';
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('checks the list of an ALTER FUNCTION ... SET search_path on a SECURITY DEFINER function of the file', async () => {
    const text = migration(`${handleNewUser('')}
ALTER FUNCTION public.handle_new_user() SET search_path = public;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.severity])).toEqual([[at(text, 'ALTER FUNCTION').line, 'warning']]);
  });

  it('can be suppressed with a reason', async () => {
    const text = migration(`-- pgwarden-ignore security-definer-search-path -- body only calls schema-qualified pg_catalog functions
${handleNewUser('')}`);
    expect(await runRule([RULE, 'unused-ignore'], text)).toEqual([]);
  });
});

describe('security-definer-search-path: views', () => {
  const VIEW = `CREATE OR REPLACE VIEW public.patient_overview AS
  SELECT p.id, p.full_name, count(a.id) AS appointment_count
  FROM public.patients p
  LEFT JOIN public.appointments a ON a.patient_id = p.id
  GROUP BY p.id, p.full_name;
`;

  it('warns on a view in public without security_invoker (Postgres 15+)', async () => {
    const text = migration(VIEW);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'warning', ...at(text, 'CREATE OR REPLACE VIEW') });
    expect(findings[0].message).toBe(
      `view public.patient_overview in exposed schema "public" runs with its owner's privileges (no security_invoker): it bypasses the row level security of the tables it reads`,
    );
    expect(findings[0].hint).toContain('WITH (security_invoker = true)');
  });

  it('accepts WITH (security_invoker = true), WITH (security_invoker) and a later ALTER VIEW ... SET', async () => {
    expect(await runRule(RULE, migration(VIEW.replace('AS\n', 'WITH (security_invoker = true) AS\n')))).toEqual([]);
    expect(await runRule(RULE, migration(VIEW.replace('AS\n', 'WITH (security_invoker, security_barrier) AS\n')))).toEqual([]);
    expect(await runRule(RULE, migration(`${VIEW}ALTER VIEW public.patient_overview SET (security_invoker = on);\n`))).toEqual([]);
  });

  it('still warns when security_invoker is false', async () => {
    const findings = await runRule(RULE, migration(VIEW.replace('AS\n', 'WITH (security_invoker = false) AS\n')));
    expect(findings.map((finding) => finding.severity)).toEqual(['warning']);
  });

  it('skips views outside the exposed schemas, and the check before Postgres 15', async () => {
    expect(await runRule(RULE, migration(VIEW.replace('public.patient_overview', 'reporting.patient_overview')))).toEqual([]);
    expect(await runRule(RULE, migration(VIEW), { config: { postgresVersion: 14 } })).toEqual([]);
  });
});
