/**
 * `repair`: the audited ways out of a state the runner refuses, each under the migration lock
 * (so it never races a running migrate), in one transaction with its line in
 * pgwarden.repair_log (who, why, what):
 *
 *   accept       an applied migration whose file changed: record the file's current checksum
 *   resume-from  a partial no-transaction run (running or failed, or applied with an invalid
 *                index): record statements 1..N of the current file as executed, so the next
 *                migrate resumes at N+1; refused while one of those statements' concurrent
 *                index is invalid
 *   mark-applied a partial or failed run finished by hand: record the file applied as it is
 *                now; refused while an index the file builds concurrently is invalid
 *
 * A repair that would change nothing is refused: the log only holds real changes.
 */

import type { Database, DbSession } from '../db/types.js';
import type { Migration } from '../migration/types.js';
import { RunnerError } from './errors.js';
import { ensureHistory, replaceProgress } from './history.js';
import { dropInvalidIndexAdvice, invalidIndexesOfFile } from './index-validity.js';
import { acquireMigrationLock } from './lock.js';
import { splitStatements, type RunnableStatement } from './statements.js';

export type RepairAction = 'accept' | 'resume-from' | 'mark-applied';

export interface RepairOptions {
  version: string;
  /** File base name; needed when several files share the version (the CLI always gives it, see find-migration.ts). */
  name?: string;
  by: string;
  reason: string;
  /** The file's current checksum (Migration.checksum). */
  newChecksum: string;
  /** Default `accept`. */
  action?: RepairAction;
  /** resume-from: statements already executed (the next run starts at statement N+1). */
  resumeFrom?: number;
  /** resume-from and mark-applied: the migration as it is on disk now. */
  migration?: Migration;
  /** How long to wait for a running migrate (default 60 s). */
  lockTimeoutMs?: number;
}

export interface RepairResult {
  version: string;
  name: string;
  action: RepairAction;
  oldChecksum: string;
  newChecksum: string;
  /** One line saying what changed, as logged in repair_log.detail. */
  detail: string;
}

interface Row {
  name: string;
  checksum: string;
  status: string;
  done: number;
  hashes: string[] | null;
}

