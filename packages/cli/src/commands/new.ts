import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { loadConfig } from '@pgwarden/core/config/index';
import { isCalendarDate, newMigrationFile } from '@pgwarden/core/migration/index';
import { loadHistory, requireMigrationsFolder } from '@pgwarden/core/workspace/index';
import { parseCommand, UsageError, type CommandSpec } from '../command.js';
import { requireOne, today } from './shared.js';

export const spec: CommandSpec = {
  usage: ['pgwarden new <slug> [--date YYYY-MM-DD] [--dir SUBFOLDER] [--title TEXT] [--config FILE]'],
  about: `Creates migration_history/YYYY-MM-DD_NN_<slug>.sql with the next sequence number and the
header template. The slug is lower-case snake_case, e.g. add_processing_time_minutes.`,
  options: {
    date: { type: 'string', value: 'YYYY-MM-DD', description: "the migration's date (default: today)" },
    dir: { type: 'string', value: 'SUBFOLDER', description: 'a sub-folder of the migrations folder to create it in' },
    title: { type: 'string', value: 'TEXT', description: "the header's title (default: from the slug)" },
    config: { type: 'string', value: 'FILE', description: 'pgwarden.config.json to use (default: found upwards)' },
  },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, spec);
  if (!args) return 0;
  const slug = requireOne(args.positionals, 'slug', spec);
  const date = (args.values.date as string | undefined) ?? today();
  if (!isCalendarDate(date)) throw new UsageError(`--date ${date} is not a real YYYY-MM-DD date`);
  const config = loadConfig({ configPath: args.values.config as string | undefined });
  const historyDir = requireMigrationsFolder(config);
  const { migrations } = await loadHistory(config);
  const { fileName, text } = newMigrationFile({
    date,
    slug,
    title: args.values.title as string | undefined,
    existing: migrations.map((migration) => migration.path),
  });

  const dir = resolve(historyDir, (args.values.dir as string | undefined) ?? '');
  const inside = relative(historyDir, dir);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new UsageError(`--dir ${args.values.dir as string}: must be a sub-folder of ${config.migrationsDir}/ (migrate only reads migrations there)`);
  }
  const path = join(dir, fileName);
  if (existsSync(path)) throw new UsageError(`${path} already exists`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, text, { flag: 'wx' });
  } catch (error) {
    // The file system said no (permissions, a full disk, a path too long): one line, exit 1.
    const { code, message } = error as NodeJS.ErrnoException;
    const userMessage = `cannot create ${path}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EEXIST' ? 'it already exists' : (message.split('\n')[0] ?? String(code))}`;
    throw Object.assign(new Error(userMessage), { userMessage, exitCode: 1 });
  }
  console.log(`pgwarden: created ${path}`);
  return 0;
}

