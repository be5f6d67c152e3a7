import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { loadConfig } from '@pgwarden/core/config/index';
import { formatFileName, isCalendarDate, nextSequence, parseFileName, renderNewMigration } from '@pgwarden/core/migration/index';
import { loadHistory } from '@pgwarden/core/workspace/index';
import { parseCommandArgs, UsageError } from '../command.js';
import { requireOne, today } from './shared.js';

const USAGE = `Usage: pgwarden new <slug> [--date YYYY-MM-DD] [--dir SUBFOLDER] [--title TEXT] [--config FILE]

Creates migration_history/YYYY-MM-DD_NN_<slug>.sql with the next sequence number and the
header template. The slug is lower-case snake_case, e.g. add_processing_time_minutes.`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(
    argv,
    { date: { type: 'string' }, dir: { type: 'string' }, title: { type: 'string' }, config: { type: 'string' } },
    USAGE,
  );
  if (!args) return 0;
  const slug = requireOne(args.positionals, 'slug', USAGE);
  const date = (args.values.date as string | undefined) ?? today();
  if (!isCalendarDate(date)) throw new UsageError(`--date ${date} is not a real YYYY-MM-DD date`);
  const config = loadConfig({ configPath: args.values.config as string | undefined });
  const { migrations } = await loadHistory(config);
  const sequence = nextSequence(migrations);
  // Validate before formatFileName, which throws a plain Error (an internal error with a stack
  // trace) on a bad slug; a slug with a path separator would also pass as its last segment.
  const candidate = `${date}_${String(sequence).padStart(2, '0')}_${slug}.sql`;
  const parsed = parseFileName(candidate);
  const problems = [...parsed.problems];
  if (parsed.baseName !== candidate) problems.push('a slug cannot contain / or \\');
  if (problems.length > 0) throw new UsageError(`slug "${shorten(slug)}": ${problems.join('; ')}`);
  const fileName = formatFileName(date, sequence, slug);
  const bytes = Buffer.byteLength(fileName);
  if (bytes > MAX_FILE_NAME_BYTES) {
    throw new UsageError(
      `slug "${shorten(slug)}" is too long: the file name would be ${bytes} bytes, and file systems allow at most ${MAX_FILE_NAME_BYTES}; use a slug of at most ${MAX_FILE_NAME_BYTES - (bytes - Buffer.byteLength(slug))} characters`,
    );
  }

  const historyDir = resolve(config.root, config.migrationsDir);
  const dir = resolve(historyDir, (args.values.dir as string | undefined) ?? '');
  const inside = relative(historyDir, dir);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new UsageError(`--dir ${args.values.dir as string}: must be a sub-folder of ${config.migrationsDir}/ (migrate only reads migrations there)`);
  }
  const path = join(dir, fileName);
  if (existsSync(path)) throw new UsageError(`${path} already exists`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, renderNewMigration({ date, sequence, slug, title: args.values.title as string | undefined }), { flag: 'wx' });
  } catch (error) {
    // The file system said no (permissions, a full disk, a path too long): one line, exit 1.
    const { code, message } = error as NodeJS.ErrnoException;
    const userMessage = `cannot create ${path}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EEXIST' ? 'it already exists' : (message.split('\n')[0] ?? String(code))}`;
    throw Object.assign(new Error(userMessage), { userMessage, exitCode: 1 });
  }
  console.log(`pgwarden: created ${path}`);
  return 0;
}

/** The longest file name (in bytes) common file systems accept (ext4, APFS, NTFS: 255). */
const MAX_FILE_NAME_BYTES = 255;

function shorten(slug: string): string {
  return slug.length > 40 ? `${slug.slice(0, 37)}...` : slug;
}
