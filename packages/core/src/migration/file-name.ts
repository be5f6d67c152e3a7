/*
 * Migration file names: `YYYY-MM-DD_NN_descriptive_name.sql`.
 *   - YYYY-MM-DD is a real calendar date (2025-02-30 is refused);
 *   - NN is the running sequence number across the whole history, at least two digits
 *     (`05`, `18`, `104`), not a per-day counter;
 *   - the descriptive name is lower-case snake_case (`add_processing_time_minutes`);
 *   - the extension is `.sql`, lower-case.
 */
import type { MigrationFileName } from './types.js';

const EXAMPLE = '2025-10-08_18_add_processing_time_minutes.sql';
const STEM_PATTERN = /^(\d{4}-\d{2}-\d{2})_(\d+)_(.+)$/;
const SNAKE_CASE = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;

/** True when `date` is `YYYY-MM-DD` and names a day that exists (leap years included). */
export function isCalendarDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}

/** Parses a migration's base name. A path is accepted too; only its last segment is read. */
export function parseFileName(baseName: string): MigrationFileName {
  const name = baseName.slice(Math.max(baseName.lastIndexOf('/'), baseName.lastIndexOf('\\')) + 1);
  const problems: string[] = [];
  const result: MigrationFileName = { baseName: name, problems };

  let stem = name;
  if (name.endsWith('.sql')) {
    stem = name.slice(0, -'.sql'.length);
  } else {
    const dot = name.lastIndexOf('.');
    if (dot > 0) {
      stem = name.slice(0, dot);
      problems.push(`The extension is '${name.slice(dot)}'; migration files must end in '.sql'.`);
    } else {
      problems.push(`The file name has no extension; migration files must end in '.sql'.`);
    }
  }

  const match = STEM_PATTERN.exec(stem);
  if (!match) {
    const loose = diagnoseLooseName(stem);
    if (loose) {
      problems.push(...loose.problems);
      if (loose.suggestion !== name) result.suggestedName = loose.suggestion;
    } else {
      problems.push(`The file name does not match YYYY-MM-DD_NN_descriptive_name.sql (for example ${EXAMPLE}).`);
    }
    return result;
  }
  const [, date, sequenceDigits, slug] = match as unknown as [string, string, string, string];
  result.date = date;
  result.sequence = Number(sequenceDigits);
  result.slug = slug;
  result.version = `${date}_${sequenceDigits}`;

  if (!isCalendarDate(date)) problems.push(`The date ${date} is not a real calendar date.`);
  if (sequenceDigits.length < 2) {
    problems.push(`The sequence number '${sequenceDigits}' must have at least two digits (write ${sequenceDigits.padStart(2, '0')}).`);
  }
  if (!SNAKE_CASE.test(slug)) {
    problems.push(`The descriptive name '${slug}' must be lower-case snake_case (letters, digits and single underscores, e.g. ${suggestSlug(slug)}).`);
  }
  const suggestion = `${date}_${sequenceDigits.padStart(2, '0')}_${SNAKE_CASE.test(slug) ? slug : suggestSlug(slug)}.sql`;
  if (problems.length > 0 && suggestion !== name && isCalendarDate(date)) result.suggestedName = suggestion;
  return result;
}

/**
 * A stem close to the pattern (`2025-10-8_18_x`, `2025-10-08-18-add-x`, `2025_10_08_18_x`): what is
 * wrong with it, one problem per mistake, and the corrected name. Undefined when it is not close.
 */
function diagnoseLooseName(stem: string): { problems: string[]; suggestion: string } | undefined {
  const loose = /^(\d{4})([-_.])(\d{1,2})([-_.])(\d{1,2})([-_. ]+)(\d+)([-_ ]+)(.+)$/.exec(stem);
  if (!loose) return undefined;
  const [, year, sep1, month, sep2, day, sep3, sequence, sep4, slug] = loose as unknown as string[];
  const problems: string[] = [];
  if (month!.length < 2) problems.push(`The month '${month}' must have two digits (write ${month!.padStart(2, '0')}).`);
  if (day!.length < 2) problems.push(`The day '${day}' must have two digits (write ${day!.padStart(2, '0')}).`);
  if (sep1 !== '-' || sep2 !== '-') problems.push(`The date must be written with hyphens (YYYY-MM-DD), not '${sep1 !== '-' ? sep1 : sep2}'.`);
  if (sep3 !== '_' || sep4 !== '_') {
    const wrong = sep3 !== '_' ? sep3 : sep4;
    problems.push(`The date, the sequence number and the name are separated by '_', not ${wrong === '-' ? 'a hyphen' : `'${wrong}'`}.`);
  }
  if (sequence!.length < 2) problems.push(`The sequence number '${sequence}' must have at least two digits (write ${sequence!.padStart(2, '0')}).`);
  if (!SNAKE_CASE.test(slug!)) {
    problems.push(`The descriptive name '${slug}' must be lower-case snake_case (letters, digits and single underscores, e.g. ${suggestSlug(slug!)}).`);
  }
  const date = `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
  if (!isCalendarDate(date)) problems.push(`The date ${date} is not a real calendar date.`);
  const fixedSlug = SNAKE_CASE.test(slug!) ? slug! : suggestSlug(slug!);
  return { problems, suggestion: `${date}_${sequence!.padStart(2, '0')}_${fixedSlug}.sql` };
}

/** Best-effort snake_case spelling of a descriptive name, used in the suggestion only. */
function suggestSlug(slug: string): string {
  const suggestion = slug
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return suggestion || 'add_processing_time_minutes';
}

/** `formatFileName('2025-10-08', 3, 'add_x')` -> `2025-10-08_03_add_x.sql`. Throws on an invalid part. */
export function formatFileName(date: string, sequence: number, slug: string): string {
  if (!Number.isSafeInteger(sequence) || sequence < 0) {
    throw new Error(`The sequence number must be a non-negative integer, not ${sequence}.`);
  }
  const name = `${date}_${String(sequence).padStart(2, '0')}_${slug}.sql`;
  const { problems } = parseFileName(name);
  if (problems.length > 0) throw new Error(`Cannot name a migration '${name}': ${problems.join(' ')}`);
  return name;
}
