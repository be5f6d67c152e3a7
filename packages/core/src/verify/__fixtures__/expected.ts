/**
 * What the verifier must report on functions.sql: per defect, the function, the rule and the text
 * at the reported body line and column (`token`), or only the line's text when no column is given.
 * Functions named ok_* must stay clean.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { DbSession } from '../../db/types.js';
import type { FunctionDefect } from '../types.js';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURE_SQL = readFileSync(join(here, 'functions.sql'), 'utf8');
/** Correct code written in common PL/pgSQL idioms (applied after FIXTURE_SQL): must stay clean. */
export const IDIOMS_SQL = readFileSync(join(here, 'idioms.sql'), 'utf8');
export const IDIOM_FUNCTION_COUNT = 10;

export interface ExpectedDefect {
  function: string;
  rule: FunctionDefect['rule'];
  /** Text starting at bodyLine:column (or contained in the line when `lineOnly`). */
  token: string;
  lineOnly?: boolean;
  /** A defect of the signature (a parameter): no body line. */
  noLine?: boolean;
  sqlstate?: string;
}

const defect = (fn: string, rule: ExpectedDefect['rule'], token: string, more: Partial<ExpectedDefect> = {}): ExpectedDefect => ({
  function: `public.${fn}`,
  rule,
  token,
  ...more,
});

/** The built-in engine (PGlite and PG 15 alike). */
export const EXPECTED_BUILTIN: ExpectedDefect[] = [
  defect('bad_aggregate(integer)', 'function-invalid-statement', 'i.amount', { sqlstate: '42703' }),
  defect('bad_ambiguous(uuid)', 'function-ambiguous-column', 'id, amount', { sqlstate: '42702' }),
  defect('bad_ambiguous(uuid)', 'function-ambiguous-column', 'amount FROM', { sqlstate: '42702' }),
  defect('bad_cast(integer)', 'function-invalid-statement', '::integer[]', { sqlstate: '42846' }),
  defect('bad_ignore_comments(uuid)', 'function-ignore', 'pgwarden-ignore function-no-such-rule'),
  defect('bad_ignore_comments(uuid)', 'function-ignore', 'pgwarden-ignore function-invalid-statement'),
  defect('bad_insert_columns(uuid)', 'function-invalid-statement', 'price)', { sqlstate: '42703' }),
  defect('bad_keyword_variable()', 'function-keyword-variable', 'current_time timestamptz', { lineOnly: true }),
  defect('bad_keyword_parameter(text)', 'function-keyword-variable', '', { noLine: true }),
  defect('bad_sql_body_unchecked()', 'function-body-invalid', 'u.nickname', { sqlstate: '42703' }),
  defect('bad_missing_column(uuid)', 'function-invalid-statement', 'u.nickname', { sqlstate: '42703' }),
  defect('bad_missing_table()', 'function-invalid-statement', 'public.user_profiles', { sqlstate: '42P01' }),
  defect('bad_operator(uuid[])', 'function-invalid-statement', '= p_ids', { sqlstate: '42883' }),
  defect('bad_operator(uuid[])', 'function-invalid-statement', '= ANY (p_ids)', { sqlstate: '42883' }),
  defect('bad_several(uuid)', 'function-invalid-statement', 'nickname =', { sqlstate: '42703' }),
  defect('bad_several(uuid)', 'function-invalid-statement', 'public.order_lines', { sqlstate: '42P01' }),
  defect('bad_sql_body()', 'function-body-invalid', 'public.legacy_totals', { sqlstate: '42P01' }),
  defect('bad_trigger()', 'function-invalid-statement', 'NEW.nickname', { sqlstate: '42703' }),
  defect('bad_on_conflict(uuid)', 'function-ambiguous-column', 'ON CONFLICT (id)', { sqlstate: '42702' }),
  defect('bad_empty_search_path(integer)', 'function-invalid-statement', 'things t', { sqlstate: '42P01' }),
  defect('bad_row_type_field()', 'function-invalid-statement', 'v_user.nickname', { sqlstate: '42703' }),
  defect('bad_record_loop_insert()', 'function-invalid-statement', 'amount)', { sqlstate: '42703' }),
  defect('bad_row_field_assignment()', 'function-invalid-statement', 'v_user.nickname', { sqlstate: '42703' }),
  defect('bad_procedure(uuid)', 'function-invalid-statement', 'last_seen', { sqlstate: '42703' }),
];

