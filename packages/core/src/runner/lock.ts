/**
 * The migration lock: a session-level advisory lock held on a DEDICATED connection for the
 * whole run. It is taken by polling `pg_try_advisory_lock` with backoff until a deadline,
 * never with the blocking `pg_advisory_lock`: a runner blocked inside that call sits in a
 * transaction-less wait that CREATE INDEX CONCURRENTLY of the holder would wait for in turn.
 *
 * Advisory locks are per database, so runners on different databases never contend.
 * The key is fixed: the first 8 bytes of SHA-256("pgwarden:migrate") as a signed bigint,
 * so any pgwarden version (and a DBA who wants to pause migrations) takes the same lock.
 *
 * PGlite has one connection and one process (the data directory's file lock covers it),
 * so there the lock is a no-op.
 *
 * The migration session can also check the lock itself, inside its transaction and in the same
 * round trip as its own statements (`inSessionCheck`): pg_locks must show the lock held by the
 * lock connection's pid, and before COMMIT that pid must still be the lock connection's backend
 * (its start time: a pid alone could be reused).
 */

import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database, DbSession } from '../db/types.js';
import { RunnerError } from './errors.js';

const KEY_BYTES = createHash('sha256').update('pgwarden:migrate').digest().subarray(0, 8);

/** The advisory lock key (signed 64-bit). */
export const MIGRATION_LOCK_KEY: bigint = KEY_BYTES.readBigInt64BE(0);

/** How pg_locks shows a bigint advisory key: classid = high 32 bits, objid = low 32 bits, objsubid = 1. */
const KEY_CLASSID = KEY_BYTES.readUInt32BE(0);
const KEY_OBJID = KEY_BYTES.readUInt32BE(4);

export interface MigrationLock {
  /**
   * The lock's own connection (pg only). It is idle while the lock is held, so the runner
   * uses it to watch for lock waits of the migration session.
   */
  readonly monitor?: DbSession;
  /**
   * Throws LockLost unless the lock session is alive and still holds the lock (a cheap query
   * on its own backend). Called before each file, each no-transaction statement and each COMMIT.
   */
  assertHeld(): Promise<void>;
  /** pg: the same check for the migration session to run itself (see InSessionLockCheck). */
  readonly inSessionCheck?: InSessionLockCheck;
  release(): Promise<void>;
}

/** SQLSTATE of the error the in-session check raises (a code of pgwarden's own, class PG). */
export const LOCK_LOST_STATE = 'PGWLL';

/**
 * The lock check as PL/pgSQL statements for a DO block on the migration session: they raise
 * LOCK_LOST_STATE unless the lock connection's backend still holds the migration lock. Sent in
 * the same round trip as the statements it guards (a transactional file's BEGIN and body, its
 * history row and COMMIT), so the check costs no round trip and no query on the lock connection.
 */
export interface InSessionLockCheck {
  /**
   * Before a file's body: pg_locks shows the lock held by the lock connection's pid. A pid reused
   * by another runner's lock connection would pass it; the check before COMMIT catches that.
   */
  readonly beforeBody: string;
  /** Before COMMIT: the same, and the backend with that pid is the lock connection (its start time). */
  readonly beforeCommit: string;
  /** The error to throw when the check raised; `beforeFile` when nothing of the file ran yet. */
  lost(beforeFile: boolean): LockLost;
}

/** The lock's connection ended (server restart, pg_terminate_backend, network): another runner may now hold it. */
export class LockLost extends RunnerError {
  constructor(
    label: string,
    cause: string,
    /** Found before the file started: the file is skipped, not failed (nothing of it ran). */
    readonly beforeFile = false,
  ) {
    super(
      'lock-lost',
      `lost the pgwarden migration lock on ${label} (${cause}); stopped so that no other runner applies the same migration at the same time: check that the server is up and rerun pgwarden migrate`,
    );
    this.name = 'LockLost';
  }
}

/** True when `error` says the migration lock was lost (or another runner got ahead because of it): stop, record nothing. */
export function isLockLost(error: unknown): error is RunnerError {
  return error instanceof RunnerError && error.kind === 'lock-lost';
}

