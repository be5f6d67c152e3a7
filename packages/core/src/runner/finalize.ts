/**
 * After a migration is applied, its header gets the execution record (environment, date,
 * user, duration) — the header only, so the checksum stays the same. The file is written
 * atomically: a temporary file in the same directory, then rename over the original.
 */

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { addExecutionRecord, parseMigration, removeStaleTempFiles, writeFileAtomically } from '../migration/index.js';
import type { Migration } from '../migration/types.js';
import type { HistoryRow } from './history.js';
import { keyOf } from './ordering.js';
import { signRecord } from './record-signature.js';

export interface ExecutionStamp {
  env: string;
  /** `YYYY-MM-DD` (local date). */
  date: string;
  by: string;
  durationMs: number;
  /** pgwarden version that ran it. */
  toolVersion?: string;
  /** The environment's record secret: the record is then signed (record-signature.ts). */
  recordKey?: string;
}

export type FinalizeOutcome = { written: true } | { written: false; reason: string };

export function localDate(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export async function finalizeHeader(migration: Migration, stamp: ExecutionStamp): Promise<FinalizeOutcome> {
  let text: string;
  try {
    text = await readFile(migration.path, 'utf8');
  } catch (err) {
    return { written: false, reason: `${migration.relPath}: cannot read the file to record the execution: ${(err as Error).message}` };
  }
  const current = parseMigration({ path: migration.path, relPath: migration.relPath, text });
  if (current.checksum !== migration.checksum) {
    return { written: false, reason: `${migration.relPath}: the file changed on disk while it ran; execution record not written` };
  }
  let next: string;
  try {
    const hmac =
      stamp.recordKey && migration.name.version
        ? signRecord(stamp.recordKey, { env: stamp.env, version: migration.name.version, checksum: migration.checksum, date: stamp.date, by: stamp.by })
        : undefined;
    next = addExecutionRecord(text, {
      env: stamp.env,
      date: stamp.date,
      by: stamp.by,
      durationMs: Math.round(stamp.durationMs),
      toolVersion: stamp.toolVersion,
      hmac,
    });
  } catch (err) {
    return { written: false, reason: `${migration.relPath}: execution record not written: ${(err as Error).message}` };
  }
  if (next === text) return { written: true };
  const rewritten = parseMigration({ path: migration.path, relPath: migration.relPath, text: next });
  if (rewritten.checksum !== migration.checksum) {
    return { written: false, reason: `${migration.relPath}: recording the execution would change the checksum; header left as is` };
  }
  try {
    await writeFileAtomically(migration.path, next);
    return { written: true };
  } catch (err) {
    return { written: false, reason: `${migration.relPath}: cannot write the execution record: ${(err as Error).message}` };
  }
}

export interface ReconcileOutcome {
  /** Files whose missing execution record was written. */
  written: string[];
  /** Stale temporary files of a killed writer that were removed. */
  removedTempFiles: string[];
  warnings: string[];
}

/**
 * For an environment that records: every migration the history says is applied gets its
 * execution record, also when the run that applied it was killed before writing the header
 * (the promotion gate of the next environment reads these records). Stale temporary files
 * of a killed writer are removed first. Files whose checksum differs from the history are left
 * alone (the integrity check reports them).
 */
export async function reconcileExecutionRecords(
  history: readonly HistoryRow[],
  migrations: readonly Migration[],
  envName: string,
  sign: { recordKey?: string } = {},
): Promise<ReconcileOutcome> {
  const outcome: ReconcileOutcome = { written: [], removedTempFiles: [], warnings: [] };
  for (const dir of new Set(migrations.map((m) => dirname(m.path)))) {
    outcome.removedTempFiles.push(...(await removeStaleTempFiles(dir)).map((name) => join(dir, name)));
  }
  const applied = new Map(history.filter((r) => r.status === 'applied').map((r) => [keyOf(r), r]));
  for (const migration of migrations) {
    if (!migration.name.version) continue;
    const row = applied.get(keyOf({ version: migration.name.version, name: migration.name.baseName }));
    if (!row || row.checksum !== migration.checksum) continue;
    if ((migration.header?.executions ?? []).some((e) => e.env === envName)) continue;
    const result = await finalizeHeader(migration, {
      env: envName,
      date: localDate(row.finishedAt ?? row.startedAt),
      by: row.appliedBy,
      durationMs: row.durationMs ?? 0,
      toolVersion: row.toolVersion ?? undefined,
      recordKey: sign.recordKey,
    });
    if (result.written) outcome.written.push(migration.relPath);
    else outcome.warnings.push(result.reason);
  }
  return outcome;
}
