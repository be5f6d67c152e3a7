/**
 * The approval gate and the promotion order, read from the migration's header:
 * an approval counts only when its checksum equals the file's current checksum (an edit of
 * the SQL voids it); promotion requires an execution record for every environment listed
 * in `requires`.
 */

import { approvalRequirement } from '../config/load.js';
import type { EnvironmentConfig } from '../config/types.js';
import type { DatabaseKind } from '../db/types.js';
import type { Approval, ExecutionRecord, Migration } from '../migration/types.js';
import { recordSignatureValid } from './record-signature.js';

export interface ApprovalState {
  required: number;
  /** Valid approvals, one per reviewer. */
  valid: Approval[];
  /** Approvals given for another checksum: voided by a later edit. */
  voided: Approval[];
}

/** The environment's `approvals`, else 1 on a server and 0 on the embedded database. */
export function requiredApprovals(environment: EnvironmentConfig | undefined, kind: DatabaseKind): number {
  const requirement = approvalRequirement(environment, kind);
  return requirement.any + requirement.human + requirement.bot;
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

/**
 * Environments in `requires` that have no execution record in the header. Where a required
 * environment signs its records (a key in `recordKeys`), only a record whose HMAC verifies counts.
 */
export function missingPromotions(
  migration: Migration,
  environment: EnvironmentConfig | undefined,
  recordKeys: Readonly<Record<string, string>> = {},
): string[] {
  return (environment?.requires ?? []).filter((env) => !promotionRecords(migration, env, recordKeys[env]).verified);
}

/** The header's records for `env`, and whether one of them counts (signed with `key`, when given). */
function promotionRecords(migration: Migration, env: string, key: string | undefined): { records: ExecutionRecord[]; verified: boolean } {
  const records = (migration.header?.executions ?? []).filter((e) => e.env === env);
  if (key === undefined) return { records, verified: records.length > 0 };
  const version = migration.name.version;
  const verified =
    version !== undefined &&
    records.some((r) => recordSignatureValid(key, { env, version, checksum: migration.checksum, date: r.date, by: r.by }, r.hmac));
  return { records, verified };
}

export function promotionProblem(
  migration: Migration,
  environment: EnvironmentConfig | undefined,
  envName: string,
  recordKeys: Readonly<Record<string, string>> = {},
): string | undefined {
  const missing = missingPromotions(migration, environment, recordKeys);
  if (missing.length === 0) return undefined;
  const forged = missing.flatMap((env) => promotionRecords(migration, env, recordKeys[env]).records);
  if (forged.length > 0) {
    const which = forged.map((r) => `"${r.env} ${r.date} by ${r.by}" (line ${r.line})`).join(', ');
    return `${migration.relPath}: the execution record ${which} does not verify (${forged[0]!.hmac ? 'its signature does not match this file and the environment\'s key' : 'it is not signed'}; written by hand or copied?): it does not count as applied to ${forged[0]!.env}; run pgwarden migrate --env ${forged[0]!.env} to record a real execution`;
  }
  const list = missing.join(', ');
  return `${migration.relPath}: must be applied to ${list} before ${envName} (no execution record for ${list} in its header): run pgwarden migrate --env ${missing[0]} first`;
}

function short(checksum: string): string {
  return checksum.slice(0, 12);
}
