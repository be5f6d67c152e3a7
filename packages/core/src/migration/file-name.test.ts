import { describe, expect, it } from 'vitest';
import { formatFileName, isCalendarDate, parseFileName } from './file-name.js';

describe('parseFileName', () => {
  it('parses a conforming name', () => {
    expect(parseFileName('2025-10-08_18_add_processing_time_minutes.sql')).toEqual({
      baseName: '2025-10-08_18_add_processing_time_minutes.sql',
      version: '2025-10-08_18',
      date: '2025-10-08',
      sequence: 18,
      slug: 'add_processing_time_minutes',
      problems: [],
    });
  });

  it('accepts sequence numbers with more than two digits and keeps them in the version', () => {
    const name = parseFileName('2026-01-05_104_drop_legacy_views.sql');
    expect(name.sequence).toBe(104);
    expect(name.version).toBe('2026-01-05_104');
    expect(name.problems).toEqual([]);
  });

  it('accepts 00 and digits in the slug', () => {
    expect(parseFileName('2025-09-01_00_add_2fa_secrets.sql').problems).toEqual([]);
  });

  it('reads only the last segment of a path', () => {
    expect(parseFileName('migration_history/migration_history_2025-10/2025-10-08_18_a.sql').baseName).toBe('2025-10-08_18_a.sql');
    expect(parseFileName('C:\\repo\\2025-10-08_18_a.sql').slug).toBe('a');
  });

  it('refuses a date that is not on the calendar but still reads the parts', () => {
    const name = parseFileName('2025-02-30_03_fix_dates.sql');
    expect(name.problems).toEqual(['The date 2025-02-30 is not a real calendar date.']);
    expect(name.version).toBe('2025-02-30_03');
  });

  it('knows leap years', () => {
    expect(parseFileName('2024-02-29_03_leap.sql').problems).toEqual([]);
    expect(parseFileName('2023-02-29_03_leap.sql').problems).toEqual(['The date 2023-02-29 is not a real calendar date.']);
    expect(parseFileName('2025-13-01_03_x.sql').problems).toEqual(['The date 2025-13-01 is not a real calendar date.']);
  });

  it('refuses a one-digit sequence number', () => {
    expect(parseFileName('2025-10-08_5_add_x.sql').problems).toEqual([
      "The sequence number '5' must have at least two digits (write 05).",
    ]);
  });

  it('refuses a slug that is not lower-case snake_case, with a suggestion', () => {
    expect(parseFileName('2025-10-08_18_AddProcessingTime.sql').problems).toEqual([
      "The descriptive name 'AddProcessingTime' must be lower-case snake_case (letters, digits and single underscores, e.g. add_processing_time).",
    ]);
    expect(parseFileName('2025-10-08_18_add-x.sql').problems).toHaveLength(1);
    expect(parseFileName('2025-10-08_18_add__x.sql').problems).toHaveLength(1);
    expect(parseFileName('2025-10-08_18_add_x_.sql').problems).toHaveLength(1);
  });

  it('refuses another extension and a missing one', () => {
    expect(parseFileName('2025-10-08_18_add_x.SQL').problems).toEqual([
      "The extension is '.SQL'; migration files must end in '.sql'.",
    ]);
    expect(parseFileName('2025-10-08_18_add_x.txt').slug).toBe('add_x');
    expect(parseFileName('2025-10-08_18_add_x').problems).toEqual([
      "The file name has no extension; migration files must end in '.sql'.",
    ]);
  });

  it('refuses a name that does not match the pattern and leaves the parts undefined', () => {
    const name = parseFileName('add_processing_time.sql');
    expect(name.problems).toEqual([
      'The file name does not match YYYY-MM-DD_NN_descriptive_name.sql (for example 2025-10-08_18_add_processing_time_minutes.sql).',
    ]);
    expect(name.version).toBeUndefined();
    expect(name.date).toBeUndefined();
    expect(name.sequence).toBeUndefined();
    expect(parseFileName('2025-10-08_18.sql').problems).toHaveLength(1);
    expect(parseFileName('20251008_18_x.sql').problems).toHaveLength(1);
    expect(parseFileName('').problems).toHaveLength(2);
  });

  it('reports several problems at once', () => {
    expect(parseFileName('2025-02-30_1_Bad Name.sql').problems).toHaveLength(3);
  });
});

describe('isCalendarDate', () => {
  it('checks format and calendar', () => {
    expect(isCalendarDate('2025-10-08')).toBe(true);
    expect(isCalendarDate('2025-10-8')).toBe(false);
    expect(isCalendarDate('2025-04-31')).toBe(false);
    expect(isCalendarDate('2025-00-10')).toBe(false);
  });
});

describe('formatFileName', () => {
  it('pads the sequence to two digits and keeps longer ones', () => {
    expect(formatFileName('2025-10-08', 3, 'add_x')).toBe('2025-10-08_03_add_x.sql');
    expect(formatFileName('2025-10-08', 18, 'add_x')).toBe('2025-10-08_18_add_x.sql');
    expect(formatFileName('2025-10-08', 104, 'add_x')).toBe('2025-10-08_104_add_x.sql');
  });

  it('throws on parts that would break the convention', () => {
    expect(() => formatFileName('2025-02-30', 1, 'add_x')).toThrow('2025-02-30 is not a real calendar date');
    expect(() => formatFileName('2025-10-08', 1, 'Add X')).toThrow('lower-case snake_case');
    expect(() => formatFileName('2025-10-08', -1, 'add_x')).toThrow('non-negative integer');
    expect(() => formatFileName('2025-10-08', 1.5, 'add_x')).toThrow('non-negative integer');
  });
});