export async function repair(db: Database, options: RepairOptions): Promise<RepairResult> {
  const action = options.action ?? 'accept';
  if (!options.by.trim()) throw new RunnerError('repair', 'repair needs --by NAME: who accepts the change');
  if (!options.reason.trim()) throw new RunnerError('repair', 'repair needs --reason TEXT: why the history is changed');
  if (!/^[0-9a-f]{64}$/.test(options.newChecksum)) throw new RunnerError('repair', `repair: '${options.newChecksum}' is not a SHA-256 checksum`);
  if (action !== 'accept' && !options.migration) throw new RunnerError('repair', `repair --${action} needs the migration file`);
  if (action === 'resume-from' && !(Number.isInteger(options.resumeFrom) && options.resumeFrom! >= 0)) {
    throw new RunnerError('repair', `repair --resume-from needs a statement count N >= 0 (the next run starts at statement N+1)`);
  }

  const lock = await acquireMigrationLock(db, { timeoutMs: options.lockTimeoutMs ?? 60_000 });
  const session = await db.session();
  try {
    await ensureHistory(session);
    await session.exec('BEGIN');
    try {
      const row = await lockRow(session, db, options);
      const change = await planChange(session, row, action, options);
      await change.apply();
      await session.query(
        `INSERT INTO pgwarden.repair_log (version, name, old_checksum, new_checksum, repaired_by, reason, action, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [options.version, row.name, row.checksum, options.newChecksum, options.by.trim(), options.reason.trim(), action, change.detail],
      );
      await session.exec('COMMIT');
      return { version: options.version, name: row.name, action, oldChecksum: row.checksum, newChecksum: options.newChecksum, detail: change.detail };
    } catch (err) {
      await session.exec('ROLLBACK').catch(() => {});
      throw err;
    }
  } finally {
    await session.close();
    await lock.release();
  }
}

async function lockRow(session: DbSession, db: Database, options: RepairOptions): Promise<Row> {
  const { rows } = await session.query<Row>(
    `SELECT h.name, h.checksum, h.status,
            (SELECT count(*)::int FROM pgwarden.statement_progress p WHERE p.version = h.version AND p.name = h.name) AS done,
            (SELECT array_agg(p.hash ORDER BY p.ordinal) FROM pgwarden.statement_progress p WHERE p.version = h.version AND p.name = h.name) AS hashes
       FROM pgwarden.migration_history h
      WHERE h.version = $1 AND ($2::text IS NULL OR h.name = $2::text)
      ORDER BY h.name FOR UPDATE OF h`,
    [options.version, options.name ?? null],
  );
  if (rows.length === 0) {
    throw new RunnerError(
      'repair',
      `repair: no migration ${options.version}${options.name ? ` (${options.name})` : ''} in the history of ${db.label}: nothing ran there, so there is nothing to repair`,
    );
  }
  if (rows.length > 1) {
    throw new RunnerError(
      'repair',
      `repair: several migrations have version ${options.version} (${rows.map((r) => r.name).join(', ')}): name the one you mean by its file name, e.g. pgwarden repair --accept ${rows[0]!.name.replace(/\.sql$/, '')}`,
    );
  }
  return rows[0]!;
}

interface Change {
  detail: string;
  apply(): Promise<void>;
}

async function planChange(session: DbSession, row: Row, action: RepairAction, options: RepairOptions): Promise<Change> {
  const key = [options.version, row.name] as const;
  const refuse = (message: string): never => {
    throw new RunnerError('repair', `repair: ${row.name}: ${message}`);
  };

  if (action === 'accept') {
    if (row.status !== 'applied') {
      refuse(`is ${row.status}, not applied: --accept only records a new checksum for an applied migration; for a partial run use --resume-from N or --mark-applied`);
    }
    if (row.checksum === options.newChecksum) {
      refuse('nothing to repair: the recorded checksum already matches the file (it is not tampered)');
    }
    return {
      detail: `checksum ${row.checksum.slice(0, 12)} -> ${options.newChecksum.slice(0, 12)}`,
      apply: async () => {
        await session.query(`UPDATE pgwarden.migration_history SET checksum = $3 WHERE version = $1 AND name = $2`, [...key, options.newChecksum]);
      },
    };
  }

  const migration = options.migration!;
  const statements = await statementsOf(migration, refuse);
  // Checked on the live database: an invalid index means the statement did not really complete.
  const invalid = await invalidIndexesOfFile(session, statements);

  if (action === 'resume-from') {
    const n = options.resumeFrom!;
    if (!migration.directives.noTransaction) refuse('--resume-from is for pgwarden:no-transaction files; this one runs in one transaction: use --mark-applied or rerun it');
    if (n > statements.length) refuse(`--resume-from ${n}: the file has only ${statements.length} statements`);
    const broken = invalid.filter((i) => i.ordinal <= n);
    if (broken.length > 0) {
      const first = broken[0]!;
      refuse(
        `statement ${first.ordinal} left invalid index ${first.name}, so it did not complete: ${dropInvalidIndexAdvice(first.name)} with --resume-from ${first.ordinal - 1}`,
      );
    }
    const hashes = statements.slice(0, n).map((s) => s.hash);
    const unchanged = row.status !== 'applied' && row.done === n && sameList(row.hashes ?? [], hashes) && row.checksum === options.newChecksum;
    if (unchanged) refuse(`nothing to repair: the next run already resumes at statement ${n + 1}; run pgwarden migrate`);
    return {
      detail: `resume at statement ${n + 1} of ${statements.length} (was ${row.status}, ${row.done} recorded as executed)`,
      apply: async () => {
        await replaceProgress(session, { version: options.version, name: row.name }, hashes);
        await session.query(
          `UPDATE pgwarden.migration_history
              SET status = 'failed', checksum = $3, statements_applied = $4, finished_at = clock_timestamp(),
                  error = $5
            WHERE version = $1 AND name = $2`,
          [...key, options.newChecksum, n, `repair: statements 1-${n} recorded as executed; the next run resumes at statement ${n + 1}`],
        );
      },
    };
  }

  if (row.status === 'applied') refuse('is already applied: nothing to mark');
  if (invalid.length > 0) {
    refuse(`index ${invalid.map((i) => i.name).join(', ')} is invalid (an interrupted concurrent build), so the file is not complete: ${invalid.map((i) => dropInvalidIndexAdvice(i.name)).join('; ')}`);
  }
  const total = migration.directives.noTransaction ? statements.length : null;
  return {
    detail: `marked applied (was ${row.status}, ${row.done} statements recorded as executed)`,
    apply: async () => {
      await session.query(
        `UPDATE pgwarden.migration_history
            SET status = 'applied', checksum = $3, statements_applied = $4, finished_at = clock_timestamp(), error = NULL
          WHERE version = $1 AND name = $2`,
        [...key, options.newChecksum, total],
      );
    },
  };
}

async function statementsOf(migration: Migration, refuse: (message: string) => never): Promise<RunnableStatement[]> {
  const split = await splitStatements(migration);
  if ('error' in split) return refuse(split.error);
  return split.statements;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
