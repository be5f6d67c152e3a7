/*
 * A migration file from disk: discovered under the history folder, read as text and parsed,
 * or described as unreadable (binary, invalid UTF-8, too large, missing) for the caller to report.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { discoverMigrations } from './discover.js';
import { parseMigration, parseMigrationLazily } from './parse-migration.js';
import { readSourceFile, type SourceFileFailure } from './read-source-file.js';
import type { Migration } from './types.js';

export interface UnreadableMigrationFile {
  path: string;
  relPath: string;
  readError: { reason: SourceFileFailure; message: string; line?: number };
}

/** Path relative to the workspace root with `/` separators: what messages print. */
export function toRelPath(root: string, path: string): string {
  const rel = isAbsolute(path) ? relative(root, path) : path;
  return rel.split(sep).join('/');
}

/** `deferParse`: header and body parsed on first access (parseMigrationLazily), for files read only as context. */
export function readMigrationFile(root: string, path: string, deferParse = false): Migration | UnreadableMigrationFile {
  const relPath = toRelPath(root, path);
  const source = readSourceFile(path, { root });
  if (!source.ok) return { path, relPath, readError: { reason: source.reason, message: source.message, line: source.line } };
  return (deferParse ? parseMigrationLazily : parseMigration)({ path, relPath, text: source.text });
}

/** The migration files under `dir` (see discoverMigrations); none when the folder does not exist. */
export async function discoverMigrationsIfPresent(dir: string): Promise<string[]> {
  return existsSync(dir) ? discoverMigrations(dir) : [];
}
