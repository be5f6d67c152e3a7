/** Reading values and conditions out of expression nodes: constants and the columns a CHECK proves NOT NULL. */
import type { PgNode } from '../../sql/types.js';
import { nodeOf } from '../../sql/nodes.js';
import { strings } from './names.js';

/** Value of an A_Const node (number, string, boolean or null); undefined for anything else. */
export function constValue(node: PgNode | undefined): string | number | boolean | null | undefined {
  const value = nodeOf(node, 'A_Const');
  if (!value) return undefined;
  if (value.isnull) return null;
  // libpg-query omits zero and empty values: `0` is `{ ival: {} }`, '' is `{ sval: {} }`.
  if ('ival' in value) return Number(value.ival?.ival ?? 0);
  if ('fval' in value) return Number(value.fval?.fval ?? 0);
  if ('sval' in value) return String(value.sval?.sval ?? '');
  if ('boolval' in value) return Boolean(value.boolval?.boolval);
  if ('bsval' in value) return String(value.bsval?.bsval ?? '');
  return undefined;
}

/** Columns a CHECK expression proves NOT NULL: `col IS NOT NULL`, possibly among AND-ed conditions. */
export function notNullColumns(expr: PgNode | undefined): string[] {
  if (!expr) return [];
  const nullTest = nodeOf(expr, 'NullTest');
  if (nullTest?.nulltesttype === 'IS_NOT_NULL') {
    const fields = strings(nodeOf(nullTest.arg, 'ColumnRef')?.fields);
    return fields.length ? [fields[fields.length - 1]!] : [];
  }
  const bool = nodeOf(expr, 'BoolExpr');
  if (bool?.boolop === 'AND_EXPR') return (bool.args ?? []).flatMap((arg) => notNullColumns(arg));
  return [];
}
