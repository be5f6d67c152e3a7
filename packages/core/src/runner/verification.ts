/**
 * The migration's VERIFY query runs after the body, in the same transaction. It passes only
 * when it returns exactly one row of exactly one column whose value is boolean true
 * (`SELECT count(*) = 3 FROM ...`, `SELECT bool_and(...) ...`). Anything else fails the
 * migration, which rolls back: a string such as 'no', a number, NULL, false, no row, several.
 *
 * What the query returned is data (this is a healthcare database), so the message names only
 * the shape: row and column counts and the column's type, never a value.
 */

import type { DbSession, QueryResult } from '../db/types.js';

export class VerificationFailed extends Error {
  constructor(
    readonly query: string,
    readonly outcome: string,
  ) {
    super(`verification query ${JSON.stringify(query)} ${outcome}`);
    this.name = 'VerificationFailed';
  }
}

/** The query as it runs: without a trailing semicolon. */
export function normaliseVerification(sql: string): string {
  return sql.trim().replace(/;\s*$/, '').trim();
}

/**
 * Why `result` does not prove the migration, or undefined when it does.
 * `typeName` names the column's type (format_type of its OID).
 */
export function verificationProblem(result: Pick<QueryResult, 'rows' | 'fields'>, typeName: string | undefined): string | undefined {
  const rows = result.rows.length;
  const columns = result.fields.length;
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  if (rows === 1 && columns === 1 && result.rows[0]![result.fields[0]!] === true) return undefined;
  const expected = 'expected one row with one boolean column that is true';
  if (rows !== 1 || columns !== 1) return `returned ${plural(rows, 'row')} of ${plural(columns, 'column')}; ${expected}`;
  const type = typeName ?? 'unknown type';
  if (type !== 'boolean') return `returned one value of type ${type}, not boolean; ${expected} (compare it: SELECT <expression> = <expected>)`;
  return `returned a boolean that is not true (false or NULL); ${expected}`;
}

export async function runVerification(session: DbSession, sql: string): Promise<void> {
  const query = normaliseVerification(sql);
  const result = await session.query<Record<string, unknown>>(query);
  // A passing result needs no type name: it is looked up only to explain a failure.
  if (verificationProblem(result, undefined) === undefined) return;
  const typeId = result.fieldTypeIds?.[0];
  let typeName: string | undefined;
  if (result.fields.length === 1 && typeId !== undefined) {
    const { rows } = await session.query<{ name: string }>('SELECT format_type($1::oid, NULL) AS name', [typeId]);
    typeName = rows[0]?.name;
  }
  const problem = verificationProblem(result, typeName);
  if (problem) throw new VerificationFailed(query, problem);
}
