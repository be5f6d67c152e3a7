/**
 * `status`: every migration with its state in one database. Read-only: takes no lock and
 * never creates the history tables (a database without them has everything pending).
 */

import type { EnvironmentConfig } from '../config/types.js';
import type { Database } from '../db/types.js';
import type { Migration } from '../migration/types.js';
import { approvalState, requiredApprovals } from './approvals.js';
import { readHistory, type HistoryRow } from './history.js';
import { compareKeys, keyOf, refOf } from './ordering.js';

export type MigrationState = 'applied' | 'pending' | 'failed' | 'tampered' | 'missing-file' | 'running';

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
  /** Last error of a failed attempt. */
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

export async function status(db: Database, migrations: readonly Migration[], env: StatusEnvironment = {}): Promise<StatusRow[]> {
  const session = await db.session();
  let history: HistoryRow[];
  try {
    history = await readHistory(session);
  } finally {
    await session.close();
  }
  const required = requiredApprovals(env.config, db.kind);
  const rows = new Map(history.map((r) => [keyOf(r), r]));
  const out: StatusRow[] = [];

  for (const m of migrations) {
    const ref = refOf(m);
    const row = ref.version ? rows.get(keyOf(ref)) : undefined;
    if (row) rows.delete(keyOf(ref));
    const approvals = approvalState(m, required);
    out.push({
      version: ref.version,
      name: ref.name,
      relPath: m.relPath,
      state: stateOf(row, m),
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
  return out.sort(compareKeys);
}

function stateOf(row: HistoryRow | undefined, m: Migration): MigrationState {
  if (!row) return 'pending';
  if (row.status === 'applied') return row.checksum === m.checksum ? 'applied' : 'tampered';
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
