import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'header-present';
const SQL = 'ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;\n';

describe('header-present', () => {
  it('accepts a file that starts with the header block', async () => {
    expect(await runRule(RULE, `${header()}\n${SQL}`)).toEqual([]);
  });

  it('accepts blank lines and pgwarden directives before the opening rule', async () => {
    expect(await runRule(RULE, `\n-- pgwarden:lock-timeout 5s\n${header()}\n${SQL}`)).toEqual([]);
  });

  it('reports a file without a header on line 1', async () => {
    const findings = await runRule(RULE, `-- Add processing time to documents\n${SQL}`);
    expect(findings).toEqual([
      {
        file: 'migration_history/2025-10-08_18_add_processing_time_minutes.sql',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        rule: RULE,
        severity: 'error',
        message: 'no migration header: the file must start with the "-- ====" header block',
        hint: 'copy the template from docs/workflow.md or create the file with "pgwarden new <slug>"',
      },
    ]);
  });

  it('reports a header that is not at the top of the file', async () => {
    const findings = await runRule(RULE, `${SQL}\n${header()}`);
    expect(findings.map((finding) => [finding.line, finding.rule])).toEqual([[1, RULE]]);
  });

  it('reports an empty file', async () => {
    expect((await runRule(RULE, '')).map((finding) => finding.rule)).toEqual([RULE]);
  });

  it('reports a rule line with too few = signs', async () => {
    const text = header().replace(/={76}/g, '=====');
    expect((await runRule(RULE, `${text}\n${SQL}`)).map((finding) => finding.rule)).toEqual([RULE]);
  });

  it('follows the configured severity and a file-level ignore', async () => {
    const text = `-- Add processing time to documents\n${SQL}`;
    expect((await runRule(RULE, text, { config: { rules: { [RULE]: 'warning' } } })).map((finding) => finding.severity)).toEqual(['warning']);
    expect(await runRule(RULE, `-- pgwarden-ignore-file header-present -- imported from the legacy repository\n${text}`)).toEqual([]);
  });

  it('tells a header written without its fence lines from a missing header', async () => {
    const fenceless = header()
      .split('\n')
      .filter((line) => !line.startsWith('-- ====='))
      .join('\n');
    const findings = await runRule(RULE, `${fenceless}\n${SQL}`);
    expect(findings.map((finding) => [finding.line, finding.message])).toEqual([
      [
        1,
        'migration header has no "-- ====" fence lines: lines 1-17 read as a header, but pgwarden cannot rewrite it (approvals, execution records) and counts it as SQL body',
      ],
    ]);
    // The fields are still read: header-fields has nothing to say about them.
    expect(await runRule('header-fields', `${fenceless}\n${SQL}`)).toEqual([]);
    // Near miss: a leading comment with one field-like line is no header at all.
    const [plain] = await runRule(RULE, `-- Migration: add processing time\n-- (quick fix)\n${SQL}`);
    expect(plain!.message).toBe('no migration header: the file must start with the "-- ====" header block');
  });
});