/**
 * plpgsql_check finds the same defect classes. Where it differs: it stops at the first ambiguous
 * name of a statement (so `amount` is not reported beside `id`), and a missing field of a row
 * variable (NEW, a row type) and an ambiguous ON CONFLICT target have only a line, no column.
 */
export const EXPECTED_PLPGSQL_CHECK: ExpectedDefect[] = EXPECTED_BUILTIN.filter(
  (entry) => !(entry.function === 'public.bad_ambiguous(uuid)' && entry.token === 'amount FROM'),
).map((entry) =>
  ['public.bad_trigger()', 'public.bad_on_conflict(uuid)', 'public.bad_row_type_field()', 'public.bad_row_field_assignment()'].includes(entry.function) ? { ...entry, lineOnly: true } : entry,
);

/** Schemas of functions.sql. */
export const FIXTURE_SCHEMAS = ['public', 'app'];

/** Functions in functions.sql (bad_* and ok_*). */
export const FIXTURE_FUNCTION_COUNT = 46;

/** The builtin engine leaves polymorphic functions out entirely (ok_polymorphic): checked is one less. */
export const BUILTIN_CHECKED_COUNT = FIXTURE_FUNCTION_COUNT - 1;

/** Asserts that `defects` are exactly `expected`, each pointing at its token in the function's body. */
export async function expectDefects(session: DbSession, defects: FunctionDefect[], expected: ExpectedDefect[]): Promise<void> {
  const sources = new Map(
    (
      await session.query<{ key: string; source: string }>(
        `SELECT format('%s.%s(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)) AS key, p.prosrc AS source
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN ('public', 'app')`,
      )
    ).rows.map((row) => [row.key, row.source]),
  );
  const actual = defects.map((d) => {
    const line = (sources.get(d.function) ?? '').split('\n')[(d.bodyLine ?? 0) - 1] ?? '';
    return { function: d.function, rule: d.rule, line, bodyLine: d.bodyLine, column: d.column, sqlstate: d.sqlstate };
  });
  const matches = (a: (typeof actual)[number], e: ExpectedDefect) =>
    a.function === e.function &&
    a.rule === e.rule &&
    (e.sqlstate === undefined || a.sqlstate === e.sqlstate) &&
    (e.noLine ? a.bodyLine === undefined : e.lineOnly ? a.line.includes(e.token) : a.column !== undefined && a.line.slice(a.column - 1).startsWith(e.token));
  const unexpected = actual.filter((a) => !expected.some((e) => matches(a, e)));
  const missing = expected.filter((e) => !actual.some((a) => matches(a, e)));
  expect({ unexpected, missing }).toEqual({ unexpected: [], missing: [] });
  expect(defects.filter((d) => /^\w+\.ok_/.test(d.function)), 'near misses stay clean').toEqual([]);
  expect(defects).toHaveLength(expected.length);
}

/** n PL/pgSQL functions in `schema` with three statements and one name shared by a variable and a column each. */
export function generatedFunctions(schema: string, n: number): string {
  const parts = [`CREATE SCHEMA ${schema};`, `CREATE TABLE ${schema}.items (id int PRIMARY KEY, label text, qty int);`];
  for (let index = 0; index < n; index++) {
    parts.push(`CREATE FUNCTION ${schema}.f${index}(p_id int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  qty int;
BEGIN
  SELECT i.qty INTO qty FROM ${schema}.items i WHERE i.id = p_id;
  UPDATE ${schema}.items SET label = 'seen' WHERE id = p_id AND qty > 0;
  RETURN qty + ${index};
END;
$$;`);
  }
  return parts.join('\n');
}
