import { describe, expect, it } from 'vitest';
import { runRule } from './__fixtures__/run-rule.js';

const ID = 'idempotent-drop';
const lint = (sql: string) => runRule(ID, sql);

describe(ID, () => {
  it('accepts DROP ... IF EXISTS of every kind', async () => {
    const sql = `
DROP TABLE IF EXISTS public.legacy, public.legacy_2 CASCADE;
DROP INDEX CONCURRENTLY IF EXISTS documents_old_idx;
DROP FUNCTION IF EXISTS app.f(int);
DROP POLICY IF EXISTS "Users see own" ON public.documents;
DROP TRIGGER IF EXISTS tg ON public.documents;
DROP TYPE IF EXISTS mood;
DROP VIEW IF EXISTS app.v;
DROP ROLE IF EXISTS reporting;
ALTER TABLE public.documents DROP COLUMN IF EXISTS old_status, DROP CONSTRAINT IF EXISTS old_check;
`;
    expect(await lint(sql)).toEqual([]);
  });

  it('reports DROP TABLE without IF EXISTS with the fixed statement', async () => {
    const findings = await lint('SELECT 1;\n  DROP TABLE public.legacy CASCADE;');
    expect(findings).toEqual([
      expect.objectContaining({
        rule: ID,
        severity: 'error',
        line: 2,
        column: 3,
        message: 'DROP TABLE public.legacy without IF EXISTS fails when the migration runs a second time (the table is already gone)',
        hint: 'write "DROP TABLE IF EXISTS public.legacy CASCADE"',
      }),
    ]);
  });

  it.each([
    ['DROP INDEX CONCURRENTLY documents_old_idx', 'DROP INDEX documents_old_idx', 'DROP INDEX CONCURRENTLY IF EXISTS documents_old_idx'],
    ['DROP MATERIALIZED VIEW app.stats', 'DROP MATERIALIZED VIEW app.stats', 'DROP MATERIALIZED VIEW IF EXISTS app.stats'],
    ['DROP FUNCTION app.f(integer)', 'DROP FUNCTION app.f(integer)', 'DROP FUNCTION IF EXISTS app.f(integer)'],
    ['DROP POLICY "Users see own" ON public.documents', 'DROP POLICY "Users see own" ON public.documents', 'DROP POLICY IF EXISTS "Users see own" ON public.documents'],
    ['DROP TRIGGER tg ON documents', 'DROP TRIGGER tg ON documents', 'DROP TRIGGER IF EXISTS tg ON documents'],
    ['DROP TYPE mood', 'DROP TYPE mood', 'DROP TYPE IF EXISTS mood'],
    ['DROP SCHEMA app CASCADE', 'DROP SCHEMA app', 'DROP SCHEMA IF EXISTS app CASCADE'],
    ['DROP EXTENSION pg_trgm', 'DROP EXTENSION pg_trgm', 'DROP EXTENSION IF EXISTS pg_trgm'],
    ['DROP EVENT TRIGGER et', 'DROP EVENT TRIGGER et', 'DROP EVENT TRIGGER IF EXISTS et'],
    ['DROP USER reporting', 'DROP ROLE reporting', 'DROP USER IF EXISTS reporting'],
    ['DROP SEQUENCE app.counter', 'DROP SEQUENCE app.counter', 'DROP SEQUENCE IF EXISTS app.counter'],
  ])('reports %s', async (sql, message, fix) => {
    const findings = await lint(`${sql};`);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain(`${message} without IF EXISTS`);
    expect(findings[0]!.hint).toBe(`write "${fix}"`);
  });

  it('reports ALTER TABLE DROP COLUMN / DROP CONSTRAINT without IF EXISTS, once per statement', async () => {
    const findings = await lint('ALTER TABLE public.documents DROP COLUMN old_status, DROP CONSTRAINT IF EXISTS a, DROP CONSTRAINT b;');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toBe('ALTER TABLE public.documents DROP COLUMN old_status, DROP CONSTRAINT b without IF EXISTS fails when the migration runs a second time');
    expect(findings[0]!.hint).toBe('write "ALTER TABLE public.documents DROP COLUMN IF EXISTS old_status, DROP CONSTRAINT IF EXISTS b"');
  });

  it('accepts drops guarded in a DO block and reports unguarded ones there', async () => {
    const sql = `DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'legacy') THEN
    DROP TABLE legacy;
  END IF;
  DROP TABLE other;
END $$;`;
    const findings = await lint(sql);
    expect(findings.map((finding) => [finding.line, finding.column])).toEqual([[6, 3]]);
  });

  it('accepts a DROP of a helper or staging table the same file created earlier', async () => {
    const sql = `
CREATE OR REPLACE FUNCTION public.pgw_tmp_normalise(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(value)) $$;
CREATE TABLE public.visit_import_stage (id uuid, label text);
UPDATE public.visits v SET label = public.pgw_tmp_normalise(v.label);
TRUNCATE public.visit_import_stage;
DROP TABLE public.visit_import_stage;
DROP FUNCTION public.pgw_tmp_normalise(text);
`;
    expect(await lint(sql)).toEqual([]);
    // Near miss: dropped before it is created, the helper may be missing on the first run.
    const before = await lint('DROP FUNCTION pgw_tmp_normalise(text);\nCREATE OR REPLACE FUNCTION pgw_tmp_normalise(value text) RETURNS text LANGUAGE sql AS $$ SELECT value $$;');
    expect(before.map((finding) => finding.line)).toEqual([1]);
    // Near miss: a column of a table this file created is not re-created by CREATE TABLE IF NOT EXISTS on a second run.
    const column = await lint('CREATE TABLE IF NOT EXISTS stage (id int, legacy text);\nALTER TABLE stage DROP COLUMN legacy;');
    expect(column.map((finding) => finding.line)).toEqual([2]);
  });
});
