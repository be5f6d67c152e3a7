/** The `pg` adapter: a real Postgres server reached by URL; one connection per session. */

import { createRequire } from 'node:module';
import type PgModule from 'pg';
import { DatabaseError, mapConnectError, type ConnectTarget } from './errors.js';
import type { Database, DbSession, QueryResult } from './types.js';
import { readDatabaseUrl } from './connection-settings.js';
import { redactUrl, urlParts } from './url.js';

export interface PgDatabaseOptions {
  url: string;
  connectTimeoutMs?: number;
  applicationName?: string;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const pg = loadPg();

/**
 * pg asks, as it loads, whether it runs in a Cloudflare Worker. On Node 20, which has no `navigator`
 * (Node 21 added one), it answers by constructing a fetch Response, which loads all of undici: about
 * 50 ms of a `migrate` with nothing to do (docs/benchmarks.md). For that synchronous load only, a
 * `navigator` that names Node, as Node 21 and later have; pg then takes its Node.js sockets, as before.
 */
function loadPg(): typeof PgModule {
  const load = () => createRequire(import.meta.url)('pg') as typeof PgModule;
  if ('navigator' in globalThis) return load();
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` }, configurable: true });
  try {
    return load();
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
}

class PgSession implements DbSession {
  /** Set when the connection broke underneath us (server restart, pg_terminate_backend). */
  private lost: Error | undefined;
  private closed = false;

  constructor(
    private readonly client: PgModule.Client,
    private readonly target: ConnectTarget,
    private readonly onClose: (session: PgSession) => void,
  ) {
    client.on('error', (err) => {
      this.lost = err;
    });
  }

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    this.assertUsable();
    try {
      const result = await this.client.query(sql, params as unknown[] | undefined);
      return {
        rows: result.rows as T[],
        rowCount: result.rowCount ?? result.rows.length,
        fields: (result.fields ?? []).map((f) => f.name),
        fieldTypeIds: (result.fields ?? []).map((f) => f.dataTypeID),
      };
    } catch (err) {
      throw this.connectionLossOr(err);
    }
  }

  async exec(sql: string): Promise<void> {
    this.assertUsable();
    try {
      await this.client.query(sql);
    } catch (err) {
      throw this.connectionLossOr(err);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
    try {
      await this.client.end();
    } catch {
      // Already broken: nothing left to release.
    }
  }

  private assertUsable(): void {
    if (this.closed) throw new Error('database session used after close()');
    if (this.lost) throw this.lostError(this.lost);
  }

  /** SQL errors (with a SQLSTATE) pass through untouched; a dead socket becomes one clear line. */
  private connectionLossOr(err: unknown): unknown {
    if (this.lost) return this.lostError(this.lost);
    const e = err as { code?: unknown; message?: unknown };
    if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && !e.code.startsWith('57P0')) return err;
    if (typeof e?.message === 'string' && /Connection terminated|not queryable|ECONNRESET|EPIPE/i.test(e.message)) {
      return this.lostError(err as Error);
    }
    return err;
  }

  private lostError(cause: Error): DatabaseError {
    const code = (cause as { code?: string }).code;
    const why = code === '57P01' ? 'the server terminated the session' : 'the connection was closed';
    return new DatabaseError('unreachable', `lost the connection to database at ${this.target.label}: ${why}`, code);
  }
}

export class PgDatabase implements Database {
  readonly kind = 'pg' as const;
  readonly label: string;
  private readonly target: ConnectTarget;
  private readonly open = new Set<PgSession>();

  constructor(private readonly options: PgDatabaseOptions) {
    this.label = redactUrl(options.url);
    this.target = {
      label: this.label,
      parts: urlParts(options.url),
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    };
  }

  async session(): Promise<DbSession> {
    const reading = readDatabaseUrl(this.options.url);
    if (!reading.ok) throw new DatabaseError('invalid-url', `invalid database URL: it ${reading.problem}`);
    const settings: PgModule.ClientConfig = {
      connectionTimeoutMillis: this.target.connectTimeoutMs,
      application_name: this.options.applicationName ?? 'pgwarden',
      // As with a connectionString, what the URL says (its own application_name) wins.
      ...reading.settings,
    };
    let client: PgModule.Client;
    try {
      client = await this.connect(settings);
    } catch (err) {
      // sslmode=prefer, as libpq means it: TLS when the server offers it, else a plain connection.
      if (reading.sslmode !== 'prefer' || !/does not support SSL/i.test((err as Error)?.message ?? '')) throw mapConnectError(err, this.target);
      try {
        client = await this.connect({ ...settings, ssl: false });
      } catch (plainErr) {
        throw mapConnectError(plainErr, this.target);
      }
    }
    const session = new PgSession(client, this.target, (s) => this.open.delete(s));
    this.open.add(session);
    return session;
  }

  /** A connected client; the driver's error, as thrown, when it cannot connect. */
  private async connect(settings: PgModule.ClientConfig): Promise<PgModule.Client> {
    const client = new pg.Client(settings);
    // A failed connect emits 'error' as well as rejecting; keep it from becoming an uncaught exception.
    const swallow = () => {};
    client.on('error', swallow);
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    client.off('error', swallow);
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((s) => s.close()));
  }
}
