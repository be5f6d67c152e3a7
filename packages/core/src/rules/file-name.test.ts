import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'file-name';
const TEXT = `${header()}\nALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;\n`;

const messages = async (fileName: string) => (await runRule(RULE, TEXT, { fileName })).map((finding) => finding.message);

describe('file-name', () => {
  it('accepts YYYY-MM-DD_NN_descriptive_name.sql, also in a sub-folder and with a 3-digit sequence', async () => {
    expect(await messages('2025-10-08_18_add_processing_time_minutes.sql')).toEqual([]);
    expect(await messages('migration_history_2025-10/2025-10-08_18_add_processing_time_minutes.sql')).toEqual([]);
    expect(await messages('2026-02-28_104_add_v2_columns.sql')).toEqual([]);
    expect(await messages('2024-02-29_05_leap_day_backfill.sql')).toEqual([]);
  });

  it('reports an impossible calendar date, at line 1', async () => {
    const findings = await runRule(RULE, TEXT, { fileName: '2025-02-30_18_add_processing_time.sql' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      file: 'migration_history/2025-02-30_18_add_processing_time.sql',
      rule: RULE,
      severity: 'error',
      line: 1,
      column: 1,
      message: 'file name "2025-02-30_18_add_processing_time.sql": The date 2025-02-30 is not a real calendar date.',
    });
    expect(findings[0].hint).toContain('pgwarden new <slug>');
    expect(await messages('2025-02-29_18_not_a_leap_year.sql')).toEqual([
      'file name "2025-02-29_18_not_a_leap_year.sql": The date 2025-02-29 is not a real calendar date.',
    ]);
  });

  it('reports a one-digit sequence number', async () => {
    expect(await messages('2025-10-08_7_add_processing_time.sql')).toEqual([
      "file name \"2025-10-08_7_add_processing_time.sql\": The sequence number '7' must have at least two digits (write 07).",
    ]);
  });

  it('reports a slug that is not snake_case, with a suggestion', async () => {
    expect(await messages('2025-10-08_18_AddProcessingTime.sql')).toEqual([
      "file name \"2025-10-08_18_AddProcessingTime.sql\": The descriptive name 'AddProcessingTime' must be lower-case snake_case (letters, digits and single underscores, e.g. add_processing_time).",
    ]);
    expect(await messages('2025-10-08_18_add__time.sql')).toHaveLength(1);
  });

  it('reports a name without date and number, and a wrong extension', async () => {
    expect(await messages('add_processing_time.sql')).toEqual([
      'file name "add_processing_time.sql": The file name does not match YYYY-MM-DD_NN_descriptive_name.sql (for example 2025-10-08_18_add_processing_time_minutes.sql).',
    ]);
    expect(await messages('2025-10-08_18_add_processing_time.SQL')).toEqual([
      "file name \"2025-10-08_18_add_processing_time.SQL\": The extension is '.SQL'; migration files must end in '.sql'.",
    ]);
  });

  it('reports every problem of one name', async () => {
    expect(await messages('2025-13-01_1_Bad-Name.sql')).toHaveLength(3);
  });

  it('can be ignored for the file', async () => {
    const text = `-- pgwarden-ignore-file file-name -- imported from the legacy repository as is\n${TEXT}`;
    expect(await runRule(RULE, text, { fileName: 'legacy_init.sql' })).toEqual([]);
  });

  it('says what is wrong with a name close to the pattern and proposes the corrected name', async () => {
    const hints = async (fileName: string) => (await runRule(RULE, TEXT, { fileName })).map((finding) => [finding.message, finding.hint]);
    expect(await hints('2025-10-8_18_add_archived_flag.sql')).toEqual([
      ['file name "2025-10-8_18_add_archived_flag.sql": The day \'8\' must have two digits (write 08).', 'rename it to 2025-10-08_18_add_archived_flag.sql'],
    ]);
    expect(await hints('2025-10-08_18_Add_Archived_Flag.sql')).toEqual([
      [
        "file name \"2025-10-08_18_Add_Archived_Flag.sql\": The descriptive name 'Add_Archived_Flag' must be lower-case snake_case (letters, digits and single underscores, e.g. add_archived_flag).",
        'rename it to 2025-10-08_18_add_archived_flag.sql',
      ],
    ]);
    expect(await hints('2025-10-08-18-add-archived-flag.sql')).toEqual([
      ['file name "2025-10-08-18-add-archived-flag.sql": The date, the sequence number and the name are separated by \'_\', not a hyphen.', 'rename it to 2025-10-08_18_add_archived_flag.sql'],
      [
        "file name \"2025-10-08-18-add-archived-flag.sql\": The descriptive name 'add-archived-flag' must be lower-case snake_case (letters, digits and single underscores, e.g. add_archived_flag).",
        'rename it to 2025-10-08_18_add_archived_flag.sql',
      ],
    ]);
    expect((await hints('2025-10-08_18_add_archived_flag.SQL'))[0]![1]).toBe('rename it to 2025-10-08_18_add_archived_flag.sql');
    // Near miss: an impossible date cannot be corrected mechanically, so no name is proposed.
    expect((await hints('2025-02-30_18_add_archived_flag.sql'))[0]![1]).toContain('YYYY-MM-DD_NN_descriptive_name.sql');
    // Near miss: the correct name is clean.
    expect(await hints('2025-10-08_18_add_archived_flag.sql')).toEqual([]);
  });
});
