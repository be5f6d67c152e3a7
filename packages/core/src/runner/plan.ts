/**
 * What a run would do, and every reason to refuse it, computed before anything executes:
 * integrity of the applied migrations, file names, `--to`, out-of-order files, lint errors,
 * approvals, promotion order, the resume rule of no-transaction files and the files' own
 * transaction control (own-transaction.ts). A refusal stops the whole run, so nothing is half
 * done because of a gate.
 */

import type { EnvironmentConfig } from '../config/types.js';
import type { DatabaseKind } from '../db/types.js';
import type { Migration } from '../migration/types.js';
import { approvalRequirement } from '../config/load.js';
import { approvalProblem, approvalState, promotionProblem, rejectedApprovals, type ApprovalVerifier } from './approvals.js';
import type { HistoryRow } from './history.js';
import { commandNames, findMigration, isVersion, MigrationNameError } from './find-migration.js';
import { checkIntegrity } from './integrity.js';
import { pgliteProvides } from '../db/pglite-extensions.js';
import { mayCreateExtension, writtenExtensionNames } from '../sql/extensions.js';
import { compareKeys, compareVersions, keyOf, refOf, sortForExecution, type MigrationRef } from './ordering.js';
import { noTransactionProblem, ownTransactionOf } from './own-transaction.js';
import { partialRunProblem, resumePoint, splitStatements, type RunnableStatement } from './statements.js';

/** Lint errors of migrations, keyed by workspace-relative path, version or base name. */
export type LintErrors = ReadonlyMap<string, readonly string[]>;

/** Lint errors, or a function giving them for the pending migrations only (applied files need no gate). */
export type LintGate = LintErrors | ((pending: readonly Migration[]) => Promise<LintErrors>);

export type RefusalKind =
  | 'tampered'
  | 'missing-file'
  | 'invalid-name'
  | 'duplicate'
  | 'unknown-target'
  | 'out-of-order'
  | 'lint'
  | 'approval'
  | 'promotion'
  | 'resume'
  | 'unsplittable'
  | 'transaction-control'
  | 'invalid-index'
  | 'extension';

export interface Refusal {
  kind: RefusalKind;
  /** Workspace-relative path ('' for a history row without a file). */
  relPath: string;
  version?: string;
  /** One line, naming the file and saying what to do. */
  message: string;
}

export interface PlannedMigration {
  migration: Migration;
  ref: MigrationRef;
  /** The history row of an earlier failed or interrupted attempt. */
  previous?: HistoryRow;
  /** no-transaction files: the statements, and how many a previous run already executed. */
  statements?: RunnableStatement[];
  /** Transactional files: the SQL sent, the body with its own BEGIN/COMMIT wrapper neutralised (own-transaction.ts). */
  sql?: string;
  resumeFrom: number;
}

export interface Plan {
  /** To run, in order (up to `--to`). */
  pending: PlannedMigration[];
  /** Pending but after `--to`. */
  afterTarget: Migration[];
  appliedCount: number;
  refusals: Refusal[];
}

export type { ApprovalVerifier };

export interface PlanInput {
  migrations: readonly Migration[];
  history: readonly HistoryRow[];
  envName: string;
  environment: EnvironmentConfig | undefined;
  dbKind: DatabaseKind;
  lintErrors?: LintGate;
  /** Stop after this version (every file of it), or after the one file it names (file name or path). */
  to?: string;
  allowOutOfOrder?: boolean;
  /**
   * Checks approvals against git (environments with `verify: "git"` or `"git-signed"`): the
   * reason each failing approval does not count, by its header line. Without it such an
   * environment refuses every migration (nothing was verified).
   */
  verifyApprovals?: ApprovalVerifier;
  /** Secrets of the required environments that sign their records: their records must verify. */
  recordKeys?: Readonly<Record<string, string>>;
}

