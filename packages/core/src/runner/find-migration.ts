/**
 * Naming one migration on the command line (`repair`, `rollback`, `migrate --to`). The version
 * (`YYYY-MM-DD_NN`) is the short name, but real histories share versions (many files numbered
 * `_00_` on the same day), so a file can also be named by its file name (`.sql` optional) or its
 * path, workspace-relative or relative to the current folder. A name that fits several files is
 * refused with each file's unambiguous name, spelled as the command would take it.
 */

import { posix, resolve, sep } from 'node:path';
import type { Migration } from '../migration/types.js';
import { UserFacingError } from '../user-facing-error.js';
import { sortForExecution } from './ordering.js';

const VERSION = /^\d{4}-\d{2}-\d{2}_\d+$/;

/** A migration named on the command line that names no file, or several: a usage error (exit 2). */
export class MigrationNameError extends UserFacingError {
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = 'MigrationNameError';
  }
}

export function isVersion(text: string): boolean {
  return VERSION.test(text);
}

/**
 * The files `name` names, in execution order: every file of a version, or the file whose name
 * (with or without `.sql`) or path it is; only files with a version count. `cwd` resolves a
 * path relative to the current folder.
 */
export function migrationsNamed(all: readonly Migration[], name: string, cwd: string = process.cwd()): Migration[] {
  // A file without a version never runs, so no command can mean it.
  const migrations = all.filter((m) => m.name.version);
  const given = name.trim();
  if (isVersion(given)) return sortForExecution(migrations.filter((m) => m.name.version === given));
  const spellings = given.endsWith('.sql') ? [given] : [given, `${given}.sql`];
  const relPaths = new Set(spellings.map((s) => posix.normalize(s.split(sep).join('/'))));
  const absolutePaths = new Set(spellings.map((s) => resolve(cwd, s)));
  return sortForExecution(
    migrations.filter((m) => spellings.includes(m.name.baseName) || relPaths.has(m.relPath) || absolutePaths.has(m.path)),
  );
}

/**
 * For each file, the shortest name that names it alone: its version when no other file has that
 * version, else its file name without `.sql`, else (the same file name in two folders) its path.
 * Counted once, so a message about any file of a large history costs a look-up.
 */
export function commandNames(all: readonly Migration[]): (migration: Migration) => string {
  const migrations = all.filter((m) => m.name.version);
  const versions = countBy(migrations, (m) => m.name.version);
  const fileNames = countBy(migrations, (m) => m.name.baseName);
  return (m) => {
    if (m.name.version && versions.get(m.name.version) === 1) return m.name.version;
    if (fileNames.get(m.name.baseName) === 1) return m.name.baseName.replace(/\.sql$/, '');
    return m.relPath;
  };
}

export interface FindMigrationOptions {
  /** The command as the user would type it with a name, for the suggestions: `(name) => \`pgwarden rollback ${name}\``. */
  spell: (name: string) => string;
  cwd?: string;
}

/**
 * The one file `name` names; otherwise a MigrationNameError (one line, starting with the name) that
 * lists the candidates, or says what a name may be.
 */
export function findMigration(migrations: readonly Migration[], name: string, options: FindMigrationOptions): Migration {
  const found = migrationsNamed(migrations, name, options.cwd);
  if (found.length === 1) return found[0]!;
  const given = name.trim();
  if (found.length > 1) {
    const nameOf = commandNames(migrations);
    const suggestions = found.map((m) => options.spell(nameOf(m)));
    throw new MigrationNameError(
      `${given}: ${found.length} migration files have this ${isVersion(given) ? 'version' : 'name'} (${found.map((m) => m.relPath).join(', ')}): name the one you mean: ${suggestions.slice(0, -1).join(', ')} or ${suggestions.at(-1)}`,
    );
  }
  // A slug alone is not a name (two dates may share it), but it is worth pointing at the file it may mean.
  const bySlug = migrations.filter((m) => m.name.version && m.name.slug === given);
  const hint = bySlug.length > 0 ? `; did you mean ${bySlug.map((m) => options.spell(m.name.baseName.replace(/\.sql$/, ''))).join(' or ')}?` : '';
  throw new MigrationNameError(
    `${given}: no migration file ${isVersion(given) ? 'has this version' : 'has this name'}: name a migration by its version (YYYY-MM-DD_NN), its file name (YYYY-MM-DD_NN_slug, .sql optional) or its path${hint}`,
  );
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
