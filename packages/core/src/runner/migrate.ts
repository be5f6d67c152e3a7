/**
 * `migrate`: apply the pending migrations of a history to one database.
 *
 *   1. take the migration lock (advisory lock on its own connection; a no-op on PGlite,
 *      whose data directory is locked by the adapter)
 *   2. create or upgrade the history tables
 *   3. plan: verify every applied checksum, find pending files, and check every gate
 *      (names, --to, order, lint errors, approvals, promotion, no-transaction resume,
 *      invalid indexes of applied concurrent builds); any refusal stops the run before
 *      anything executes
 *   4. where the environment records: write the execution record of every applied file
 *      that lacks one (a run killed between COMMIT and the header), remove stale temp files
 *   5. apply the platform preset when missing, under the lock, in one transaction
 *   6. apply each pending file in order (apply-transactional.ts / apply-no-transaction.ts),
 *      checking the lock before each (a transactional file in its own first round trip); record
 *      a failure in its own transaction, stop at the first failure; a lost lock stops the run
 *      and records nothing
 *   7. optionally finalise each applied file's header
 *
 * `dryRun` takes no lock and writes nothing: it reads the history (when present) and plans.
 */

import { performance } from 'node:perf_hooks';
import type { Database, DatabaseKind, DbSession } from '../db/types.js';
import { DatabaseError, hasUserMessage } from '../db/errors.js';
import type { Migration } from '../migration/types.js';
import { applyWithoutTransaction } from './apply-no-transaction.js';
import { applyInTransaction } from './apply-transactional.js';
import { MigrationFailure, rollbackQuietly, type ApplyContext } from './apply-context.js';
import { currentUser } from './current-user.js';
import { commandNames } from './find-migration.js';
import { finalizeHeader, localDate, reconcileExecutionRecords } from './finalize.js';
import { ensureHistory, readHistory, recordFailed, type HistoryRow } from './history.js';
import { anyInvalidIndex, invalidIndexesOfFile } from './index-validity.js';
import { acquireMigrationLock, isLockLost, LockLost, type MigrationLock } from './lock.js';
import type { MigrateEvent, MigrateOptions, MigrateResult, PlannedRef, PresetStep, RunnerSettings, SkippedMigration } from './migrate-types.js';
import { keyOf, refOf } from './ordering.js';
import { buildPlan, type Plan, type PlannedMigration, type Refusal } from './plan.js';
import { splitStatements } from './statements.js';
import { RunnerError, sqlState } from './errors.js';
import { checkDuration, DEFAULT_LOCK_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT, timeoutsFor } from './timeouts.js';

export const DEFAULT_RUNNER_SETTINGS: RunnerSettings = {
  lockTimeout: DEFAULT_LOCK_TIMEOUT,
  statementTimeout: DEFAULT_STATEMENT_TIMEOUT,
  lockRetries: 3,
  advisoryLockTimeoutMs: 60_000,
};

