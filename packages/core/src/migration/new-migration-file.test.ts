import { describe, expect, it } from 'vitest';
import { newMigrationFile, NewMigrationError } from './new-migration-file.js';

describe('newMigrationFile', () => {
  it('continues the sequence from the existing names, paths in sub-folders included', () => {
    const file = newMigrationFile({
      date: '2025-10-08',
      slug: 'add_processing_time_minutes',
      existing: ['/w/migration_history/2025-10-01_07_a.sql', 'migration_history_2025-10/2025-10-02_17_b.sql', 'notes.sql'],
    });
    expect(file.fileName).toBe('2025-10-08_18_add_processing_time_minutes.sql');
    expect(file.sequence).toBe(18);
    expect(file.text).toContain('-- Migration: Add processing time minutes');
  });

  it('starts at 01 in an empty history', () => {
    expect(newMigrationFile({ date: '2025-10-08', slug: 'init', existing: [] }).fileName).toBe('2025-10-08_01_init.sql');
  });

  it('a bad slug or date is a one-line usage error (exit 2), not a crash', () => {
    for (const [date, slug, message] of [
      ['2025-10-08', 'Add-Notes', 'slug "Add-Notes"'],
      ['2025-10-08', 'sub/add_notes', 'cannot contain /'],
      ['2025-02-30', 'add_notes', 'not a real YYYY-MM-DD date'],
    ]) {
      let error: unknown;
      try {
        newMigrationFile({ date, slug, existing: [] });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(NewMigrationError);
      expect((error as NewMigrationError).userMessage).toContain(message);
      expect((error as NewMigrationError).exitCode).toBe(2);
    }
  });
});
