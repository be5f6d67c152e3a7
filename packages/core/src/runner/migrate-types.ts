import type { EnvironmentConfig, PgwardenConfig } from '../config/types.js';
import type { Database, DbSession } from '../db/types.js';
import type { Migration } from '../migration/types.js';
import type { MigrationRef } from './ordering.js';
import type { ApprovalVerifier, LintGate, Refusal } from './plan.js';

export type RunnerSettings = Pick<PgwardenConfig, 'lockTimeout' | 'statementTimeout' | 'lockRetries' | 'advisoryLockTimeoutMs'>;

export interface MigrateOptions {
  db: Database;
  /** The parsed history (any order: the runner sorts by version, then file name). */
  migrations: readonly Migration[];
  envName: string;
  environment?: EnvironmentConfig;
  /** Defaults: lockTimeout 5s, statementTimeout 0 (off), lockRetries 3, advisoryLockTimeoutMs 60 s. */
  config?: Partial<RunnerSettings>;
  /** Lint error messages by relPath or version (or a function computing them for the pending migrations): such pending migrations are refused. */
  lintErrors?: LintGate;
  /** Plan and check only: no lock, no writes. */
  dryRun?: boolean;
  /**
   * Stop after this version (`YYYY-MM-DD_NN`: every file of it, in order), or after the one file it
   * names by file name (`.sql` optional) or path, when files share a version.
   */
  to?: string;
  allowOutOfOrder?: boolean;
  /** Write the execution record into each applied file's header (the CLI's default; --no-finalize turns it off). */
  finalize?: boolean;
  /** Checks approvals against git where the environment's `approvals.verify` asks for it. */
  verifyApprovals?: ApprovalVerifier;
  /** The environment's record secret (`recordKeyEnv`): execution records are then signed. */
  recordKey?: string;
  /** Secrets (by environment) of the environments in `requires` that sign their records. */
  recordKeys?: Readonly<Record<string, string>>;
  /** Recorded in the history and the header; default: the OS user. */
  appliedBy?: string;
  toolVersion?: string;
  onProgress?: (event: MigrateEvent) => void;
  /** First delay before retrying after a lock timeout, doubled each retry (default 1000 ms). */
  retryDelayMs?: number;
  /**
   * What the platform provides before the first migration (e.g. Supabase's roles and auth
   * schema): applied under the migration lock, in one transaction, when something is pending
   * and it is missing.
   */
  preset?: PresetStep;
}

export interface PresetStep {
  name: string;
  isPresent(session: DbSession): Promise<boolean>;
  /** Runs inside the transaction the runner opened; must not COMMIT. */
  apply(session: DbSession): Promise<void>;
}

export type MigrateEvent =
  | { type: 'lock-wait'; holder: string }
  | { type: 'preset'; name: string }
  | { type: 'start'; migration: MigrationRef; resumeFrom: number; statements?: number }
  | { type: 'retry'; migration: MigrationRef; attempt: number; of: number; delayMs: number; reason: string }
  | { type: 'applied'; migration: MigrationRef; durationMs: number }
  | { type: 'failed'; migration: MigrationRef; durationMs: number; message: string }
  | { type: 'skipped'; migration: MigrationRef; reason: string };

export interface AppliedMigration extends MigrationRef {
  durationMs: number;
  /** no-transaction files: statements executed (including a resumed prefix). */
  statementsApplied: number | null;
  /** Execution record written into the header. */
  finalized: boolean;
}

export interface FailedMigration extends MigrationRef {
  durationMs: number;
  /** One line naming the file and line, the cause and what to do. */
  message: string;
  code?: string;
  invalidIndexes: string[];
}

export interface SkippedMigration extends MigrationRef {
  reason: 'dry-run' | 'after-target' | 'earlier-failure' | 'lock-lost';
}

export interface BlockedMigration extends MigrationRef {
  /** Workspace-relative paths of the refused files that hold it back (empty: a refusal of the whole run). */
  by: string[];
}

export interface PlannedRef extends MigrationRef {
  noTransaction: boolean;
  /** Statements a previous interrupted run already executed. */
  resumeFrom: number;
  /** The SQL the runner sends, when it is not the body as written (a file's own BEGIN/COMMIT wrapper neutralised). */
  sql?: string;
}

export interface MigrateResult {
  /** True when nothing was refused and nothing failed. */
  ok: boolean;
  /** Redacted URL or embedded directory. */
  database: string;
  envName: string;
  dryRun: boolean;
  /** Gate problems; when any, nothing ran. */
  refused: Refusal[];
  /** Pending files that pass every gate but did not run (or would not) because others were refused. */
  blocked: BlockedMigration[];
  /** What the run set out to apply, in order (for --dry-run: what would run). */
  planned: PlannedRef[];
  applied: AppliedMigration[];
  failed: FailedMigration[];
  skipped: SkippedMigration[];
  /** Migrations already applied before this run. */
  alreadyApplied: number;
  /** Non-fatal: a header that could not be finalised. */
  warnings: string[];
  /** Set when the run stopped because it lost the migration lock: the one-line reason. */
  aborted?: string;
  /** Applied files whose missing execution record this run wrote (a killed earlier run). */
  reconciled: string[];
  /** Stale temporary files of a killed header writer, removed. */
  removedTempFiles: string[];
  durationMs: number;
}
