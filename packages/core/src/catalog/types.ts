/**
 * The catalog snapshot: the hub that `check`, `lint --deep`, `plan` and `types` share.
 * Normalised, deterministic and JSON-serialisable: every list is ordered by its `key`
 * (code points, see identity.ts), never by oid or locale; no oids, no timestamps.
 * Introspected from a database (shadow or live); compared with `diffCatalogs`.
 */
import type { ObjectId, ObjectKind } from './identity.js';

export const CATALOG_SNAPSHOT_VERSION = 1;

export interface CatalogSnapshot {
  version: typeof CATALOG_SNAPSHOT_VERSION;
  /** `server_version_num` of the database it was read from (e.g. 150019, 180000). */
  serverVersionNum: number;
  /** Schemas included (system and preset-owned schemas are excluded by the introspection options). */
  schemas: SchemaInfo[];
  extensions: ExtensionInfo[];
  tables: TableInfo[];
  views: ViewInfo[];
  sequences: SequenceInfo[];
  functions: FunctionInfo[];
  enums: EnumInfo[];
  domains: DomainInfo[];
  compositeTypes: CompositeTypeInfo[];
}

export interface SchemaInfo {
  key: string;
  name: string;
  owner?: string;
  comment?: string;
  grants: GrantInfo[];
}

export interface ExtensionInfo {
  key: string;
  name: string;
  schema: string;
  version: string;
}

export interface GrantInfo {
  /** Role name, or `PUBLIC`. */
  grantee: string;
  /** Upper-case privilege names in code-point order, e.g. `["INSERT", "SELECT"]`. */
  privileges: string[];
}

export interface ColumnInfo {
  key: string;
  name: string;
  /** 1-based position among the live columns (dropped columns skipped). */
  position: number;
  /** `format_type(atttypid, atttypmod)`, e.g. `character varying(80)`, `integer[]`, `public.mood`. */
  type: string;
  /** Schema-qualified type name without modifiers, for type mapping (e.g. `pg_catalog.varchar`, `public.mood`). */
  typeName: string;
  /** Element type for arrays (`pg_catalog.int4` for `integer[]`), absent otherwise. */
  elementTypeName?: string;
  /** Array dimensions declared or implied (0 for non-arrays). */
  arrayDimensions: number;
  notNull: boolean;
  /** `pg_get_expr` of the default; absent when none (and for generated columns). */
  default?: string;
  identity?: 'always' | 'by_default';
  /** Stored generated expression, `pg_get_expr`. */
  generated?: string;
  collation?: string;
  comment?: string;
  /** Views only: whether the column can be written through the view (`pg_column_is_updatable`). Absent: follows the view. Read by typegen. */
  updatable?: boolean;
}

export interface ConstraintInfo {
  key: string;
  name: string;
  type: 'primary_key' | 'unique' | 'foreign_key' | 'check' | 'exclusion' | 'not_null' | 'trigger';
  /** `pg_get_constraintdef(oid)`, e.g. `FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE`. */
  definition: string;
  columns: string[];
  /** Foreign keys: `schema.table` referenced and its columns. */
  references?: { table: string; columns: string[] };
  validated: boolean;
  deferrable: boolean;
  /** Set on a partition's copy of its parent's constraint (conparentid); the parent carries the original. */
  inherited?: true;
}

export interface IndexInfo {
  key: string;
  name: string;
  /** `pg_get_indexdef`. */
  definition: string;
  unique: boolean;
  primary: boolean;
  /** Plain column names in index order; expressions appear as `null`. */
  columns: (string | null)[];
  /** false after an interrupted CREATE INDEX CONCURRENTLY. */
  valid: boolean;
  predicate?: string;
}

export interface TriggerInfo {
  key: string;
  name: string;
  /** `pg_get_triggerdef`. */
  definition: string;
  /** `schema.name(args)` function key. */
  function: string;
  enabled: boolean;
}

export interface PolicyInfo {
  key: string;
  name: string;
  command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  permissive: boolean;
  /** Role names in code-point order; `public` when the policy applies to everyone. */
  roles: string[];
  using?: string;
  withCheck?: string;
}

