import { allowsRollback, ConfigError } from '../config/load.js';
import type { PgwardenConfig } from '../config/types.js';
import type { Migration } from '../migration/types.js';
import { rollback, type RollbackResult } from '../runner/rollback.js';
import { RunnerError } from '../runner/errors.js';
import { openTarget } from './migrate-target.js';
import type { DatabaseTarget } from './target.js';

export interface RollbackTargetOptions {
  config: PgwardenConfig;
  target: DatabaseTarget;
  migrations: readonly Migration[];
  /** `YYYY-MM-DD_NN`. */
  version: string;
  by: string;
  reason?: string;
  toolVersion?: string;
  /** The database is open (its redacted label), before anything runs. */
  onOpen?: (label: string) => void;
}

/**
 * `pgwarden rollback VERSION`: only where the environment allows it (`allowRollback`, by default
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
  const matches = options.migrations.filter((m) => m.name.version === options.version);
  if (matches.length === 0) throw new RunnerError('rollback', `rollback: no migration file has version ${options.version}`);
  if (matches.length > 1) throw new RunnerError('rollback', `rollback: several files have version ${options.version}: ${matches.map((m) => m.relPath).join(', ')}`);
  const migration = matches[0]!;
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
