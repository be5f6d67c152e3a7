/**
 * The plpgsql_check engine: on a real server that has the extension, every PL/pgSQL function
 * (trigger functions with the table of their trigger) goes through plpgsql_check_function_tb
 * with fatal_errors => false, so every error of a function is reported, not only the first.
 */
import type { DbSession } from '../db/types.js';
import { quoteIdent } from '../sql/quote.js';
import { lineStartsOf, positionIn } from './body.js';
import { findQuery } from '../sql/plpgsql.js';
import type { VerifiableFunction } from './functions.js';
import { verifyRule } from './rules.js';
import { isPgError, pgErrorFields } from './session-tools.js';
import type { FunctionDefect, UncheckedItem, VerifyResult } from './types.js';

interface CheckRow {
  lineno: number | null;
  statement: string | null;
  sqlstate: string | null;
  message: string;
  detail: string | null;
  hint: string | null;
  level: string;
  position: number | null;
  query: string | null;
}

/** Where the extension is, or undefined when the server cannot provide it. */
export async function plpgsqlCheckSchema(session: DbSession): Promise<string | undefined> {
  const installed = await session.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'plpgsql_check'`,
  );
  return installed.rows[0]?.schema;
}

export async function plpgsqlCheckAvailable(session: DbSession): Promise<boolean> {
  const result = await session.query(`SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'plpgsql_check'`);
  return result.rows.length > 0;
}

/**
 * Installs the extension inside the verifier's transaction (rolled back with it) unless it is
 * there. Returns its schema, or the reason it cannot be installed (e.g. the role may not create
 * an untrusted extension).
 */
export async function ensurePlpgsqlCheck(session: DbSession): Promise<{ schema: string } | { failure: string }> {
  const existing = await plpgsqlCheckSchema(session);
  if (existing) return { schema: existing };
  await session.exec('SAVEPOINT pgwarden_plpgsql_check');
  try {
    await session.exec('CREATE SCHEMA pgwarden_plpgsql_check; CREATE EXTENSION plpgsql_check SCHEMA pgwarden_plpgsql_check');
    await session.exec('RELEASE SAVEPOINT pgwarden_plpgsql_check');
    return { schema: 'pgwarden_plpgsql_check' };
  } catch (error) {
    if (!isPgError(error)) throw error;
    await session.exec('ROLLBACK TO SAVEPOINT pgwarden_plpgsql_check; RELEASE SAVEPOINT pgwarden_plpgsql_check');
    return { failure: pgErrorFields(error).message };
  }
}

export interface CheckOutcome {
  defects: (FunctionDefect & { statementLine?: number })[];
  unchecked: UncheckedItem[];
}

/**
 * Defaults chosen for precision: errors only. Unused variables (extra_warnings), implicit casts
 * (other_warnings), performance and security warnings are off: a verifier that cries wolf is
 * switched off.
 */
const CHECK_SQL = (schema: string) => `
SELECT lineno, statement, sqlstate, message, detail, hint, level, "position", query
  FROM ${quoteIdent(schema)}.plpgsql_check_function_tb(
         $1::pg_catalog.oid::pg_catalog.regprocedure,
         relid => $2::pg_catalog.oid::pg_catalog.regclass,
         fatal_errors => false, other_warnings => false, performance_warnings => false,
         extra_warnings => false, security_warnings => false, compatibility_warnings => false,
         oldtable => $3::pg_catalog.name, newtable => $4::pg_catalog.name)`;

export async function checkWithPlpgsqlCheck(
  session: DbSession,
  schema: string,
  fn: VerifiableFunction,
  createdRelations: ReadonlySet<string>,
  counts: VerifyResult['counts'],
): Promise<CheckOutcome> {
  const outcome: CheckOutcome = { defects: [], unchecked: [] };
  const trigger = fn.triggers[0];
  if (fn.returnsTrigger && !trigger) {
    outcome.unchecked.push({ function: fn.key, reason: 'trigger function not attached to any table: NEW and OLD have no type' });
    return outcome;
  }
  counts.plpgsqlCheckCalls++;
  const rows = (
    await session.query<CheckRow>(CHECK_SQL(schema), [fn.oid, trigger?.relid ?? 0, trigger?.oldTable ?? null, trigger?.newTable ?? null])
  ).rows;
  const lineStarts = lineStartsOf(fn.source);
  for (const row of rows) {
    if (row.level !== 'error') continue;
    // Tables the function creates itself exist only at run time (plpgsql_check would need a pragma).
    const createdHere = [...createdRelations].find((name) => new RegExp(`(?<![\\w$])${name}(?![\\w$])`, 'i').test(`${row.query ?? ''} ${row.message}`));
    if (createdHere) {
      outcome.unchecked.push({ function: fn.key, bodyLine: row.lineno ?? undefined, reason: `uses ${createdHere}, which the function creates itself` });
      continue;
    }
    const ambiguous = row.sqlstate === '42702' && /PL\/pgSQL variable/i.test(row.detail ?? '');
    const rule = ambiguous ? 'function-ambiguous-column' : 'function-invalid-statement';
    const defect: FunctionDefect & { statementLine?: number } = {
      function: fn.key,
      rule,
      severity: verifyRule(rule).defaultSeverity,
      message: row.message,
    };
    const hint = row.hint ?? row.detail;
    if (hint) defect.hint = hint;
    if (row.sqlstate) defect.sqlstate = row.sqlstate;
    if (row.lineno) {
      defect.bodyLine = row.lineno;
      defect.statementLine = row.lineno;
      if (row.query && row.position) {
        const at = findQuery(fn.source, row.query, lineStarts[row.lineno - 1] ?? 0, fn.source.length);
        if (at !== -1) {
          const position = positionIn(lineStarts, at + row.position - 1);
          defect.bodyLine = position.line;
          defect.column = position.column;
        }
      }
    }
    outcome.defects.push(defect);
  }
  return outcome;
}
