import { describe, expect, it } from 'vitest';
import { runRule } from './__fixtures__/run-rule.js';

const ID = 'idempotent-insert';
const lint = (sql: string) => runRule(ID, sql);

describe(ID, () => {
  it('accepts ON CONFLICT and anti-join guards against the target table', async () => {
    const sql = `
INSERT INTO public.settings (key, value) VALUES ('a', '1') ON CONFLICT (key) DO NOTHING;
INSERT INTO public.settings (key, value) VALUES ('b', '2') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
INSERT INTO public.settings (key, value) SELECT 'c', '3' WHERE NOT EXISTS (SELECT 1 FROM public.settings WHERE key = 'c');
INSERT INTO settings (key) SELECT k FROM staging WHERE k NOT IN (SELECT key FROM settings);
INSERT INTO settings (key) SELECT s.k FROM staging s LEFT JOIN settings t ON t.key = s.k WHERE t.key IS NULL;
INSERT INTO settings (key) SELECT k FROM staging EXCEPT SELECT key FROM settings;
`;
    expect(await lint(sql)).toEqual([]);
  });

  it('reports a plain INSERT ... VALUES as a warning', async () => {
    const findings = await lint("SELECT 1;\nINSERT INTO public.settings (key, value)\nVALUES ('a', '1');");
    expect(findings).toEqual([
      expect.objectContaining({
        rule: ID,
        severity: 'warning',
        line: 2,
        column: 1,
        message: 'INSERT INTO public.settings without ON CONFLICT or a NOT EXISTS guard inserts its rows again (or fails on a unique key) when the migration runs a second time',
        hint: 'append "ON CONFLICT (<unique key>) DO NOTHING" (or DO UPDATE SET ... = EXCLUDED.... to upsert)',
      }),
    ]);
  });

  it('does not take a NOT EXISTS on another table for a guard', async () => {
    const findings = await lint("INSERT INTO settings (key) SELECT 'a' WHERE NOT EXISTS (SELECT 1 FROM audit WHERE key = 'a');");
    expect(findings).toHaveLength(1);
    expect(findings[0]!.hint).toContain('WHERE NOT EXISTS (SELECT 1 FROM settings x WHERE x.<key> = <source>.<key>)');
  });

  it('accepts a reseed after DELETE or TRUNCATE of the same table', async () => {
    const sql = `
DELETE FROM lookup_status WHERE code IN ('a', 'b');
INSERT INTO lookup_status (code) VALUES ('a'), ('b');
TRUNCATE public.feature_flags;
INSERT INTO feature_flags (name) VALUES ('x');
`;
    expect(await lint(sql)).toEqual([]);
    expect(await lint("DELETE FROM other;\nINSERT INTO lookup_status (code) VALUES ('a');")).toHaveLength(1);
  });

  it('accepts an INSERT in a guarded DO block and reports an unguarded one there', async () => {
    const sql = `DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM settings WHERE key = 'a') THEN
    INSERT INTO settings (key) VALUES ('a');
  END IF;
  INSERT INTO audit (what) VALUES ('seeded');
END $$;`;
    const findings = await lint(sql);
    expect(findings.map((finding) => [finding.line, finding.column])).toEqual([[6, 3]]);
  });

  it('ignores INSERTs in function bodies (they run when the function is called)', async () => {
    const sql = `CREATE OR REPLACE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit (what) VALUES (TG_OP);
  RETURN NEW;
END $$;`;
    expect(await lint(sql)).toEqual([]);
  });

  it('accepts a test row inserted and deleted in the same DO block', async () => {
    const sql = `DO $$
DECLARE
  probe uuid;
BEGIN
  INSERT INTO public.visit_notes (visit_id, body) VALUES ('00000000-0000-0000-0000-000000000001', 'probe') RETURNING id INTO probe;
  IF NOT EXISTS (SELECT 1 FROM public.visit_notes WHERE id = probe AND search_vector IS NOT NULL) THEN
    RAISE EXCEPTION 'trigger did not fill search_vector';
  END IF;
  DELETE FROM public.visit_notes WHERE id = probe;
END $$;`;
    expect(await lint(sql)).toEqual([]);
    // Near miss: the DELETE is of another table, so the probe row stays and is inserted again on a second run.
    const other = sql.replace('DELETE FROM public.visit_notes', 'DELETE FROM public.visit_events');
    expect((await lint(other)).map((finding) => finding.line)).toEqual([5]);
  });

  it('accepts backfills whose SELECT only picks rows still missing', async () => {
    const sql = `INSERT INTO public.patient_settings (patient_id, locale)
SELECT p.id, 'fr-CA' FROM public.patients p
 WHERE p.deleted_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM patient_settings s WHERE s.patient_id = p.id);
INSERT INTO public.patient_settings (patient_id, locale)
SELECT p.id, 'en' FROM public.patients p
  LEFT JOIN public.patient_settings s ON s.patient_id = p.id
 WHERE s.patient_id IS NULL;
INSERT INTO public.patient_settings (patient_id, locale)
SELECT p.id, 'en' FROM public.patients p
ON CONFLICT (patient_id) DO NOTHING;`;
    expect(await lint(sql)).toEqual([]);
    // Near miss: NOT EXISTS against another table does not keep the target free of duplicates.
    const wrong = `INSERT INTO public.patient_settings (patient_id, locale)
SELECT p.id, 'fr-CA' FROM public.patients p
 WHERE NOT EXISTS (SELECT 1 FROM public.patient_flags f WHERE f.patient_id = p.id);`;
    expect((await lint(wrong)).map((finding) => finding.line)).toEqual([1]);
  });
});
