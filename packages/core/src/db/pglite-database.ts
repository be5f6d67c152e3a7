/**
 * The embedded adapter: PGlite (Postgres in WASM) with a persistent data directory.
 * PGlite has exactly one connection, so every session is that connection, and the data
 * directory is guarded by a cross-process lock file (see file-lock.ts).
 * `@electric-sql/pglite` is imported lazily: linting never loads the WASM module.
 */

import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { DatabaseError } from './errors.js';
import { acquireDirectoryLock, type DirectoryLock } from './file-lock.js';
import { loadPgliteExtensions, pgliteProvides } from './pglite-extensions.js';
import type { Database, DbSession, QueryResult } from './types.js';

export interface PgliteDatabaseOptions {
  dataDir: string;
  lockTimeoutMs?: number;
  /** SQL names of extensions to register besides the common ones and those the database has (e.g. what pending migrations create). */
  extensions?: readonly string[];
}

class PgliteSession implements DbSession {
  constructor(private readonly db: () => PGlite) {}

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    const result = await this.db().query<T>(sql, params as unknown[] | undefined);
    return {
      rows: result.rows,
      rowCount: result.rows.length || (result.affectedRows ?? 0),
      fields: result.fields.map((f) => f.name),
      fieldTypeIds: result.fields.map((f) => f.dataTypeID),
    };
  }

  async exec(sql: string): Promise<void> {
    await this.db().exec(sql);
  }

  /** The single connection stays open until Database.close(). */
  async close(): Promise<void> {}
}

export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly label: string;
  private closed = false;

  private constructor(
    private readonly instance: PGlite,
    private readonly lock: DirectoryLock,
    dataDir: string,
  ) {
    this.label = dataDir;
  }

  static async open(options: PgliteDatabaseOptions): Promise<PgliteDatabase> {
    const dataDir = resolve(options.dataDir);
    const lock = await acquireDirectoryLock(dataDir, { timeoutMs: options.lockTimeoutMs ?? 10_000 });
    try {
      mkdirSync(dataDir, { recursive: true });
      const { PGlite } = await import('@electric-sql/pglite');
      const registered = [...new Set([...ALWAYS_REGISTERED_EXTENSIONS, ...(options.extensions ?? [])])].filter(pgliteProvides);
      let instance = await PGlite.create(dataDir, { extensions: await loadPgliteExtensions(registered) });
      // An extension's code is needed whenever the database uses it (a vector column is read through
      // it), not only by CREATE EXTENSION: one an earlier run created must be registered again.
      const { rows } = await instance.query<{ extname: string }>('SELECT extname FROM pg_extension ORDER BY extname');
      const unregistered = rows.map((row) => row.extname).filter((name) => pgliteProvides(name) && !registered.includes(name) && name !== 'plpgsql');
      if (unregistered.length > 0) {
        await instance.close();
        instance = await PGlite.create(dataDir, { extensions: await loadPgliteExtensions([...registered, ...unregistered]) });
      }
      return new PgliteDatabase(instance, lock, dataDir);
    } catch (err) {
      lock.release();
      const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new DatabaseError('embedded-failed', `cannot open embedded database ${dataDir}: ${message}`);
    }
  }

  async session(): Promise<DbSession> {
    if (this.closed) throw new Error(`embedded database ${this.label} used after close()`);
    return new PgliteSession(() => this.instance);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.instance.close();
    } finally {
      this.lock.release();
    }
  }
}

/**
 * Extensions always registered on the embedded database (the ones Supabase projects commonly use),
 * so that a migration creating one from dynamic SQL finds it too. Registering them costs about
 * 40 ms; their code loads only when a migration creates them. Any other extension PGlite provides
 * is registered when the caller names it or the database already has it.
 */
export const ALWAYS_REGISTERED_EXTENSIONS: readonly string[] = ['pgcrypto', 'uuid-ossp', 'pg_trgm', 'btree_gin', 'btree_gist', 'citext', 'hstore', 'ltree', 'fuzzystrmatch', 'unaccent', 'moddatetime', 'intarray'];

/**
 * True when `dataDir` holds an embedded database (its PG_VERSION file). Read-only commands
 * (status, migrate --dry-run) ask first, so that they never create one just to find it empty.
 */
export function embeddedDatabaseExists(dataDir: string): boolean {
  return existsSync(join(resolve(dataDir), 'PG_VERSION'));
}
