import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError, recordsExecutions } from '../config/load.js';
import type { PgwardenConfig } from '../config/types.js';
import { embeddedDatabaseExists } from '../db/index.js';
import { ALWAYS_REGISTERED_EXTENSIONS } from '../db/pglite-database.js';
import { openDatabase } from '../db/open.js';
import type { Database } from '../db/types.js';
import { pendingLintGate } from '../lint/gate.js';
import type { Migration } from '../migration/types.js';
import { dryRun, migrate } from '../runner/migrate.js';
import type { MigrateEvent, MigrateOptions, MigrateResult } from '../runner/migrate-types.js';
import { extensionsCreatedIn } from '../shadow/extensions.js';
import { presetStep } from '../shadow/presets.js';
import { loadParser, mayCreateExtension, parseSql, writtenExtensionNames } from '../sql/index.js';
import { gitApprovalVerifier } from './approval-git.js';
import { currentUser } from '../runner/current-user.js';
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
  /**
   * Write execution records into headers where the environment records (default true); false
   * writes none anywhere. An environment that does not record never has a tracked file written.
   */
  finalize?: boolean;
  /** Where the record secrets are read (default: process.env). */
  variables?: NodeJS.ProcessEnv;
  /** Default: currentUser(). */
  appliedBy?: string;
  toolVersion?: string;
  /** The database is open (its redacted label), before anything runs. */
  onOpen?: (label: string) => void;
  onProgress?: (event: MigrateEvent) => void;
}

/** Whether a run on this target writes execution records: a server environment that records (never the embedded database). */
export function recordsHere(target: DatabaseTarget): boolean {
  return target.url !== undefined && recordsExecutions(target.environment);
}

/**
 * The record secrets a run needs: its own environment's (to sign what it writes) and those of the
 * environments it requires (to verify their records). A named secret that is not set is an error
 * naming the variable: signing or verifying silently without it would defeat the point.
 */
function recordKeys(
  config: PgwardenConfig,
  target: DatabaseTarget,
  recording: boolean,
  variables: NodeJS.ProcessEnv,
): { own?: string; required: Record<string, string> } {
  const read = (envName: string, why: string): string | undefined => {
    const name = config.environments[envName]?.recordKeyEnv;
    if (!name) return undefined;
    const value = variables[name];
    if (!value) {
      throw new ConfigError(`environment "${envName}" signs its execution records with the secret in ${name}, which is not set: set ${name} to ${why}`, config.configPath, `environments.${envName}.recordKeyEnv`);
    }
    return value;
  };
  const required: Record<string, string> = {};
  for (const envName of target.environment.requires ?? []) {
    const key = read(envName, `verify the ${envName} records that ${target.envName} requires`);
    if (key !== undefined) required[envName] = key;
  }
  return { own: recording ? read(target.envName, 'sign the records of this run') : undefined, required };
}

/**
 * Opens a command's target database; the embedded one lives under the config's embeddedDir and
 * registers `extensions` (those it has already are registered anyway).
 */
export function openTarget(target: DatabaseTarget, extensions: readonly string[] = []): Promise<Database> {
  if (!target.url) ignoreOwnFolder(target.embeddedDir);
  return openDatabase(target.url ? { url: target.url } : { embeddedDir: target.embeddedDir, embeddedExtensions: extensions });
}

/**
 * The extensions PGlite provides that the migrations create: the embedded database registers them
 * when it opens, before any migration runs (PGlite cannot add one to a running instance). Only
 * files that mention CREATE EXTENSION are parsed: most runs never load the parser.
 */
async function extensionsCreatedBy(migrations: readonly Migration[]): Promise<string[]> {
  // A file whose every CREATE EXTENSION names one the embedded database always registers needs no
  // parse: the common case (pgcrypto, uuid-ossp, pg_trgm...), where the parser would cost a run with
  // nothing pending about 70 ms.
  const creating = migrations.filter((migration) => mayCreateExtension(migration.body) && !onlyAlwaysRegistered(migration.body));
  if (creating.length === 0) return [];
  await loadParser();
  return extensionsCreatedIn(creating.map((migration) => ({ parsed: parseSql(migration.body) })));
}

/** Whether the text names extensions (as written, comments included) and all are ones the embedded database registers anyway. */
function onlyAlwaysRegistered(text: string): boolean {
  const names = writtenExtensionNames(text);
  return names.length > 0 && names.every((name) => ALWAYS_REGISTERED_EXTENSIONS.includes(name));
}

/**
 * A local run changes no file git sees: when the embedded database lives in pgwarden's own
 * `.pgwarden/` folder, that folder gets a `.gitignore` of `*` (as virtualenvs do), so a clone
 * without `.pgwarden/` in its own .gitignore stays clean too.
 */
function ignoreOwnFolder(embeddedDir: string): void {
  for (let dir = dirname(embeddedDir); dir !== dirname(dir); dir = dirname(dir)) {
    if (basename(dir) !== '.pgwarden') continue;
    const ignore = join(dir, '.gitignore');
    if (!existsSync(ignore)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(ignore, '# written by pgwarden: the embedded database is local to this machine\n*\n');
    }
    return;
  }
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
  const recording = recordsHere(target) && options.finalize !== false;
  const keys = recordKeys(config, target, recording, options.variables ?? process.env);
  const common: Omit<MigrateOptions, 'db'> = {
    migrations: options.migrations,
    envName: target.envName,
    environment: target.environment,
    config,
    lintErrors: pendingLintGate(config, options.migrations),
    dryRun: dry,
    to: options.to,
    allowOutOfOrder: Boolean(options.allowOutOfOrder),
    finalize: recording,
    verifyApprovals: gitApprovalVerifier(config.reviewers),
    recordKey: keys.own,
    recordKeys: keys.required,
    appliedBy: options.appliedBy ?? currentUser(),
    toolVersion: options.toolVersion,
    onProgress: options.onProgress,
    preset: preset === 'none' ? undefined : presetStep(preset),
  };
  if (dry && !target.url && !embeddedDatabaseExists(target.embeddedDir)) {
    options.onOpen?.(`${target.embeddedDir}: the embedded database does not exist yet: nothing applied yet`);
    return dryRun({ ...common, dbKind: 'pglite', label: target.embeddedDir }, []);
  }
  const db = await openTarget(target, target.url ? [] : await extensionsCreatedBy(options.migrations));
  try {
    options.onOpen?.(db.label);
    return await migrate({ ...common, db });
  } finally {
    await db.close();
  }
}
