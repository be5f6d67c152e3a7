import { resolve } from 'node:path';
import type { PgwardenConfig } from '../config/types.js';
import { discoverMigrationsIfPresent, readMigrationFile } from '../migration/index.js';
import type { Migration } from '../migration/types.js';

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
  const migrations: Migration[] = [];
  const unreadable: UnreadableMigration[] = [];
  for (const path of await discoverMigrationsIfPresent(resolve(config.root, config.migrationsDir))) {
    const file = readMigrationFile(config.root, path);
    if ('readError' in file) unreadable.push({ relPath: file.relPath, message: file.readError.message });
    else migrations.push(file);
  }
  return { migrations, unreadable };
}
