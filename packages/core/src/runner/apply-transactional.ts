/**
 * A normal migration file: one transaction holding
 *   SET LOCAL lock_timeout / statement_timeout (header directives override the config),
 *   the body (simple protocol, all statements in one round trip),
 *   the VERIFY query, and the history row,
 * so the schema change and its record commit together or not at all. A lock timeout
 * (55P03) rolls back and retries with backoff, up to `lockRetries` times. Before COMMIT the
 * runner checks that it still holds the migration lock (on the lock connection, while the history
 * row is written on the session), and the history row is written only
 * when no other runner recorded the file applied meanwhile: a runner that lost its lock rolls
 * back instead of applying a migration a second time.
 *
 * A body that carries its own BEGIN;/COMMIT; (the lint rule forbids it) is sent as is: its
 * BEGIN only warns inside our transaction, but its COMMIT ends our transaction early, and
 * whatever follows (rest of the body, verification, history row) then runs in autocommit.
 * pgwarden does not rewrite SQL; the lint error is the guard.
 */

import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { sqlState } from './errors.js';
import { AppliedMeanwhile, recordApplied } from './history.js';
import { isLockLost } from './lock.js';
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
  const begin = `BEGIN; ${setTimeoutsSql(ctx.timeouts, 'local')}`;

  for (let attempt = 1; ; attempt++) {
    const startedAt = new Date();
    const t0 = performance.now();
    const sampler =
      ctx.monitor && ctx.sessionPid !== undefined
        ? startLockWaitSampler(ctx.monitor, ctx.sessionPid, samplingInterval(durationToMs(ctx.timeouts.lockTimeout)))
        : undefined;
    try {
      await session.exec(begin);
      await session.exec(migration.body);
      if (migration.verification) await runVerification(session, migration.verification.sql);
      const durationMs = performance.now() - t0;
      // The history row and the lock check go on two connections at once (one round trip instead of
      // two); COMMIT waits for both, and a failed row write is reported before a lost lock, as before.
      const [recorded, lockHeld] = await Promise.allSettled([
        recordApplied(session, { ...historyEntry(ctx, startedAt), durationMs, statementsApplied: null }),
        ctx.assertLockHeld(),
      ]);
      if (recorded.status === 'rejected') throw recorded.reason;
      if (!recorded.value) throw new AppliedMeanwhile(migration.relPath);
      if (lockHeld.status === 'rejected') throw lockHeld.reason;
      await session.exec('COMMIT');
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
        sent: migration.body,
        firstLine: migration.bodyStartLine,
        attempts: attempt,
        wait,
        outcome: 'rolled back, nothing of it was applied',
      });
    }
  }
}
