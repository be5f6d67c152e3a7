/**
 * `rollback`: runs an applied migration's rollback script (the header's "Rollback Script" section,
 * commented or in a block comment, see migration/body.ts) under the migration lock, in one
 * transaction that also removes the migration's history row and writes its line in
 * pgwarden.rollback_log (who, why, which checksum, how long). Either all of it happens or none.
 *
 * Refused, naming the file: a migration without a rollback script, one not applied in this
 * database, one whose file changed since it was applied (the script may not match what ran), one
 * that a later applied migration builds on (roll that back first), and one whose script has
 * transaction control of its own that would end or split that transaction (file:line, judged as
 * migrate judges a body, before anything runs; a `BEGIN; ... COMMIT;` wrapper is neutralised).
 * Where it may run at all (the environment's allowRollback) is the caller's decision
 * (workspace/rollback-target.ts).
 */

import { performance } from 'node:perf_hooks';
import type { Database } from '../db/types.js';
import { hasUserMessage } from '../db/errors.js';
import type { Migration } from '../migration/types.js';
import { RunnerError, sqlState } from './errors.js';
import { ensureHistory } from './history.js';
import { acquireMigrationLock } from './lock.js';
import { ownTransactionOfScript } from './own-transaction.js';
import { compareKeys } from './ordering.js';
import { quoteLiteral } from '../sql/quote.js';

const ROLLBACK_LOG = `
CREATE TABLE IF NOT EXISTS pgwarden.rollback_log (
  id bigserial PRIMARY KEY,
  version text NOT NULL,
  name text NOT NULL,
  checksum text NOT NULL,
  rolled_back_by text NOT NULL,
  reason text,
  tool_version text NOT NULL,
  duration_ms integer NOT NULL,
  rolled_back_at timestamptz NOT NULL DEFAULT now()
)`;

export interface RollbackOptions {
  migration: Migration;
  by: string;
  reason?: string;
  toolVersion?: string;
  /** lock_timeout for the script's statements (default 5s), so it never queues behind traffic for long. */
  lockTimeout?: string;
  /** How long to wait for a running migrate (default 60 s). */
  advisoryLockTimeoutMs?: number;
}

export interface RollbackResult {
  version: string;
  name: string;
  durationMs: number;
}

export async function rollback(db: Database, options: RollbackOptions): Promise<RollbackResult> {
  const { migration } = options;
  const version = migration.name.version;
  const name = migration.name.baseName;
  const refuse = (message: string): never => {
    throw new RunnerError('rollback', `rollback: ${migration.relPath}: ${message}`);
  };
  if (!version) refuse('the file name has no version (YYYY-MM-DD_NN_slug.sql)');
  if (!migration.rollback) {
    refuse(
      `has no rollback script${migration.rollbackHeadingLine ? ` (the Rollback heading on line ${migration.rollbackHeadingLine} holds no SQL)` : ''}: write one in the header's "-- Rollback Script:" section, commented or in a /* */ block`,
    );
  }
  if (!options.by.trim()) refuse('rollback needs --by NAME: who rolls it back');
  // Judged as migrate judges a body: its own COMMIT or ROLLBACK would end the transaction early, and
  // the history row and the log would no longer go with it. A BEGIN; ... COMMIT; wrapper is neutralised.
  const script = await ownTransactionOfScript({ text: migration.rollback!.text, relPath: migration.relPath, firstLine: migration.rollback!.textLine });
  if ('problem' in script) {
    throw new RunnerError('rollback', `rollback: ${script.problem}; the rollback script was not run, nothing was changed`);
  }

  const lock = await acquireMigrationLock(db, { timeoutMs: options.advisoryLockTimeoutMs ?? 60_000 });
  const session = await db.session();
  try {
    await ensureHistory(session);
    await session.exec('BEGIN');
    try {
      const { rows } = await session.query<{ version: string; name: string; checksum: string; status: string }>(
        `SELECT version, name, checksum, status FROM pgwarden.migration_history ORDER BY version, name FOR UPDATE`,
      );
      const row = rows.find((r) => r.version === version && r.name === name);
      if (!row || row.status !== 'applied') {
        refuse(`is ${row ? row.status : 'not applied'} in ${db.label}: only an applied migration can be rolled back`);
      }
      if (row!.checksum !== migration.checksum) {
        refuse(`changed since it was applied (recorded ${row!.checksum.slice(0, 12)}, file ${migration.checksum.slice(0, 12)}): its rollback script may not undo what ran; see pgwarden repair --help`);
      }
      const later = rows.filter((r) => r.status === 'applied' && compareKeys(r, { version: version!, name }) > 0);
      if (later.length > 0) {
        refuse(`later migrations are applied (${later.map((r) => r.name).join(', ')}): roll back the newest first`);
      }

      await session.exec(`SET LOCAL lock_timeout = ${quoteLiteral(options.lockTimeout ?? '5s')}`);
      const t0 = performance.now();
      try {
        await session.exec(script.sql);
      } catch (error) {
        const code = sqlState(error);
        const message = hasUserMessage(error) ? error.userMessage : (error as Error).message.split('\n')[0];
        refuse(`the rollback script (line ${migration.rollback!.line}) failed${code ? ` (SQLSTATE ${code})` : ''}: ${message}; nothing was changed (one transaction)`);
      }
      const durationMs = Math.round(performance.now() - t0);
      await session.query(`DELETE FROM pgwarden.statement_progress WHERE version = $1 AND name = $2`, [version, name]);
      await session.query(`DELETE FROM pgwarden.migration_history WHERE version = $1 AND name = $2`, [version, name]);
      await session.exec(ROLLBACK_LOG);
      await session.query(
        `INSERT INTO pgwarden.rollback_log (version, name, checksum, rolled_back_by, reason, tool_version, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [version, name, migration.checksum, options.by.trim(), options.reason?.trim() || null, options.toolVersion ?? 'unknown', durationMs],
      );
      await session.exec('COMMIT');
      return { version: version!, name, durationMs };
    } catch (error) {
      await session.exec('ROLLBACK').catch(() => {});
      throw error;
    }
  } finally {
    await session.close();
    await lock.release();
  }
}
