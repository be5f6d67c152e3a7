import { describe, expect, it } from 'vitest';
import { locateHeader, normaliseSchemaPath, parseHeader } from './header.js';
import { parseMigration } from './parse-migration.js';
import {
  APPROVED_FIXTURE,
  EXECUTED_FIXTURE,
  NO_HEADER_FIXTURE,
  UNCLOSED_FIXTURE,
  fixtureText,
  toCrlf,
} from './__fixtures__/fixtures.js';
import type { MigrationHeader } from './types.js';

const RULE = `-- ${'='.repeat(76)}`;

function headerOf(text: string): MigrationHeader {
  const location = locateHeader(text);
  if (!location) throw new Error('expected a header');
  return parseHeader(location);
}

/** A header made of the given lines between two rules, followed by a one-line body. */
function header(...lines: string[]): MigrationHeader {
  return headerOf([RULE, ...lines, RULE, '', 'SELECT 1;', ''].join('\n'));
}

describe('locateHeader', () => {
  it('finds the block between the rules, after leading blank lines', () => {
    const location = locateHeader(fixtureText(APPROVED_FIXTURE))!;
    expect(location.opening.number).toBe(2);
    expect(location.closing?.number).toBe(27);
    expect(location.inner).toHaveLength(24);
  });

  it('accepts pgwarden lines before the opening rule', () => {
    const location = locateHeader(`-- pgwarden-ignore-file no-emoji -- reason\n-- pgwarden:no-transaction\n${RULE}\n-- Migration: x\n${RULE}\n`)!;
    expect(location.leadingLines.map((line) => line.number)).toEqual([1, 2]);
    expect(location.opening.number).toBe(3);
  });

  it('finds no header when the first comment block has no rule line', () => {
    expect(locateHeader(fixtureText(NO_HEADER_FIXTURE))).toBeUndefined();
    expect(locateHeader('SELECT 1;')).toBeUndefined();
    expect(locateHeader('')).toBeUndefined();
    expect(locateHeader('-- =========\n-- short rule (9 =)\n')).toBeUndefined();
  });

  it('ends an unclosed header at the last consecutive comment line', () => {
    const location = locateHeader(fixtureText(UNCLOSED_FIXTURE))!;
    expect(location.closing).toBeUndefined();
    expect(location.last.number).toBe(4);
  });

  it('ignores a byte order mark before the opening rule', () => {
    expect(locateHeader(`\uFEFF${RULE}\n-- Migration: x\n${RULE}\n`)?.closing?.number).toBe(3);
  });
});

