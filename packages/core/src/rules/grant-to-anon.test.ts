import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'grant-to-anon';

const migration = (sql: string) => `${header({ affected: 'appointments' })}\n${sql}`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

const BOOK_APPOINTMENT = `CREATE OR REPLACE FUNCTION public.book_appointment(p_slot_id uuid)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_id uuid;
BEGIN
  INSERT INTO public.appointments (slot_id, patient_id) VALUES (p_slot_id, auth.uid()) RETURNING id INTO v_id;
  RETURN v_id;
END;
$$;
`;

describe('grant-to-anon', () => {
  it('reports write privileges granted to anon, at the GRANT', async () => {
    const text = migration('GRANT SELECT, INSERT, UPDATE ON public.appointments TO anon;\n');
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', ...at(text, 'GRANT SELECT') });
    expect(findings[0].message).toBe(
      'GRANT SELECT, INSERT, UPDATE ON public.appointments TO anon: anyone holding the public anon key can INSERT, UPDATE through the API',
    );
    expect(findings[0].hint).toContain('authenticated');
  });

  it('reports ALL and TRUNCATE/DELETE, to anon or PUBLIC, on named tables and whole schemas', async () => {
    const text = migration(`GRANT ALL ON TABLE public.appointments TO anon;
GRANT DELETE, TRUNCATE ON public.audit_events, public.sessions TO PUBLIC;
GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO authenticated, anon;
GRANT UPDATE (display_name) ON public.profiles TO anon;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.severity, finding.message])).toEqual([
      [at(text, 'GRANT ALL ON').line, 'error', 'GRANT ALL ON public.appointments TO anon: anyone holding the public anon key can INSERT, UPDATE, DELETE, TRUNCATE through the API'],
      [
        at(text, 'GRANT DELETE').line,
        'error',
        'GRANT DELETE, TRUNCATE ON public.audit_events, public.sessions TO PUBLIC: every role, anon included, can DELETE, TRUNCATE through the API',
      ],
      [
        at(text, 'GRANT ALL PRIVILEGES').line,
        'error',
        'GRANT ALL ON ALL TABLES IN SCHEMA public TO anon: anyone holding the public anon key can INSERT, UPDATE, DELETE, TRUNCATE through the API',
      ],
      [at(text, 'GRANT UPDATE').line, 'error', 'GRANT UPDATE ON public.profiles TO anon: anyone holding the public anon key can UPDATE through the API'],
    ]);
  });

  it('warns on SELECT to anon: RLS must decide which rows', async () => {
    const text = migration('GRANT SELECT ON public.clinics TO anon;\n');
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', ...at(text, 'GRANT SELECT') });
    expect(findings[0].message).toBe(
      'GRANT SELECT ON public.clinics TO anon: anyone holding the public anon key can read it through the API, so row level security must decide which rows',
    );
    expect(findings[0].hint).toContain('RLS is enabled');
  });

  it('accepts grants to authenticated and service_role, REVOKE, and USAGE on schemas and sequences', async () => {
    const text = migration(`GRANT SELECT, INSERT, UPDATE ON public.appointments TO authenticated;
GRANT ALL ON public.appointments TO service_role;
REVOKE ALL ON public.appointments FROM anon;
GRANT USAGE ON SCHEMA public TO anon, authenticated;
GRANT USAGE ON SEQUENCE public.appointments_id_seq TO authenticated;
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('reports EXECUTE on a SECURITY DEFINER function of this migration to anon', async () => {
    const text = migration(`${BOOK_APPOINTMENT}
GRANT EXECUTE ON FUNCTION public.book_appointment(uuid) TO anon, authenticated;
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', ...at(text, 'GRANT EXECUTE') });
    expect(findings[0].message).toBe(
      "GRANT EXECUTE ON public.book_appointment TO anon: SECURITY DEFINER public.book_appointment runs with its owner's privileges and bypasses RLS, and anyone holding the public anon key can call it via /rest/v1/rpc",
    );
    expect(findings[0].hint).toContain('REVOKE EXECUTE ON FUNCTION ... FROM PUBLIC, anon');
  });

  it('reaches SECURITY DEFINER functions through ALL FUNCTIONS IN SCHEMA and PUBLIC', async () => {
    const text = migration(`${BOOK_APPOINTMENT}
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO PUBLIC;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.severity])).toEqual([[at(text, 'GRANT EXECUTE').line, 'error']]);
    expect(findings[0].message).toContain('ON ALL FUNCTIONS IN SCHEMA public TO PUBLIC: SECURITY DEFINER public.book_appointment');
  });

  it('accepts EXECUTE to anon on SECURITY INVOKER functions, and on SECURITY DEFINER ones to authenticated', async () => {
    const text = migration(`CREATE OR REPLACE FUNCTION public.clinic_is_open(p_clinic uuid) RETURNS boolean LANGUAGE sql STABLE
AS $$ SELECT true $$;
GRANT EXECUTE ON FUNCTION public.clinic_is_open(uuid) TO anon;
${BOOK_APPOINTMENT}
REVOKE EXECUTE ON FUNCTION public.book_appointment(uuid) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.book_appointment(uuid) TO authenticated;
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('knows a function made SECURITY DEFINER by ALTER FUNCTION', async () => {
    const text = migration(`ALTER FUNCTION public.clinic_is_open(uuid) SECURITY DEFINER SET search_path = '';
GRANT EXECUTE ON FUNCTION public.clinic_is_open(uuid) TO anon;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => finding.line)).toEqual([at(text, 'GRANT EXECUTE').line]);
  });

  it('checks ALTER DEFAULT PRIVILEGES', async () => {
    const text = migration(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO anon;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO anon;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO authenticated;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.severity, finding.message])).toEqual([
      [
        at(text, 'GRANT ALL ON TABLES TO anon').line,
        'error',
        'ALTER DEFAULT PRIVILEGES ... GRANT ALL ON TABLES (IN SCHEMA public) TO anon: anyone holding the public anon key can INSERT, UPDATE, DELETE, TRUNCATE through the API',
      ],
      [
        at(text, 'GRANT SELECT ON TABLES').line,
        'warning',
        'ALTER DEFAULT PRIVILEGES ... GRANT SELECT ON TABLES (IN SCHEMA public) TO anon: anyone holding the public anon key can read it through the API, so row level security must decide which rows',
      ],
      [
        at(text, 'GRANT EXECUTE ON FUNCTIONS').line,
        'warning',
        'ALTER DEFAULT PRIVILEGES ... GRANT EXECUTE ON FUNCTIONS (IN SCHEMA public) TO anon: every future function there, SECURITY DEFINER ones included, becomes callable by anyone holding the public anon key',
      ],
    ]);
  });

  it('checks grants inside DO blocks', async () => {
    const text = migration(`DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
    GRANT INSERT ON public.appointments TO anon;
  END IF;
END $$;
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', line: at(text, 'GRANT INSERT').line });
  });

  it('can be suppressed with a reason', async () => {
    const text = migration(`-- pgwarden-ignore grant-to-anon -- clinic directory is public; policy clinics_listed limits rows
GRANT SELECT ON public.clinics TO anon;
`);
    expect(await runRule([RULE, 'unused-ignore'], text)).toEqual([]);
  });
});
