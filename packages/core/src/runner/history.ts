/**
 * The history of applied migrations, kept in the target database:
 *
 *   pgwarden.history_meta       one row: layout_version of the tables below, for later upgrades
 *   pgwarden.migration_history  one row per migration file, keyed by (version, name)
 *   pgwarden.statement_progress no-transaction files: one row per executed statement (ordinal, hash)
 *   pgwarden.repair_log         audit trail of `repair`
 *
 * One row per migration: every write is an upsert on (version, name). `version` alone is
 * not unique in real histories (several files numbered `_00_` on the same day), so the file's
 * base name is part of the key; renaming an applied file therefore shows the old row as
 * missing-file and the new name as pending. A successful run writes status `applied` in the
 * migration's own transaction; a failed attempt updates the same row to `failed` in a
 * transaction of its own; a no-transaction file moves through `running`, and each executed
 * statement appends its row to statement_progress (in the statement's own transaction where
 * Postgres allows one), so recording progress costs the same for the 10,000th statement as for
 * the first. The executed prefix is read back from those rows. `statement_hashes` of
 * migration_history is layout 1's progress list, no longer written.
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
export const HISTORY_LAYOUT_VERSION = 2;

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

/** What layout 2 adds: per-statement progress rows, and the kind of each repair. Idempotent. */
const LAYOUT_2 = `
CREATE TABLE IF NOT EXISTS pgwarden.statement_progress (
  version text NOT NULL,
  name text NOT NULL,
  ordinal integer NOT NULL CHECK (ordinal > 0),
  hash text NOT NULL,
  executed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (version, name, ordinal)
);
ALTER TABLE pgwarden.repair_log ADD COLUMN IF NOT EXISTS action text NOT NULL DEFAULT 'accept-checksum';
ALTER TABLE pgwarden.repair_log ADD COLUMN IF NOT EXISTS detail text;`;

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
${LAYOUT_2}
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

/** Upgrade steps from older layouts, in one transaction (called under the migration lock). */
async function upgradeHistory(session: DbSession, from: number): Promise<void> {
  try {
    await session.exec('BEGIN');
    if (from < 2) {
      await session.exec(LAYOUT_2);
      // Layout 1 kept the executed prefix of a partial run as a JSON list on the history row.
      await session.exec(`
        INSERT INTO pgwarden.statement_progress (version, name, ordinal, hash)
        SELECT h.version, h.name, e.ordinal::int, e.hash
          FROM pgwarden.migration_history h
         CROSS JOIN LATERAL jsonb_array_elements_text(h.statement_hashes) WITH ORDINALITY AS e(hash, ordinal)
         WHERE h.status <> 'applied' AND e.ordinal <= coalesce(h.statements_applied, 0)
        ON CONFLICT DO NOTHING`);
    }
    await session.query('UPDATE pgwarden.history_meta SET layout_version = $1, upgraded_at = now()', [HISTORY_LAYOUT_VERSION]);
    await session.exec('COMMIT');
  } catch (err) {
    await session.exec('ROLLBACK').catch(() => {});
    throw err;
  }
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

/**
 * Every history row, oldest version first; empty when the tables do not exist yet.
 * `ensured`: ensureHistory ran on this session (under the lock), so the tables exist in the current
 * layout and need no look-up.
 */
export async function readHistory(session: DbSession, options: { ensured?: boolean } = {}): Promise<HistoryRow[]> {
  if (!options.ensured && !(await historyExists(session))) return [];
  // A partial no-transaction run's executed prefix is its progress rows (layout 2); an
  // older layout (read-only commands do not upgrade) still has it on the row.
  const progress = options.ensured || (await progressTableExists(session));
  const { rows } = await session.query<RawRow>(
    progress
      ? `SELECT h.version, h.name, h.checksum, h.status, h.started_at, h.finished_at, h.duration_ms, h.applied_by, h.tool_version,
                CASE WHEN h.status = 'applied' THEN h.statements_applied ELSE coalesce(p.done, 0) END AS statements_applied,
                coalesce(p.hashes, '[]'::jsonb) AS statement_hashes, h.attempts, h.error
           FROM pgwarden.migration_history h
           LEFT JOIN LATERAL (
             SELECT count(*)::int AS done, jsonb_agg(sp.hash ORDER BY sp.ordinal) AS hashes
               FROM pgwarden.statement_progress sp
              WHERE sp.version = h.version AND sp.name = h.name AND h.status <> 'applied'
           ) p ON true
          ORDER BY h.version, h.name`
      : `SELECT version, name, checksum, status, started_at, finished_at, duration_ms, applied_by, tool_version,
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

async function progressTableExists(session: DbSession): Promise<boolean> {
  const { rows } = await session.query<{ present: boolean }>(
    `SELECT to_regclass('pgwarden.statement_progress') IS NOT NULL AS present`,
  );
  return rows[0]?.present === true;
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

export type AppliedEntry = HistoryEntry & { durationMs: number; statementsApplied: number | null };

/** Another runner recorded the migration applied while this one was running it (it lost the lock). */
export class AppliedMeanwhile extends RunnerError {
  constructor(relPath: string) {
    super(
      'lock-lost',
      `${relPath}: another runner recorded it applied while this run was applying it (this run had lost the migration lock); rolled back this run's copy: nothing to do`,
    );
    this.name = 'AppliedMeanwhile';
  }
}

