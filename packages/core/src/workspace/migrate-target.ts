import type { PgwardenConfig } from '../config/types.js';
import { openDatabase } from '../db/open.js';
import type { Database } from '../db/types.js';
import { pendingLintGate } from '../lint/gate.js';
import type { Migration } from '../migration/types.js';
import { migrate } from '../runner/migrate.js';
import type { MigrateEvent, MigrateOptions, MigrateResult } from '../runner/migrate-types.js';
import { applyPreset, presetPresent } from '../shadow/presets.js';
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
  /** The preset was created because the gates passed and something will run. */
  onPreset?: (preset: PgwardenConfig['preset']) => void;
  onProgress?: (event: MigrateEvent) => void;
}

/** Opens a command's target database; the embedded one lives under the config's embeddedDir. */
export function openTarget(target: DatabaseTarget): Promise<Database> {
  return openDatabase(target.url ? { url: target.url } : { embeddedDir: target.embeddedDir });
}

/**
 * `pgwarden migrate` and the Nx migrate executor: open the target, gate pending migrations on the
 * same lint rules as the commit hook, create the preset only when the gates pass and something
 * will run (a refused run changes nothing), then migrate; the database is always closed.
 */
export async function migrateTarget(options: MigrateTargetOptions): Promise<MigrateResult> {
  const { config, target } = options;
  const preset = options.preset ?? config.preset;
  const db = await openTarget(target);
  try {
    options.onOpen?.(db.label);
    const migrateOptions: MigrateOptions = {
      db,
      migrations: options.migrations,
      envName: target.envName,
      environment: target.environment,
      config,
      lintErrors: pendingLintGate(config, options.migrations),
      dryRun: Boolean(options.dryRun),
      to: options.to,
      allowOutOfOrder: Boolean(options.allowOutOfOrder),
      finalize: options.finalize ?? true,
      appliedBy: options.appliedBy ?? currentUser(),
      toolVersion: options.toolVersion,
      onProgress: options.onProgress,
    };
    if (preset !== 'none' && !migrateOptions.dryRun && !(await presetPresent(db, preset))) {
      const plan = await migrate({ ...migrateOptions, dryRun: true, onProgress: undefined });
      if (plan.refused.length === 0 && plan.planned.length > 0) {
        await applyPreset(db, preset);
        options.onPreset?.(preset);
      }
    }
    return await migrate(migrateOptions);
  } finally {
    await db.close();
  }
}
