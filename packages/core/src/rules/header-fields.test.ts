import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'header-fields';

const SQL = `
ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;
`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** The header template exactly as CONVENTIONS.md ships it. */
const TEMPLATE = `-- ============================================================================
-- Migration: [Descriptive Title]
-- Date: 2025-10-08
-- Issue: [Problem being solved]
--
-- PROBLEM: [Brief explanation]
-- SOLUTION: [Description of the fix]
-- AFFECTED TABLES: table_name_1, table_name_2
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/XX_filename.sql (Line XXX: Description)
--
-- DOWNSTREAM UPDATES:
--   [ ] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================
${SQL}`;

describe('header-fields', () => {
  it('accepts the filled template', async () => {
    expect(await runRule(RULE, `${header()}${SQL}`)).toEqual([]);
  });

  it('accepts multi-line values, bullets, non-ASCII text, [N/A] entries and extra sections', async () => {
    const text = `-- pgwarden:lock-timeout 5s
-- ============================================================================
-- Migration: Backfill processing time (Zoë's request → ops dashboard)
-- Date: 2025-10-08
-- Issue: OPS-412
--
-- PROBLEM:
--   Operators cannot see how long documents take to process;
--   the AI pipeline retries slow documents blindly.
-- SOLUTION: Backfill documents.processing_time_minutes from processing_jobs.
--   - only rows processed after 2025-01-01
--   - batches of 10 000 rows
-- AFFECTED TABLES: documents
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [N/A] No current_schema change (data-only migration)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [N/A] TypeScript types updated (if applicable)
--
-- COST ANALYSIS: ~40 000 rows, no lock beyond row locks.
-- MIGRATION STRATEGY: run off-peak.
-- ============================================================================

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'documents' AND column_name = 'processing_time_minutes') THEN
    UPDATE public.documents SET processing_time_minutes = 0 WHERE processing_time_minutes IS NULL;
  END IF;
END $$;
`;
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('reports missing fields together, at the header start', async () => {
    const text = `${header()
      .replace('-- Issue: Document processing durations are not tracked\n', '')
      .replace(/-- DOWNSTREAM UPDATES:\n(?:--   \[.*\n)+/, '')}${SQL}`;
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', line: 1, column: 1 });
    expect(findings[0].message).toBe('header is missing the fields Issue, DOWNSTREAM UPDATES');
    expect(findings[0].hint).toContain('-- Issue: ');
  });

  it('points at the header start when a pgwarden directive precedes it', async () => {
    const text = `-- pgwarden:no-transaction\n${header().replace(/-- SOLUTION: .*\n/, '')}${SQL}`;
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message])).toEqual([[2, 'header is missing the field SOLUTION']]);
  });

  it('reports every placeholder left from the template, at its field', async () => {
    const findings = await runRule(RULE, TEMPLATE);
    expect(findings.map((finding) => [finding.line, finding.column, finding.message])).toEqual([
      [at(TEMPLATE, 'Migration:').line, 4, 'header field Migration still holds the template placeholder "[Descriptive Title]"'],
      [at(TEMPLATE, 'Issue:').line, 4, 'header field Issue still holds the template placeholder "[Problem being solved]"'],
      [at(TEMPLATE, 'PROBLEM:').line, 4, 'header field PROBLEM still holds the template placeholder "[Brief explanation]"'],
      [at(TEMPLATE, 'SOLUTION:').line, 4, 'header field SOLUTION still holds the template placeholder "[Description of the fix]"'],
      [at(TEMPLATE, 'AFFECTED TABLES:').line, 4, 'header field AFFECTED TABLES still holds the template placeholder "table_name_1"'],
      [
        at(TEMPLATE, 'SOURCE OF TRUTH').line,
        4,
        'header field SOURCE OF TRUTH SCHEMA UPDATED still holds the template placeholder "XX_filename"',
      ],
    ]);
    expect(findings[0].hint).toContain('-- Migration: Add processing time to documents');
  });

  it('reports empty fields and a source-of-truth section with only a bare box', async () => {
    const text = `${header()
      .replace(/-- PROBLEM: .*\n/, '-- PROBLEM:\n')
      .replace(/--   \[X\] current_schema\/.*\n/, '--   [ ]\n')}${SQL}`;
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.column, finding.message])).toEqual([
      [at(text, 'PROBLEM:').line, 4, 'header field PROBLEM is empty'],
      [at(text, 'SOURCE OF TRUTH').line, 4, 'header field SOURCE OF TRUTH SCHEMA UPDATED has no entry'],
    ]);
    expect(findings[1].hint).toContain('[N/A] no schema change');
  });

  it('treats any bracketed phrase as a placeholder, but not a bracketed tag', async () => {
    const text = `${header()
      .replace(/-- SOLUTION: .*\n/, '-- SOLUTION: [Describe the new index]\n')
      .replace(/-- Issue: .*\n/, '-- Issue: [Security]\n')}${SQL}`;
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message])).toEqual([
      [at(text, 'SOLUTION:').line, 'header field SOLUTION still holds the template placeholder "[Describe the new index]"'],
    ]);
  });

  it('reads a value written on the lines below its label', async () => {
    const text = `${header().replace(/-- AFFECTED TABLES: .*\n/, '-- AFFECTED TABLES:\n--   - documents\n--   - processing_jobs\n')}${SQL}`;
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('leaves a file without a header to header-present', async () => {
    expect(await runRule(RULE, `-- just a comment\n${SQL}`)).toEqual([]);
  });

  it('reads a value written on the comment lines below its label', async () => {
    const text = header().replace(
      '-- PROBLEM: Operators cannot see how long documents take to process.\n',
      '-- PROBLEM:\n-- Nightly export misses rows.\n-- It drops documents without a duration.\n',
    );
    expect(await runRule(RULE, `${text}\nSELECT 1;\n`)).toEqual([]);
    // Near miss: a label followed by a bare "--" line is still empty.
    const empty = header().replace('-- PROBLEM: Operators cannot see how long documents take to process.\n', '-- PROBLEM:\n--\n-- Nightly export misses rows.\n');
    expect((await runRule(RULE, `${empty}\nSELECT 1;\n`)).map((finding) => finding.message)).toEqual(['header field PROBLEM is empty']);
  });

  it('takes a numbered title line as the Migration field', async () => {
    const text = header().replace('-- Migration: Add processing time to documents', '-- Migration 12: Add archived flag');
    expect(await runRule(RULE, `${text}\nSELECT 1;\n`)).toEqual([]);
    // Near miss: a title line of another word is not the Migration field.
    const other = header().replace('-- Migration: Add processing time to documents', '-- Change 12: Add archived flag');
    expect((await runRule(RULE, `${other}\nSELECT 1;\n`)).map((finding) => finding.message)).toEqual(['header is missing the field Migration']);
  });
});