/** The upsert that marks a migration applied, its eight values given as SQL (placeholders or literals). */
function appliedUpsert(values: readonly string[]): string {
  const [version, name, checksum, startedAt, durationMs, appliedBy, toolVersion, statementsApplied] = values;
  return `INSERT INTO pgwarden.migration_history AS h
            (version, name, checksum, status, started_at, finished_at, duration_ms, applied_by, tool_version,
             statements_applied, attempts, error)
     VALUES (${version}, ${name}, ${checksum}, 'applied', ${startedAt}, clock_timestamp(), ${durationMs}, ${appliedBy}, ${toolVersion}, ${statementsApplied}, 1, NULL)
     ON CONFLICT (version, name) DO UPDATE SET
            checksum = EXCLUDED.checksum, status = 'applied', started_at = EXCLUDED.started_at,
            finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms,
            applied_by = EXCLUDED.applied_by, tool_version = EXCLUDED.tool_version,
            statements_applied = EXCLUDED.statements_applied,
            attempts = CASE WHEN h.status = 'running' THEN h.attempts ELSE h.attempts + 1 END, error = NULL
      WHERE h.status <> 'applied'`;
}

/**
 * Marks the migration applied. Runs inside the migration's transaction (transactional files),
 * so the row and the schema change commit together. Returns false, writing nothing, when the
 * row is already `applied`: then another runner applied it meanwhile and the caller must roll
 * back (an INSERT that meets another transaction's uncommitted row waits for it, so two runners
 * can never both record, and so both commit, the same migration).
 */
export async function recordApplied(session: DbSession, entry: AppliedEntry): Promise<boolean> {
  const { rowCount } = await session.query(appliedUpsert(['$1', '$2', '$3', '$4', '$5', '$6', '$7', '$8']), [
    entry.version,
    entry.name,
    entry.checksum,
    entry.startedAt,
    Math.round(entry.durationMs),
    entry.appliedBy,
    entry.toolVersion,
    entry.statementsApplied,
  ]);
  return rowCount > 0;
}

/** SQLSTATE raised by recordAppliedSql when the row is already applied (a code of pgwarden's own, class PG). */
export const APPLIED_MEANWHILE_STATE = 'PGWAM';

/**
 * recordApplied as SQL text, for the round trip that also commits (simple protocol has no
 * parameters: strings are quoted with quoteLiteral, numbers checked to be integers). Instead of
 * returning false it raises APPLIED_MEANWHILE_STATE, so a COMMIT sent after it in the same
 * round trip never runs. `thenCheck`: PL/pgSQL run once the row is written (the in-session lock
 * check), before that COMMIT.
 */
