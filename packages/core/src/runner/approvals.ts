/**
 * The approval gate and the promotion order, read from the migration's header:
 * an approval counts only when its checksum equals the file's current checksum (an edit of
 * the SQL voids it); promotion requires an execution record for every environment listed
 * in `requires`.
 */

import type { EnvironmentConfig } from '../config/types.js';
import type { DatabaseKind } from '../db/types.js';
import type { Approval, Migration } from '../migration/types.js';

export interface ApprovalState {
  required: number;
  /** Valid approvals, one per reviewer. */
  valid: Approval[];
  /** Approvals given for another checksum: voided by a later edit. */
  voided: Approval[];
}

/** The environment's `approvals`, else 1 on a server and 0 on the embedded database. */
export function requiredApprovals(environment: EnvironmentConfig | undefined, kind: DatabaseKind): number {
  return environment?.approvals ?? (kind === 'pglite' ? 0 : 1);
}

export function approvalState(migration: Migration, required: number): ApprovalState {
  const valid: Approval[] = [];
  const voided: Approval[] = [];
  const reviewers = new Set<string>();
  for (const approval of migration.header?.approvals ?? []) {
    if (approval.checksum !== migration.checksum) {
      voided.push(approval);
      continue;
    }
    const reviewer = approval.by.trim().toLowerCase();
    if (reviewers.has(reviewer)) continue;
    reviewers.add(reviewer);
    valid.push(approval);
  }
  return { required, valid, voided };
}

/** Why the gate refuses the migration, or undefined when it passes. */
export function approvalProblem(migration: Migration, state: ApprovalState, envName: string): string | undefined {
  if (state.valid.length >= state.required) return undefined;
  const count = `${state.valid.length} of ${state.required} required approval${state.required === 1 ? '' : 's'}`;
  let message = `${migration.relPath}: has ${count} for environment ${envName}`;
  const stillValid = new Set(state.valid.map((a) => a.by.trim().toLowerCase()));
  const voided = state.voided.filter((a) => !stillValid.has(a.by.trim().toLowerCase()));
  if (voided.length > 0) {
    const who = voided.map((a) => `${a.by} (${a.date}, line ${a.line})`).join(', ');
    message += `; the approval by ${who} was voided by a later edit of the SQL (approved ${short(voided[0]!.checksum)}, now ${short(migration.checksum)})`;
    message += ': have it reviewed again, then run pgwarden approve';
  } else {
    message += `: have it reviewed, then run pgwarden approve ${migration.relPath} --by NAME`;
  }
  return message;
}

/** Environments in `requires` that have no execution record in the header. */
export function missingPromotions(migration: Migration, environment: EnvironmentConfig | undefined): string[] {
  const done = new Set((migration.header?.executions ?? []).map((e) => e.env));
  return (environment?.requires ?? []).filter((env) => !done.has(env));
}

export function promotionProblem(migration: Migration, environment: EnvironmentConfig | undefined, envName: string): string | undefined {
  const missing = missingPromotions(migration, environment);
  if (missing.length === 0) return undefined;
  const list = missing.join(', ');
  return `${migration.relPath}: must be applied to ${list} before ${envName} (no execution record for ${list} in its header): run pgwarden migrate --env ${missing[0]} first`;
}

function short(checksum: string): string {
  return checksum.slice(0, 12);
}
