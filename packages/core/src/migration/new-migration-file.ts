import { formatFileName, isCalendarDate, parseFileName } from './file-name.js';
import { nextSequence, renderNewMigration } from './new-migration.js';
import { UserFacingError } from '../user-facing-error.js';

/** A bad date or slug for a new migration: a usage problem, reported in one line (exit 2). */
export class NewMigrationError extends UserFacingError {
  override name = 'NewMigrationError';
  readonly exitCode = 2;
}

export interface NewMigrationFileOptions {
  /** `YYYY-MM-DD`. */
  date: string;
  /** Lower-case snake_case, e.g. `add_processing_time_minutes`. */
  slug: string;
  title?: string;
  /** Base names (or paths) of the migrations already in the history: the sequence continues from them. */
  existing: readonly string[];
}

export interface NewMigrationFile {
  fileName: string;
  sequence: number;
  text: string;
}

/**
 * The next migration's file name and text, as `pgwarden new` and the Nx `migration` generator
 * write it. Validates before formatFileName, which throws a plain Error on a bad slug; a slug
 * with a path separator would also pass as its last segment.
 */
export function newMigrationFile(options: NewMigrationFileOptions): NewMigrationFile {
  const { date, slug } = options;
  if (!isCalendarDate(date)) throw new NewMigrationError(`date ${date} is not a real YYYY-MM-DD date`);
  const sequence = nextSequence(options.existing.map((path) => ({ name: parseFileName(path) })));
  const candidate = `${date}_${String(sequence).padStart(2, '0')}_${slug}.sql`;
  const parsed = parseFileName(candidate);
  const problems = [...parsed.problems];
  if (parsed.baseName !== candidate) problems.push('a slug cannot contain / or \\');
  if (problems.length > 0) throw new NewMigrationError(`slug "${shorten(slug)}": ${problems.join('; ')}`);
  const fileName = formatFileName(date, sequence, slug);
  const bytes = Buffer.byteLength(fileName);
  if (bytes > MAX_FILE_NAME_BYTES) {
    throw new NewMigrationError(
      `slug "${shorten(slug)}" is too long: the file name would be ${bytes} bytes, and file systems allow at most ${MAX_FILE_NAME_BYTES}; use a slug of at most ${MAX_FILE_NAME_BYTES - (bytes - Buffer.byteLength(slug))} characters`,
    );
  }
  return { fileName, sequence, text: renderNewMigration({ date, sequence, slug, title: options.title }) };
}

/** The longest file name (in bytes) common file systems accept (ext4, APFS, NTFS: 255). */
const MAX_FILE_NAME_BYTES = 255;

function shorten(slug: string): string {
  return slug.length > 40 ? `${slug.slice(0, 37)}...` : slug;
}
