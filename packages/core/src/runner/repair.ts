/**
 * `repair`: the audited way to accept an applied migration whose file changed. It replaces
 * the recorded checksum and appends who, why and when to pgwarden.repair_log, in one
 * transaction, under the migration lock (so it never races a running migrate).
 */

import type { Database } from '../db/types.js';
import { RunnerError } from './errors.js';
import { ensureHistory } from './history.js';
import { acquireMigrationLock } from './lock.js';

export interface RepairOptions {
  version: string;
  /** File base name; needed only when several files share the version. */
  name?: string;
  by: string;
  reason: string;
  /** The file's current checksum (Migration.checksum). */
  newChecksum: string;
  /** How long to wait for a running migrate (default 60 s). */
  lockTimeoutMs?: number;
}

export interface RepairResult {
  version: string;
  name: string;
  oldChecksum: string;
  newChecksum: string;
}

export async function repair(db: Database, options: RepairOptions): Promise<RepairResult> {
  if (!options.by.trim()) throw new RunnerError('repair', 'repair needs --by NAME: who accepts the change');
  if (!options.reason.trim()) throw new RunnerError('repair', 'repair needs --reason TEXT: why the applied SQL changed');
  if (!/^[0-9a-f]{64}$/.test(options.newChecksum)) throw new RunnerError('repair', `repair: '${options.newChecksum}' is not a SHA-256 checksum`);

  const lock = await acquireMigrationLock(db, { timeoutMs: options.lockTimeoutMs ?? 60_000 });
  const session = await db.session();
  try {
    await ensureHistory(session);
    await session.exec('BEGIN');
    try {
      const { rows } = await session.query<{ name: string; checksum: string; status: string }>(
        `SELECT name, checksum, status FROM pgwarden.migration_history
          WHERE version = $1 AND ($2::text IS NULL OR name = $2::text)
          ORDER BY name FOR UPDATE`,
        [options.version, options.name ?? null],
      );
      if (rows.length === 0) {
        throw new RunnerError('repair', `repair: no migration ${options.version}${options.name ? ` (${options.name})` : ''} in the history of ${db.label}`);
      }
      if (rows.length > 1) {
        throw new RunnerError(
          'repair',
          `repair: several migrations have version ${options.version} (${rows.map((r) => r.name).join(', ')}): name the file`,
        );
      }
      const row = rows[0]!;
      await session.query(`UPDATE pgwarden.migration_history SET checksum = $3 WHERE version = $1 AND name = $2`, [
        options.version,
        row.name,
        options.newChecksum,
      ]);
      await session.query(
        `INSERT INTO pgwarden.repair_log (version, name, old_checksum, new_checksum, repaired_by, reason)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [options.version, row.name, row.checksum, options.newChecksum, options.by.trim(), options.reason.trim()],
      );
      await session.exec('COMMIT');
      return { version: options.version, name: row.name, oldChecksum: row.checksum, newChecksum: options.newChecksum };
    } catch (err) {
      await session.exec('ROLLBACK').catch(() => {});
      throw err;
    }
  } finally {
    await session.close();
    await lock.release();
  }
}
