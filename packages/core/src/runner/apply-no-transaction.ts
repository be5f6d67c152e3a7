/**
 * A `pgwarden:no-transaction` file (CREATE INDEX CONCURRENTLY and friends): statement by
 * statement in autocommit. The history row goes to `running` first, and after each statement
 * records how many ran and their hashes, so an interrupted run resumes after them (see
 * statements.ts for when that is allowed). A statement interrupted between its own commit and
 * the progress update runs again on resume: keep such statements idempotent (IF NOT EXISTS).
 *
 * A failed CREATE INDEX CONCURRENTLY leaves an invalid index behind; it is looked up in
 * pg_index and named in the failure with the statement that removes it. A lock timeout is
 * retried only when no such index was left (a retry with IF NOT EXISTS would keep it).
 */

import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DbSession } from '../db/types.js';
import { sqlState } from './errors.js';
import { recordApplied, recordProgress, recordRunning } from './history.js';
import { findInvalidIndexes, samplingInterval, startLockWaitSampler } from './lock-diagnostics.js';
import type { RunnableStatement } from './statements.js';
import { durationToMs, setTimeoutsSql } from './timeouts.js';
import { runVerification } from './verification.js';
import {
  MigrationFailure,
  failureFor,
  historyEntry,
  retryDelay,
  type ApplyContext,
  type ApplyOutcome,
} from './apply-context.js';

export async function applyWithoutTransaction(ctx: ApplyContext): Promise<ApplyOutcome> {
  const { session, planned } = ctx;
  const migration = planned.migration;
  const statements = planned.statements ?? [];
  const hashes = statements.map((s) => s.hash);
  const startedAt = new Date();
  const t0 = performance.now();
  const entry = historyEntry(ctx, startedAt);
  const attempts = ctx.lockRetries + 1;

  await recordRunning(session, { ...entry, statementsApplied: planned.resumeFrom, statementHashes: hashes.slice(0, planned.resumeFrom) });
  await session.exec(setTimeoutsSql(ctx.timeouts, 'session'));
  try {
    for (let i = planned.resumeFrom; i < statements.length; i++) {
      const statement = statements[i]!;
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
          await session.exec(statement.text);
          await sampler?.stop();
          break;
        } catch (error) {
          const wait = await sampler?.stop();
          const invalid = await invalidIndexLeftBy(session, statement);
          if (sqlState(error) === '55P03' && attempt < attempts && invalid.length === 0) {
            const delayMs = retryDelay(ctx, attempt);
            ctx.onRetry?.({ attempt: attempt + 1, of: attempts, delayMs, reason: `lock timeout (${ctx.timeouts.lockTimeout})` });
            await sleep(delayMs);
            continue;
          }
          const failure = failureFor(error, ctx, {
            sent: statement.text,
            firstLine: statement.line,
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
      await recordProgress(session, planned.ref, i + 1, hashes.slice(0, i + 1));
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
    const durationMs = performance.now() - t0;
    await recordApplied(session, { ...entry, durationMs, statementsApplied: statements.length, statementHashes: hashes });
    return { durationMs, statementsApplied: statements.length };
  } finally {
    await session.exec('RESET lock_timeout; RESET statement_timeout').catch(() => {});
  }
}

interface IndexTarget {
  schema?: string;
  table: string;
  index?: string;
}

/** The table (and index name) of a CREATE INDEX CONCURRENTLY statement. */
export function concurrentIndexTarget(statement: RunnableStatement): IndexTarget | undefined {
  if (statement.kind !== 'IndexStmt' || !statement.node?.concurrent) return undefined;
  const relation = statement.node.relation as { relname?: string; schemaname?: string } | undefined;
  if (!relation?.relname) return undefined;
  return { schema: relation.schemaname || undefined, table: relation.relname, index: statement.node.idxname || undefined };
}

async function invalidIndexLeftBy(session: DbSession, statement: RunnableStatement): Promise<string[]> {
  const target = concurrentIndexTarget(statement);
  if (!target) return [];
  try {
    return await findInvalidIndexes(session, target);
  } catch {
    return [];
  }
}
