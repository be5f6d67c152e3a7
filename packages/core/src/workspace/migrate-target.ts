import type { PgwardenConfig } from '../config/types.js';
import { embeddedDatabaseExists } from '../db/index.js';
import { openDatabase } from '../db/open.js';
import type { Database } from '../db/types.js';
import { pendingLintGate } from '../lint/gate.js';
import type { Migration } from '../migration/types.js';
import { dryRun, migrate } from '../runner/migrate.js';
import type { MigrateEvent, MigrateOptions, MigrateResult } from '../runner/migrate-types.js';
import { presetStep } from '../shadow/presets.js';
import { currentUser } from './current-user.js';
import type { DatabaseTarget } from './target.js';

export interface MigrateTargetOptions {
  config: PgwardenConfig;
  target: DatabaseTarget;
  migrations: readonly Migration[];
  /** What the platform provides before the first migration (default: the config's preset). */
  preset?: PgwardenConfig['preset'];
  dryRun?: boolean;
  to?: string;
  allowOutOfOrder?: boolean;
  /** Write execution records into headers (default true). */
  finalize?: boolean;
  /** Default: currentUser(). */
  appliedBy?: string;
  toolVersion?: string;
  /** The database is open (its redacted label), before anything runs. */
  onOpen?: (label: string) => void;
  onProgress?: (event: MigrateEvent) => void;
}

/** Opens a command's target database; the embedded one lives under the config's embeddedDir. */
export function openTarget(target: DatabaseTarget): Promise<Database> {
  return openDatabase(target.url ? { url: target.url } : { embeddedDir: target.embeddedDir });
}

/**
 * `pgwarden migrate` and the Nx migrate executor: gate pending migrations on the same lint rules as
 * the commit hook, and migrate. The preset is created by the runner under its lock, in one
 * transaction, only when the gates pass and something will run (a refused run changes nothing).
 * A dry run never creates the embedded database: with none, nothing is applied yet.
 */
export async function migrateTarget(options: MigrateTargetOptions): Promise<MigrateResult> {
  const { config, target } = options;
  const preset = options.preset ?? config.preset;
  const dry = Boolean(options.dryRun);
  const common: Omit<MigrateOptions, 'db'> = {
    migrations: options.migrations,
    envName: target.envName,
    environment: target.environment,
    config,
    lintErrors: pendingLintGate(config, options.migrations),
    dryRun: dry,
    to: options.to,
    allowOutOfOrder: Boolean(options.allowOutOfOrder),
    finalize: options.finalize ?? true,
    appliedBy: options.appliedBy ?? currentUser(),
    toolVersion: options.toolVersion,
    onProgress: options.onProgress,
    preset: preset === 'none' ? undefined : presetStep(preset),
  };
  if (dry && !target.url && !embeddedDatabaseExists(target.embeddedDir)) {
    options.onOpen?.(`${target.embeddedDir}: the embedded database does not exist yet: nothing applied yet`);
    return dryRun({ ...common, dbKind: 'pglite', label: target.embeddedDir }, []);
  }
  const db = await openTarget(target);
  try {
    options.onOpen?.(db.label);
    return await migrate({ ...common, db });
  } finally {
    await db.close();
  }
}
