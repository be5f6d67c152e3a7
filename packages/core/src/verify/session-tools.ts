import type { DbSession } from '../db/types.js';
import { quoteLiteral } from '../sql/quote.js';

/** The fields of a Postgres error that pg and PGlite both carry. */
export interface PgErrorFields {
  message: string;
  code?: string;
  hint?: string;
  detail?: string;
  /** 1-based character position in the statement sent. */
  position?: number;
  /** 1-based character position in internalQuery (e.g. an SQL function's body). */
  internalPosition?: number;
}

export function pgErrorFields(error: unknown): PgErrorFields {
  const e = (error ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const number = (value: unknown) => (value === undefined || value === null || value === '' ? undefined : Number(value));
  return {
    message: text(e.message)?.split('\n')[0] ?? String(error),
    code: text(e.code),
    hint: text(e.hint),
    detail: text(e.detail),
    position: number(e.position),
    internalPosition: number(e.internalPosition),
  };
}

export function isPgError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

export const SAVEPOINT = 'pgwarden_verify';

/**
 * The verifier's own transaction on the session: everything it does (PREPARE, CREATE EXTENSION
 * plpgsql_check, settings) is rolled back, so the database is left as it was found.
 */
export async function inRolledBackTransaction<T>(session: DbSession, work: () => Promise<T>): Promise<T> {
  await session.exec('BEGIN');
  try {
    await session.exec('SET LOCAL check_function_bodies = on');
    return await work();
  } finally {
    await session.exec('ROLLBACK');
  }
}

/** Runs `work` for one function inside a savepoint with the function's search_path in force. */
export class FunctionScope {
  constructor(
    private readonly session: DbSession,
    private readonly defaultSearchPath: string,
  ) {}

  /** The search_path set for the previous function (it outlives the savepoint, which starts after it). */
  private current?: string;

  async enter(searchPath: string | undefined): Promise<void> {
    const path = searchPath ?? this.defaultSearchPath;
    // Changing search_path is not free on PGlite (caches are invalidated): only when it differs.
    const set = path === this.current ? '' : `SELECT pg_catalog.set_config('search_path', ${quoteLiteral(path)}, true); `;
    this.current = path;
    await this.session.exec(`${set}SAVEPOINT ${SAVEPOINT}`);
  }

  /** After a failed statement: the transaction is usable again, the search_path still set. */
  async recover(): Promise<void> {
    await this.session.exec(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
  }

  async leave(): Promise<void> {
    await this.session.exec(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}`);
  }
}
