/**
 * The approval gate and the promotion order, read from the migration's header:
 * an approval counts only when its checksum equals the file's current checksum (an edit of
 * the SQL voids it); promotion requires an execution record for every environment listed
 * in `requires`.
 */

import { approvalRequirement } from '../config/load.js';
import type { ApprovalVerification, EnvironmentConfig } from '../config/types.js';
import type { DatabaseKind } from '../db/types.js';
import type { Approval, ExecutionRecord, Migration } from '../migration/types.js';
import { recordSignatureValid } from './record-signature.js';

export type Requirement = ReturnType<typeof approvalRequirement>;

export interface ApprovalState {
  required: number;
  /** Valid approvals, one per reviewer (and, under git verification, verified). */
  valid: Approval[];
  /** Approvals given for another checksum: voided by a later edit. */
  voided: Approval[];
  /** Approvals bound to another file name: the body was copied from an approved file. */
  otherFile: Approval[];
  /** Approvals written before they were bound to a file name, where the requirement needs bound ones. */
  unbound: Approval[];
  /** Approvals that failed verification against git, with the reason. */
  rejected: Array<{ approval: Approval; reason: string }>;
  requirement: Requirement;
}

/**
 * Checks approvals against git (environments with `verify: "git"` or `"git-signed"`): the reason
 * each failing approval does not count, by its header line.
 */
export type ApprovalVerifier = (migration: Migration, approvals: readonly Approval[], verify: Exclude<ApprovalVerification, 'none'>) => Promise<ReadonlyMap<number, string>>;

/**
 * The approvals of a migration that git verification rejects, by header line: only where the
 * requirement asks for it, and only for the approvals that would otherwise count. Without a
 * verifier every such approval is rejected (nothing was verified). `migrate` gates on it and
 * `status` reports it, so both say the same.
 */
export async function rejectedApprovals(migration: Migration, requirement: Requirement, verify: ApprovalVerifier | undefined): Promise<ReadonlyMap<number, string>> {
  const candidates = approvalState(migration, requirement).valid;
  if (requirement.verify === 'none' || candidates.length === 0) return new Map();
  if (!verify) return new Map(candidates.map((a) => [a.line, `the approval by ${a.by} could not be verified against git (this run has no git verifier)`]));
  return verify(migration, candidates, requirement.verify);
}

/** The environment's `approvals`, else 1 on a server and 0 on the embedded database. */
export function requiredApprovals(environment: EnvironmentConfig | undefined, kind: DatabaseKind): number {
  const requirement = approvalRequirement(environment, kind);
  return requirement.any + requirement.human + requirement.bot;
}

/** File name an approval binds to: the base name of the migration's path. */
export function approvalFileName(migration: Pick<Migration, 'relPath'>): string {
  return migration.relPath.split(/[\\/]/).at(-1)!;
}

/**
 * The approvals that count for `required` (a plain count of any kind, or an environment's
 * requirement). An approval counts when its checksum is the file's and it is bound to this file
 * name; one written before the binding existed (no `for ...`) counts toward a plain count only.
 * `rejected` (git verification) removes approvals by line.
 */
export function approvalState(
  migration: Migration,
  required: number | Requirement,
  rejected: ReadonlyMap<number, string> = new Map(),
): ApprovalState {
  const requirement: Requirement = typeof required === 'number' ? { any: required, human: 0, bot: 0, verify: 'none' } : required;
  const byKind = requirement.human + requirement.bot > 0;
  const state: ApprovalState = {
    required: requirement.any + requirement.human + requirement.bot,
    valid: [],
    voided: [],
    otherFile: [],
    unbound: [],
    rejected: [],
    requirement,
  };
  const reviewers = new Set<string>();
  const fileName = approvalFileName(migration);
  for (const approval of migration.header?.approvals ?? []) {
    if (approval.checksum !== migration.checksum) {
      state.voided.push(approval);
      continue;
    }
    if (approval.boundTo !== undefined && approval.boundTo !== fileName) {
      state.otherFile.push(approval);
      continue;
    }
    if (approval.boundTo === undefined && byKind) {
      state.unbound.push(approval);
      continue;
    }
    const reason = rejected.get(approval.line);
    if (reason !== undefined) {
      state.rejected.push({ approval, reason });
      continue;
    }
    const reviewer = approval.by.trim().toLowerCase();
    if (reviewers.has(reviewer)) continue;
    reviewers.add(reviewer);
    state.valid.push(approval);
  }
  return state;
}

/** Whether the valid approvals meet the requirement (human and bot counts, then the total). */
function satisfied(state: ApprovalState): boolean {
  const humans = state.valid.filter((a) => a.kind === 'human').length;
  const bots = state.valid.filter((a) => a.kind === 'bot').length;
  return humans >= state.requirement.human && bots >= state.requirement.bot && state.valid.length >= state.required;
}

/** Why the gate refuses the migration, or undefined when it passes. */
export function approvalProblem(migration: Migration, state: ApprovalState, envName: string): string | undefined {
  if (satisfied(state)) return undefined;
  const { human, bot } = state.requirement;
  const count =
    human + bot > 0
      ? `${state.valid.filter((a) => a.kind === 'human').length} of ${human} human and ${state.valid.filter((a) => a.kind === 'bot').length} of ${bot} bot approval${bot === 1 ? '' : 's'} required`
      : `${state.valid.length} of ${state.required} required approval${state.required === 1 ? '' : 's'}`;
  let message = `${migration.relPath}: has ${count} for environment ${envName}`;
  const stillValid = new Set(state.valid.map((a) => a.by.trim().toLowerCase()));
  const voided = state.voided.filter((a) => !stillValid.has(a.by.trim().toLowerCase()));
  const notes: string[] = [];
  for (const { approval, reason } of state.rejected) notes.push(`${reason} (line ${approval.line})`);
  for (const a of state.otherFile) notes.push(`the approval by ${a.by} (line ${a.line}) was given for ${a.boundTo}, not this file`);
  for (const a of state.unbound) notes.push(`the approval by ${a.by} (line ${a.line}) predates approvals bound to a file name and counts only toward a plain number`);
  if (notes.length > 0) message += `; ${notes.join('; ')}`;
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
