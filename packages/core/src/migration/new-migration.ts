import { isCalendarDate } from './file-name.js';
import type { Migration } from './types.js';

const RULE = `-- ${'='.repeat(76)}`;

/** The sequence number for the next migration: the highest in the history plus one (1 when empty). */
export function nextSequence(history: readonly Pick<Migration, 'name'>[]): number {
  let highest = 0;
  for (const migration of history) {
    const { sequence } = migration.name;
    if (sequence !== undefined && Number.isSafeInteger(sequence) && sequence > highest) highest = sequence;
  }
  return highest + 1;
}

/** `add_processing_time_minutes` -> `Add processing time minutes`. */
export function titleFromSlug(slug: string): string {
  const words = slug.split('_').filter(Boolean).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface NewMigrationOptions {
  /** `YYYY-MM-DD`. */
  date: string;
  sequence: number;
  slug: string;
  /** Defaults to the slug in words. */
  title?: string;
}

/**
 * The text of a new migration: the CONVENTIONS.md header template with the title and
 * date filled in and a MIGRATION EXECUTED placeholder that `migrate` replaces, then a body
 * skeleton. The verification example is deliberately inactive (not `-- VERIFY:`) so that
 * an untouched template never runs a placeholder query. `sequence` is accepted for
 * symmetry with formatFileName; the header does not repeat it.
 */
export function renderNewMigration(options: NewMigrationOptions): string {
  if (!isCalendarDate(options.date)) throw new Error(`The date '${options.date}' is not a real YYYY-MM-DD calendar date.`);
  const title = (options.title ?? titleFromSlug(options.slug)).replace(/\s+/g, ' ').trim();
  return [
    RULE,
    `-- Migration: ${title}`,
    `-- Date: ${options.date}`,
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
    RULE,
    '',
    '-- Migration SQL here',
    '',
    '-- Verification Query (optional): write it on a line starting "-- VERIFY:" so that',
    '-- pgwarden runs it after the migration; it must return one row whose first column',
    '-- is true, for example:',
    '--   VERIFY-EXAMPLE: SELECT count(*) = 0 FROM table_name WHERE condition;',
    '',
    '-- Rollback Script (if needed)',
    '',
  ].join('\n');
}
