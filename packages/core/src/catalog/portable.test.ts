import { describe, expect, it } from 'vitest';
import { unqualifySingleTableView } from './portable.js';

/* Definitions as pg_get_viewdef prints them on PostgreSQL 15 (qualified) and 16+ (unqualified when one table is read). */
describe('unqualifySingleTableView', () => {
  it('removes the alias qualification of a single-table view, as PostgreSQL 16+ prints it', () => {
    const pg15 = ' SELECT d.organization_id,\n    count(*) AS n,\n    max(d.updated_at) AS last\n   FROM public.documents d\n  GROUP BY d.organization_id;';
    const pg16 = ' SELECT organization_id,\n    count(*) AS n,\n    max(updated_at) AS last\n   FROM public.documents d\n  GROUP BY organization_id;';
    expect(unqualifySingleTableView(pg15)).toBe(pg16);
    expect(unqualifySingleTableView(pg16)).toBe(pg16);
  });

  it('removes the table-name qualification of a single-table view without an alias (quoted names too)', () => {
    const pg15 = ' SELECT zz_t.id,\n    zz_t."Name"\n   FROM public.zz_t\n  WHERE zz_t.id > 0;';
    expect(unqualifySingleTableView(pg15)).toBe(' SELECT id,\n    "Name"\n   FROM public.zz_t\n  WHERE id > 0;');
    const quoted = ' SELECT "Visits".id\n   FROM public."Visits";';
    expect(unqualifySingleTableView(quoted)).toBe(' SELECT id\n   FROM public."Visits";');
  });

  it('leaves joins, sub-selects and schema names alone', () => {
    const join = ' SELECT p.id,\n    v.at\n   FROM public.patients p\n     JOIN public.visits v ON v.patient_id = p.id;';
    const sub = ' SELECT p.id\n   FROM public.patients p\n  WHERE p.id IN ( SELECT v.patient_id\n           FROM public.visits v);';
    const where = ' SELECT id\n   FROM public.patients\n  WHERE id > 0;';
    for (const definition of [join, sub, where]) expect(unqualifySingleTableView(definition)).toBe(definition);
  });

  it('does not touch a longer identifier that ends with the alias', () => {
    const definition = ' SELECT d.id,\n    bad.x\n   FROM public.documents d;';
    expect(unqualifySingleTableView(definition)).toBe(' SELECT id,\n    bad.x\n   FROM public.documents d;');
  });
});
