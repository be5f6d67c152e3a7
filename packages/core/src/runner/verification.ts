/**
 * The migration's VERIFY query runs after the body, in the same transaction. It must return
 * exactly one row whose first column is truthy (true, a non-zero number, a non-empty string
 * other than f/false/0); otherwise the migration fails and rolls back, and the message shows
 * the query and what it returned.
 */

import type { DbSession } from '../db/types.js';

export class VerificationFailed extends Error {
  constructor(
    readonly query: string,
    readonly outcome: string,
  ) {
    super(`verification query ${JSON.stringify(query)} ${outcome}`);
    this.name = 'VerificationFailed';
  }
}

export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === '' || text === 'f' || text === 'false') return false;
    if (/^[-+]?\d+(\.\d+)?$/.test(text)) return Number(text) !== 0;
    return true;
  }
  return true;
}

/** The query as it runs: without a trailing semicolon. */
export function normaliseVerification(sql: string): string {
  return sql.trim().replace(/;\s*$/, '').trim();
}

export async function runVerification(session: DbSession, sql: string): Promise<void> {
  const query = normaliseVerification(sql);
  const result = await session.query<Record<string, unknown>>(query);
  if (result.rows.length !== 1) {
    throw new VerificationFailed(query, `returned ${result.rows.length} rows; expected exactly one`);
  }
  const first = result.fields[0];
  const value = first === undefined ? undefined : result.rows[0]![first];
  if (!isTruthy(value)) {
    throw new VerificationFailed(query, `returned ${first ?? 'no column'} = ${show(value)}; expected a true value`);
  }
}

function show(value: unknown): string {
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? `'${value}'` : String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
