export type { Database, DatabaseKind, DbSession, OpenDatabaseOptions, QueryResult } from './types.js';
export { openDatabase } from './open.js';
export { redactUrl } from './url.js';
export { DatabaseError, hasUserMessage, mapConnectError, type DatabaseErrorReason } from './errors.js';
export { PgDatabase } from './pg-database.js';
export { embeddedDatabaseExists, PgliteDatabase } from './pglite-database.js';
export { acquireDirectoryLock, lockPathFor, type DirectoryLock } from './file-lock.js';
