import type { HeaderSection } from '../migration/types.js';
import type { SourceRange } from '../sql/types.js';
import { fileStartRange, lineRange, sourceLine } from './support/line-ranges.js';
import { defineRule } from './types.js';

/** Template fields in template order: section key -> how the template spells the label. */
const REQUIRED: readonly (readonly [key: string, label: string])[] = [
  ['MIGRATION', 'Migration'],
  ['DATE', 'Date'],
  ['ISSUE', 'Issue'],
  ['PROBLEM', 'PROBLEM'],
  ['SOLUTION', 'SOLUTION'],
  ['AFFECTED TABLES', 'AFFECTED TABLES'],
  ['SOURCE OF TRUTH SCHEMA UPDATED', 'SOURCE OF TRUTH SCHEMA UPDATED'],
  ['DOWNSTREAM UPDATES', 'DOWNSTREAM UPDATES'],
];

/** Text the template ships with; a field still holding one of these has not been filled in. */
const PLACEHOLDERS = [
  '[Descriptive Title]',
  '[Problem being solved]',
  '[Brief explanation]',
  '[Description of the fix]',
  'table_name_1',
  'table_name_2',
  'XX_filename',
  'Line XXX',
];
/** A value that is nothing but a bracketed phrase of several words, like the template's `[Brief explanation]`. */
const BRACKETED_PHRASE = /^\[[A-Za-z][A-Za-z,'/-]*(?: [A-Za-z,'/-]+)+\]$/;
/** Checkbox marks carry no content by themselves. */
const CHECKBOX = /\[(?: |x|n\/a)\]/gi;

const EXAMPLE: Record<string, string> = {
  MIGRATION: '-- Migration: Add processing time to documents',
  DATE: '-- Date: 2025-10-08',
  ISSUE: '-- Issue: Document processing durations are not tracked',
  PROBLEM: '-- PROBLEM: Operators cannot see how long documents take to process.',
  SOLUTION: '-- SOLUTION: Add documents.processing_time_minutes and backfill it.',
  'AFFECTED TABLES': '-- AFFECTED TABLES: documents (or "none" when no table is touched)',
  'SOURCE OF TRUTH SCHEMA UPDATED': '--   [X] current_schema/04_ai_processing.sql (Line 228: documents.processing_time_minutes added)',
  'DOWNSTREAM UPDATES': '--   [N/A] TypeScript types updated (if applicable)',
};

const LOWER_PLACEHOLDERS = PLACEHOLDERS.map((placeholder) => placeholder.toLowerCase());

function placeholderIn(value: string): string | undefined {
  const lower = value.toLowerCase();
  const known = LOWER_PLACEHOLDERS.findIndex((placeholder) => lower.includes(placeholder));
  if (known >= 0) return PLACEHOLDERS[known];
  const trimmed = value.trim();
  return BRACKETED_PHRASE.test(trimmed) && trimmed.replace(CHECKBOX, '') !== '' ? trimmed : undefined;
}

/** The whole of header line `line`, starting at `column`. */
function headerLineRange(text: string, line: number, column = 1): SourceRange {
  const source = sourceLine(text, line);
  return source ? lineRange(source, Math.min(column, source.text.length + 1)) : fileStartRange();
}

/** Column of the label on the section's line (after `-- `). */
function labelColumn(lineText: string): number {
  const match = /^\s*--\s?/.exec(lineText);
  return (match?.[0].length ?? 0) + 1;
}

export const rule = defineRule({
  id: 'header-fields',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'Every template field of the header is present and filled in (no template placeholders left).',
  check(context) {
    const { header, text } = context.migration;
    // header-present reports a missing header.
    if (!header) return;

    const lines = text.split(/\r\n|\r|\n/, header.endLine);
    const byKey = new Map<string, HeaderSection>();
    for (const section of header.sections) if (!byKey.has(section.key)) byKey.set(section.key, section);

    const missing = REQUIRED.filter(([key]) => !byKey.has(key));
    if (missing.length > 0) {
      const labels = missing.map(([, label]) => label);
      context.report({
        message: `header is missing the field${missing.length > 1 ? 's' : ''} ${labels.join(', ')}`,
        range: headerLineRange(text, header.startLine),
        hint: `add ${missing.length > 1 ? 'them' : 'it'} to the header block, e.g. ${missing.map(([key]) => `"${EXAMPLE[key]}"`).join(', ')}; extra sections are fine`,
      });
    }

    for (const [key, label] of REQUIRED) {
      const section = byKey.get(key);
      if (!section) continue;
      const range = headerLineRange(text, section.line, labelColumn(lines[section.line - 1] ?? ''));
      const placeholder = placeholderIn(section.value);
      if (placeholder) {
        context.report({
          message: `header field ${label} still holds the template placeholder "${placeholder}"`,
          range,
          hint: `replace the placeholder with the real value, e.g. "${EXAMPLE[key]}"`,
        });
        continue;
      }
      const content = section.value.replace(CHECKBOX, '').replace(/[\s\-*\u2022]+/g, '');
      if (content !== '') continue;
      const listSection = key === 'SOURCE OF TRUTH SCHEMA UPDATED' || key === 'DOWNSTREAM UPDATES';
      context.report({
        message: listSection ? `header field ${label} has no entry` : `header field ${label} is empty`,
        range,
        hint:
          key === 'SOURCE OF TRUTH SCHEMA UPDATED'
            ? `list each current_schema/ file and line this migration changes, e.g. "${EXAMPLE[key]}"; write "[N/A] no schema change" for a data-only migration`
            : `fill it in, e.g. "${EXAMPLE[key]}"`,
      });
    }
  },
});
