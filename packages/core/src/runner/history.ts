/**
 * The history of applied migrations, kept in the target database:
 *
 *   pgwarden.history_meta       one row: layout_version of the tables below, for later upgrades
 *   pgwarden.migration_history  one row per migration file, keyed by (version, name)
 *   pgwarden.repair_log         audit trail of `repair`
 *
 * One row per migration: every write is an upsert on (version, name). `version` alone is
 * not unique in real histories (several files numbered `_00_` on the same day), so the file's
 * base name is part of the key; renaming an applied file therefore shows the old row as
 * missing-file and the new name as pending. A successful run writes status `applied` in the
 * migration's own transaction; a failed attempt updates the same row to `failed` in a
 * transaction of its own; a no-transaction file moves through `running` with
 * `statements_applied` and `statement_hashes` (the executed prefix) after each statement.
 * `attempts` counts the runs that reached the database.
 *
 * Creation is idempotent (IF NOT EXISTS) and runs under the migration advisory lock, so two
 * runners never race on CREATE SCHEMA.
 */

import type { DbSession } from '../db/types.js';
import { quoteLiteral } from '../sql/quote.js';
import { RunnerError } from './errors.js';

export const HISTORY_SCHEMA = 'pgwarden';
export const HISTORY_TABLE = 'pgwarden.migration_history';
/** Bump with an upgrade step in `upgradeHistory` when the tables change. */
export const HISTORY_LAYOUT_VERSION = 1;

export type HistoryStatus = 'applied' | 'failed' | 'running';

export interface HistoryRow {
  version: string;
  /** File base name, e.g. `2025-10-08_18_add_processing_time_minutes.sql`. */
  name: string;
  checksum: string;
  status: HistoryStatus;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  appliedBy: string;
  toolVersion: string;
  /** no-transaction files: statements executed so far; null for a file run in one transaction. */
  statementsApplied: number | null;
  /** no-transaction files: SHA-256 of each executed statement, in order. */
  statementHashes: string[];
  attempts: number;
  error: string | null;
}

const CREATE_HISTORY = `
BEGIN;
CREATE SCHEMA IF NOT EXISTS pgwarden;
CREATE TABLE IF NOT EXISTS pgwarden.history_meta (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  layout_version integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  upgraded_at timestamptz
);
INSERT INTO pgwarden.history_meta (layout_version) VALUES (${HISTORY_LAYOUT_VERSION}) ON CONFLICT (singleton) DO NOTHING;
CREATE TABLE IF NOT EXISTS pgwarden.migration_history (
  version text NOT NULL,
  name text NOT NULL,
  checksum text NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'failed', 'running')),
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  duration_ms integer,
  applied_by text NOT NULL,
  tool_version text NOT NULL,
  statements_applied integer,
  statement_hashes jsonb NOT NULL DEFAULT '[]'::jsonb,
  attempts integer NOT NULL DEFAULT 1,
  error text,
  PRIMARY KEY (version, name)
);
CREATE TABLE IF NOT EXISTS pgwarden.repair_log (
  id bigserial PRIMARY KEY,
  version text NOT NULL,
  name text NOT NULL,
  old_checksum text NOT NULL,
  new_checksum text NOT NULL,
  repaired_by text NOT NULL,
  reason text NOT NULL,
  repaired_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON SCHEMA pgwarden IS 'pgwarden migration history; written by pgwarden migrate and repair only';
COMMIT;`;

/** True when the history tables exist (read-only check: status never creates them). */
export async function historyExists(session: DbSession): Promise<boolean> {
  const { rows } = await session.query<{ present: boolean }>(
    `SELECT to_regclass('pgwarden.migration_history') IS NOT NULL AND to_regclass('pgwarden.history_meta') IS NOT NULL AS present`,
  );
  return rows[0]?.present === true;
}

