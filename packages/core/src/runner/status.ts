/**
 * `status`: every migration with its state in one database. Read-only: takes no lock and
 * never creates the history tables (a database without them has everything pending).
 * A `running` history row is shown as `running` only while some runner holds the migration
 * lock; otherwise the run that wrote it is gone and the row is `interrupted`. Files that
 * could not be read are listed as `unreadable`, never dropped.
 */

import type { EnvironmentConfig } from '../config/types.js';
import { basename } from 'node:path';
import type { Database, DatabaseKind } from '../db/types.js';
import { parseFileName } from '../migration/file-name.js';
import type { Migration } from '../migration/types.js';
import { approvalRequirement } from '../config/load.js';
import { approvalState, requiredApprovals } from './approvals.js';
import { readHistory, type HistoryRow } from './history.js';
import { findLockHolder } from './lock.js';
import { compareKeys, keyOf, refOf } from './ordering.js';

export type MigrationState = 'applied' | 'pending' | 'failed' | 'tampered' | 'missing-file' | 'running' | 'interrupted' | 'unreadable';

/** States that need someone's attention: `pgwarden status` exits 1 when any row has one. */
export const PROBLEM_STATES: readonly MigrationState[] = ['tampered', 'failed', 'missing-file', 'interrupted', 'unreadable'];

export interface StatusRow {
  version: string;
  /** File base name. */
  name: string;
  /** Workspace-relative path; '' when the file is missing. */
  relPath: string;
  state: MigrationState;
  /** When the last attempt finished (or started, while running). */
  appliedAt?: Date;
  appliedBy?: string;
  durationMs?: number;
  /** no-transaction files: statements executed so far. */
  statementsApplied?: number;
  /** Last error of a failed attempt; why an unreadable file could not be read. */
  error?: string;
  approvals: {
    /** Valid approvals (checksum matches the file). */
    valid: number;
    required: number;
    /** An approval exists for an earlier version of the SQL. */
    voided: boolean;
  };
}

export interface StatusEnvironment {
  name?: string;
  config?: EnvironmentConfig;
}

export interface StatusOptions {
  /** Files of the history that could not be read (LoadedHistory.unreadable). */
  unreadable?: ReadonlyArray<{ relPath: string; message: string }>;
}

export async function status(
  db: Database,
  migrations: readonly Migration[],
  env: StatusEnvironment = {},
  options: StatusOptions = {},
): Promise<StatusRow[]> {
  const session = await db.session();
  let history: HistoryRow[];
  let runnerActive = false;
  try {
    history = await readHistory(session);
    // PGlite: this process holds the data directory, so no runner can be active.
    if (db.kind === 'pg' && history.some((r) => r.status === 'running')) runnerActive = (await findLockHolder(session)) !== undefined;
  } finally {
    await session.close();
  }
  return statusRows(history, migrations, { ...env, kind: db.kind, runnerActive, unreadable: options.unreadable });
}

/**
 * The rows for a known history (`[]` for a database that does not exist yet).
 * `runnerActive`: some runner holds the migration lock right now.
 */
export function statusRows(
  history: readonly HistoryRow[],
  migrations: readonly Migration[],
  env: StatusEnvironment & StatusOptions & { kind: DatabaseKind; runnerActive?: boolean },
): StatusRow[] {
  // The environment's requirement as the gate reads it (kinds, bound approvals), without git verification.
  const requirement = approvalRequirement(env.config, env.kind);
  const required = requiredApprovals(env.config, env.kind);
  const rows = new Map(history.map((r) => [keyOf(r), r]));
  const out: StatusRow[] = [];

  for (const m of migrations) {
    const ref = refOf(m);
    const row = ref.version ? rows.get(keyOf(ref)) : undefined;
    if (row) rows.delete(keyOf(ref));
    const approvals = approvalState(m, requirement);
    out.push({
      version: ref.version,
      name: ref.name,
      relPath: m.relPath,
      state: stateOf(row, m, env.runnerActive === true),
      ...fromHistory(row),
      approvals: { valid: approvals.valid.length, required, voided: approvals.voided.length > 0 },
    });
  }
  for (const row of rows.values()) {
    out.push({
      version: row.version,
      name: row.name,
      relPath: '',
      state: 'missing-file',
      ...fromHistory(row),
      approvals: { valid: 0, required, voided: false },
    });
  }
  out.sort(compareKeys);
  for (const file of env.unreadable ?? []) {
    const name = basename(file.relPath);
    out.push({
      version: parseFileName(name).version ?? '',
      name,
      relPath: file.relPath,
      state: 'unreadable',
      error: file.message,
      approvals: { valid: 0, required, voided: false },
    });
  }
  return out;
}

function stateOf(row: HistoryRow | undefined, m: Migration, runnerActive: boolean): MigrationState {
  if (!row) return 'pending';
  if (row.status === 'applied') return row.checksum === m.checksum ? 'applied' : 'tampered';
  if (row.status === 'running' && !runnerActive) return 'interrupted';
  return row.status;
}

function fromHistory(row: HistoryRow | undefined): Partial<StatusRow> {
  if (!row) return {};
  return {
    appliedAt: row.finishedAt ?? row.startedAt,
    appliedBy: row.appliedBy,
    durationMs: row.durationMs ?? undefined,
    statementsApplied: row.statementsApplied ?? undefined,
    error: row.error ?? undefined,
  };
}