export async function buildPlan(input: PlanInput): Promise<Plan> {
  const refusals: Refusal[] = [];
  const refuse = (kind: RefusalKind, m: Migration | undefined, message: string) =>
    refusals.push({ kind, relPath: m?.relPath ?? '', version: m?.name.version, message });

  for (const problem of checkIntegrity(input.history, input.migrations)) {
    refusals.push({ kind: problem.kind, relPath: problem.relPath, version: problem.version, message: problem.message });
  }

  const valid: Migration[] = [];
  const seen = new Map<string, Migration>();
  for (const m of input.migrations) {
    if (!m.name.version) {
      refuse('invalid-name', m, `${m.relPath}: the file name does not follow YYYY-MM-DD_NN_slug.sql, so it has no version: rename it`);
      continue;
    }
    const key = keyOf(refOf(m));
    const twin = seen.get(key);
    if (twin) {
      refuse('duplicate', m, `${m.relPath}: same file name as ${twin.relPath}: one migration name may exist once across all folders`);
      continue;
    }
    seen.set(key, m);
    valid.push(m);
  }

  const rows = new Map(input.history.map((r) => [keyOf(r), r]));
  const applied = input.history.filter((r) => r.status === 'applied');
  const newestApplied = applied.reduce<HistoryRow | undefined>(
    (newest, r) => (!newest || compareKeys(r, newest) > 0 ? r : newest),
    undefined,
  );

  const ordered = sortForExecution(valid);
  const pendingAll = ordered.filter((m) => rows.get(keyOf(refOf(m)))?.status !== 'applied');
  const lintErrors = typeof input.lintErrors === 'function' ? await input.lintErrors(pendingAll) : input.lintErrors;

  const target = input.to === undefined ? undefined : targetOf(input.to, ordered, input.history);
  if (target && 'problem' in target) refusals.push({ kind: 'unknown-target', relPath: '', message: target.problem });
  const inTarget = (m: Migration) => {
    if (!target || 'problem' in target) return true;
    // A version ends after every file of it; a file name ends at that file.
    return target.name === undefined ? compareVersions(m.name.version!, target.version) <= 0 : compareKeys(refOf(m), { version: target.version, name: target.name }) <= 0;
  };
  const candidates = pendingAll.filter(inTarget);
  const afterTarget = pendingAll.filter((m) => !inTarget(m));

  const requirement = approvalRequirement(input.environment, input.dbKind);
  const nameOf = commandNames(valid);
  const pending: PlannedMigration[] = [];
  for (const m of candidates) {
    const ref = refOf(m);
    const previous = rows.get(keyOf(ref));

    if (newestApplied && compareKeys(ref, newestApplied) < 0 && !input.allowOutOfOrder) {
      refuse(
        'out-of-order',
        m,
        `${m.relPath}: pending, but sorts before ${newestApplied.name}, which is already applied: renumber it after the newest migration, or pass --allow-out-of-order`,
      );
    }

    const lint = lintErrorsOf(lintErrors, m);
    if (lint.length > 0) {
      refuse('lint', m, `${m.relPath}: has lint errors, fix them first: ${lint.join('; ')}`);
    }

    const rejected = await rejectedApprovals(m, requirement, input.verifyApprovals);
    const approval = approvalProblem(m, approvalState(m, requirement, rejected), input.envName);
    if (approval) refuse('approval', m, approval);

    const promotion = promotionProblem(m, input.environment, input.envName, input.recordKeys);
    if (promotion) refuse('promotion', m, promotion);

    // Refused up front: on the embedded database such a file would fail after the ones before it ran.
    if (input.dbKind === 'pglite') for (const problem of await extensionsPgliteLacks(m)) refuse('extension', m, problem);

    const planned: PlannedMigration = { migration: m, ref, previous, resumeFrom: 0 };
    if (m.directives.noTransaction) {
      const split = await splitStatements(m);
      if ('error' in split) {
        refuse('unsplittable', m, split.error);
      } else {
        planned.statements = split.statements;
        const control = noTransactionProblem(m, split.statements);
        if (control) refuse('transaction-control', m, control);
        const resume = resumePoint(m, previous, split.statements, nameOf(m));
        if ('problem' in resume) refuse('resume', m, resume.problem);
        else planned.resumeFrom = resume.from;
      }
    } else {
      const partial = partialRunProblem(m, previous, nameOf(m));
      if (partial) refuse('resume', m, partial);
      const own = await ownTransactionOf(m);
      if ('problem' in own) refuse('transaction-control', m, own.problem);
      else planned.sql = own.sql;
    }
    pending.push(planned);
  }

  return { pending, afterTarget, appliedCount: applied.length, refusals };
}

/**
 * Where `--to` stops: after every file of a version, or after the one file named (runner/find-migration.ts).
 * A version or file name known only from the history (its file is gone) still counts as a target.
 */
function targetOf(to: string, ordered: readonly Migration[], history: readonly HistoryRow[]): { version: string; name?: string } | { problem: string } {
  if (isVersion(to)) {
    if (ordered.some((m) => m.name.version === to) || history.some((r) => r.version === to)) return { version: to };
    return { problem: `--to ${to}: no migration has this version (YYYY-MM-DD_NN)` };
  }
  const row = history.find((r) => r.name === to || r.name === `${to}.sql`);
  try {
    const m = findMigration(ordered, to, { spell: (name) => `pgwarden migrate --to ${name}` });
    return { version: m.name.version!, name: m.name.baseName };
  } catch (error) {
    if (row) return { version: row.version, name: row.name };
    if (error instanceof MigrationNameError) return { problem: `--to ${error.message}` };
    throw error;
  }
}

/** The most specific key first: a version may be shared by several files. */
function lintErrorsOf(lintErrors: LintErrors | undefined, m: Migration): readonly string[] {
  if (!lintErrors) return [];
  return lintErrors.get(m.relPath) ?? lintErrors.get(m.name.baseName) ?? (m.name.version ? lintErrors.get(m.name.version) : undefined) ?? [];
}

/**
 * Top-level CREATE EXTENSION of an extension PGlite cannot provide (postgis, pg_cron, ...), one
 * line each. One inside a DO block may be guarded (by pg_available_extensions) and is left to run.
 */
async function extensionsPgliteLacks(m: Migration): Promise<string[]> {
  if (!mayCreateExtension(m.body)) return [];
  // Every name, as written, one PGlite provides: nothing to refuse, and no parse needed.
  const written = writtenExtensionNames(m.body);
  if (written.length > 0 && written.every(pgliteProvides)) return [];
  // Loaded on demand, like splitStatements: most runs never load the WASM parser.
  const { createdExtensions, loadParser, parseSql } = await import('../sql/index.js');
  await loadParser();
  return createdExtensions(parseSql(m.body))
    .filter((extension) => !extension.nested && !pgliteProvides(extension.name))
    .map(
      (extension) =>
        `${m.relPath}:${m.bodyStartLine + extension.line - 1}: creates extension ${extension.name}, which the embedded database (PGlite) cannot provide: apply it to a server that has it (--database-url URL)`,
    );
}