/** Creates or upgrades the history tables. Call with the migration lock held. */
export async function ensureHistory(session: DbSession): Promise<void> {
  if (!(await historyExists(session))) {
    try {
      await session.exec(CREATE_HISTORY);
    } catch (err) {
      await session.exec('ROLLBACK').catch(() => {});
      throw err;
    }
  }
  const layout = await readLayoutVersion(session);
  if (layout > HISTORY_LAYOUT_VERSION) {
    throw new RunnerError(
      'history-layout',
      `the pgwarden history in this database has layout ${layout}, newer than this pgwarden understands (${HISTORY_LAYOUT_VERSION}): upgrade pgwarden`,
    );
  }
  if (layout < HISTORY_LAYOUT_VERSION) await upgradeHistory(session, layout);
}

async function readLayoutVersion(session: DbSession): Promise<number> {
  const { rows } = await session.query<{ layout_version: number }>('SELECT layout_version FROM pgwarden.history_meta');
  return rows[0]?.layout_version ?? HISTORY_LAYOUT_VERSION;
}

/** Upgrade steps from older layouts go here, each in its own transaction. Layout 1 is the first. */
async function upgradeHistory(session: DbSession, from: number): Promise<void> {
  void from;
  await session.query('UPDATE pgwarden.history_meta SET layout_version = $1, upgraded_at = now()', [HISTORY_LAYOUT_VERSION]);
}

interface RawRow {
  version: string;
  name: string;
  checksum: string;
  status: HistoryStatus;
  started_at: Date | string;
  finished_at: Date | string | null;
  duration_ms: number | null;
  applied_by: string;
  tool_version: string;
  statements_applied: number | null;
  statement_hashes: unknown;
  attempts: number;
  error: string | null;
}

const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/** Every history row, oldest version first; empty when the tables do not exist yet. */
export async function readHistory(session: DbSession): Promise<HistoryRow[]> {
  if (!(await historyExists(session))) return [];
  const { rows } = await session.query<RawRow>(
    `SELECT version, name, checksum, status, started_at, finished_at, duration_ms, applied_by, tool_version,
            statements_applied, statement_hashes, attempts, error
       FROM pgwarden.migration_history
      ORDER BY version, name`,
  );
  return rows.map((r) => ({
    version: r.version,
    name: r.name,
    checksum: r.checksum,
    status: r.status,
    startedAt: toDate(r.started_at),
    finishedAt: r.finished_at === null ? null : toDate(r.finished_at),
    durationMs: r.duration_ms,
    appliedBy: r.applied_by,
    toolVersion: r.tool_version,
    statementsApplied: r.statements_applied,
    statementHashes: parseHashes(r.statement_hashes),
    attempts: r.attempts,
    error: r.error,
  }));
}

function parseHashes(value: unknown): string[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? list.filter((h): h is string => typeof h === 'string') : [];
}

export interface HistoryEntry {
  version: string;
  name: string;
  checksum: string;
  startedAt: Date;
  appliedBy: string;
  toolVersion: string;
}

export type AppliedEntry = HistoryEntry & { durationMs: number; statementsApplied: number | null; statementHashes: string[] };

/**
 * Marks the migration applied. Runs inside the migration's transaction (transactional files),
 * so the row and the schema change commit together. `then` is SQL sent in the same round trip
 * (the COMMIT): one round trip fewer per migration, which is most of the runner's overhead.
 */
