import { databaseUrlProblem } from './connection-settings.js';
import { DatabaseError } from './errors.js';
import { PgDatabase } from './pg-database.js';
import { PgliteDatabase } from './pglite-database.js';
import type { Database, OpenDatabaseOptions } from './types.js';

/**
 * Opens a real server when `url` is given, else the persistent embedded database in `embeddedDir`.
 * A server is connected to lazily (the first `session()` reports an unreachable server);
 * an embedded database is opened and locked at once.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) {
    const problem = databaseUrlProblem(options.url);
    if (problem) throw new DatabaseError('invalid-url', `invalid database URL: it ${problem}`);
    return new PgDatabase({
      url: options.url,
      connectTimeoutMs: options.connectTimeoutMs,
      applicationName: options.applicationName,
    });
  }
  if (options.embeddedDir) {
    return PgliteDatabase.open({ dataDir: options.embeddedDir, lockTimeoutMs: options.embeddedLockTimeoutMs, extensions: options.embeddedExtensions });
  }
  throw new DatabaseError('invalid-url', 'no database: give a database URL or an embedded database directory');
}
