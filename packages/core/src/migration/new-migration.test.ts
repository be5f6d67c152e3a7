import { describe, expect, it } from 'vitest';
import { formatFileName } from './file-name.js';
import { nextSequence, renderNewMigration, titleFromSlug } from './new-migration.js';
import { parseText } from './__fixtures__/fixtures.js';

describe('nextSequence', () => {
  it('is the highest sequence plus one, 1 for an empty history, ignoring unnamed files', () => {
    expect(nextSequence([])).toBe(1);
    const history = ['2025-09-01_00_initial.sql', '2025-10-08_18_a.sql', '2025-10-01_07_b.sql', 'notes.sql'].map((name) => parseText('', name));
    expect(nextSequence(history)).toBe(19);
  });
});

describe('renderNewMigration', () => {
  const text = renderNewMigration({ date: '2025-10-12', sequence: 22, slug: 'add_patient_nicknames' });
  const name = formatFileName('2025-10-12', 22, 'add_patient_nicknames');
  const migration = parseText(text, name);

  it('renders the CONVENTIONS.md template with the title and date', () => {
    expect(text.split('\n').slice(0, 20)).toEqual([
      `-- ${'='.repeat(76)}`,
      '-- Migration: Add patient nicknames',
      '-- Date: 2025-10-12',
      '-- Issue: [Problem being solved]',
      '--',
      '-- PROBLEM: [Brief explanation]',
      '-- SOLUTION: [Description of the fix]',
      '-- AFFECTED TABLES: table_name_1, table_name_2',
      '--',
      '-- SOURCE OF TRUTH SCHEMA UPDATED:',
      '--   [ ] current_schema/XX_filename.sql (Line XXX: Description)',
      '--',
      '-- DOWNSTREAM UPDATES:',
      '--   [ ] Bridge schemas updated (if applicable)',
      '--   [ ] TypeScript types updated (if applicable)',
      '--',
      '-- MIGRATION EXECUTED:',
      '--   [ ] Not yet executed',
      `-- ${'='.repeat(76)}`,
      '',
    ]);
    expect(text.endsWith('-- Rollback Script (if needed)\n')).toBe(true);
    expect(text).toContain('\n-- Migration SQL here\n');
    expect(text).toContain('\n-- Verification Query (optional)');
  });

  it('parses back: header fields present, no active verification, a bare rollback heading', () => {
    expect(migration.name.problems).toEqual([]);
    expect(migration.header?.title).toBe('Add patient nicknames');
    expect(migration.header?.sections.map((section) => section.key)).toEqual([
      'MIGRATION',
      'DATE',
      'ISSUE',
      'PROBLEM',
      'SOLUTION',
      'AFFECTED TABLES',
      'SOURCE OF TRUTH SCHEMA UPDATED',
      'DOWNSTREAM UPDATES',
      'MIGRATION EXECUTED',
    ]);
    expect(migration.header?.checkboxes.every((box) => box.state === 'open')).toBe(true);
    expect(migration.header?.executions).toEqual([]);
    expect(migration.verification).toBeUndefined();
    expect(migration.rollback).toBeUndefined();
    expect(migration.rollbackHeadingLine).toBe(28);
    expect(migration.directiveProblems).toEqual([]);
  });

  it('uses a given title and refuses an impossible date', () => {
    expect(renderNewMigration({ date: '2025-10-12', sequence: 1, slug: 'x', title: 'Add nicknames\nto patients' })).toContain(
      '-- Migration: Add nicknames to patients\n',
    );
    expect(() => renderNewMigration({ date: '2025-02-30', sequence: 1, slug: 'x' })).toThrow('not a real YYYY-MM-DD');
  });

  it('titles a slug', () => {
    expect(titleFromSlug('add_processing_time_minutes')).toBe('Add processing time minutes');
  });
});
