/** The one interface everything above `db/` talks to: a real server (`pg`) or embedded PGlite. */

export interface QueryResult<T = Record<string, unknown>> {
  rows: T[];
  /** Rows returned or affected by the statement (0 when the server does not say). */
  rowCount: number;
  /** Column names in result order. */
  fields: string[];
  /** Type OIDs of the columns, in result order (pg_type.oid). */
  fieldTypeIds?: number[];
}

/**
 * One connection. On a server every session is its own backend; on PGlite every session
 * shares the single embedded connection, so callers must not interleave two transactions.
 */
export interface DbSession {
  /** One statement, extended protocol, with `$1` parameters. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Any number of statements, simple protocol, no parameters (migration bodies). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseKind = 'pg' | 'pglite';

export interface Database {
  readonly kind: DatabaseKind;
  /** What messages print: the URL without its password, or the embedded data directory. */
  readonly label: string;
  /** pg: a new connection; PGlite: the single shared one (closing it is a no-op). */
  session(): Promise<DbSession>;
  /** Closes the pool of sessions still open (pg) or the embedded instance and its file lock (PGlite). */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `postgres://` URL of a real server. Takes precedence over `embeddedDir`. */
  url?: string;
  /** Data directory of the persistent embedded database (created when missing). */
  embeddedDir?: string;
  /** pg: how long a connection attempt may take (default 10 s). */
  connectTimeoutMs?: number;
  /** PGlite: how long to wait for another process to release the data directory (default 10 s). */
  embeddedLockTimeoutMs?: number;
  /** PGlite: extensions to register besides the common ones and those the database has (what pending migrations create). */
  embeddedExtensions?: readonly string[];
  /** pg: `application_name` of the sessions (default `pgwarden`). */
  applicationName?: string;
}
