/**
 * Runs one statement in its own savepoint inside the builder's transaction: a failure rolls
 * back that statement only, and the build goes on. Success costs one round trip.
 */
import type { DbSession } from '../db/types.js';
import { sqlErrorFields, type SqlErrorFields } from '../runner/errors.js';

const SAVEPOINT = 'SAVEPOINT pgwarden_statement;\n';

export type StatementOutcome = { ok: true } | { ok: false; error: SqlErrorFields; /** 0-based index into the statement text, when the server gave a position. */ at?: number };

/** Counts what was sent, for the cost tests (n vs 4n statements). */
export interface ExecutionCounter {
  executions: number;
}

export async function runInSavepoint(session: DbSession, sql: string, counter: ExecutionCounter): Promise<StatementOutcome> {
  counter.executions++;
  try {
    await session.exec(`${SAVEPOINT}${sql};\nRELEASE SAVEPOINT pgwarden_statement`);
    return { ok: true };
  } catch (error) {
    const fields = sqlErrorFields(error);
    await session.exec('ROLLBACK TO SAVEPOINT pgwarden_statement; RELEASE SAVEPOINT pgwarden_statement');
    if (fields.code === '25001') {
      // CREATE INDEX CONCURRENTLY, VACUUM ...: run it between the builder's transactions.
      await session.exec('COMMIT');
      try {
        await session.exec(sql);
        return { ok: true };
      } catch (alone) {
        return failure(sqlErrorFields(alone), 0);
      } finally {
        await session.exec('BEGIN');
      }
    }
    return failure(fields, SAVEPOINT.length);
  }
}

function failure(error: SqlErrorFields, prefixLength: number): StatementOutcome {
  const position = Number(error.position);
  if (!Number.isInteger(position) || position < 1) return { ok: false, error };
  return { ok: false, error, at: codePointIndex(position - 1 - prefixLength) };
}

// Positions count code points; the prefix is ASCII, and the statement's code points map to string indexes by the caller.
function codePointIndex(codePoints: number): number | undefined {
  return codePoints >= 0 ? codePoints : undefined;
}
