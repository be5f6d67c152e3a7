export { dryRun, migrate, resolveSettings, DEFAULT_RUNNER_SETTINGS, type DryRunOptions } from './migrate.js';
export type {
  AppliedMigration,
  FailedMigration,
  MigrateEvent,
  MigrateOptions,
  MigrateResult,
  PlannedRef,
  PresetStep,
  RunnerSettings,
  SkippedMigration,
} from './migrate-types.js';
export { PROBLEM_STATES, status, statusRows, verifiedStatusRows, type MigrationState, type StatusEnvironment, type StatusOptions, type StatusRow } from './status.js';
export { repair, type RepairAction, type RepairOptions, type RepairResult } from './repair.js';
export { buildPlan, type ApprovalVerifier, type LintErrors, type LintGate, type Plan, type PlannedMigration, type Refusal, type RefusalKind } from './plan.js';
export {
  ensureHistory,
  historyExists,
  readHistory,
  HISTORY_LAYOUT_VERSION,
  HISTORY_TABLE,
  type HistoryRow,
  type HistoryStatus,
} from './history.js';
export { acquireMigrationLock, findLockHolder, isLockLost, LockLost, MIGRATION_LOCK_KEY, type MigrationLock } from './lock.js';
export { approvalFileName, approvalState, requiredApprovals, missingPromotions, type ApprovalState } from './approvals.js';
export { MigrationFailure } from './apply-context.js';
export { RunnerError, type RunnerErrorKind } from './errors.js';
export { compareVersions, type MigrationRef } from './ordering.js';
export { commandNames, findMigration, isVersion, migrationsNamed, MigrationNameError, type FindMigrationOptions } from './find-migration.js';
export { finalizeHeader, localDate, reconcileExecutionRecords, type ExecutionStamp } from './finalize.js';
export { verificationProblem } from './verification.js';
export { rollback, type RollbackOptions, type RollbackResult } from './rollback.js';
export { currentUser } from './current-user.js';
