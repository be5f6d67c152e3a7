/**
 * Where a shadow lives: an in-memory PGlite instance (default, no server), or a uniquely named
 * temporary database on the server of `shadow.url`, dropped on close, on a failed build and on
 * SIGINT/SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { DatabaseError } from '../db/errors.js';
import { PgDatabase } from '../db/pg-database.js';
import type { Database, DbSession, QueryResult } from '../db/types.js';
import { databaseUrlProblem } from '../db/connection-settings.js';
import { redactUrl } from '../db/url.js';
import { loadPgliteExtensions } from '../db/pglite-extensions.js';

export interface ShadowTarget {
  readonly kind: 'pglite' | 'pg';
  readonly database: Database;
  /** The PGlite instance (for dumpDataDir); absent on a server. */
  readonly pglite?: PGlite;
  /** Releases the instance, or drops the temporary database. Idempotent. */
  dispose(): Promise<void>;
}

class MemorySession implements DbSession {
  constructor(private readonly instance: PGlite) {}

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    const result = await this.instance.query<T>(sql, params);
    return { rows: result.rows, rowCount: result.rows.length || (result.affectedRows ?? 0), fields: result.fields.map((f) => f.name) };
  }

  async exec(sql: string): Promise<void> {
    await this.instance.exec(sql);
  }

  async close(): Promise<void> {}
}

/** An in-memory PGlite as a `Database`: one connection, shared by every session. */
class MemoryPgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly label = 'shadow (PGlite, in memory)';
  private closed = false;

  constructor(readonly instance: PGlite) {}

  async session(): Promise<DbSession> {
    if (this.closed) throw new Error('shadow database used after close()');
    return new MemorySession(this.instance);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.instance.close();
  }
}

/** A fresh PGlite shadow, or one loaded from a dumped data directory (a warm cache), with the extension bundles named. */
export async function createPgliteTarget(loadDataDir?: Blob, extensionNames: readonly string[] = []): Promise<ShadowTarget> {
  const { PGlite } = await import('@electric-sql/pglite');
  const extensions = await loadPgliteExtensions(extensionNames);
  const instance = await PGlite.create({ extensions, ...(loadDataDir ? { loadDataDir } : {}) });
  const database = new MemoryPgliteDatabase(instance);
  return { kind: 'pglite', database, pglite: instance, dispose: () => database.close() };
}

// Temporary databases alive in this process, dropped on SIGINT/SIGTERM before exiting.
const live = new Set<() => Promise<void>>();
let signalsInstalled = false;

function onSignal(signal: NodeJS.Signals): void {
  const code = signal === 'SIGINT' ? 130 : 143;
  void Promise.allSettled([...live].map((drop) => drop())).finally(() => process.exit(code));
}

function track(drop: () => Promise<void>): () => void {
  live.add(drop);
  if (!signalsInstalled) {
    signalsInstalled = true;
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return () => {
    live.delete(drop);
    if (live.size === 0 && signalsInstalled) {
      signalsInstalled = false;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  };
}

/** Names of the temporary databases: recognisable, unique per process and build. */
export function temporaryDatabaseName(): string {
  return `pgwarden_shadow_${process.pid}_${randomBytes(4).toString('hex')}`;
}

function urlWithDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Creates a temporary database on the server of `url` (which names a database to connect to for that). */
export async function createServerTarget(url: string): Promise<ShadowTarget> {
  const problem = databaseUrlProblem(url);
  if (problem) throw new DatabaseError('invalid-url', `invalid shadow.url: it ${problem}`);
  const admin = new PgDatabase({ url, applicationName: 'pgwarden-shadow' });
  const name = temporaryDatabaseName();
  const adminSession = await admin.session();
  try {
    await adminSession.exec(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.close();
    const message = error instanceof Error ? error.message : String(error);
    throw new DatabaseError('access-denied', `cannot create a temporary shadow database on ${redactUrl(url)}: ${message}`);
  } finally {
    await adminSession.close();
  }
  const database = new PgDatabase({ url: urlWithDatabase(url, name), applicationName: 'pgwarden-shadow' });
  let dropped: Promise<void> | undefined;
  const drop = (): Promise<void> =>
    (dropped ??= (async () => {
      await database.close().catch(() => {});
      const session = await admin.session();
      try {
        await session.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await session.close();
        await admin.close();
      }
    })());
  const untrack = track(drop);
  return {
    kind: 'pg',
    database,
    dispose: async () => {
      try {
        await drop();
      } finally {
        untrack();
      }
    },
  };
}