export function recordAppliedSql(entry: AppliedEntry, thenCheck = ''): string {
  const upsert = appliedUpsert([
    quoteLiteral(entry.version),
    quoteLiteral(entry.name),
    quoteLiteral(entry.checksum),
    quoteLiteral(entry.startedAt.toISOString()),
    sqlInteger(Math.round(entry.durationMs)),
    quoteLiteral(entry.appliedBy),
    quoteLiteral(entry.toolVersion),
    entry.statementsApplied === null ? 'NULL' : sqlInteger(entry.statementsApplied),
  ]);
  return `WITH recorded AS (${upsert} RETURNING 1)
SELECT set_config('pgwarden.recorded', count(*)::text, true) FROM recorded;
DO $pgwarden$BEGIN
  IF current_setting('pgwarden.recorded') = '0' THEN
    RAISE EXCEPTION USING ERRCODE = '${APPLIED_MEANWHILE_STATE}', MESSAGE = 'another runner recorded this migration applied meanwhile';
  END IF;
  ${thenCheck}
END$pgwarden$`;
}

function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}

/**
 * Records a failed attempt, in a transaction of its own (after the migration's rollback).
 * The executed prefix of a no-transaction file (its progress rows) is kept.
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

/**
 * no-transaction files: marks the run started (status running), keeping the progress rows of
 * the first `resumeFrom` statements (the prefix this run skips) and dropping any others.
 * One transaction; refuses (returns false) when the row is already applied.
 */
export async function recordRunning(session: DbSession, entry: HistoryEntry & { resumeFrom: number }): Promise<boolean> {
  await session.exec('BEGIN');
  try {
    const { rowCount } = await session.query(
      `INSERT INTO pgwarden.migration_history AS h
              (version, name, checksum, status, started_at, applied_by, tool_version, statements_applied, attempts)
       VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, 1)
       ON CONFLICT (version, name) DO UPDATE SET
              checksum = EXCLUDED.checksum, status = 'running', started_at = EXCLUDED.started_at,
              finished_at = NULL, duration_ms = NULL, applied_by = EXCLUDED.applied_by,
              tool_version = EXCLUDED.tool_version, statements_applied = EXCLUDED.statements_applied,
              attempts = h.attempts + 1, error = NULL
        WHERE h.status <> 'applied'`,
      [entry.version, entry.name, entry.checksum, entry.startedAt, entry.appliedBy, entry.toolVersion, entry.resumeFrom],
    );
    if (rowCount === 0) {
      await session.exec('ROLLBACK');
      return false;
    }
    await session.query(`DELETE FROM pgwarden.statement_progress WHERE version = $1 AND name = $2 AND ordinal > $3`, [
      entry.version,
      entry.name,
      entry.resumeFrom,
    ]);
    await session.exec('COMMIT');
    return true;
  } catch (err) {
    await session.exec('ROLLBACK').catch(() => {});
    throw err;
  }
}

/**
 * The SQL that records statement `ordinal` (1-based) of a no-transaction file as executed: one
 * appended row. Sent inside the statement's own transaction where it may have one, so the
 * statement and its record commit together; its primary key makes a second runner that got
 * this far wait for the first and then fail instead of running the statement again.
 */
export function progressRowSql(key: { version: string; name: string }, ordinal: number, hash: string): string {
  return `INSERT INTO pgwarden.statement_progress (version, name, ordinal, hash) VALUES (${quoteLiteral(key.version)}, ${quoteLiteral(key.name)}, ${ordinal}, ${quoteLiteral(hash)})`;
}

/** Sets the executed prefix of a partial run to exactly `hashes` (repair --resume-from). */
export async function replaceProgress(session: DbSession, key: { version: string; name: string }, hashes: readonly string[]): Promise<void> {
  await session.query(`DELETE FROM pgwarden.statement_progress WHERE version = $1 AND name = $2`, [key.version, key.name]);
  if (hashes.length === 0) return;
  await session.query(
    `INSERT INTO pgwarden.statement_progress (version, name, ordinal, hash)
     SELECT $1, $2, e.ordinal::int, e.hash FROM unnest($3::text[]) WITH ORDINALITY AS e(hash, ordinal)`,
    [key.version, key.name, hashes],
  );
}
