import { allowsRollback, ConfigError } from '../config/load.js';
import type { PgwardenConfig } from '../config/types.js';
import type { Migration } from '../migration/types.js';
import { rollback, type RollbackResult } from '../runner/rollback.js';
import { findMigration } from '../runner/find-migration.js';
import { openTarget } from './migrate-target.js';
import type { DatabaseTarget } from './target.js';

export interface RollbackTargetOptions {
  config: PgwardenConfig;
  target: DatabaseTarget;
  migrations: readonly Migration[];
  /** The migration as named on the command line: its version, file name (`.sql` optional) or path (runner/find-migration.ts). */
  migration: string;
  /** Resolves a relative path (default: the current folder). */
  cwd?: string;
  by: string;
  reason?: string;
  toolVersion?: string;
  /** The database is open (its redacted label), before anything runs. */
  onOpen?: (label: string) => void;
}

/**
 * `pgwarden rollback MIGRATION`: only where the environment allows it (`allowRollback`, by default
 * `local` and the embedded database), checked before any database is opened.
 */
export async function rollbackTarget(options: RollbackTargetOptions): Promise<RollbackResult> {
  const { config, target } = options;
  if (!allowsRollback(target.envName, target.environment)) {
    throw new ConfigError(
      `rollback is not allowed on environment "${target.envName}": set "allowRollback": true on it to allow it (by default only local and the embedded database allow it)`,
      config.configPath,
      `environments.${target.envName}.allowRollback`,
    );
  }
  const migration = findMigration(options.migrations, options.migration, { spell: (name) => `pgwarden rollback ${name}`, cwd: options.cwd });
  const db = await openTarget(target);
  try {
    options.onOpen?.(db.label);
    return await rollback(db, {
      migration,
      by: options.by,
      reason: options.reason,
      toolVersion: options.toolVersion,
      lockTimeout: config.lockTimeout,
      advisoryLockTimeoutMs: config.advisoryLockTimeoutMs,
    });
  } finally {
    await db.close();
  }
}
