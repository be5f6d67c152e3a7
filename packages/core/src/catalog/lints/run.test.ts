import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetSql } from '../../shadow/presets.js';
import { serverAvailable } from '../../runner/__fixtures__/test-db.js';
import { pgliteDatabase, serverDatabase, type FixtureDatabase } from '../__fixtures__/databases.js';
import { introspectCatalog, PRESET_SCHEMAS } from '../introspect.js';
import type { CatalogSnapshot } from '../types.js';
import { runCatalogLints } from './run.js';

let db: FixtureDatabase;
let snapshot: CatalogSnapshot;

beforeAll(async () => {
  db = await pgliteDatabase();
  await db.exec(presetSql('supabase'));
  await db.exec(`
    CREATE TABLE public.patients (id int PRIMARY KEY);
    CREATE TABLE public.visits (patient_id int REFERENCES public.patients (id));
    ALTER TABLE public.visits ENABLE ROW LEVEL SECURITY;
    CREATE VIEW public.visit_patients AS SELECT patient_id FROM public.visits;
  `);
  snapshot = await introspectCatalog(db.session, { excludeSchemas: PRESET_SCHEMAS.supabase });
}, 120_000);
afterAll(async () => db?.close());

const summary = (findings: { rule: string; severity: string; object: { key: string } }[]) => findings.map((f) => `${f.object.key} ${f.rule} ${f.severity}`);

describe('runCatalogLints', () => {
  it('runs every lint at its default severity, ordered by object key then lint', async () => {
    expect(summary(await runCatalogLints(snapshot, { rules: {}, exposedSchemas: ['public'] }))).toEqual([
      'public.patients rls-disabled-in-exposed-schema error',
      'public.visit_patients security-definer-view warning',
      'public.visits no-primary-key warning',
      'public.visits.visits_patient_id_fkey unindexed-foreign-key info',
    ]);
  });

  it('applies the severities and "off" of the config rules map', async () => {
    const findings = await runCatalogLints(snapshot, {
      rules: { 'rls-disabled-in-exposed-schema': 'warning', 'no-primary-key': 'off', 'unindexed-foreign-key': 'error' },
      exposedSchemas: ['public'],
    });
    expect(summary(findings)).toEqual([
      'public.patients rls-disabled-in-exposed-schema warning',
      'public.visit_patients security-definer-view warning',
      'public.visits.visits_patient_id_fkey unindexed-foreign-key error',
    ]);
  });

  it('skips lints that do not apply to the server version (security_invoker needs PostgreSQL 15)', async () => {
    const old = { ...snapshot, serverVersionNum: 140011 };
    expect(summary(await runCatalogLints(old, { rules: {}, exposedSchemas: ['public'] }))).not.toContain('public.visit_patients security-definer-view warning');
  });

  it('finds nothing to say about exposed schemas when none is exposed', async () => {
    expect(summary(await runCatalogLints(snapshot, { rules: {}, exposedSchemas: [] }))).toEqual([
      'public.visits no-primary-key warning',
      'public.visits.visits_patient_id_fkey unindexed-foreign-key info',
    ]);
  });
});

describe.runIf(await serverAvailable('catalog lints on PostgreSQL 15'))('catalog lints on PostgreSQL 15 and PGlite', () => {
  it('find the same objects on both engines', async () => {
    const faults = `
      CREATE TABLE public.patients (id int PRIMARY KEY);
      CREATE TABLE public.visits (patient_id int REFERENCES public.patients (id));
      CREATE POLICY visits_read ON public.visits FOR SELECT USING (true);
      CREATE MATERIALIZED VIEW public.visit_count AS SELECT count(*) FROM public.visits;
      CREATE VIEW public.visit_patients AS SELECT patient_id FROM public.visits;
      CREATE FUNCTION public.is_admin() RETURNS boolean LANGUAGE sql SECURITY DEFINER AS $$ SELECT true $$;
    `;
    const results: string[][] = [];
    for (const open of [() => serverDatabase('catalog_lints'), pgliteDatabase]) {
      const target = await open();
      try {
        await target.exec(presetSql('supabase'));
        await target.exec(faults);
        const found = await runCatalogLints(await introspectCatalog(target.session, { excludeSchemas: PRESET_SCHEMAS.supabase }), { rules: {}, exposedSchemas: ['public'] });
        results.push(summary(found));
      } finally {
        await target.close();
      }
    }
    expect(results[0]).toEqual([
      'public.is_admin() function-search-path-mutable error',
      'public.patients rls-disabled-in-exposed-schema error',
      'public.visit_count materialized-view-in-api warning',
      'public.visit_patients security-definer-view warning',
      'public.visits policy-without-rls error',
      'public.visits no-primary-key warning',
      'public.visits.visits_patient_id_fkey unindexed-foreign-key info',
    ]);
    expect(results[1]).toEqual(results[0]);
  }, 120_000);
});
