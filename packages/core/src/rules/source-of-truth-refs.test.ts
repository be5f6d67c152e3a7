import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'source-of-truth-refs';

const AI_PROCESSING = `-- 04_ai_processing.sql — documents et traitement IA (schéma canonique)
CREATE TABLE IF NOT EXISTS public.documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.profiles (id),
  status public.document_status NOT NULL DEFAULT 'uploaded',
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  processing_time_minutes integer
);

ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Patients read own documents" ON public.documents
  FOR SELECT TO authenticated USING (patient_id = auth.uid());
`;

const PROFILES = `-- 02_profiles.sql
CREATE TABLE IF NOT EXISTS public.profiles (
  id uuid PRIMARY KEY REFERENCES auth.users (id),
  preferred_language text NOT NULL DEFAULT 'fr',
  display_name text
);
`;

const SECURITY = `-- 06_security.sql
CREATE OR REPLACE FUNCTION public.is_clinician() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT EXISTS (SELECT 1 FROM public.staff WHERE user_id = auth.uid())
$$;
`;

const FILES = {
  'current_schema/02_profiles.sql': PROFILES,
  'current_schema/04_ai_processing.sql': AI_PROCESSING,
  'current_schema/06_security.sql': SECURITY,
};

const SQL = `
ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;
`;