export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const t0 = performance.now();
  const settings = resolveSettings(options.config);
  const emit = (event: MigrateEvent) => options.onProgress?.(event);
  const result = emptyResult(options.db.label, options.envName, options.dryRun === true);
  const done = () => {
    result.ok = result.refused.length === 0 && result.failed.length === 0 && !result.aborted;
    result.durationMs = performance.now() - t0;
    return result;
  };

  if (options.dryRun) {
    const session = await options.db.session();
    let history: HistoryRow[];
    try {
      history = await readHistory(session);
    } finally {
      await session.close();
    }
    await dryRunInto(result, { ...options, dbKind: options.db.kind }, history);
    return done();
  }

  // The migration session connects while the lock is taken: one connection wait instead of two.
  const opening = options.db.session();
  opening.catch(() => {}); // awaited below, or closed when the lock is not taken
  let lock: MigrationLock;
  try {
    lock = await acquireMigrationLock(options.db, {
      timeoutMs: settings.advisoryLockTimeoutMs,
      onWait: (holder) => emit({ type: 'lock-wait', holder }),
    });
  } catch (error) {
    await opening.then((idle) => idle.close()).catch(() => {});
    throw error;
  }
  let session: DbSession | undefined;
  try {
    session = await opening;
    const { pid: sessionPid, version: serverVersion } = await prepareSession(options.db, session);
    await ensureHistory(session);
    const history = await readHistory(session, { ensured: true });
    const plan = await makePlan({ ...options, dbKind: options.db.kind }, history);
    describePlan(plan, result);
    if (result.refused.length === 0) {
      result.refused.push(...(await invalidIndexesOfApplied(lock.monitor ?? session, options.migrations, history)));
    }
    if (result.refused.length > 0) return done();

    if (options.finalize) {
      const reconciled = await reconcileExecutionRecords(history, options.migrations, options.envName, { recordKey: options.recordKey });
      result.reconciled = reconciled.written;
      result.removedTempFiles = reconciled.removedTempFiles;
      result.warnings.push(...reconciled.warnings);
    }

    if (options.preset && plan.pending.length > 0) {
      await lock.assertHeld();
      if (await applyPresetIfMissing(session, options.preset)) emit({ type: 'preset', name: options.preset.name });
    }

    const appliedBy = options.appliedBy ?? currentUser();
    const toolVersion = options.toolVersion ?? 'unknown';
    for (const planned of plan.pending) {
      if (result.aborted) {
        skip(result, emit, planned.ref, 'lock-lost');
        continue;
      }
      if (result.failed.length > 0) {
        skip(result, emit, planned.ref, 'earlier-failure');
        continue;
      }
      try {
        // A transactional file checks the lock in its own first round trip (lock.ts, InSessionLockCheck).
        if (planned.migration.directives.noTransaction || !lock.inSessionCheck) await lock.assertHeld();
      } catch (error) {
        if (!isLockLost(error)) throw error;
        result.aborted = error.userMessage;
        skip(result, emit, planned.ref, 'lock-lost');
        continue;
      }
      await applyOne(planned, {
        session,
        monitor: lock.monitor,
        assertLockHeld: () => lock.assertHeld(),
        inSessionLockCheck: lock.inSessionCheck,
        serverVersion,
        sessionPid,
        planned,
        timeouts: timeoutsFor(planned.migration, settings),
        lockRetries: settings.lockRetries,
        retryDelayMs: options.retryDelayMs ?? 1000,
        appliedBy,
        toolVersion,
        onRetry: (info) => emit({ type: 'retry', migration: planned.ref, ...info }),
      }, options, result, emit);
    }
    for (const m of plan.afterTarget) skip(result, emit, refOf(m), 'after-target');
    return done();
  } finally {
    await session?.close();
    await lock.release();
  }
}

async function applyOne(
  planned: PlannedMigration,
  ctx: ApplyContext,
  options: MigrateOptions,
  result: MigrateResult,
  emit: (event: MigrateEvent) => void,
): Promise<void> {
  const migration = planned.migration;
  emit({ type: 'start', migration: planned.ref, resumeFrom: planned.resumeFrom, statements: planned.statements?.length });
  const t0 = performance.now();
  try {
    const outcome = migration.directives.noTransaction ? await applyWithoutTransaction(ctx) : await applyInTransaction(ctx);
    let finalized = false;
    if (options.finalize) {
      const written = await finalizeHeader(migration, {
        env: options.envName,
        date: localDate(),
        by: ctx.appliedBy,
        durationMs: outcome.durationMs,
        toolVersion: ctx.toolVersion,
        recordKey: options.recordKey,
      });
      finalized = written.written;
      if (!written.written) result.warnings.push(written.reason);
    }
    result.applied.push({ ...planned.ref, durationMs: outcome.durationMs, statementsApplied: outcome.statementsApplied, finalized });
    emit({ type: 'applied', migration: planned.ref, durationMs: outcome.durationMs });
  } catch (error) {
    if (isLockLost(error)) {
      // Another runner may hold the lock and be running this very file: write nothing.
      await rollbackQuietly(ctx.session);
      const durationMs = performance.now() - t0;
      result.aborted = error.userMessage;
      if (error instanceof LockLost && error.beforeFile) {
        // Found before anything of the file ran: skipped, as when the check before the file finds it.
        skip(result, emit, planned.ref, 'lock-lost');
        return;
      }
      result.failed.push({ ...planned.ref, durationMs, message: error.userMessage, code: undefined, invalidIndexes: [] });
      emit({ type: 'failed', migration: planned.ref, durationMs, message: error.userMessage });
      return;
    }
    const failure =
      error instanceof MigrationFailure
        ? error
        : new MigrationFailure(`${migration.relPath}: ${hasUserMessage(error) ? error.userMessage : (error as Error).message}`);
    const durationMs = performance.now() - t0;
    await rollbackQuietly(ctx.session);
    const failed = {
      version: planned.ref.version,
      name: planned.ref.name,
      checksum: migration.checksum,
      startedAt: new Date(Date.now() - durationMs),
      appliedBy: ctx.appliedBy,
      toolVersion: ctx.toolVersion,
      durationMs,
      error: failure.userMessage,
    };
    try {
      await recordFailedOnLiveSession(options.db, ctx.session, failed);
    } catch (recordError) {
      result.warnings.push(
        `${migration.relPath}: the failure could not be recorded in the history: ${hasUserMessage(recordError) ? recordError.userMessage : (recordError as Error).message}`,
      );
    }
    result.failed.push({ ...planned.ref, durationMs, message: failure.userMessage, code: failure.code, invalidIndexes: failure.invalidIndexes });
    emit({ type: 'failed', migration: planned.ref, durationMs, message: failure.userMessage });
  }
}

