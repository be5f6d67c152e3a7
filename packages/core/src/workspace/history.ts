import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PgwardenConfig } from '../config/types.js';
import { discoverMigrations, parseMigration, readSourceFile } from '../migration/index.js';
import type { Migration } from '../migration/types.js';
import { toRelPath } from '../lint/engine.js';

/** A history file that is not a readable text file: reported, never executed. */
export interface UnreadableMigration {
  relPath: string;
  message: string;
}

export interface LoadedHistory {
  migrations: Migration[];
  unreadable: UnreadableMigration[];
}

/** Every migration under the configured folder, parsed, in version order. */
export async function loadHistory(config: PgwardenConfig): Promise<LoadedHistory> {
  const dir = resolve(config.root, config.migrationsDir);
  let paths: string[] = [];
  try {
    paths = await discoverMigrations(dir);
  } catch (error) {
    // discoverMigrations throws a plain Error (no `code`): only a missing folder means an empty history.
    if (existsSync(dir)) throw error;
  }
  const migrations: Migration[] = [];
  const unreadable: UnreadableMigration[] = [];
  for (const path of paths) {
    const relPath = toRelPath(config.root, path);
    const source = readSourceFile(path);
    if (source.ok) migrations.push(parseMigration({ path, relPath, text: source.text }));
    else unreadable.push({ relPath, message: source.message });
  }
  return { migrations, unreadable };
}
