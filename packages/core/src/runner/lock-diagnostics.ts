/**
 * Naming what blocked a migration. A lock_timeout error does not say which lock it waited
 * for, and once it fires the wait is over, so while a migration runs the runner samples
 * (on the idle advisory-lock connection) what the migration's backend is waiting for and who
 * blocks it: pg_locks for the ungranted lock, pg_blocking_pids for the blockers, and
 * pg_stat_activity for a description. Never the blockers' query text or any row data.
 */

import type { DbSession } from '../db/types.js';

export interface LockBlocker {
  pid: number;
  applicationName: string;
  user: string;
  /** pg_stat_activity.state, e.g. `idle in transaction`. */
  state: string | null;
  /** Seconds since the blocker's transaction started. */
  transactionAgeSeconds: number | null;
  /** Lock modes the blocker holds on the same relation. */
  heldModes: string | null;
}

export interface LockWait {
  /** Relation waited for (schema-qualified when not on the search path), or null for a non-relation lock. */
  relation: string | null;
  lockType: string;
  /** Mode the migration asked for, e.g. AccessExclusiveLock. */
  mode: string;
  blockers: LockBlocker[];
}

interface WaitRow {
  locktype: string;
  mode: string;
  relation: string | null;
  pid: number;
  application_name: string | null;
  usename: string | null;
  state: string | null;
  xact_age_s: number | null;
  held_modes: string | null;
}

const WAIT_QUERY = `
SELECT l.locktype, l.mode,
       CASE WHEN l.relation IS NOT NULL THEN l.relation::regclass::text END AS relation,
       b.pid, b.application_name, b.usename, b.state,
       floor(EXTRACT(EPOCH FROM clock_timestamp() - b.xact_start))::int AS xact_age_s,
       (SELECT string_agg(DISTINCT h.mode, ', ') FROM pg_locks h
         WHERE h.pid = b.pid AND h.granted AND h.relation IS NOT DISTINCT FROM l.relation) AS held_modes
  FROM pg_locks l
 CROSS JOIN LATERAL unnest(pg_blocking_pids(l.pid)) AS bp(pid)
  JOIN pg_stat_activity b ON b.pid = bp.pid
 WHERE l.pid = $1 AND NOT l.granted`;

/** What backend `pid` waits for right now, or undefined when it does not wait. */
export async function sampleLockWait(monitor: DbSession, pid: number): Promise<LockWait | undefined> {
  const { rows } = await monitor.query<WaitRow>(WAIT_QUERY, [pid]);
  if (rows.length === 0) return undefined;
  const first = rows[0]!;
  return {
    relation: first.relation,
    lockType: first.locktype,
    mode: first.mode,
    blockers: rows.map((r) => ({
      pid: r.pid,
      applicationName: r.application_name ?? '',
      user: r.usename ?? '?',
      state: r.state,
      transactionAgeSeconds: r.xact_age_s,
      heldModes: r.held_modes,
    })),
  };
}

export interface LockWaitSampler {
  /** Stops sampling; resolves with the last wait seen (after any query in flight finished). */
  stop(): Promise<LockWait | undefined>;
}

/** Samples every `intervalMs` until stopped. Errors of the monitor query are ignored. */
export function startLockWaitSampler(monitor: DbSession, pid: number, intervalMs: number): LockWaitSampler {
  let last: LockWait | undefined;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const tick = () => {
    inFlight = sampleLockWait(monitor, pid)
      .then((wait) => {
        if (wait) last = wait;
      })
      .catch(() => {})
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
      return last;
    },
  };
}

/** Sampling interval for a lock_timeout: a few samples inside the timeout, at most every 250 ms. */
export function samplingInterval(lockTimeoutMs: number): number {
  if (lockTimeoutMs <= 0) return 250;
  return Math.max(20, Math.min(250, Math.floor(lockTimeoutMs / 4)));
}

export function describeBlocker(b: LockBlocker): string {
  const parts = [`pid ${b.pid}`, `application "${b.applicationName || '?'}"`, `user ${b.user}`];
  if (b.state) parts.push(b.state);
  if (b.transactionAgeSeconds !== null) parts.push(`transaction open for ${b.transactionAgeSeconds}s`);
  if (b.heldModes) parts.push(`holding ${b.heldModes}`);
  return parts.join(', ');
}

export function describeLockWait(wait: LockWait | undefined): string {
  if (!wait) return 'the blocking session was not identified (it may have released its lock)';
  const target = wait.relation ? `table ${wait.relation}` : `a ${wait.lockType} lock`;
  const blockers = wait.blockers.map(describeBlocker).join('; ');
  return `waiting for ${wait.mode} on ${target}, blocked by ${blockers}`;
}
