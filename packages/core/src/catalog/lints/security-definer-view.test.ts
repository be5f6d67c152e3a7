import { describe, expect, it } from 'vitest';
import { lintDatabase } from './__fixtures__/lint-database.js';
import { isSecurityInvoker } from './security-definer-view.js';

const ID = 'security-definer-view';
const { lint } = lintDatabase(ID);

const TABLE = 'CREATE TABLE public.patients (id int PRIMARY KEY, full_name text); ALTER TABLE public.patients ENABLE ROW LEVEL SECURITY;';

describe(ID, () => {
  it('reports a view in an exposed schema without security_invoker', async () => {
    const findings = await lint(`${TABLE} CREATE VIEW public.patient_names AS SELECT id, full_name FROM public.patients;`);
    expect(findings).toEqual([
      {
        rule: ID,
        severity: 'warning',
        object: { kind: 'view', key: 'public.patient_names' },
        message:
          'view public.patient_names in exposed schema "public" runs with the privileges of postgres (no security_invoker): it bypasses the row level security of the tables it reads',
        hint: 'ALTER VIEW public.patient_names SET (security_invoker = true);',
      },
    ]);
  });

  it('reports security_invoker = false and a view whose option was reset', async () => {
    const findings = await lint(`${TABLE}
      CREATE VIEW public.a WITH (security_invoker = false) AS SELECT id FROM public.patients;
      CREATE VIEW public.b WITH (security_invoker = true) AS SELECT id FROM public.patients;
      ALTER VIEW public.b RESET (security_invoker);`);
    expect(findings.map((finding) => finding.object.key)).toEqual(['public.a', 'public.b']);
  });

  it('stays clean: security_invoker = true / on / bare, a private schema, a materialized view', async () => {
    expect(
      await lint(`${TABLE}
        CREATE VIEW public.a WITH (security_invoker = true) AS SELECT id FROM public.patients;
        CREATE VIEW public.b WITH (security_invoker = on) AS SELECT id FROM public.patients;
        CREATE VIEW public.c WITH (security_invoker) AS SELECT id FROM public.patients;
        CREATE VIEW public.d AS SELECT id FROM public.patients;
        ALTER VIEW public.d SET (security_invoker = true);
        CREATE SCHEMA private;
        CREATE VIEW private.e AS SELECT id FROM public.patients;
        CREATE MATERIALIZED VIEW public.f AS SELECT count(*) FROM public.patients;`),
    ).toEqual([]);
  });

  it('reads the option values Postgres stores', () => {
    expect(['security_invoker=true', 'security_invoker=on', 'security_invoker=1', 'security_invoker=YES'].map((option) => isSecurityInvoker([option]))).toEqual([true, true, true, true]);
    expect(isSecurityInvoker(['security_invoker=false'])).toBe(false);
    expect(isSecurityInvoker(['security_barrier=true'])).toBe(false);
  });
});
