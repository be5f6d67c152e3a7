import { isCalendarDate } from '../migration/file-name.js';
import type { SourceRange } from '../sql/types.js';
import { fileStartRange, lineRange, sourceLine } from './support/line-ranges.js';
import { defineRule } from './types.js';

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

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** `30 September 2025`, `Sept 30, 2025` -> `2025-09-30`; undefined when the text is no such date. */
function readableDate(value: string): string | undefined {
  const month = (word: string) => {
    const lower = word.toLowerCase().replace(/\.$/, '');
    const index = lower.length >= 3 ? MONTHS.findIndex((name) => name.startsWith(lower)) : -1;
    return index < 0 ? undefined : index + 1;
  };
  let parts: [number, number | undefined, number] | undefined;
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+\.?),?\s+(\d{4})\b/.exec(value);
  const monthFirst = /^([A-Za-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/.exec(value);
  if (dayFirst) parts = [Number(dayFirst[3]), month(dayFirst[2]!), Number(dayFirst[1])];
  else if (monthFirst) parts = [Number(monthFirst[3]), month(monthFirst[1]!), Number(monthFirst[2])];
  if (!parts || parts[1] === undefined) return undefined;
  const iso = `${parts[0]}-${String(parts[1]).padStart(2, '0')}-${String(parts[2]).padStart(2, '0')}`;
  return isCalendarDate(iso) ? iso : undefined;
}

export const rule = defineRule({
  id: 'header-date',
  category: 'convention',
  defaultSeverity: 'error',
  description: "The header's Date is a real YYYY-MM-DD date equal to the date in the file name.",
  check(context) {
    const { header, name, text } = context.migration;
    const section = header?.sections.find((candidate) => candidate.key === 'DATE');
    // header-present and header-fields report a missing header, a missing or an empty Date.
    if (!section || section.value.trim() === '') return;

    const value = section.value.trim();
    const fileDate = name.date && isCalendarDate(name.date) ? name.date : undefined;
    // An ISO date may be followed by a note (`2025-10-08 (revised)`); anything else is quoted whole.
    const iso = /^\d{4}-\d{2}-\d{2}(?![\w-])/.exec(value)?.[0];
    if (!iso) {
      const quoted = value.length > 60 ? `${value.slice(0, 57)}...` : value;
      const range = valueRange(text, section.line, sourceLine(text, section.line)?.text.includes(value) ? value : value.split(/\s+/)[0]!);
      const read = readableDate(value);
      context.report({
        message: `header Date "${quoted}" is not in the form YYYY-MM-DD${read ? ` (it reads as ${read})` : ''}`,
        range,
        hint: `write the date as YYYY-MM-DD${read ? `: "-- Date: ${read}"` : fileDate ? `: "-- Date: ${fileDate}" (the file name's date)` : ''}`,
      });
      return;
    }
    const written = iso;
    const range = valueRange(text, section.line, written);
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
});