/** The migration session may have died (terminated backend): then the failure goes through a new one. */
async function recordFailedOnLiveSession(db: Database, session: DbSession, entry: Parameters<typeof recordFailed>[1]): Promise<void> {
  try {
    await recordFailed(session, entry);
    return;
  } catch (error) {
    if (!(error instanceof DatabaseError)) throw error;
  }
  const fresh = await db.session();
  try {
    await recordFailed(fresh, entry);
  } finally {
    await fresh.close();
  }
}

/** What a dry run needs besides the history: no database. */
export type DryRunOptions = Omit<MigrateOptions, 'db'> & { dbKind: DatabaseKind; label?: string };

/**
 * A dry run against a known history; with `[]`, for a database that does not exist yet
 * (the CLI never creates the embedded database for a dry run).
 */
export async function dryRun(options: DryRunOptions, history: HistoryRow[]): Promise<MigrateResult> {
  const t0 = performance.now();
  const result = emptyResult(options.label ?? '', options.envName, true);
  await dryRunInto(result, options, history);
  result.ok = result.refused.length === 0 && result.failed.length === 0;
  result.durationMs = performance.now() - t0;
  return result;
}

async function dryRunInto(result: MigrateResult, options: DryRunOptions, history: HistoryRow[]): Promise<void> {
  const emit = (event: MigrateEvent) => options.onProgress?.(event);
  const plan = await makePlan(options, history);
  describePlan(plan, result);
  if (result.refused.length === 0) {
    for (const p of plan.pending) skip(result, emit, p.ref, 'dry-run');
    for (const m of plan.afterTarget) skip(result, emit, refOf(m), 'after-target');
  }
}

function emptyResult(database: string, envName: string, dryRunOnly: boolean): MigrateResult {
  return {
    ok: false,
    database,
    envName,
    dryRun: dryRunOnly,
    refused: [],
    planned: [],
    applied: [],
    failed: [],
    skipped: [],
    alreadyApplied: 0,
    warnings: [],
    blocked: [],
    reconciled: [],
    removedTempFiles: [],
    durationMs: 0,
  };
}

/**
 * The preset (roles, auth schema) goes in under the migration lock and in one transaction, so
 * concurrent first runners never race on CREATE SCHEMA / GRANT. Returns true when it was applied.
 */
async function applyPresetIfMissing(session: DbSession, preset: PresetStep): Promise<boolean> {
  if (await preset.isPresent(session)) return false;
  await session.exec('BEGIN');
  try {
    await preset.apply(session);
    await session.exec('COMMIT');
  } catch (error) {
    await rollbackQuietly(session);
    if (hasUserMessage(error)) throw error;
    const code = sqlState(error);
    throw new RunnerError(
      'migration-failed',
      `the ${preset.name} preset could not be applied${code ? ` (SQLSTATE ${code})` : ''}: ${(error as Error).message.split('\n')[0]}; nothing of it was kept (one transaction). It needs a superuser (CREATE ROLE); on a real Supabase project it is present already, or pass --preset none`,
    );
  }
  return true;
}

/**
 * Applied no-transaction files whose concurrent build left an invalid index (recorded applied by
 * an older pgwarden, or the index broke later): refused, naming the index and the way out.
 */
