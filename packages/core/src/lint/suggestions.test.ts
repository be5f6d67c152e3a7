import { describe, expect, it } from 'vitest';
import { applySuggestion, runRule } from '../rules/__fixtures__/run-rule.js';
import type { RuleId } from '../rules/registry.js';

/** The idempotency rules together: a suggested fix must satisfy all of them, not only the rule that made it. */
const IDEMPOTENCY: RuleId[] = ['idempotent-create', 'idempotent-drop', 'guarded-ddl', 'idempotent-alter-column', 'idempotent-insert'];

const CASES: [string, RuleId, string][] = [
  ['CREATE TYPE guarded by to_regtype', 'guarded-ddl', "CREATE TYPE public.mood AS ENUM ('calm', 'tense');"],
  ['CREATE POLICY after DROP POLICY IF EXISTS', 'guarded-ddl', 'CREATE POLICY "Patients read own notes" ON public.visit_notes FOR SELECT TO authenticated USING (author_id = auth.uid());'],
  ['ADD CONSTRAINT guarded by pg_constraint', 'guarded-ddl', 'ALTER TABLE public.visits ADD CONSTRAINT visits_duration_check CHECK (duration_minutes >= 0);'],
  ['RENAME CONSTRAINT guarded by pg_constraint', 'guarded-ddl', 'ALTER TABLE public.visits RENAME CONSTRAINT visits_dur_check TO visits_duration_check;'],
  ['CREATE TABLE IF NOT EXISTS', 'idempotent-create', 'CREATE TABLE public.visit_notes (\n  id uuid PRIMARY KEY,\n  body text NOT NULL\n);'],
  ['CREATE OR REPLACE FUNCTION', 'idempotent-create', "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;"],
  ['CREATE INDEX IF NOT EXISTS', 'idempotent-create', 'CREATE INDEX visits_clinic_idx ON public.visits (clinic_id);'],
  ['DROP FUNCTION IF EXISTS', 'idempotent-drop', 'DROP FUNCTION public.legacy_helper(text);'],
];

describe('suggested fixes', () => {
  it.each(CASES)('%s: the finding carries a suggestion that every idempotency rule accepts', async (_name, rule, sql) => {
    const findings = await runRule(rule, sql);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding!.suggestion?.sql, finding!.message).toBeTruthy();
    const fixed = applySuggestion(sql, finding!);
    expect(await runRule(IDEMPOTENCY, fixed.text)).toEqual([]);
  });

  it("guarded-ddl's CREATE TYPE suggestion uses a to_regtype guard and is not reported again (also in the docs' form)", async () => {
    const [finding] = await runRule('guarded-ddl', "CREATE TYPE public.mood AS ENUM ('calm', 'tense');");
    expect(finding!.suggestion).toEqual({ sql: "DO $$ BEGIN IF to_regtype('public.mood') IS NULL THEN CREATE TYPE public.mood AS ENUM ('calm', 'tense'); END IF; END $$" });
  });

  it('the check that runs in every rule test fails on a suggestion that does not fix the statement', async () => {
    const sql = 'DROP FUNCTION public.legacy_helper(text);';
    const [finding] = await runRule('idempotent-drop', sql);
    const wrong = applySuggestion(sql, { ...finding!, suggestion: { sql: 'DROP FUNCTION public.legacy_helper(int)' } });
    expect((await runRule('idempotent-drop', wrong.text)).map((other) => other.line)).toEqual([wrong.fromLine]);
  });
});