export interface AcquireLockOptions {
  /** Give up after this long (config.advisoryLockTimeoutMs). */
  timeoutMs: number;
  /** Called once when the first attempt finds the lock taken. */
  onWait?: (holder: string) => void;
  /** First poll delay, doubled up to maxDelayMs (defaults 50 and 1000). */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface LockHolder {
  pid: number;
  applicationName: string;
  user: string;
  clientAddr: string | null;
  state: string | null;
  backendStart: Date | null;
}

export async function acquireMigrationLock(db: Database, options: AcquireLockOptions): Promise<MigrationLock> {
  if (db.kind === 'pglite') return { assertHeld: async () => {}, release: async () => {} };

  const session = await db.session();
  try {
    const deadline = Date.now() + options.timeoutMs;
    let delay = options.initialDelayMs ?? 50;
    const maxDelay = options.maxDelayMs ?? 1000;
    let waited = false;
    for (;;) {
      const { rows } = await session.query<{ locked: boolean } & LockBackend>(
        `SELECT pg_try_advisory_lock($1::bigint) AS locked, pg_backend_pid() AS pid,
                (SELECT oid FROM pg_database WHERE datname = current_database())::bigint::text AS database,
                (SELECT (extract(epoch FROM backend_start) * 1000000)::bigint::text FROM pg_stat_get_activity(pg_backend_pid())) AS started`,
        [MIGRATION_LOCK_KEY.toString()],
      );
      if (rows[0]?.locked) {
        return {
          monitor: session,
          assertHeld: () => assertStillHeld(session, db.label),
          inSessionCheck: inSessionCheck(rows[0], db.label),
          release: async () => {
            try {
              await session.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]);
            } catch {
              // closing the connection releases a session lock anyway
            }
            await session.close();
          },
        };
      }
      if (!waited) {
        waited = true;
        options.onWait?.(describeHolder(await findLockHolder(session)));
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const holder = describeHolder(await findLockHolder(session));
        throw new RunnerError(
          'lock-timeout',
          `another migration run holds the pgwarden lock on ${db.label} (${holder}); gave up after ${formatMs(options.timeoutMs)}: wait for it to finish, or raise advisoryLockTimeoutMs`,
        );
      }
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, maxDelay);
    }
  } catch (err) {
    await session.close();
    throw err;
  }
}

const HELD_BY_ME = `SELECT EXISTS (
  SELECT 1 FROM pg_locks
   WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
     AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 1) AS held`;

/** The lock connection's backend: pid, database oid, and start time (microseconds since the epoch). */
export interface LockBackend {
  pid: number;
  database: string | null;
  started: string | null;
}

/**
 * pg_stat_clear_snapshot: a transaction keeps its first view of pg_stat_activity (the body may
 * have read it), while pg_locks is read afresh every time.
 */
export function inSessionCheck({ pid, database, started }: LockBackend, label: string): InSessionLockCheck | undefined {
  // Inlined into SQL: only integers pass (anything else keeps the check on the lock connection).
  const integer = (value: string | null): value is string => value !== null && /^\d{1,19}$/.test(value);
  if (!Number.isSafeInteger(pid) || !integer(database) || !integer(started)) return undefined;
  const lockRow = `EXISTS (
       SELECT 1 FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND pid = ${pid} AND database = ${database}::bigint::oid
          AND classid = ${KEY_CLASSID}::bigint::oid AND objid = ${KEY_OBJID}::bigint::oid AND objsubid = 1)`;
  const sameBackend = `EXISTS (SELECT 1 FROM pg_stat_get_activity(${pid}) WHERE (extract(epoch FROM backend_start) * 1000000)::bigint = ${started})`;
  const raise = `RAISE EXCEPTION USING ERRCODE = '${LOCK_LOST_STATE}', MESSAGE = 'the pgwarden migration lock is no longer held by this run';`;
  return {
    beforeBody: `IF NOT ${lockRow} THEN ${raise} END IF;`,
    beforeCommit: `PERFORM pg_stat_clear_snapshot();
  IF NOT ${lockRow} OR NOT ${sameBackend} THEN ${raise} END IF;`,
    lost: (beforeFile) => new LockLost(label, 'its session no longer holds it', beforeFile),
  };
}

async function assertStillHeld(session: DbSession, label: string): Promise<void> {
  let held: boolean;
  try {
    const { rows } = await session.query<{ held: boolean }>(HELD_BY_ME, [KEY_CLASSID, KEY_OBJID]);
    held = rows[0]?.held === true;
  } catch (error) {
    const why = (error as { userMessage?: string }).userMessage ?? (error as Error).message;
    throw new LockLost(label, `its connection failed: ${why}`);
  }
  if (!held) throw new LockLost(label, 'its session no longer holds it');
}

/** Who holds the migration lock right now, from pg_locks joined to pg_stat_activity. */
export async function findLockHolder(session: DbSession): Promise<LockHolder | undefined> {
  const { rows } = await session.query<{
    pid: number;
    application_name: string;
    usename: string | null;
    client_addr: string | null;
    state: string | null;
    backend_start: Date | null;
  }>(
    `SELECT a.pid, a.application_name, a.usename, a.client_addr::text AS client_addr, a.state, a.backend_start
       FROM pg_locks l
       JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid AND l.objsubid = 1
      LIMIT 1`,
    [KEY_CLASSID, KEY_OBJID],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    pid: row.pid,
    applicationName: row.application_name,
    user: row.usename ?? '?',
    clientAddr: row.client_addr,
    state: row.state,
    backendStart: row.backend_start,
  };
}

export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'holder already gone';
  const parts = [`pid ${holder.pid}`];
  parts.push(`application "${holder.applicationName || '?'}"`);
  parts.push(`user ${holder.user}`);
  if (holder.clientAddr) parts.push(`from ${holder.clientAddr}`);
  if (holder.backendStart) parts.push(`connected since ${holder.backendStart.toISOString()}`);
  return parts.join(', ');
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${ms}ms`;
}