/** A header whose SOURCE OF TRUTH section holds `entries` (lines after the label). */
function withRefs(entries: string): string {
  return `-- ============================================================================
-- Migration: Add processing time to documents
-- Date: 2025-10-08
-- Issue: Document processing durations are not tracked
--
-- PROBLEM: Operators cannot see how long documents take to process.
-- SOLUTION: Add a column and backfill it.
-- AFFECTED TABLES: documents, profiles
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
${entries}
--
-- DOWNSTREAM UPDATES:
--   [X] Bridge schemas updated (if applicable)
--   [N/A] TypeScript types updated (if applicable)
-- ============================================================================
${SQL}`;
}

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('source-of-truth-refs', () => {
  it('accepts existing files and lines that mention the object, in every written form', async () => {
    const text = withRefs(`--   [X] current_schema/04_ai_processing.sql (Line 8: documents.processing_time_minutes added; Lines 11-13: RLS policies for documents)
--   [x] current_schema/02_profiles.sql
--       - Line 4: profiles.preferred_language added
--       - Lines 2-6: profiles table (display_name)
--   [X] 06_security.sql (Line 2: is_clinician() helper)
--   [N/A] current_schema/08_job_coordination.sql (no change)
--   [ ] current_schema/04_ai_processing.sql (Line 3: documents.triage_score, added after execution)`);
    expect(await runRule(RULE, text, { files: FILES })).toEqual([]);
  });

  it('reports a referenced line that does not mention the object, quoting it and pointing at the right line', async () => {
    // The fixture header references Line 2 of 04_ai_processing.sql for documents.processing_time_minutes.
    const text = `${header()}${SQL}`;
    const findings = await runRule(RULE, text, { files: FILES });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', ...at(text, 'Line 2:') });
    expect(findings[0].message).toBe(
      'current_schema/04_ai_processing.sql line 2 does not mention processing_time_minutes: line 2 reads "CREATE TABLE IF NOT EXISTS public.documents ("',
    );
    expect(findings[0].hint).toBe(
      'processing_time_minutes first appears on line 8 of current_schema/04_ai_processing.sql: correct the reference (Line 8: ...)',
    );
  });

  it('checks a range and bullet references the same way', async () => {
    const text = withRefs(`--   [X] current_schema/04_ai_processing.sql (Lines 2-4: documents.status column)
--   [X] current_schema/02_profiles.sql
--       - Line 5: profiles.preferred_language added`);
    const findings = await runRule(RULE, text, { files: FILES });
    expect(findings.map((finding) => [finding.line, finding.column, finding.message])).toEqual([
      [
        at(text, 'Lines 2-4').line,
        at(text, 'Lines 2-4').column,
        'current_schema/04_ai_processing.sql lines 2-4 do not mention status: line 2 reads "CREATE TABLE IF NOT EXISTS public.documents ("',
      ],
      [
        at(text, 'Line 5:').line,
        at(text, 'Line 5:').column,
        'current_schema/02_profiles.sql line 5 does not mention preferred_language: line 5 reads "display_name text"',
      ],
    ]);
    expect(findings[0].hint).toContain('status first appears on line 5');
  });

  it('points at the earliest line that mentions any of the tokens, short ones only where they stand alone', async () => {
    // `uid` (short) stands alone first on line 4 of 02_profiles.sql ("auth.users" does not count); `display_name` is on line 5.
    const text = withRefs('--   [X] current_schema/02_profiles.sql (Line 1: profiles.display_name, profiles.uid)');
    const findings = await runRule(RULE, text, { files: { ...FILES, 'current_schema/02_profiles.sql': PROFILES.replace("'fr',", "'fr', -- uid") } });
    expect(findings.map((finding) => finding.hint)).toEqual([
      'uid first appears on line 4 of current_schema/02_profiles.sql: correct the reference (Line 4: ...)',
    ]);
    // Asked again (the same tokens in another reference), the answer is the same.
    const twice = withRefs(`--   [X] current_schema/02_profiles.sql (Line 1: profiles.display_name, profiles.uid)
--   [X] current_schema/02_profiles.sql (Line 2: profiles.uid, profiles.display_name)`);
    const again = await runRule(RULE, twice, { files: { ...FILES, 'current_schema/02_profiles.sql': PROFILES.replace("'fr',", "'fr', -- uid") } });
    expect(again.map((finding) => finding.hint)).toEqual([
      'uid first appears on line 4 of current_schema/02_profiles.sql: correct the reference (Line 4: ...)',
      'uid first appears on line 4 of current_schema/02_profiles.sql: correct the reference (Line 4: ...)',
    ]);
  });

  it('expects the table, not the column, when the description says the column was dropped', async () => {
    const valid = withRefs(`--   [X] current_schema/02_profiles.sql (Lines 2-6: profiles.ssn_last4 dropped)
--   [X] current_schema/04_ai_processing.sql (Line 9: care_plan_drafts table removed)`);
    expect(await runRule(RULE, valid, { files: FILES })).toEqual([]);

    const invalid = withRefs('--   [X] current_schema/02_profiles.sql (Line 4: documents.legacy_status dropped)');
    const findings = await runRule(RULE, invalid, { files: FILES });
    expect(findings.map((finding) => [finding.line, finding.column, finding.message])).toEqual([
      [
        at(invalid, 'Line 4:').line,
        at(invalid, 'Line 4:').column,
        'current_schema/02_profiles.sql line 4 does not mention documents: line 4 reads "preferred_language text NOT NULL DEFAULT \'fr\',"',
      ],
    ]);
    expect(findings[0].hint).toBe('current_schema/02_profiles.sql never mentions documents: update it so that it holds the change, or correct the reference');
  });

  it('reports a file that does not exist, suggesting the file with the same number', async () => {
    const text = withRefs(`--   [X] current_schema/04_ai_procesing.sql (Line 8: documents.processing_time_minutes added)
--   [X] current_schema/09_reporting.sql (Line 12: report_runs table)`);
    const findings = await runRule(RULE, text, { files: FILES });
    expect(findings.map((finding) => [finding.line, finding.column, finding.message])).toEqual([
      [
        at(text, 'current_schema/04_ai_procesing').line,
        at(text, 'current_schema/04_ai_procesing').column,
        'source-of-truth file current_schema/04_ai_procesing.sql does not exist in current_schema/',
      ],
      [
        at(text, 'current_schema/09').line,
        at(text, 'current_schema/09').column,
        'source-of-truth file current_schema/09_reporting.sql does not exist in current_schema/',
      ],
    ]);
    expect(findings[0].hint).toBe(
      'reference one of the existing files, probably current_schema/04_ai_processing.sql: 02_profiles.sql, 04_ai_processing.sql, 06_security.sql',
    );
    expect(findings[1].hint).not.toContain('probably');
  });

  it('reports lines past the end of the file and reversed ranges, even for an open box', async () => {
    const text = withRefs(`--   [ ] current_schema/04_ai_processing.sql (Line 900: documents.processing_time_minutes; Lines 12-14: policies)
--   [X] current_schema/02_profiles.sql (Lines 6-4: profiles.display_name)`);
    const findings = await runRule(RULE, text, { files: FILES });
    expect(findings.map((finding) => [finding.column, finding.message])).toEqual([
      [at(text, 'Line 900').column, 'current_schema/04_ai_processing.sql has 13 lines, so line 900 does not exist'],
      [at(text, 'Lines 12-14').column, 'current_schema/04_ai_processing.sql has 13 lines, so lines 12-14 do not exist'],
      [at(text, 'Lines 6-4').column, 'current_schema/02_profiles.sql lines 6-4 is not a valid line range'],
    ]);
  });

  it('honours schemaDir from the configuration', async () => {
    const text = withRefs(`--   [X] current_schema/04_ai_processing.sql (Line 8: documents.processing_time_minutes added)
--   [X] current_schema/03_clinical_core.sql (Line 1: care_plans)`);
    const findings = await runRule(RULE, text, {
      files: { 'db/current_schema/04_ai_processing.sql': AI_PROCESSING },
      config: { schemaDir: 'db/current_schema' },
    });
    expect(findings.map((finding) => finding.message)).toEqual([
      'source-of-truth file current_schema/03_clinical_core.sql does not exist in db/current_schema/',
    ]);
    expect(findings[0].hint).toBe('reference one of the existing files: 04_ai_processing.sql');
  });

  it('says so when there is no schema folder at all', async () => {
    const findings = await runRule(RULE, `${header()}${SQL}`);
    expect(findings.map((finding) => finding.message)).toEqual([
      'source-of-truth file current_schema/04_ai_processing.sql does not exist (no .sql files in current_schema/)',
    ]);
    expect(findings[0].hint).toContain('"schemaDir"');
  });

  it('does not demand the prose words of a description, only object names', async () => {
    const text = withRefs(`--   [X] current_schema/04_ai_processing.sql (Line 8: Added processing duration in minutes)
--   [X] current_schema/02_profiles.sql (Lines 4-5: language and display name now stored)`);
    expect(await runRule(RULE, text, { files: FILES })).toEqual([]);
    // Near miss: an object name is still demanded.
    const named = withRefs('--   [X] current_schema/02_profiles.sql (Line 4: profiles.display_name added)');
    expect((await runRule(RULE, named, { files: FILES })).map((finding) => finding.message)).toEqual([
      'current_schema/02_profiles.sql line 4 does not mention display_name: line 4 reads "preferred_language text NOT NULL DEFAULT \'fr\',"',
    ]);
  });

  it('accepts a line inside the right CREATE TABLE for a table, but not for a column it does not hold', async () => {
    const text = withRefs(`--   [X] current_schema/04_ai_processing.sql (Lines 6-7: documents table, timestamps)
--   [X] current_schema/02_profiles.sql (Line 4: profiles.legacy_code dropped)`);
    expect(await runRule(RULE, text, { files: FILES })).toEqual([]);
    // Near miss: a line of another table's CREATE TABLE.
    const other = withRefs('--   [X] current_schema/02_profiles.sql (Line 4: documents table)');
    expect((await runRule(RULE, other, { files: FILES })).map((finding) => finding.message)).toEqual([
      'current_schema/02_profiles.sql line 4 does not mention documents: line 4 reads "preferred_language text NOT NULL DEFAULT \'fr\',"',
    ]);
  });

  it("does not judge an executed migration's references against today's current_schema/", async () => {
    const stale = '--   [X] current_schema/04_ai_processing.sql (Line 3: documents.legacy_flag added)';
    const executed = withRefs(stale).replace('-- DOWNSTREAM UPDATES:', '-- MIGRATION EXECUTED:\n--   [X] production 2025-10-09 by ci\n--\n-- DOWNSTREAM UPDATES:');
    expect(await runRule(RULE, executed, { files: FILES })).toEqual([]);
    const completed = withRefs(stale).replace('-- DOWNSTREAM UPDATES:', '-- EXECUTED: 2025-10-09\n--\n-- DOWNSTREAM UPDATES:');
    expect(await runRule(RULE, completed, { files: FILES })).toEqual([]);
    // Near miss: the same references in a migration not executed yet are checked.
    expect((await runRule(RULE, withRefs(stale), { files: FILES })).map((finding) => finding.rule)).toEqual([RULE]);
  });
});