describe('parseHeader on a real-style executed migration', () => {
  const parsed = headerOf(fixtureText(EXECUTED_FIXTURE));

  it('reads position, title and the section keys in order', () => {
    expect(parsed.startLine).toBe(1);
    expect(parsed.endLine).toBe(38);
    expect(parsed.closingRuleLine).toBe(38);
    expect(parsed.title).toBe('Add processing_time_minutes to encounter_documents');
    expect(parsed.sections.map((section) => [section.key, section.line, section.endLine])).toEqual([
      ['MIGRATION', 2, 2],
      ['DATE', 3, 3],
      ['ISSUE', 4, 4],
      ['PROBLEM', 6, 8],
      ['SOLUTION', 9, 9],
      ['AFFECTED TABLES', 10, 10],
      ['SOURCE OF TRUTH SCHEMA UPDATED', 12, 18],
      ['DOWNSTREAM UPDATES', 20, 23],
      ['SCHEMA DOCUMENTATION UPDATED', 25, 26],
      ['COST ANALYSIS', 28, 28],
      ['LOCKING CONSIDERATION', 29, 30],
      ['MIGRATION STRATEGY', 31, 34],
      ['MIGRATION EXECUTED', 36, 37],
    ]);
  });

  it('joins multi-line values and keeps non-ASCII text', () => {
    const section = (key: string) => parsed.sections.find((candidate) => candidate.key === key)!;
    expect(section('ISSUE').value).toBe('Clinicians cannot see how long AI processing took → dashboards show "n/a"');
    expect(section('PROBLEM').value).toBe(
      "The AI pipeline records start and end timestamps but never the duration, so every dashboard query recomputes it (and gets it wrong for documents reprocessed by Dr. Zoë Lefèvre's review queue).",
    );
    expect(section('LOCKING CONSIDERATION').value).toBe('ACCESS EXCLUSIVE lock for the rewrite; run in the 02:00 UTC low-traffic window.');
    expect(section('AFFECTED TABLES').value).toBe('encounter_documents, ai_processing_sessions');
  });

  it('keeps bullets and an indented "Line 12:" as raw continuation lines', () => {
    const strategy = parsed.sections.find((candidate) => candidate.key === 'MIGRATION STRATEGY')!;
    expect(strategy.value).toBe('- Add the column (rewrite) - Backfill is implicit (generated column) Line 12: this indented line is continuation, not a section');
    expect(strategy.lines).toEqual([
      { text: '   - Add the column (rewrite)', line: 32 },
      { text: '   - Backfill is implicit (generated column)', line: 33 },
      { text: '   Line 12: this indented line is continuation, not a section', line: 34 },
    ]);
  });

  it('reads every checkbox form with its section, line and column', () => {
    expect(parsed.checkboxes.map((box) => [box.mark, box.state, box.section, box.line, box.column])).toEqual([
      ['X', 'done', 'SOURCE OF TRUTH SCHEMA UPDATED', 13, 6],
      ['x', 'done', 'SOURCE OF TRUTH SCHEMA UPDATED', 14, 6],
      ['X', 'done', 'SOURCE OF TRUTH SCHEMA UPDATED', 15, 6],
      ['X', 'done', 'DOWNSTREAM UPDATES', 21, 6],
      ['X', 'done', 'DOWNSTREAM UPDATES', 22, 6],
      ['N/A', 'not-applicable', 'DOWNSTREAM UPDATES', 23, 6],
      ['n/a', 'not-applicable', 'SCHEMA DOCUMENTATION UPDATED', 26, 6],
      ['X', 'done', 'MIGRATION EXECUTED', 37, 6],
    ]);
    expect(parsed.checkboxes[5]!.text).toBe('Edge functions (no change)');
  });

  it('reads source-of-truth references in all their written forms', () => {
    expect(parsed.sourceOfTruth.map(({ checkbox, ...ref }) => ({ ...ref, box: checkbox?.mark }))).toEqual([
      {
        file: 'current_schema/04_ai_processing.sql',
        lines: [{ from: 228, to: 228, description: 'processing_time_minutes column', line: 13, column: 47 }],
        line: 13,
        column: 10,
        box: 'X',
      },
      {
        file: 'current_schema/03_clinical_core.sql',
        lines: [
          { from: 1252, to: 1296, description: 'encounter_documents table', line: 14, column: 47 },
          { from: 1301, to: 1301, description: 'comment', line: 14, column: 91 },
        ],
        line: 14,
        column: 10,
        box: 'x',
      },
      {
        file: 'current_schema/05_healthcare_journey.sql',
        lines: [
          { from: 279, to: 279, description: 'encounter_documents.processing_time_minutes added', line: 16, column: 10 },
          { from: 310, to: 312, description: 'index on processing_time_minutes', line: 17, column: 10 },
        ],
        line: 15,
        column: 10,
        box: 'X',
      },
      {
        file: 'current_schema/07_optimization.sql',
        writtenPath: '07_optimization.sql',
        lines: [{ from: 44, to: 44, description: 'statistics target, ✓ checked', line: 18, column: 27 }],
        line: 18,
        column: 6,
        box: undefined,
      },
    ]);
  });

  it('reads the hand-written execution record', () => {
    expect(parsed.executions).toEqual([{ env: 'unrecorded', date: '2025-10-08', by: 'unknown', line: 37 }]);
    expect(parsed.approvals).toEqual([]);
    expect(parsed.problems).toEqual([]);
  });

  it('gives the same result for the CRLF version of the file', () => {
    expect(headerOf(toCrlf(fixtureText(EXECUTED_FIXTURE)))).toEqual(parsed);
  });
});

