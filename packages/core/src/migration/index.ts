export type * from './types.js';
export { parseFileName, formatFileName, isCalendarDate } from './file-name.js';
export { parseMigration, type MigrationSource } from './parse-migration.js';
export { computeChecksum, normaliseBody, CHECKSUM_VERSION } from './checksum.js';
export { canonicalDirectives, isValidDuration } from './directives.js';
export { parseTimeoutDuration, MAX_TIMEOUT_MS, DURATION_FORMAT, type TimeoutDuration } from './duration.js';
export { normaliseSectionKey, normaliseSchemaPath, SOURCE_OF_TRUTH_SECTION, EXECUTED_SECTION, APPROVED_SECTION } from './header.js';
export {
  readSourceFile,
  withByteOrderMark,
  firstInvalidUtf8Byte,
  DEFAULT_MAX_SOURCE_BYTES,
  type SourceFileResult,
  type SourceFileFailure,
} from './read-source-file.js';
export { discoverMigrations, MigrationsDirectoryError, sortByVersion } from './discover.js';
export { compareMigrations, compareVersions as compareMigrationVersions, historyBefore, sortHistory } from './history-order.js';
export { nextSequence, renderNewMigration, titleFromSlug, type NewMigrationOptions } from './new-migration.js';
export { newMigrationFile, NewMigrationError, type NewMigrationFile, type NewMigrationFileOptions } from './new-migration-file.js';
export { addApproval, addExecutionRecord, tickCheckboxes, type ApprovalInput, type ExecutionInput } from './rewrite.js';
export { discoverMigrationsIfPresent, readMigrationFile, toRelPath, type UnreadableMigrationFile } from './read-migration-file.js';
export { removeStaleTempFiles, writeFileAtomically } from './write-atomically.js';
