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
import { approvalState, rejectedApprovals, requiredApprovals, type ApprovalVerifier } from './approvals.js';
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
    /**
     * Approvals that git verification rejects (environments with `verify`), with the reason
     * `migrate` would give when refusing; checked for the migrations not applied here.
     */
    rejected: { by: string; line: number; reason: string }[];
  };
}

export interface StatusEnvironment {
  name?: string;
  config?: EnvironmentConfig;
}

export interface StatusOptions {
  /** Files of the history that could not be read (LoadedHistory.unreadable). */
  unreadable?: ReadonlyArray<{ relPath: string; message: string }>;
  /** The git verifier `migrate` gates with; without it an environment with `verify` has every approval rejected, as `migrate` would. */
  verifyApprovals?: ApprovalVerifier;
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
  return verifiedStatusRows(history, migrations, { ...env, kind: db.kind, runnerActive, unreadable: options.unreadable }, options.verifyApprovals);
}

type RowsEnvironment = StatusEnvironment & StatusOptions & { kind: DatabaseKind; runnerActive?: boolean };

/**
 * statusRows with the approvals of each migration not applied here verified as `migrate`'s gate
 * verifies them (runner/plan.ts), so status reports every approval that migrate would not count.
 */
export async function verifiedStatusRows(history: readonly HistoryRow[], migrations: readonly Migration[], env: RowsEnvironment, verify: ApprovalVerifier | undefined): Promise<StatusRow[]> {
  const requirement = approvalRequirement(env.config, env.kind);
  const applied = new Set(history.filter((row) => row.status === 'applied').map(keyOf));
  const rejected = new Map<string, ReadonlyMap<number, string>>();
  // One git blame per file at a time: a fresh database may have the whole history pending.
  for (const m of migrations) if (!applied.has(keyOf(refOf(m)))) rejected.set(m.relPath, await rejectedApprovals(m, requirement, verify));
  return statusRows(history, migrations, { ...env, rejected });
}

/**
 * The rows for a known history (`[]` for a database that does not exist yet).
 * `runnerActive`: some runner holds the migration lock right now.
 */
export function statusRows(
  history: readonly HistoryRow[],
  migrations: readonly Migration[],
  env: RowsEnvironment & { rejected?: ReadonlyMap<string, ReadonlyMap<number, string>> },
): StatusRow[] {
  // The environment's requirement as the gate reads it (kinds, bound approvals); git's verdicts come in `rejected`.
  const requirement = approvalRequirement(env.config, env.kind);
  const required = requiredApprovals(env.config, env.kind);
  const rows = new Map(history.map((r) => [keyOf(r), r]));
  const out: StatusRow[] = [];

  for (const m of migrations) {
    const ref = refOf(m);
    const row = ref.version ? rows.get(keyOf(ref)) : undefined;
    if (row) rows.delete(keyOf(ref));
    const approvals = approvalState(m, requirement, env.rejected?.get(m.relPath));
    out.push({
      version: ref.version,
      name: ref.name,
      relPath: m.relPath,
      state: stateOf(row, m, env.runnerActive === true),
      ...fromHistory(row),
      approvals: {
        valid: approvals.valid.length,
        required,
        voided: approvals.voided.length > 0,
        rejected: approvals.rejected.map(({ approval, reason }) => ({ by: approval.by, line: approval.line, reason })),
      },
    });
  }
  for (const row of rows.values()) {
    out.push({
      version: row.version,
      name: row.name,
      relPath: '',
      state: 'missing-file',
      ...fromHistory(row),
      approvals: { valid: 0, required, voided: false, rejected: [] },
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
      approvals: { valid: 0, required, voided: false, rejected: [] },
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
