/**
 * The embedded adapter: PGlite (Postgres in WASM) with a persistent data directory.
 * PGlite has exactly one connection, so every session is that connection, and the data
 * directory is guarded by a cross-process lock file (see file-lock.ts).
 * `@electric-sql/pglite` is imported lazily: linting never loads the WASM module.
 */

import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Extensions, PGlite } from '@electric-sql/pglite';
import { DatabaseError } from './errors.js';
import { acquireDirectoryLock, type DirectoryLock } from './file-lock.js';
import type { Database, DbSession, QueryResult } from './types.js';

export interface PgliteDatabaseOptions {
  dataDir: string;
  lockTimeoutMs?: number;
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
      const instance = await PGlite.create(dataDir, { extensions: await loadContribExtensions() });
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
 * Contrib extensions a migration may CREATE EXTENSION on the embedded database (the ones
 * Supabase projects commonly use). Registering them costs about 40 ms; their code loads only
 * when a migration creates them.
 */
const CONTRIB_EXTENSIONS = ['pgcrypto', 'uuid_ossp', 'pg_trgm', 'btree_gin', 'btree_gist', 'citext', 'hstore', 'ltree', 'fuzzystrmatch', 'unaccent', 'moddatetime', 'intarray'] as const;

async function loadContribExtensions(): Promise<Extensions> {
  const entries = await Promise.all(
    CONTRIB_EXTENSIONS.map(async (name) => [name, ((await import(`@electric-sql/pglite/contrib/${name}`)) as Record<string, unknown>)[name]] as const),
  );
  return Object.fromEntries(entries) as Extensions;
}

/**
 * True when `dataDir` holds an embedded database (its PG_VERSION file). Read-only commands
 * (status, migrate --dry-run) ask first, so that they never create one just to find it empty.
 */
export function embeddedDatabaseExists(dataDir: string): boolean {
  return existsSync(join(resolve(dataDir), 'PG_VERSION'));
}
