/**
 * `pgwarden baseline`: adoption on an existing history. Writes the version of the last migration
 * already executed as `baseline` into pgwarden.config.json, so that the history is judged only by
 * the integrity rules and the migrations still to run are linted in full.
 *
 * Which migration ran last is read from the headers (execution-state.ts: a counting execution record
 * or the convention's completion marks). A history whose headers cannot tell (none records an
 * execution, or one still marked "[ ] Not yet executed" sits before an executed one) is not guessed
 * at: the user names the version. A baseline never silently turns a pending migration into history.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_FILE_NAME } from '../config/defaults.js';
import { setTopLevelKey } from '../config/edit-config-file.js';
import type { PgwardenConfig } from '../config/types.js';
import { BASELINE_VERSION, executedBy } from '../migration/execution-state.js';
import { EXECUTED_SECTION } from '../migration/header.js';
import { compareVersions } from '../migration/history-order.js';
import { discoverMigrationsIfPresent, readMigrationFile } from '../migration/read-migration-file.js';
import { parseFileName } from '../migration/file-name.js';
import type { Migration } from '../migration/types.js';
import { writeFileAtomically } from '../migration/write-atomically.js';
import { UserFacingError } from '../user-facing-error.js';

export class BaselineError extends UserFacingError {
  override name = 'BaselineError';

  /** 2 when the user has to name the version (usage), 1 when there is nothing to baseline. */
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** What a migration's header says about its execution. */
export type HeaderExecutionState = 'executed' | 'not-executed' | 'unmarked';

export interface BaselineMigration {
  version: string;
  relPath: string;
  state: HeaderExecutionState;
}

export interface BaselineResult {
  /** The version written. */
  version: string;
  /** The previous baseline, when there was one. */
  previous?: string;
  configPath: string;
  /** Migration files at or before the baseline. */
  migrations: number;
  /** Migration files after the baseline whose header records no execution: still to run. */
  stillToRun: number;
  /** Files at or before an explicitly named baseline whose header says they have not been executed. */
  markedNotExecuted: string[];
  /** Files that were skipped because their name has no version. */
  unversioned: string[];
}

export interface BaselineOptions {
  /** The version to write (`YYYY-MM-DD_NN`); by default the newest migration the headers record as executed. */
  version?: string;
}

/** Writes `baseline` into the configuration file, changing nothing else in it; creates the file when there is none. */
export async function writeBaseline(config: PgwardenConfig, options: BaselineOptions = {}): Promise<BaselineResult> {
  const dir = resolve(config.root, config.migrationsDir);
  const { migrations, unversioned } = await readHistoryStates(config, dir);
  if (migrations.length === 0) {
    throw new BaselineError(`no migration with a YYYY-MM-DD_NN_ name in ${dir}: there is no history to baseline`);
  }
  const version = options.version === undefined ? newestExecutedVersion(migrations) : namedVersion(options.version, migrations);
  const covered = migrations.filter((migration) => compareVersions(migration.version, version) <= 0);

  const configPath = config.configPath ?? join(config.root, CONFIG_FILE_NAME);
  const text = existsSync(configPath) ? readFileSync(configPath, 'utf8') : '{}\n';
  const raw = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  const previous = typeof raw.baseline === 'string' ? raw.baseline : undefined;
  const updated = setTopLevelKey(text, 'baseline', version);
  if (updated !== text) await writeFileAtomically(configPath, updated);

  const result: BaselineResult = {
    version,
    configPath,
    migrations: covered.length,
    stillToRun: migrations.filter((migration) => compareVersions(migration.version, version) > 0 && migration.state !== 'executed').length,
    markedNotExecuted: covered.filter((migration) => migration.state === 'not-executed').map((migration) => migration.relPath),
    unversioned,
  };
  if (previous) result.previous = previous;
  return result;
}

/** The versioned migrations of the history (file-name order) with what their headers say. */
async function readHistoryStates(config: PgwardenConfig, dir: string): Promise<{ migrations: BaselineMigration[]; unversioned: string[] }> {
  const migrations: BaselineMigration[] = [];
  const unversioned: string[] = [];
  for (const path of await discoverMigrationsIfPresent(dir)) {
    const { version } = parseFileName(path);
    if (!version) {
      unversioned.push(path);
      continue;
    }
    const file = readMigrationFile(config.root, path);
    // An unreadable file says nothing; the integrity rules report it.
    const state = 'readError' in file ? 'unmarked' : headerExecutionState(file, config);
    migrations.push({ version, relPath: file.relPath, state });
  }
  migrations.sort((a, b) => compareVersions(a.version, b.version));
  return { migrations, unversioned };
}

/**
 * Executed by the header's own marks (the configured baseline left out: it is what is being decided);
 * not executed when its MIGRATION EXECUTED section still holds an open box ("[ ] Not yet executed").
 */
export function headerExecutionState(migration: Pick<Migration, 'header' | 'name'>, config: Pick<PgwardenConfig, 'environments'>): HeaderExecutionState {
  if (executedBy(migration, { environments: config.environments })) return 'executed';
  const openExecutionBox = migration.header?.checkboxes.some((box) => box.section === EXECUTED_SECTION && box.state === 'open');
  return openExecutionBox ? 'not-executed' : 'unmarked';
}

function newestExecutedVersion(migrations: BaselineMigration[]): string {
  const range = `the history runs from ${migrations[0]!.version} to ${migrations.at(-1)!.version}`;
  const executed = migrations.filter((migration) => migration.state === 'executed');
  if (executed.length === 0) {
    throw new BaselineError(
      `no migration's header records an execution, so the files cannot tell which ones ran (${range}): name the last migration already executed, as in pgwarden baseline YYYY-MM-DD_NN`,
      2,
    );
  }
  const newest = executed.at(-1)!.version;
  const contradicting = migrations.filter((migration) => migration.state === 'not-executed' && compareVersions(migration.version, newest) < 0);
  if (contradicting.length > 0) {
    const listed = contradicting.map((migration) => migration.relPath).join(', ');
    throw new BaselineError(
      `${newest} is the newest migration whose header records an execution, but ${listed} before it ${contradicting.length === 1 ? 'is' : 'are'} marked not yet executed: name the last migration already executed, as in pgwarden baseline YYYY-MM-DD_NN`,
      2,
    );
  }
  return newest;
}

function namedVersion(version: string, migrations: BaselineMigration[]): string {
  if (!BASELINE_VERSION.test(version)) {
    throw new BaselineError(`"${version}" is not a migration version: give one as YYYY-MM-DD_NN, e.g. ${migrations.at(-1)!.version}`, 2);
  }
  if (!migrations.some((migration) => migration.version === version)) {
    throw new BaselineError(
      `no migration of the history has version ${version} (the history runs from ${migrations[0]!.version} to ${migrations.at(-1)!.version}): name one of its versions`,
      2,
    );
  }
  return version;
}