export interface TableInfo {
  key: string;
  schema: string;
  name: string;
  kind: 'table' | 'partitioned_table' | 'foreign_table';
  /** `schema.table` of the parent when this table is a partition. */
  partitionOf?: string;
  /** `pg_get_partkeydef` for a partitioned table. */
  partitionKey?: string;
  partitionBound?: string;
  rlsEnabled: boolean;
  rlsForced: boolean;
  owner?: string;
  comment?: string;
  columns: ColumnInfo[];
  constraints: ConstraintInfo[];
  indexes: IndexInfo[];
  triggers: TriggerInfo[];
  policies: PolicyInfo[];
  grants: GrantInfo[];
}

export interface ViewInfo {
  key: string;
  schema: string;
  name: string;
  materialized: boolean;
  /** `pg_get_viewdef(oid, true)`. */
  definition: string;
  /** reloptions such as `security_invoker=true`, `security_barrier=true`, in code-point order. */
  options: string[];
  /** Auto-updatable by Postgres' rules (pg_relation_is_updatable); always false for materialized views. */
  insertable: boolean;
  updatable: boolean;
  owner?: string;
  comment?: string;
  columns: ColumnInfo[];
  indexes: IndexInfo[];
  grants: GrantInfo[];
}

export interface SequenceInfo {
  key: string;
  schema: string;
  name: string;
  type: string;
  /** `schema.table.column` that owns it (serial/identity), when any. */
  ownedBy?: string;
  grants: GrantInfo[];
}

export interface FunctionArgument {
  /** Empty string for an unnamed argument. */
  name: string;
  /** `format_type`, e.g. `text`, `uuid[]`, `public.mood`. */
  type: string;
  mode: 'in' | 'out' | 'inout' | 'variadic' | 'table';
  hasDefault: boolean;
  /** Schema-qualified type name as in ColumnInfo.typeName (`pg_catalog.int4`, `pg_catalog._text`, `public.mood`). Read by typegen. */
  typeName?: string;
}

export interface FunctionInfo {
  key: string;
  schema: string;
  name: string;
  kind: 'function' | 'procedure' | 'aggregate' | 'window';
  /** `pg_get_function_identity_arguments`. */
  identityArguments: string;
  arguments: FunctionArgument[];
  /** `pg_get_function_result`, e.g. `SETOF public.users`, `TABLE(id uuid, n integer)`, `void`. */
  returns: string;
  returnsSet: boolean;
  /** Schema-qualified return type name (`pg_catalog.int4`, `public.users` for a row type, `pg_catalog.record`). */
  returnTypeName: string;
  /** Set-returning functions: the planner's row estimate (`prorows`, e.g. 1 for `ROWS 1`). Read by typegen. */
  rows?: number;
  language: string;
  volatility: 'immutable' | 'stable' | 'volatile';
  securityDefiner: boolean;
  strict: boolean;
  /** proconfig entries, e.g. `search_path=""`, in code-point order. */
  config: string[];
  /** SHA-256 (hex) of prosrc, so bodies compare without being stored. */
  bodyHash: string;
  owner?: string;
  comment?: string;
  grants: GrantInfo[];
}

export interface EnumInfo {
  key: string;
  schema: string;
  name: string;
  /** Labels in declared (enumsortorder) order. */
  labels: string[];
  comment?: string;
}

export interface DomainInfo {
  key: string;
  schema: string;
  name: string;
  /** `format_type` of the base type. */
  baseType: string;
  baseTypeName: string;
  notNull: boolean;
  default?: string;
  /** `pg_get_constraintdef` of each CHECK, in name order. */
  checks: { name: string; definition: string }[];
  comment?: string;
}

export interface CompositeTypeInfo {
  key: string;
  schema: string;
  name: string;
  attributes: { name: string; type: string; typeName: string }[];
  comment?: string;
}

/** One readable difference between two snapshots. */
export interface CatalogChange {
  action: 'added' | 'removed' | 'changed';
  object: ObjectId;
  /** For `changed`: which property differs, e.g. `type`, `notNull`, `definition`, `labels`. */
  property?: string;
  before?: unknown;
  after?: unknown;
  /** One line, e.g. `column public.users.email: type changed from text to character varying(320)`. */
  message: string;
}

export type { ObjectId, ObjectKind };