export async function recordApplied(session: DbSession, entry: AppliedEntry, then = ''): Promise<void> {
  const values = [
    quoteLiteral(entry.version),
    quoteLiteral(entry.name),
    quoteLiteral(entry.checksum),
    `${quoteLiteral(entry.startedAt.toISOString())}::timestamptz`,
    String(Math.round(entry.durationMs)),
    quoteLiteral(entry.appliedBy),
    quoteLiteral(entry.toolVersion),
    entry.statementsApplied === null ? 'NULL' : String(entry.statementsApplied),
    `${quoteLiteral(JSON.stringify(entry.statementHashes))}::jsonb`,
  ];
  await session.exec(
    `INSERT INTO pgwarden.migration_history AS h
            (version, name, checksum, status, started_at, finished_at, duration_ms, applied_by, tool_version,
             statements_applied, statement_hashes, attempts, error)
     VALUES (${values.slice(0, 3).join(', ')}, 'applied', ${values[3]}, clock_timestamp(), ${values.slice(4).join(', ')}, 1, NULL)
     ON CONFLICT (version, name) DO UPDATE SET
            checksum = EXCLUDED.checksum, status = 'applied', started_at = EXCLUDED.started_at,
            finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms,
            applied_by = EXCLUDED.applied_by, tool_version = EXCLUDED.tool_version,
            statements_applied = EXCLUDED.statements_applied, statement_hashes = EXCLUDED.statement_hashes,
            attempts = CASE WHEN h.status = 'running' THEN h.attempts ELSE h.attempts + 1 END, error = NULL;
     ${then}`,
  );
}

/**
 * Records a failed attempt, in a transaction of its own (after the migration's rollback).
 * The executed prefix of a no-transaction file (statements_applied, statement_hashes) is kept.
 */
export async function recordFailed(session: DbSession, entry: HistoryEntry & { durationMs: number; error: string }): Promise<void> {
  await session.query(
    `INSERT INTO pgwarden.migration_history AS h
            (version, name, checksum, status, started_at, finished_at, duration_ms, applied_by, tool_version, attempts, error)
     VALUES ($1, $2, $3, 'failed', $4, clock_timestamp(), $5, $6, $7, 1, $8)
     ON CONFLICT (version, name) DO UPDATE SET
            checksum = EXCLUDED.checksum, status = 'failed', started_at = EXCLUDED.started_at,
            finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms,
            applied_by = EXCLUDED.applied_by, tool_version = EXCLUDED.tool_version,
            attempts = CASE WHEN h.status = 'running' THEN h.attempts ELSE h.attempts + 1 END,
            error = EXCLUDED.error
      WHERE h.status <> 'applied'`,
    [
      entry.version,
      entry.name,
      entry.checksum,
      entry.startedAt,
      Math.round(entry.durationMs),
      entry.appliedBy,
      entry.toolVersion,
      entry.error,
    ],
  );
}

/** no-transaction files: marks the run started (status running) with the prefix already executed. */
export async function recordRunning(
  session: DbSession,
  entry: HistoryEntry & { statementsApplied: number; statementHashes: string[] },
): Promise<void> {
  await session.query(
    `INSERT INTO pgwarden.migration_history AS h
            (version, name, checksum, status, started_at, applied_by, tool_version, statements_applied, statement_hashes, attempts)
     VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, $8::jsonb, 1)
     ON CONFLICT (version, name) DO UPDATE SET
            checksum = EXCLUDED.checksum, status = 'running', started_at = EXCLUDED.started_at,
            finished_at = NULL, duration_ms = NULL, applied_by = EXCLUDED.applied_by,
            tool_version = EXCLUDED.tool_version, statements_applied = EXCLUDED.statements_applied,
            statement_hashes = EXCLUDED.statement_hashes, attempts = h.attempts + 1, error = NULL`,
    [
      entry.version,
      entry.name,
      entry.checksum,
      entry.startedAt,
      entry.appliedBy,
      entry.toolVersion,
      entry.statementsApplied,
      JSON.stringify(entry.statementHashes),
    ],
  );
}

/** no-transaction files: one more statement done (autocommit, right after the statement). */
export async function recordProgress(
  session: DbSession,
  key: { version: string; name: string },
  statementsApplied: number,
  statementHashes: string[],
): Promise<void> {
  await session.query(
    `UPDATE pgwarden.migration_history SET statements_applied = $3, statement_hashes = $4::jsonb
      WHERE version = $1 AND name = $2`,
    [key.version, key.name, statementsApplied, JSON.stringify(statementHashes)],
  );
}