async function invalidIndexesOfApplied(live: DbSession, migrations: readonly Migration[], history: readonly HistoryRow[]): Promise<Refusal[]> {
  const applied = new Set(history.filter((r) => r.status === 'applied').map(keyOf));
  const candidates = migrations.filter((m) => m.directives.noTransaction && m.name.version && /CONCURRENTLY/i.test(m.body) && applied.has(keyOf(refOf(m))));
  // One query first: with no invalid index anywhere (the usual case), no file needs splitting, which
  // would load the SQL parser on every run.
  if (candidates.length === 0 || !(await anyInvalidIndex(live))) return [];
  const nameOf = commandNames(migrations);
  const refusals: Refusal[] = [];
  for (const m of candidates) {
    const split = await splitStatements(m);
    if ('error' in split) continue;
    for (const found of await invalidIndexesOfFile(live, split.statements)) {
      refusals.push({
        kind: 'invalid-index',
        relPath: m.relPath,
        version: m.name.version!,
        message: `${m.relPath}:${found.statement.line}: recorded as applied, but index ${found.name} of statement ${found.ordinal} is invalid (an interrupted concurrent build): DROP INDEX CONCURRENTLY IF EXISTS ${found.name}, then pgwarden repair ${nameOf(m)} --resume-from ${found.ordinal - 1} --by NAME --reason TEXT and rerun to build it again`,
      });
    }
  }
  return refusals;
}

function makePlan(options: DryRunOptions, history: readonly HistoryRow[]): Promise<Plan> {
  return buildPlan({
    migrations: options.migrations,
    history,
    envName: options.envName,
    environment: options.environment,
    dbKind: options.dbKind,
    lintErrors: options.lintErrors,
    to: options.to,
    allowOutOfOrder: options.allowOutOfOrder,
    recordKeys: options.recordKeys,
    verifyApprovals: options.verifyApprovals,
  });
}

function describePlan(plan: Plan, result: MigrateResult): void {
  result.refused = plan.refusals;
  result.alreadyApplied = plan.appliedCount;
  result.planned = plan.pending.map(
    (p): PlannedRef => ({ ...p.ref, noTransaction: p.migration.directives.noTransaction, resumeFrom: p.resumeFrom, ...(p.sql !== undefined && p.sql !== p.migration.body ? { sql: p.sql } : {}) }),
  );
  // A refusal stops the whole run: the pending files that passed every gate are held back by it.
  if (plan.refusals.length > 0) {
    const refusedPaths = new Set(plan.refusals.map((r) => r.relPath));
    const by = [...new Set(plan.refusals.filter((r) => r.relPath !== '').map((r) => r.relPath))];
    result.blocked = result.planned.filter((p) => !refusedPaths.has(p.relPath)).map((p) => ({ version: p.version, name: p.name, relPath: p.relPath, by }));
  }
}

function skip(result: MigrateResult, emit: (e: MigrateEvent) => void, ref: PlannedRef | ReturnType<typeof refOf>, reason: SkippedMigration['reason']): void {
  const plain = { version: ref.version, name: ref.name, relPath: ref.relPath };
  result.skipped.push({ ...plain, reason });
  emit({ type: 'skipped', migration: plain, reason });
}

export function resolveSettings(config: Partial<RunnerSettings> | undefined): RunnerSettings {
  const merged = { ...DEFAULT_RUNNER_SETTINGS, ...Object.fromEntries(Object.entries(config ?? {}).filter(([, v]) => v !== undefined)) };
  return {
    lockTimeout: checkDuration(merged.lockTimeout, 'lockTimeout'),
    statementTimeout: checkDuration(merged.statementTimeout, 'statementTimeout'),
    lockRetries: Math.max(0, Math.floor(Number(merged.lockRetries) || 0)),
    advisoryLockTimeoutMs: Math.max(0, Number(merged.advisoryLockTimeoutMs) || 0),
  };
}

/**
 * pg: the backend pid (for sampling lock waits) and, on Postgres 14+, a short
 * client_connection_check_interval so that a killed runner's backend notices the lost client
 * and rolls back within a second instead of finishing a long statement first.
 */
async function prepareSession(db: Database, session: DbSession): Promise<{ pid?: number; version?: number }> {
  if (db.kind !== 'pg') return {};
  // One round trip: the setting (a user-settable one) is set only where it exists.
  const { rows } = await session.query<{ pid: number; version: number }>(
    `SELECT pg_backend_pid() AS pid, current_setting('server_version_num')::int AS version,
            CASE WHEN current_setting('server_version_num')::int >= 140000
                 THEN set_config('client_connection_check_interval', '1s', false) END AS check_interval`,
  );
  const row = rows[0];
  return { pid: row?.pid, version: row?.version };
}

