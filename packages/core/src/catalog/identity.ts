/**
 * One vocabulary of object identities for the catalog snapshot, its diff, the shadow's
 * root-cause analysis and the lint rules' statement-level schema model.
 *
 * Keys use the unquoted names as Postgres stores them, joined with dots:
 *   relation-like objects  `schema.name`           (tables, views, sequences, types, functions without args)
 *   columns                `schema.table.column`
 *   per-table objects      `schema.table.name`     (constraints, triggers, policies)
 *   functions              `schema.name(argtypes)` with argument types as `format_type` prints them, IN/INOUT/VARIADIC only
 *   indexes                `schema.name` (an index lives in its table's schema)
 *   grants (in diffs)      `objectKey:grantee`, e.g. `public.patients:anon`, `public.f(integer):PUBLIC`
 *   schemas, extensions    their name
 * Unqualified names in SQL resolve to `public` (first existing schema of the default search_path).
 */

export type ObjectKind =
  | 'schema'
  | 'extension'
  | 'table'
  | 'column'
  | 'constraint'
  | 'index'
  | 'view'
  | 'materialized_view'
  | 'sequence'
  | 'function'
  | 'trigger'
  | 'policy'
  | 'enum'
  | 'domain'
  | 'composite_type'
  | 'grant'
  | 'comment';

export interface ObjectId {
  kind: ObjectKind;
  /** `schema.name`, `schema.table.column`, `schema.name(args)` ... as described above. */
  key: string;
}

export const DEFAULT_SCHEMA = 'public';

/** `schema.name`; an unqualified name is in `public`. */
export function qualifiedKey(schema: string | undefined, name: string): string {
  return `${schema ?? DEFAULT_SCHEMA}.${name}`;
}

/** `schema.table.member` for columns, constraints, triggers and policies. */
export function memberKey(tableKey: string, member: string): string {
  return `${tableKey}.${member}`;
}

/** `schema.name(type1, type2)` for a function or procedure. */
export function functionKey(schema: string | undefined, name: string, argumentTypes: readonly string[]): string {
  return `${qualifiedKey(schema, name)}(${argumentTypes.join(', ')})`;
}

/** Readable `kind key` for messages, e.g. `table public.users`. */
export function describeObject(id: ObjectId): string {
  return `${id.kind.replace(/_/g, ' ')} ${id.key}`;
}

/** Code-point comparison: snapshot order never depends on locale or oid. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
