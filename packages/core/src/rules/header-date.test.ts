import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'header-date';

const SQL = `
-- Temps de traitement (minutes) → tableau de bord
ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;
`;

const withDate = (date: string) => `${header({ date })}${SQL}`;

describe('header-date', () => {
  it("accepts a Date equal to the file name's date", async () => {
    expect(await runRule(RULE, withDate('2025-10-08'))).toEqual([]);
  });

  it('accepts a note after the date, and a file in a sub-folder', async () => {
    const findings = await runRule(RULE, withDate('2025-10-08 (written; executed 2025-10-09)'), {
      fileName: 'migration_history_2025-10/2025-10-08_18_add_processing_time_minutes.sql',
    });
    expect(findings).toEqual([]);
  });

  it("reports a Date that differs from the file name's, at the date", async () => {
    const findings = await runRule(RULE, withDate('2025-10-07'));
    expect(findings).toHaveLength(1);
    // `-- Date: ` is 9 characters: the value starts in column 10 of line 3.
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', line: 3, column: 10, endLine: 3, endColumn: 20 });
    expect(findings[0].message).toBe(
      "header Date 2025-10-07 differs from the file name's date 2025-10-08 (2025-10-08_18_add_processing_time_minutes.sql)",
    );
    expect(findings[0].hint).toContain('"-- Date: 2025-10-08"');
    expect(findings[0].hint).toContain('2025-10-07_18_add_processing_time_minutes.sql');
  });

  it('reports a date that does not exist', async () => {
    const findings = await runRule(RULE, withDate('2025-09-31'));
    expect(findings.map((finding) => [finding.line, finding.column, finding.message])).toEqual([
      [3, 10, 'header Date 2025-09-31 is not a real calendar date'],
    ]);
    expect(findings[0].hint).toBe('write the file name\'s date: "-- Date: 2025-10-08"');
  });

  it('reports a date not written YYYY-MM-DD, and the placeholder', async () => {
    const european = await runRule(RULE, withDate('08/10/2025'));
    expect(european.map((finding) => [finding.line, finding.column, finding.message])).toEqual([
      [3, 10, 'header Date "08/10/2025" is not in the form YYYY-MM-DD'],
    ]);
    const placeholder = await runRule(RULE, withDate('YYYY-MM-DD'));
    expect(placeholder.map((finding) => finding.message)).toEqual(['header Date "YYYY-MM-DD" is not in the form YYYY-MM-DD']);
  });

  it('only checks the form when the file name has no valid date', async () => {
    expect(await runRule(RULE, withDate('2025-10-07'), { fileName: 'add_processing_time.sql' })).toEqual([]);
    const findings = await runRule(RULE, withDate('2025-13-01'), { fileName: 'add_processing_time.sql' });
    expect(findings.map((finding) => finding.message)).toEqual(['header Date 2025-13-01 is not a real calendar date']);
    expect(findings[0].hint).toBe('write a date that exists, e.g. 2025-10-08');
  });

  it('leaves a missing or empty Date to header-fields', async () => {
    expect(await runRule(RULE, `${header().replace(/-- Date: .*\n/, '')}${SQL}`)).toEqual([]);
    expect(await runRule(RULE, `${header().replace(/-- Date: .*\n/, '-- Date:\n')}${SQL}`)).toEqual([]);
  });

  it('quotes the whole date it read, and reads a written-out date', async () => {
    const findings = await runRule(RULE, withDate('30 September 2025'));
    expect(findings.map((finding) => [finding.line, finding.column, finding.endColumn, finding.message])).toEqual([
      [3, 10, 27, 'header Date "30 September 2025" is not in the form YYYY-MM-DD (it reads as 2025-09-30)'],
    ]);
    expect(findings[0].hint).toBe('write the date as YYYY-MM-DD: "-- Date: 2025-09-30"');
    const american = await runRule(RULE, withDate('Oct 8, 2025'));
    expect(american.map((finding) => finding.message)).toEqual(['header Date "Oct 8, 2025" is not in the form YYYY-MM-DD (it reads as 2025-10-08)']);
    // Near miss: a day that does not exist is quoted, not converted.
    const impossible = await runRule(RULE, withDate('31 September 2025'));
    expect(impossible.map((finding) => finding.message)).toEqual(['header Date "31 September 2025" is not in the form YYYY-MM-DD']);
  });
});
