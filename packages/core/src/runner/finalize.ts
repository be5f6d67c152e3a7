/**
 * After a migration is applied, its header gets the execution record (environment, date,
 * user, duration) — the header only, so the checksum stays the same. The file is written
 * atomically: a temporary file in the same directory, then rename over the original.
 */

import { readFile } from 'node:fs/promises';
import { addExecutionRecord, parseMigration, writeFileAtomically } from '../migration/index.js';
import type { Migration } from '../migration/types.js';

export interface ExecutionStamp {
  env: string;
  /** `YYYY-MM-DD` (local date). */
  date: string;
  by: string;
  durationMs: number;
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
    next = addExecutionRecord(text, { env: stamp.env, date: stamp.date, by: stamp.by, durationMs: Math.round(stamp.durationMs) });
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
