export type * from './types.js';
export { parseFileName, formatFileName, isCalendarDate } from './file-name.js';
export { parseMigration, type MigrationSource } from './parse-migration.js';
export { computeChecksum, normaliseBody, CHECKSUM_VERSION } from './checksum.js';
export { canonicalDirectives, isValidDuration } from './directives.js';
export { normaliseSectionKey, normaliseSchemaPath, SOURCE_OF_TRUTH_SECTION, EXECUTED_SECTION, APPROVED_SECTION } from './header.js';
export {
  readSourceFile,
  firstInvalidUtf8Byte,
  DEFAULT_MAX_SOURCE_BYTES,
  type SourceFileResult,
  type SourceFileFailure,
} from './read-source-file.js';
export { discoverMigrations, MigrationsDirectoryError, sortByVersion } from './discover.js';
export { nextSequence, renderNewMigration, titleFromSlug, type NewMigrationOptions } from './new-migration.js';
export { addApproval, addExecutionRecord, tickCheckboxes, type ApprovalInput, type ExecutionInput } from './rewrite.js';
export { discoverMigrationsIfPresent, readMigrationFile, toRelPath, type UnreadableMigrationFile } from './read-migration-file.js';
export { removeStaleTempFiles, writeFileAtomically } from './write-atomically.js';
