import { isCalendarDate } from '../migration/file-name.js';
import type { SourceRange } from '../sql/types.js';
import { fileStartRange, lineRange, sourceLine } from './support/line-ranges.js';
import type { Rule } from './types.js';

/** Range of `value` on header line `line` (the whole line when the value cannot be found on it). */
function valueRange(text: string, line: number, value: string): SourceRange {
  const source = sourceLine(text, line);
  if (!source) return fileStartRange();
  const colon = source.text.indexOf(':');
  const found = value === '' ? -1 : source.text.indexOf(value, colon + 1);
  const start = found >= 0 ? found : Math.max(0, source.text.search(/\S/));
  const end = found >= 0 ? found + value.length : source.text.length;
  return lineRange(source, start + 1, end + 1);
}

export const rule: Rule = {
  meta: {
    id: 'header-date',
    category: 'convention',
    defaultSeverity: 'error',
    description: "The header's Date is a real YYYY-MM-DD date equal to the date in the file name.",
    docs: 'docs/rules/header-date.md',
  },
  check(context) {
    const { header, name, text } = context.migration;
    const section = header?.sections.find((candidate) => candidate.key === 'DATE');
    // header-present and header-fields report a missing header, a missing or an empty Date.
    if (!section || section.value.trim() === '') return;

    const written = section.value.trim().split(/\s+/)[0]!;
    const range = valueRange(text, section.line, written);
    const fileDate = name.date && isCalendarDate(name.date) ? name.date : undefined;

    if (!/^\d{4}-\d{2}-\d{2}$/.test(written)) {
      context.report({
        message: `header Date "${written}" is not in the form YYYY-MM-DD`,
        range,
        hint: `write the date as YYYY-MM-DD${fileDate ? `: "-- Date: ${fileDate}" (the file name's date)` : ''}`,
      });
      return;
    }
    if (!isCalendarDate(written)) {
      context.report({
        message: `header Date ${written} is not a real calendar date`,
        range,
        hint: fileDate ? `write the file name's date: "-- Date: ${fileDate}"` : 'write a date that exists, e.g. 2025-10-08',
      });
      return;
    }
    if (fileDate && written !== fileDate) {
      context.report({
        message: `header Date ${written} differs from the file name's date ${fileDate} (${name.baseName})`,
        range,
        hint: `make them equal: either "-- Date: ${fileDate}" or rename the file to ${written}_${name.baseName.slice(fileDate.length + 1)}; the Date is the day the migration was written, the execution date goes under MIGRATION EXECUTED`,
      });
    }
  },
};
