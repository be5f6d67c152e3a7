/**
 * `pgwarden baseline`: adoption on an existing history. Writes the version of the last migration
 * of the history as `baseline` into pgwarden.config.json, so that the history is judged only by
 * the integrity rules and the next new migration is linted in full.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_FILE_NAME } from '../config/defaults.js';
import type { PgwardenConfig } from '../config/types.js';
import { discoverMigrationsIfPresent } from '../migration/read-migration-file.js';
import { parseFileName } from '../migration/file-name.js';
import { compareVersions } from '../migration/history-order.js';
import { writeFileAtomically } from '../migration/write-atomically.js';
import { UserFacingError } from '../user-facing-error.js';

export class BaselineError extends UserFacingError {
  override name = 'BaselineError';
  readonly exitCode = 1;
}

export interface BaselineResult {
  /** The version written. */
  version: string;
  /** The previous baseline, when there was one. */
  previous?: string;
  configPath: string;
  /** Migration files at or before the baseline. */
  migrations: number;
  /** Files that were skipped because their name has no version. */
  unversioned: string[];
}

/** Writes `baseline` (the highest version of the history) into the configuration file; creates the file when there is none. */
export async function writeBaseline(config: PgwardenConfig): Promise<BaselineResult> {
  const dir = resolve(config.root, config.migrationsDir);
  const paths = await discoverMigrationsIfPresent(dir);
  const versions: string[] = [];
  const unversioned: string[] = [];
  for (const path of paths) {
    const { version } = parseFileName(path);
    if (version) versions.push(version);
    else unversioned.push(path);
  }
  if (versions.length === 0) {
    throw new BaselineError(`no migration with a YYYY-MM-DD_NN_ name in ${dir}: there is no history to baseline`);
  }
  const version = versions.reduce((latest, candidate) => (compareVersions(candidate, latest) > 0 ? candidate : latest));
  const configPath = config.configPath ?? join(config.root, CONFIG_FILE_NAME);
  const raw: Record<string, unknown> = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, 'utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>) : {};
  const previous = typeof raw.baseline === 'string' ? raw.baseline : undefined;
  raw.baseline = version;
  await writeFileAtomically(configPath, `${JSON.stringify(raw, null, 2)}\n`);
  const result: BaselineResult = { version, configPath, migrations: versions.length, unversioned };
  if (previous) result.previous = previous;
  return result;
}
