/**
 * A `pgwarden:no-transaction` file (CREATE INDEX CONCURRENTLY and friends), statement by
 * statement. The history row goes to `running` first. A statement that may run in a
 * transaction block runs in one of its own together with its progress row (one appended row in
 * pgwarden.statement_progress), so a kill at any point either keeps both or neither. Only the
 * statements Postgres refuses inside a transaction block (transaction-block.ts) run alone in
 * autocommit with their progress row written right after; a kill between the two makes a rerun
 * execute such a statement again, which is why they must be idempotent (IF NOT EXISTS).
 *
 * The migration lock is checked before each statement takes effect (before a statement that
 * runs alone, before the COMMIT of one in a transaction); a runner that lost it stops. A concurrent index build is checked for an invalid index (pg_index.indisvalid) after
 * it runs or fails, on the lock's connection (alive even when the migration session was
 * terminated), and once more before the file is recorded applied: `IF NOT EXISTS` skips an
 * invalid index, so a rerun alone proves nothing. A lock timeout is retried only when no such
 * index was left (a retry with IF NOT EXISTS would keep it).
 */

import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DbSession } from '../db/types.js';
import { RunnerError, sqlState } from './errors.js';
import { AppliedMeanwhile, progressRowSql, recordApplied, recordRunning } from './history.js';
import { dropInvalidIndexAdvice, invalidIndexesLeftBy, invalidIndexesOfFile } from './index-validity.js';
import { samplingInterval, startLockWaitSampler } from './lock-diagnostics.js';
import { isLockLost } from './lock.js';
import type { RunnableStatement } from './statements.js';
import { durationToMs, setTimeoutsSql } from './timeouts.js';
import { runsOutsideTransaction } from './transaction-block.js';
import { runVerification } from './verification.js';
import {
  MigrationFailure,
  failureFor,
  historyEntry,
  retryDelay,
  rollbackQuietly,
  type ApplyContext,
  type ApplyOutcome,
} from './apply-context.js';

