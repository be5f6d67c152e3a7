/**
 * `migrate`: apply the pending migrations of a history to one database.
 *
 *   1. take the migration lock (advisory lock on its own connection; a no-op on PGlite,
 *      whose data directory is locked by the adapter)
 *   2. create or upgrade the history tables
 *   3. plan: verify every applied checksum, find pending files, and check every gate
 *      (names, --to, order, lint errors, approvals, promotion, no-transaction resume);
 *      any refusal stops the run before anything executes
 *   4. apply each pending file in order (apply-transactional.ts / apply-no-transaction.ts),
 *      record a failure in its own transaction, stop at the first failure
 *   5. optionally finalise each applied file's header
 *
 * `dryRun` takes no lock and writes nothing: it reads the history (when present) and plans.
 */

import { userInfo } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Database, DbSession } from '../db/types.js';
import { hasUserMessage } from '../db/errors.js';
import { applyWithoutTransaction } from './apply-no-transaction.js';
import { applyInTransaction } from './apply-transactional.js';
import { MigrationFailure, rollbackQuietly, type ApplyContext } from './apply-context.js';
import { finalizeHeader, localDate } from './finalize.js';
import { ensureHistory, readHistory, recordFailed } from './history.js';
import { acquireMigrationLock } from './lock.js';
import type { MigrateEvent, MigrateOptions, MigrateResult, PlannedRef, RunnerSettings } from './migrate-types.js';
import { refOf } from './ordering.js';
import { buildPlan, type Plan, type PlannedMigration } from './plan.js';
import { checkDuration, DEFAULT_LOCK_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT, timeoutsFor } from './timeouts.js';

export const DEFAULT_RUNNER_SETTINGS: RunnerSettings = {
  lockTimeout: DEFAULT_LOCK_TIMEOUT,
  statementTimeout: DEFAULT_STATEMENT_TIMEOUT,
  lockRetries: 3,
  advisoryLockTimeoutMs: 60_000,
};

const OWN_TRANSACTION = /^\s*(BEGIN(\s+(TRANSACTION|WORK))?|START\s+TRANSACTION|COMMIT(\s+(TRANSACTION|WORK))?)\s*;/im;

export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const t0 = performance.now();
  const settings = resolveSettings(options.config);
  const emit = (event: MigrateEvent) => options.onProgress?.(event);
  const result: MigrateResult = {
    ok: false,
    database: options.db.label,
    envName: options.envName,
    dryRun: options.dryRun === true,
    refused: [],
    planned: [],
    applied: [],
    failed: [],
    skipped: [],
    alreadyApplied: 0,
    warnings: [],
    durationMs: 0,
  };
  const done = () => {
    result.ok = result.refused.length === 0 && result.failed.length === 0;
    result.durationMs = performance.now() - t0;
    return result;
  };

  if (options.dryRun) {
    const session = await options.db.session();
    let plan: Plan;
    try {
      plan = await makePlan(options, await readHistory(session));
    } finally {
      await session.close();
    }
    describePlan(plan, result);
    if (result.refused.length === 0) {
      for (const p of plan.pending) skip(result, emit, p.ref, 'dry-run');
      for (const m of plan.afterTarget) skip(result, emit, refOf(m), 'after-target');
    }
    return done();
  }

  const lock = await acquireMigrationLock(options.db, {
    timeoutMs: settings.advisoryLockTimeoutMs,
    onWait: (holder) => emit({ type: 'lock-wait', holder }),
  });
  let session: DbSession | undefined;
  try {
    session = await options.db.session();
    const sessionPid = await prepareSession(options.db, session);
    await ensureHistory(session);
    const plan = await makePlan(options, await readHistory(session));
    describePlan(plan, result);
    if (result.refused.length > 0) return done();

    const appliedBy = options.appliedBy ?? currentUser();
    const toolVersion = options.toolVersion ?? 'unknown';
    for (const planned of plan.pending) {
      if (result.failed.length > 0) {
        skip(result, emit, planned.ref, 'earlier-failure');
        continue;
      }
      await applyOne(planned, {
        session,
        monitor: lock.monitor,
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
  if (!migration.directives.noTransaction && OWN_TRANSACTION.test(migration.body)) {
    result.warnings.push(
      `${migration.relPath}: the body has its own BEGIN/COMMIT; its COMMIT ends pgwarden's transaction early, so verification and the history row are no longer atomic with it: remove them`,
    );
  }
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
      });
      finalized = written.written;
      if (!written.written) result.warnings.push(written.reason);
    }
    result.applied.push({ ...planned.ref, durationMs: outcome.durationMs, statementsApplied: outcome.statementsApplied, finalized });
    emit({ type: 'applied', migration: planned.ref, durationMs: outcome.durationMs });
  } catch (error) {
    const failure =
      error instanceof MigrationFailure
        ? error
        : new MigrationFailure(`${migration.relPath}: ${hasUserMessage(error) ? error.userMessage : (error as Error).message}`);
    const durationMs = performance.now() - t0;
    await rollbackQuietly(ctx.session);
    try {
      await recordFailed(ctx.session, {
        version: planned.ref.version,
        name: planned.ref.name,
        checksum: migration.checksum,
        startedAt: new Date(Date.now() - durationMs),
        appliedBy: ctx.appliedBy,
        toolVersion: ctx.toolVersion,
        durationMs,
        error: failure.userMessage,
      });
    } catch (recordError) {
      result.warnings.push(
        `${migration.relPath}: the failure could not be recorded in the history: ${hasUserMessage(recordError) ? recordError.userMessage : (recordError as Error).message}`,
      );
    }
    result.failed.push({ ...planned.ref, durationMs, message: failure.userMessage, code: failure.code, invalidIndexes: failure.invalidIndexes });
    emit({ type: 'failed', migration: planned.ref, durationMs, message: failure.userMessage });
  }
}

function makePlan(options: MigrateOptions, history: Awaited<ReturnType<typeof readHistory>>): Promise<Plan> {
  return buildPlan({
    migrations: options.migrations,
    history,
    envName: options.envName,
    environment: options.environment,
    dbKind: options.db.kind,
    lintErrors: options.lintErrors,
    to: options.to,
    allowOutOfOrder: options.allowOutOfOrder,
  });
}

function describePlan(plan: Plan, result: MigrateResult): void {
  result.refused = plan.refusals;
  result.alreadyApplied = plan.appliedCount;
  result.planned = plan.pending.map(
    (p): PlannedRef => ({ ...p.ref, noTransaction: p.migration.directives.noTransaction, resumeFrom: p.resumeFrom }),
  );
}

function skip(result: MigrateResult, emit: (e: MigrateEvent) => void, ref: PlannedRef | ReturnType<typeof refOf>, reason: 'dry-run' | 'after-target' | 'earlier-failure'): void {
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
async function prepareSession(db: Database, session: DbSession): Promise<number | undefined> {
  if (db.kind !== 'pg') return undefined;
  const { rows } = await session.query<{ pid: number; version: number }>(
    `SELECT pg_backend_pid() AS pid, current_setting('server_version_num')::int AS version`,
  );
  const row = rows[0];
  if (row && row.version >= 140000) {
    await session.exec(`SET client_connection_check_interval = '1s'`).catch(() => {});
  }
  return row?.pid;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
