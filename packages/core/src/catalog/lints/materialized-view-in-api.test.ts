import { describe, expect, it } from 'vitest';
import { lintDatabase } from './__fixtures__/lint-database.js';

const ID = 'materialized-view-in-api';
const { lint } = lintDatabase(ID);

const TABLE = 'CREATE TABLE public.visits (id int PRIMARY KEY, patient text); ALTER TABLE public.visits ENABLE ROW LEVEL SECURITY;';

describe(ID, () => {
  it('reports a materialized view in public readable by anon and authenticated (Supabase default privileges)', async () => {
    const findings = await lint(`${TABLE} CREATE MATERIALIZED VIEW public.visit_counts AS SELECT patient, count(*) FROM public.visits GROUP BY patient;`);
    expect(findings).toEqual([
      {
        rule: ID,
        severity: 'warning',
        object: { kind: 'materialized_view', key: 'public.visit_counts' },
        message:
          'materialized view public.visit_counts in exposed schema "public" is readable by anon, authenticated: materialized views have no row level security, so every row is served through the API',
        hint: 'REVOKE SELECT ON public.visit_counts FROM anon, authenticated; or move it to a schema that is not exposed and read it through a security_invoker view or a function that checks access',
      },
    ]);
  });

  it('reports SELECT granted to PUBLIC', async () => {
    const findings = await lint(`${TABLE}
      CREATE SCHEMA api;
      CREATE MATERIALIZED VIEW api.counts AS SELECT count(*) FROM public.visits;
      GRANT SELECT ON api.counts TO PUBLIC;`, { exposedSchemas: ['api'] });
    expect(findings.map((finding) => finding.message)).toEqual([
      'materialized view api.counts in exposed schema "api" is readable by PUBLIC: materialized views have no row level security, so every row is served through the API',
    ]);
  });

  it('stays clean: SELECT revoked from the API roles, a private schema, a plain view, privileges other than SELECT', async () => {
    expect(
      await lint(`${TABLE}
        CREATE MATERIALIZED VIEW public.visit_counts AS SELECT count(*) FROM public.visits;
        REVOKE ALL ON public.visit_counts FROM anon, authenticated;
        GRANT SELECT ON public.visit_counts TO service_role;
        CREATE SCHEMA private;
        CREATE MATERIALIZED VIEW private.visit_counts AS SELECT count(*) FROM public.visits;
        GRANT SELECT ON private.visit_counts TO anon;
        CREATE VIEW public.visit_ids WITH (security_invoker = true) AS SELECT id FROM public.visits;
        CREATE MATERIALIZED VIEW public.visit_max AS SELECT max(id) FROM public.visits;
        REVOKE SELECT ON public.visit_max FROM anon, authenticated;`),
    ).toEqual([]);
  });
});