export async function applyWithoutTransaction(ctx: ApplyContext): Promise<ApplyOutcome> {
  const { session, planned } = ctx;
  const migration = planned.migration;
  const statements = planned.statements ?? [];
  const startedAt = new Date();
  const t0 = performance.now();
  const entry = historyEntry(ctx, startedAt);
  const attempts = ctx.lockRetries + 1;
  // A connection other than the one running the statements (pg): its answers survive the death of that one.
  const live = ctx.monitor ?? session;

  if (planned.previous) {
    // An earlier run was interrupted in a concurrent build: say so before running anything.
    const invalid = await invalidIndexesOfFile(live, statements);
    if (invalid.length > 0) throw invalidIndexFailure(ctx, invalid, 'an earlier interrupted run left');
  }

  await ctx.assertLockHeld();
  if (!(await recordRunning(session, { ...entry, resumeFrom: planned.resumeFrom }))) throw new AppliedMeanwhile(migration.relPath);
  await session.exec(setTimeoutsSql(ctx.timeouts, 'session'));
  try {
    for (let i = planned.resumeFrom; i < statements.length; i++) {
      const statement = statements[i]!;
      const alone = runsOutsideTransaction(statement, ctx.serverVersion) !== undefined;
      const outcome =
        i === 0
          ? 'no statement of it was applied'
          : `statements 1-${i} of ${statements.length} stay applied; a rerun resumes at statement ${i + 1} if they are unchanged`;
      for (let attempt = 1; ; attempt++) {
        const sampler =
          ctx.monitor && ctx.sessionPid !== undefined
            ? startLockWaitSampler(ctx.monitor, ctx.sessionPid, samplingInterval(durationToMs(ctx.timeouts.lockTimeout)))
            : undefined;
        try {
          if (alone) {
            await ctx.assertLockHeld();
            await session.exec(statement.text);
          } else {
            // The progress row first: a second runner that reaches this statement waits on its key, then
            // fails. The lock is checked after the statement ran and before it takes effect (COMMIT): a
            // runner that lost the lock rolls it back, and the runner that now holds it runs it once.
            await session.exec(inTransaction(planned.ref, i + 1, statement));
            await ctx.assertLockHeld();
            await session.exec('COMMIT');
          }
          await sampler?.stop();
          break;
        } catch (error) {
          const wait = await sampler?.stop();
          if (!alone) await rollbackQuietly(session);
          if (isLockLost(error)) throw error;
          if (!alone && sqlState(error) === '23505' && /statement_progress_pkey/.test(String((error as { constraint?: string }).constraint ?? (error as Error).message))) {
            throw new RunnerError(
              'lock-lost',
              `${migration.relPath}:${statement.line}: another runner already executed statement ${i + 1} (this run had lost the migration lock); rolled back this run's copy of it`,
            );
          }
          const invalid = alone ? await invalidIndexesLeftBy(live, statement).catch(() => []) : [];
          if (sqlState(error) === '55P03' && attempt < attempts && invalid.length === 0) {
            const delayMs = retryDelay(ctx, attempt);
            ctx.onRetry?.({ attempt: attempt + 1, of: attempts, delayMs, reason: `lock timeout (${ctx.timeouts.lockTimeout})` });
            await sleep(delayMs);
            continue;
          }
          const failure = failureFor(error, ctx, {
            // Positions count from the start of what was sent: in a transaction, one line of BEGIN and progress row first.
            sent: alone ? statement.text : inTransaction(planned.ref, i + 1, statement),
            firstLine: alone ? statement.line : statement.line - 1,
            attempts: attempt,
            wait,
            outcome,
            singleStatement: true,
          });
          if (invalid.length === 0) throw failure;
          const advice = invalid.map((name) => `left invalid index ${name}: DROP INDEX CONCURRENTLY IF EXISTS ${name} before retrying`);
          throw new MigrationFailure(`${failure.userMessage}; ${advice.join('; ')}`, failure.code, invalid);
        }
      }
      if (alone) {
        // IF NOT EXISTS succeeds without building when an invalid index of that name is left over.
        const invalid = await invalidIndexesLeftBy(live, statement);
        if (invalid.length > 0) throw invalidIndexFailure(ctx, invalid.map((name) => ({ name, statement, ordinal: i + 1 })), 'it left');
        await session.query(progressRowSql(planned.ref, i + 1, statement.hash));
      }
    }
    if (migration.verification) {
      try {
        await runVerification(session, migration.verification.sql);
      } catch (error) {
        throw failureFor(error, ctx, {
          sent: migration.verification.sql,
          firstLine: migration.verification.line,
          attempts: 1,
          outcome: 'the statements stay applied (no transaction); fix the cause and rerun to verify again',
        });
      }
    }
    const invalid = await invalidIndexesOfFile(live, statements);
    if (invalid.length > 0) throw invalidIndexFailure(ctx, invalid, 'its statements left');
    const durationMs = performance.now() - t0;
    await ctx.assertLockHeld();
    if (!(await recordApplied(session, { ...entry, durationMs, statementsApplied: statements.length }))) {
      throw new AppliedMeanwhile(migration.relPath);
    }
    return { durationMs, statementsApplied: statements.length };
  } finally {
    await resetTimeouts(session);
  }
}

/** One line (BEGIN and the progress row), then the statement: sent as one round trip. */
function inTransaction(key: { version: string; name: string }, ordinal: number, statement: RunnableStatement): string {
  return `BEGIN; ${progressRowSql(key, ordinal, statement.hash)};\n${statement.text}`;
}

async function resetTimeouts(session: DbSession): Promise<void> {
  await session.exec('RESET lock_timeout; RESET statement_timeout').catch(() => {});
}

function invalidIndexFailure(
  ctx: ApplyContext,
  invalid: ReadonlyArray<{ name: string; statement: RunnableStatement; ordinal: number }>,
  who: string,
): MigrationFailure {
  const relPath = ctx.planned.migration.relPath;
  const first = invalid[0]!;
  const names = invalid.map((i) => i.name);
  const advice = names.map(dropInvalidIndexAdvice).join('; ');
  return new MigrationFailure(
    `${relPath}:${first.statement.line}: ${who} invalid index ${names.join(', ')} (an interrupted concurrent build; Postgres never uses it, and IF NOT EXISTS skips it): ${advice}; the file is not recorded as applied while it is invalid`,
    undefined,
    names,
  );
}
