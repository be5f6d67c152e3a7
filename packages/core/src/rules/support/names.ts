/**
 * Object names in the AST: name lists, `schema.name` keys of relations and objects, and how they are
 * written in SQL. Keys are those of catalog/identity.ts, so the rules' schema model and the catalog
 * snapshot name objects alike.
 */
import { DEFAULT_SCHEMA, qualifiedKey } from '../../catalog/identity.js';
import { quoteIdent } from '../../sql/quote.js';
import type { IndexStmt, RangeVar } from 'libpg-query';
import type { PgNode } from '../../sql/types.js';
import { stringOf } from '../../sql/nodes.js';

/** The `String` values of a name list such as `funcname` or a DROP object's `List`. */
export function strings(list: readonly PgNode[] | undefined): string[] {
  return (list ?? []).map(stringOf).filter((value): value is string => typeof value === 'string');
}

/** `schema.name` key of a RangeVar; unqualified names are in `public` (first existing schema of the default search_path). */
export function relationKey(relation: RangeVar | undefined): string {
  if (!relation) return '';
  return qualifiedKey(relation.schemaname, relation.relname ?? ''); // always set by the parser; optional in the AST types
}

/** The relation as written (quoted where needed), for messages and hints. */
export function relationName(relation: RangeVar | undefined): string {
  if (!relation) return '?';
  const name = quoteIdent(relation.relname ?? '');
  return relation.schemaname ? `${quoteIdent(relation.schemaname)}.${name}` : name;
}

/** `schema.name` key of the index an IndexStmt creates (callers check it is named): an index lives in its table's schema. */
export function createdIndexKey(node: IndexStmt): string {
  return qualifiedKey(node.relation?.schemaname, node.idxname ?? '');
}

/** `schema.name` key of a qualified name list (`[schema, name]` or `[name]`). */
export function namesKey(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return qualifiedKey(undefined, names[0]!);
  return qualifiedKey(names.at(-2), names.at(-1)!);
}

/** A qualified name list as written. */
export function namesText(names: string[]): string {
  return names.map(quoteIdent).join('.');
}

/** Splits a `schema.name` key. */
export function splitKey(key: string): { schema: string; name: string } {
  const dot = key.indexOf('.');
  return dot < 0 ? { schema: DEFAULT_SCHEMA, name: key } : { schema: key.slice(0, dot), name: key.slice(dot + 1) };
}

/** A `schema.name` key as written, both parts quoted where needed. */
export function keyText(key: string): string {
  const { schema, name } = splitKey(key);
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
