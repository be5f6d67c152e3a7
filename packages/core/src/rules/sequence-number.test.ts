import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'sequence-number';

/** A realistic migration body for any file of the history. */
function migration(date: string, title: string): string {
  return `${header({ date, affected: 'documents' }).replace('Add processing time to documents', title)}
-- Durée de traitement → minutes (non-ASCII on purpose)
ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;
`;
}

const CURRENT = migration('2025-10-08', 'Add processing time to documents');

describe('sequence-number', () => {
  it('accepts unique numbers increasing with the dates, across sub-folders and within a day', async () => {
    const findings = await runRule(RULE, CURRENT, {
      history: {
        '2025-10-06_16_create_care_plans.sql': migration('2025-10-06', 'Create care plans'),
        'migration_history_2025-10/2025-10-07_17_add_triage_notes.sql': migration('2025-10-07', 'Add triage notes'),
        // Same day as the current file (18): any order within a day.
        '2025-10-08_19_index_documents_status.sql': migration('2025-10-08', 'Index documents by status'),
        '2025-10-09_20_backfill_processing_time.sql': migration('2025-10-09', 'Backfill processing time'),
      },
    });
    expect(findings).toEqual([]);
  });

  it('reports a number used twice, naming the other file by path, once per file', async () => {
    const history = {
      'migration_history_2025-10/2025-10-07_18_add_triage_notes.sql': migration('2025-10-07', 'Add triage notes'),
      '2025-10-01_10_create_documents.sql': migration('2025-10-01', 'Create documents'),
    };
    const findings = await runRule(RULE, CURRENT, { history });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', line: 1, column: 1 });
    expect(findings[0].message).toBe(
      'sequence number 18 is also used by migration_history/migration_history_2025-10/2025-10-07_18_add_triage_notes.sql: NN is a running number across the whole history, not a per-day counter',
    );
    // Dated after the other 18, this file must come after it: 19 is the first free number.
    expect(findings[0].hint).toContain('renumber this file to 19 (2025-10-08_19_add_processing_time_minutes.sql)');

    // The other file of the pair gets its own single finding naming this one.
    const other = await runRule(RULE, migration('2025-10-07', 'Add triage notes'), {
      fileName: 'migration_history_2025-10/2025-10-07_18_add_triage_notes.sql',
      history: { '2025-10-08_18_add_processing_time_minutes.sql': CURRENT, '2025-10-01_10_create_documents.sql': history['2025-10-01_10_create_documents.sql'] },
    });
    expect(other.map((finding) => finding.message)).toEqual([
      'sequence number 18 is also used by migration_history/2025-10-08_18_add_processing_time_minutes.sql: NN is a running number across the whole history, not a per-day counter',
    ]);
  });

  it('lists every file sharing the number in one finding (many _00_ files on one day)', async () => {
    const findings = await runRule(RULE, migration('2025-10-08', 'Seed lookup tables'), {
      fileName: '2025-10-08_00_seed_lookup_tables.sql',
      history: {
        '2025-10-08_00_create_profiles.sql': migration('2025-10-08', 'Create profiles'),
        '2025-10-08_00_create_documents.sql': migration('2025-10-08', 'Create documents'),
      },
    });
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain(
      'sequence number 00 is also used by migration_history/2025-10-08_00_create_documents.sql, migration_history/2025-10-08_00_create_profiles.sql',
    );
  });

  it('reports a number lower than that of an earlier-dated file, naming it with its number and date', async () => {
    const findings = await runRule(RULE, migration('2025-10-09', 'Backfill processing time'), {
      fileName: '2025-10-09_12_backfill_processing_time.sql',
      history: {
        '2025-10-01_10_create_documents.sql': migration('2025-10-01', 'Create documents'),
        '2025-10-08_18_add_processing_time_minutes.sql': CURRENT,
      },
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, line: 1, column: 1 });
    expect(findings[0].message).toBe(
      'sequence number 12 is out of date order: migration_history/2025-10-08_18_add_processing_time_minutes.sql is dated before 2025-10-09 but numbered higher (18 on 2025-10-08)',
    );
    expect(findings[0].hint).toContain('renumber this file to 19');
  });

  it('reports the other side too: a file dated before a lower-numbered one', async () => {
    const findings = await runRule(RULE, CURRENT, {
      history: {
        '2025-10-01_10_create_documents.sql': migration('2025-10-01', 'Create documents'),
        '2025-10-09_12_backfill_processing_time.sql': migration('2025-10-09', 'Backfill processing time'),
        '2025-10-10_13_index_documents.sql': migration('2025-10-10', 'Index documents'),
      },
    });
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe(
      'sequence number 18 is out of date order: migration_history/2025-10-09_12_backfill_processing_time.sql, migration_history/2025-10-10_13_index_documents.sql are dated after 2025-10-08 but numbered lower (12 on 2025-10-09)',
    );
    expect(findings[0].hint).toContain('renumber this file to 11');
  });

  it('says when no free number fits between the neighbours', async () => {
    const findings = await runRule(RULE, CURRENT, {
      history: {
        '2025-10-07_17_add_triage_notes.sql': migration('2025-10-07', 'Add triage notes'),
        '2025-10-09_18_backfill_processing_time.sql': migration('2025-10-09', 'Backfill processing time'),
        '2025-10-09_19_index_documents.sql': migration('2025-10-09', 'Index documents'),
      },
    });
    expect(findings.map((finding) => finding.message)).toEqual([
      'sequence number 18 is also used by migration_history/2025-10-09_18_backfill_processing_time.sql: NN is a running number across the whole history, not a per-day counter',
    ]);
    expect(findings[0].hint).toContain('no free number fits between the files dated before and after 2025-10-08');
  });

  it('leaves names that do not follow the pattern to file-name', async () => {
    const findings = await runRule(RULE, CURRENT, {
      fileName: 'add_processing_time.sql',
      history: { '2025-10-08_18_add_processing_time_minutes.sql': CURRENT },
    });
    expect(findings).toEqual([]);
  });
});
