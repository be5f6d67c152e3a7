/** What applying one migration needs, shared by the transactional and no-transaction paths. */

import type { DbSession } from '../db/types.js';
import { DatabaseError } from '../db/errors.js';
import { RunnerError, sqlState } from './errors.js';
import type { HistoryEntry } from './history.js';
import type { InSessionLockCheck } from './lock.js';
import { describeLockWait, type LockWait } from './lock-diagnostics.js';
import type { PlannedMigration } from './plan.js';
import { describeSqlFailure } from './sql-failure.js';
import type { Timeouts } from './timeouts.js';
import { VerificationFailed } from './verification.js';

export interface RetryInfo {
  attempt: number;
  of: number;
  delayMs: number;
  reason: string;
}

export interface ApplyContext {
  session: DbSession;
  /**
   * pg: the advisory-lock connection, idle while the lock is held; used to sample lock waits
   * and as the live connection that checks indexes after the migration session died.
   */
  monitor?: DbSession;
  /** Throws LockLost when the migration lock is gone (see lock.ts). */
  assertLockHeld(): Promise<void>;
  /** pg: the same check, for the session to run inside its own transaction (see lock.ts). */
  inSessionLockCheck?: InSessionLockCheck;
  /** server_version_num (pg), for the statements whose transaction rules changed between versions. */
  serverVersion?: number;
  /** Backend pid of `session` (pg), for sampling its lock waits. */
  sessionPid?: number;
  planned: PlannedMigration;
  timeouts: Timeouts;
  /** Extra attempts after a lock timeout (SQLSTATE 55P03). */
  lockRetries: number;
  /** First delay between attempts, doubled each time (capped at 30 s). */
  retryDelayMs: number;
  appliedBy: string;
  toolVersion: string;
  onRetry?: (info: RetryInfo) => void;
}

export interface ApplyOutcome {
  durationMs: number;
  /** no-transaction files: statements executed in total; null for one transaction. */
  statementsApplied: number | null;
}

/** A migration that failed to apply. `userMessage` names the file and line and says what to do. */
export class MigrationFailure extends RunnerError {
  constructor(
    userMessage: string,
    readonly code?: string,
    /** Indexes a failed CREATE INDEX CONCURRENTLY left invalid. */
    readonly invalidIndexes: string[] = [],
  ) {
    super('migration-failed', userMessage);
    this.name = 'MigrationFailure';
  }
}

export function historyEntry(ctx: ApplyContext, startedAt: Date): HistoryEntry {
  const m = ctx.planned.migration;
  return {
    version: ctx.planned.ref.version,
    name: ctx.planned.ref.name,
    checksum: m.checksum,
    startedAt,
    appliedBy: ctx.appliedBy,
    toolVersion: ctx.toolVersion,
  };
}

export function retryDelay(ctx: ApplyContext, attempt: number): number {
  return Math.min(ctx.retryDelayMs * 2 ** (attempt - 1), 30_000);
}

export async function rollbackQuietly(session: DbSession): Promise<void> {
  try {
    await session.exec('ROLLBACK');
  } catch {
    // no transaction open, or the connection is gone (the server rolls back then)
  }
}

/**
 * The one-line message of a failure while running `sent` (the body or one statement).
 * `outcome` says what state the database is left in.
 */
export function failureFor(
  error: unknown,
  ctx: ApplyContext,
  where: { sent: string; firstLine: number; attempts: number; wait?: LockWait; outcome: string; singleStatement?: boolean },
): MigrationFailure {
  const relPath = ctx.planned.migration.relPath;
  if (error instanceof MigrationFailure) return error;
  if (error instanceof VerificationFailed) {
    const line = ctx.planned.migration.verification?.line;
    return new MigrationFailure(`${relPath}${line ? `:${line}` : ''}: verification failed: ${error.message}; ${where.outcome}`);
  }
  if (error instanceof DatabaseError) {
    return new MigrationFailure(`${relPath}: ${error.userMessage}; ${where.outcome}`, error.code);
  }
  const code = sqlState(error);
  if (code === '55P03') {
    const tries = where.attempts === 1 ? 'once' : `${where.attempts} times`;
    const at = where.singleStatement ? `${relPath}:${where.firstLine}` : relPath;
    return new MigrationFailure(
      `${at}: gave up waiting for a lock (lock_timeout ${ctx.timeouts.lockTimeout}, tried ${tries}): ${describeLockWait(where.wait)}; ${where.outcome}. Retry when that session is done, or raise lockRetries / pgwarden:lock-timeout`,
      code,
    );
  }
  const failure = describeSqlFailure(error, {
    relPath,
    sent: where.sent,
    firstLine: where.firstLine,
    fallbackLine: where.singleStatement ? where.firstLine : undefined,
  });
  let message = failure.message;
  if (code === '57014' && /statement timeout/i.test(message)) {
    message += ` (statement_timeout ${ctx.timeouts.statementTimeout}: raise it with pgwarden:statement-timeout in the header if this is expected)`;
  }
  return new MigrationFailure(`${message}; ${where.outcome}`, code);
}
