/** Errors a user can act on: one line, no stack trace, never a password. */

import { scrubSecret, type UrlParts } from './url.js';

export type DatabaseErrorReason =
  | 'unreachable'
  | 'auth-failed'
  | 'access-denied'
  | 'database-missing'
  | 'server-unavailable'
  | 'embedded-in-use'
  | 'embedded-failed'
  | 'invalid-url'
  | 'connect-failed';

/** A failure to open or reach a database. `userMessage` is the single line to print. */
export class DatabaseError extends Error {
  readonly userMessage: string;
  readonly reason: DatabaseErrorReason;
  /** SQLSTATE or Node error code of the underlying failure, when known. */
  readonly code?: string;

  constructor(reason: DatabaseErrorReason, userMessage: string, code?: string) {
    super(userMessage);
    this.name = 'DatabaseError';
    this.reason = reason;
    this.userMessage = userMessage;
    this.code = code;
  }

  /** A URL that cannot be used is a configuration error (exit 2); a database that fails is a failed operation. */
  get exitCode(): 1 | 2 {
    return this.reason === 'invalid-url' ? 2 : 1;
  }
}

export interface ConnectTarget {
  /** Redacted URL. */
  label: string;
  parts: UrlParts;
  connectTimeoutMs: number;
}

interface DriverError {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused (no server listens there: is it running, and is the port right?)',
  ENOTFOUND: 'host not found (DNS: check the host name)',
  EAI_AGAIN: 'host name lookup failed (DNS did not answer)',
  ETIMEDOUT: 'connection timed out (no answer: a firewall, or the wrong host?)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset before the server answered',
  ENOENT: 'no server socket at that path',
};

/** `host:port` as a connection attempt used them (libpq defaults: localhost, 5432). */
function hostPort(parts: UrlParts): string {
  const host = parts.host || 'localhost';
  const port = parts.port ?? 5432;
  if (host.startsWith('/')) return `${host}/.s.PGSQL.${port}`;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Driver errors sometimes carry the code on a nested AggregateError (IPv4 + IPv6 attempts). */
function codeOf(err: DriverError): string | undefined {
  if (typeof err.code === 'string' && err.code) return err.code;
  if (Array.isArray(err.errors)) {
    for (const inner of err.errors) {
      const code = codeOf(inner as DriverError);
      if (code) return code;
    }
  }
  return undefined;
}

/** Maps a connection failure of the `pg` driver to one clear line about `target`. */
export function mapConnectError(error: unknown, target: ConnectTarget): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const err = (error ?? {}) as DriverError;
  const code = codeOf(err);
  const raw = typeof err.message === 'string' ? err.message : String(error);
  const where = target.label;
  const user = target.parts.user ?? 'the configured user';
  const db = target.parts.database ?? 'the configured database';
  const clean = (text: string) => scrubSecret(text, target.parts.password);

  const cannot = `cannot connect to ${hostPort(target.parts)} (${where})`;
  if (code && UNREACHABLE[code]) {
    return new DatabaseError('unreachable', `${cannot}: ${UNREACHABLE[code]}`, code);
  }
  if (/timeout expired|connection timeout/i.test(raw)) {
    const seconds = Math.round(target.connectTimeoutMs / 100) / 10;
    return new DatabaseError('unreachable', `${cannot}: timed out after ${seconds}s (no answer: a firewall, or the wrong host?)`, 'ETIMEDOUT');
  }
  switch (code) {
    case '28P01':
      return new DatabaseError(
        'auth-failed',
        `password authentication failed for user "${user}" at ${where}: check the password in the database URL`,
        code,
      );
    case '28000':
      return new DatabaseError('access-denied', `access denied at ${where}: ${clean(raw)}`, code);
    case '3D000':
      return new DatabaseError(
        'database-missing',
        `database "${db}" does not exist at ${where}: create it (createdb ${db}) or fix the database name in the URL`,
        code,
      );
    case '53300': {
      const limit = /for role/i.test(raw) ? `too many connections for role "${user}"` : 'the server has no free connection slot';
      return new DatabaseError(
        'server-unavailable',
        `database at ${where} refused a connection: ${limit}; pgwarden needs two connections (one holds the migration lock, one applies the migrations): raise the connection limit or close idle sessions`,
        code,
      );
    }
    case '57P03':
      return new DatabaseError('server-unavailable', `database at ${where} is not accepting connections: ${clean(raw)}`, code);
  }
  if (/Connection terminated/i.test(raw)) {
    // Accepted, then closed before the PostgreSQL handshake finished: not a PostgreSQL server, or a proxy/pooler without a backend.
    return new DatabaseError(
      'unreachable',
      `${cannot}: the connection was closed before the PostgreSQL handshake finished (is a PostgreSQL server listening on that port?)`,
      code,
    );
  }
  return new DatabaseError('connect-failed', `cannot connect to database at ${where}: ${clean(raw)}`, code);
}

/** True for errors that carry a one-line `userMessage` meant for the terminal. */
export function hasUserMessage(error: unknown): error is Error & { userMessage: string } {
  return error instanceof Error && typeof (error as { userMessage?: unknown }).userMessage === 'string';
}