describe('parseHeader on an approved, partly executed migration', () => {
  const parsed = headerOf(fixtureText(APPROVED_FIXTURE));

  it('reads pgwarden execution records with environment, user and duration', () => {
    expect(parsed.executions).toEqual([
      { env: 'local', date: '2025-10-09', by: 'alice', durationMs: 1234, line: 22 },
      { env: 'staging', date: '2025-10-10', by: 'dr.smith', durationMs: 8812, line: 23 },
    ]);
  });

  it('reads well-formed approvals and reports a malformed one', () => {
    expect(parsed.approvals).toEqual([
      { by: 'jane_doe', kind: 'human', date: '2025-10-09', checksum: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0', line: 25 },
    ]);
    expect(parsed.problems).toEqual([
      {
        message:
          "This APPROVED line is not in the form '-- APPROVED: <name> <YYYY-MM-DD> sha256:<64 hex digits> for <file name>' with a real date, so it does not count as an approval.",
        line: 26,
      },
    ]);
  });

  it('reads the kind of reviewer and the file an approval is bound to; a line without the binding (earlier format) stays readable', () => {
    const sum = 'ab'.repeat(32);
    const text = [
      '-- ============================================================================',
      '-- Migration: x',
      `-- APPROVED: alice 2025-10-09 sha256:${sum} for 2025-10-08_18_add_x.sql`,
      `-- APPROVED: bot:review-assistant 2025-10-09 sha256:${sum} for 2025-10-08_18_add_x.sql`,
      `-- APPROVED: bob 2025-10-09 sha256:${sum}`,
      '-- ============================================================================',
      'SELECT 1;',
    ].join('\n');
    const header = parseMigration({ path: '/x/2025-10-08_18_add_x.sql', relPath: 'migration_history/2025-10-08_18_add_x.sql', text }).header!;
    expect(header.approvals.map((a) => [a.by, a.kind, a.boundTo])).toEqual([
      ['alice', 'human', '2025-10-08_18_add_x.sql'],
      ['bot:review-assistant', 'bot', '2025-10-08_18_add_x.sql'],
      ['bob', 'human', undefined],
    ]);
    expect(header.problems ?? []).toEqual([]);
  });

  it('does not turn directive lines into sections', () => {
    expect(parsed.sections.map((section) => section.key)).not.toContain('PGWARDEN');
    expect(parsed.sections.find((section) => section.key === 'ISSUE')?.value).toBe('#142 slow patient timeline');
  });
});

describe('section lines and continuations', () => {
  it('normalises keys: upper case, single spaces', () => {
    expect(header('-- Source of  Truth schema updated: none').sections[0]!.key).toBe('SOURCE OF TRUTH SCHEMA UPDATED');
  });

  it('accepts labels with / ( ) & \' - and no space after --', () => {
    expect(header("--Rollback/Forward (plan) & Owner's-note: yes").sections[0]).toMatchObject({
      key: "ROLLBACK/FORWARD (PLAN) & OWNER'S-NOTE",
      value: 'yes',
    });
  });

  it('treats "-- Line 12: foo" with one space as a section but indented as a continuation', () => {
    const parsed = header('-- PROBLEM: a', '-- Line 12: foo', '--   Line 13: bar');
    expect(parsed.sections.map((section) => [section.key, section.value])).toEqual([
      ['PROBLEM', 'a'],
      ['LINE 12', 'foo Line 13: bar'],
    ]);
  });

  it('accepts a tab as indentation and checkbox-led lines as list items', () => {
    const parsed = header('-- DOWNSTREAM UPDATES:', '--\t[X] types', '-- [ ] bridge schemas');
    expect(parsed.sections[0]!.lines).toEqual([
      { text: '\t[X] types', line: 3 },
      { text: ' [ ] bridge schemas', line: 4 },
    ]);
    expect(parsed.checkboxes.map((box) => [box.section, box.column])).toEqual([
      ['DOWNSTREAM UPDATES', 4],
      ['DOWNSTREAM UPDATES', 4],
    ]);
  });

  it('keeps a value across a bare -- line but ends it at prose', () => {
    const parsed = header('-- PROBLEM:', '--   first paragraph', '--', '--   second paragraph', '-- Free prose ends it', '--   orphan');
    expect(parsed.sections).toEqual([
      {
        key: 'PROBLEM',
        value: 'first paragraph second paragraph',
        lines: [
          { text: '   first paragraph', line: 3 },
          { text: '   second paragraph', line: 5 },
        ],
        line: 2,
        endLine: 5,
      },
    ]);
  });

  it('finds checkboxes anywhere, several per line, outside sections too', () => {
    const parsed = header('-- Checklist [X] verified [ ] tested [N/a] docs', '-- DATE: 2025-10-08 [x]');
    expect(parsed.checkboxes.map((box) => [box.mark, box.state, box.text, box.section, box.column])).toEqual([
      ['X', 'done', 'verified', '', 14],
      [' ', 'open', 'tested', '', 27],
      ['N/a', 'not-applicable', 'docs', '', 38],
      ['x', 'done', '', 'DATE', 21],
    ]);
  });

  it('leaves the title undefined without a Migration: line', () => {
    expect(header('-- Date: 2025-10-08').title).toBeUndefined();
  });
});

describe('source-of-truth references', () => {
  const refs = (...lines: string[]) => header('-- SOURCE OF TRUTH SCHEMA UPDATED:', ...lines).sourceOfTruth;

  it('splits several references in one parenthesis on ; or , before the next Line', () => {
    expect(refs('--   [X] current_schema/02_profiles.sql (Line 5: a, b; Line 9: c, Lines 20-22: d)')[0]!.lines).toEqual([
      { from: 5, to: 5, description: 'a, b', line: 3, column: 42 },
      { from: 9, to: 9, description: 'c', line: 3, column: 56 },
      { from: 20, to: 22, description: 'd', line: 3, column: 67 },
    ]);
  });

  it('reads lists of ranges, dashes of any kind, and descriptions with parentheses', () => {
    expect(refs('--   [ ] 02_profiles.sql (Lines 10-20, 30–31: profiles (RLS) policies)')[0]!.lines).toEqual([
      { from: 10, to: 20, description: 'profiles (RLS) policies', line: 3, column: 27 },
      { from: 30, to: 31, description: 'profiles (RLS) policies', line: 3, column: 27 },
    ]);
  });

  it('does not read a number in the description as another line', () => {
    expect(refs('--   02_profiles.sql (Line 228, 2 columns added)')[0]!.lines).toEqual([
      { from: 228, to: 228, description: '2 columns added', line: 3, column: 23 },
    ]);
  });

  it('reads an unclosed parenthesis to the end of the line', () => {
    expect(refs('--   [X] 06_security.sql (Line 7: grants')[0]!.lines[0]!.description).toBe('grants');
  });

  it('reads several files on one line, each with its own box', () => {
    expect(refs('--   [X] 01_foundations.sql (Line 3: ext), [ ] ./current_schema/06_security.sql').map((ref) => [ref.file, ref.checkbox?.mark, ref.lines.length])).toEqual([
      ['current_schema/01_foundations.sql', 'X', 1],
      ['current_schema/06_security.sql', ' ', 0],
    ]);
  });

  it('attaches bullets with or without a dash to the file above and ignores them before any file', () => {
    const parsed = refs('--     - Line 1: orphan', '--   [X] current_schema/08_job_coordination.sql', '--       Line 40: jobs table', '--     * Lines 41-45: job indexes');
    expect(parsed).toHaveLength(1);
    expect(parsed[0]!.lines.map((line) => [line.from, line.to, line.description, line.line])).toEqual([
      [40, 40, 'jobs table', 5],
      [41, 45, 'job indexes', 6],
    ]);
  });

  it('reads a reference written on the section line and keeps paths in other folders as written', () => {
    const parsed = header('-- SOURCE OF TRUTH SCHEMA UPDATED: [N/A] supabase/schema.sql (Line 3: x)').sourceOfTruth;
    expect(parsed[0]).toMatchObject({ file: 'supabase/schema.sql', line: 2, column: 42 });
    expect(parsed[0]!.writtenPath).toBeUndefined();
  });

  it('only reads references in the SOURCE OF TRUTH section', () => {
    expect(header('-- DOWNSTREAM UPDATES:', '--   [X] current_schema/02_profiles.sql (Line 5: x)').sourceOfTruth).toEqual([]);
  });

  it('normalises schema paths', () => {
    expect(normaliseSchemaPath('03_clinical_core.sql')).toBe('current_schema/03_clinical_core.sql');
    expect(normaliseSchemaPath('./current_schema/03_clinical_core.sql')).toBe('current_schema/03_clinical_core.sql');
    expect(normaliseSchemaPath('current_schema/03_clinical_core.sql')).toBe('current_schema/03_clinical_core.sql');
  });
});

describe('execution records and approvals', () => {
  it('accepts the hand-written Executed: form and ignores open or unrelated boxes', () => {
    const parsed = header(
      '-- MIGRATION EXECUTED:',
      '--   [x] Executed: 2025-10-08 on production, verified ✓',
      '--   [ ] production 2025-10-09 by bob (10 ms)',
      '--   [X] Verified by the on-call engineer',
      '--   [X] staging 2025-10-09 by bob',
    );
    expect(parsed.executions).toEqual([
      { env: 'unrecorded', date: '2025-10-08', by: 'unknown', line: 3 },
      { env: 'staging', date: '2025-10-09', by: 'bob', line: 6 },
    ]);
  });

  it('only reads records inside MIGRATION EXECUTED', () => {
    expect(header('-- DOWNSTREAM UPDATES:', '--   [X] local 2025-10-09 by alice (1 ms)').executions).toEqual([]);
  });

  it('reads approvals anywhere in the header and lower-cases the checksum', () => {
    const checksum = 'AB'.repeat(32);
    const parsed = header(`-- APPROVED: dr.smith 2025-10-09 sha256:${checksum}`, '-- PROBLEM: x', '-- APPROVED: bob 2025-02-30 sha256:' + 'a'.repeat(64));
    expect(parsed.approvals).toEqual([{ by: 'dr.smith', kind: 'human', date: '2025-10-09', checksum: checksum.toLowerCase(), line: 2 }]);
    expect(parsed.problems?.map((problem) => problem.line)).toEqual([4]);
  });
});
