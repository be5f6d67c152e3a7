/**
 * A normal migration file: one transaction holding
 *   SET LOCAL lock_timeout / statement_timeout (header directives override the config),
 *   the body (simple protocol, all statements in one round trip),
 *   the VERIFY query, and the history row,
 * so the schema change and its record commit together or not at all. A lock timeout
 * (55P03) rolls back and retries with backoff, up to `lockRetries` times. The runner checks that
 * it still holds the migration lock before the body runs and again before COMMIT, and the history
 * row is written only when no other runner recorded the file applied meanwhile: a runner that
 * lost its lock rolls back instead of applying a migration a second time.
 *
 * Two round trips on the session, as a bare BEGIN / body / COMMIT loop would need three:
 *   1. BEGIN; SET LOCAL ...; the lock check; the body
 *   2. the history row; the lock check; COMMIT
 * On pg the lock check runs on the session itself, inside the transaction (lock.ts,
 * InSessionLockCheck), and the history row raises instead of returning "already applied"
 * (history.ts, recordAppliedSql): either error stops the round trip before its COMMIT, and the
 * transaction rolls back. A VERIFY query adds a round trip between the two.
 *
 * The body is sent as planned (plan.ts, own-transaction.ts): a file's own `BEGIN; ... COMMIT;`
 * wrapper is neutralised (a comment where each stood, line breaks kept, so error lines are still
 * those of the file), and any other transaction command that would end or split this transaction
 * was refused before the run. So "rolled back, nothing of it was applied" holds: nothing of the
 * file can commit before our COMMIT.
 */

import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { sqlState } from './errors.js';
import { AppliedMeanwhile, APPLIED_MEANWHILE_STATE, recordAppliedSql } from './history.js';
import { isLockLost, LOCK_LOST_STATE } from './lock.js';
import { samplingInterval, startLockWaitSampler, type LockWait } from './lock-diagnostics.js';
import { durationToMs, setTimeoutsSql } from './timeouts.js';
import { runVerification } from './verification.js';
import {
  failureFor,
  historyEntry,
  retryDelay,
  rollbackQuietly,
  type ApplyContext,
  type ApplyOutcome,
} from './apply-context.js';

export async function applyInTransaction(ctx: ApplyContext): Promise<ApplyOutcome> {
  const { session } = ctx;
  const migration = ctx.planned.migration;
  const attempts = ctx.lockRetries + 1;
  const lockCheck = ctx.inSessionLockCheck;
  // Ends with a newline, so the body keeps its own line numbers: error positions count from `opening`.
  const opening = `BEGIN; ${setTimeoutsSql(ctx.timeouts, 'local')};${lockCheck ? ` DO $pgwarden$BEGIN ${lockCheck.beforeBody} END$pgwarden$;` : ''}\n`;
  const body = ctx.planned.sql ?? migration.body;
  const sent = opening + body;
  const firstLine = migration.bodyStartLine - (opening.match(/\n/g)?.length ?? 0);

  for (let attempt = 1; ; attempt++) {
    const startedAt = new Date();
    const t0 = performance.now();
    const sampler =
      ctx.monitor && ctx.sessionPid !== undefined
        ? startLockWaitSampler(ctx.monitor, ctx.sessionPid, samplingInterval(durationToMs(ctx.timeouts.lockTimeout)))
        : undefined;
    let bodyRan = false;
    try {
      try {
        await session.exec(sent);
      } catch (error) {
        // The check comes before the body in the round trip: raised there, nothing of the file ran.
        if (lockCheck && sqlState(error) === LOCK_LOST_STATE) throw lockCheck.lost(true);
        throw error;
      }
      bodyRan = true;
      if (migration.verification) await runVerification(session, migration.verification.sql);
      const durationMs = performance.now() - t0;
      // Without an in-session check (PGlite: a no-op), the lock connection answers before COMMIT.
      if (!lockCheck) await ctx.assertLockHeld();
      try {
        await session.exec(`${recordAppliedSql({ ...historyEntry(ctx, startedAt), durationMs, statementsApplied: null }, lockCheck?.beforeCommit)};\nCOMMIT`);
      } catch (error) {
        if (sqlState(error) === APPLIED_MEANWHILE_STATE) throw new AppliedMeanwhile(migration.relPath);
        if (lockCheck && sqlState(error) === LOCK_LOST_STATE) throw lockCheck.lost(false);
        throw error;
      }
      await sampler?.stop();
      return { durationMs: performance.now() - t0, statementsApplied: null };
    } catch (error) {
      const wait: LockWait | undefined = await sampler?.stop();
      await rollbackQuietly(session);
      if (isLockLost(error)) throw error;
      if (sqlState(error) === '55P03' && attempt < attempts) {
        const delayMs = retryDelay(ctx, attempt);
        ctx.onRetry?.({ attempt: attempt + 1, of: attempts, delayMs, reason: `lock timeout (${ctx.timeouts.lockTimeout})` });
        await sleep(delayMs);
        continue;
      }
      throw failureFor(error, ctx, {
        // Errors of the first round trip carry positions in `sent`; later ones are read against the body, as before.
        sent: bodyRan ? body : sent,
        firstLine: bodyRan ? migration.bodyStartLine : firstLine,
        attempts: attempt,
        wait,
        outcome: 'rolled back, nothing of it was applied',
      });
    }
  }
}
