/**
 * The one map from Postgres types to TypeScript, JSON Schema and Zod, shared by every format.
 * Keys are `pg_catalog` type names (`typname`). The supabase format keeps the exact
 * postgrest-typegen 0.2.2 categories by default (`strict` below); `string-like` types are
 * only strings when the caller asks for the improvement.
 */
import type { CatalogSnapshot, ColumnInfo } from '../catalog/index.js';

export type ScalarKind = 'boolean' | 'integer' | 'number' | 'string' | 'json' | 'void' | 'record';

export interface ScalarType {
  kind: ScalarKind;
  /** postgrest-typegen maps this type (false: it yields `unknown` there; we map it only on request). */
  postgrest: boolean;
  /** JSON Schema `format`. */
  format?: 'uuid' | 'date-time' | 'date' | 'time' | 'duration' | 'ipv4' | 'email';
  /** Exact integer range (int2/int4); int8 is outside JSON's exact range, so it gets none. */
  range?: [number, number];
}

const scalar = (kind: ScalarKind, postgrest: boolean, extra: Partial<ScalarType> = {}): ScalarType => ({ kind, postgrest, ...extra });

export const PG_SCALARS: Readonly<Record<string, ScalarType>> = {
  bool: scalar('boolean', true),
  int2: scalar('integer', true, { range: [-32768, 32767] }),
  int4: scalar('integer', true, { range: [-2147483648, 2147483647] }),
  int8: scalar('integer', true),
  float4: scalar('number', true),
  float8: scalar('number', true),
  numeric: scalar('number', true),
  bytea: scalar('string', true),
  bpchar: scalar('string', true),
  varchar: scalar('string', true),
  text: scalar('string', true),
  citext: scalar('string', true),
  date: scalar('string', true, { format: 'date' }),
  time: scalar('string', true),
  timetz: scalar('string', true),
  timestamp: scalar('string', true),
  timestamptz: scalar('string', true, { format: 'date-time' }),
  uuid: scalar('string', true, { format: 'uuid' }),
  vector: scalar('string', true),
  interval: scalar('string', true),
  json: scalar('json', true),
  jsonb: scalar('json', true),
  void: scalar('void', true),
  record: scalar('record', true),
  // postgrest-typegen leaves these `unknown`; PostgREST sends them as strings.
  int4range: scalar('string', false),
  int8range: scalar('string', false),
  numrange: scalar('string', false),
  tsrange: scalar('string', false),
  tstzrange: scalar('string', false),
  daterange: scalar('string', false),
  int4multirange: scalar('string', false),
  int8multirange: scalar('string', false),
  nummultirange: scalar('string', false),
  tsmultirange: scalar('string', false),
  tstzmultirange: scalar('string', false),
  datemultirange: scalar('string', false),
  inet: scalar('string', false),
  cidr: scalar('string', false),
  macaddr: scalar('string', false),
  macaddr8: scalar('string', false),
  money: scalar('string', false),
  tsvector: scalar('string', false),
  tsquery: scalar('string', false),
  xml: scalar('string', false),
  bit: scalar('string', false),
  varbit: scalar('string', false),
  name: scalar('string', false),
  oid: scalar('integer', false),
  point: scalar('string', false),
};

/** `schema.name` -> [schema, name]; a name without a dot is in pg_catalog. */
export function splitTypeName(typeName: string): [string, string] {
  const dot = typeName.indexOf('.');
  if (dot === -1) return ['pg_catalog', typeName];
  return [typeName.slice(0, dot), typeName.slice(dot + 1)];
}

/** format_type spellings of the built-in types, for arguments whose snapshot lacks `typeName`. */
const FORMAT_TYPE_NAMES: Record<string, string> = {
  integer: 'int4', bigint: 'int8', smallint: 'int2', real: 'float4', 'double precision': 'float8', boolean: 'bool',
  'character varying': 'varchar', character: 'bpchar', 'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz', 'time without time zone': 'time', 'time with time zone': 'timetz',
  'bit varying': 'varbit', '"char"': 'char',
};

/**
 * Postgres typname (`int4`, `_text`, `mood`) and its schema for a `format_type` string such as
 * `integer[]` or `public.mood`. Used only when the snapshot carries no `typeName`.
 */
export function typeNameFromFormat(format: string, snapshot: CatalogSnapshot): string {
  let base = format.replace(/\(.*?\)/g, '').trim();
  let array = false;
  if (base.endsWith('[]')) {
    array = true;
    base = base.replace(/(\[\])+$/, '');
  }
  const unquoted = base.replace(/"/g, '');
  let schema = 'pg_catalog';
  let name = FORMAT_TYPE_NAMES[unquoted] ?? unquoted;
  const dot = unquoted.indexOf('.');
  if (dot !== -1) {
    schema = unquoted.slice(0, dot);
    name = unquoted.slice(dot + 1);
  } else if (!FORMAT_TYPE_NAMES[unquoted] && !PG_SCALARS[unquoted]) {
    // An unqualified user type: the first schema of the snapshot that defines it.
    const owner = [...snapshot.enums, ...snapshot.compositeTypes, ...snapshot.domains, ...snapshot.tables, ...snapshot.views].find(
      (object) => object.name === unquoted,
    );
    if (owner) schema = owner.schema;
  }
  return `${schema}.${array ? '_' : ''}${name}`;
}

/** The column's own type as `schema.typname`, arrays as `schema._elem`. */
export function columnTypeName(column: Pick<ColumnInfo, 'typeName' | 'elementTypeName' | 'arrayDimensions'>): string {
  const [schema, name] = splitTypeName(column.typeName);
  if (column.arrayDimensions > 0 && !name.startsWith('_')) {
    const [elementSchema, elementName] = splitTypeName(column.elementTypeName ?? column.typeName.replace(/\[\]$/, ''));
    return `${elementSchema}._${elementName.replace(/(\[\])+$/, '')}`;
  }
  return `${schema}.${name}`;
}
