/** SQL type names: normalised (TypeInfo) to compare column types, as written for messages, and as object keys. */
import type { TypeName } from 'libpg-query';
import { constValue } from './expressions.js';
import { namesKey, namesText, strings } from './names.js';

export interface TypeInfo {
  /** Lower-case type name without `pg_catalog`, e.g. `int4`, `varchar`, `text`, `public.mood`. */
  name: string;
  /** Type modifiers (length, precision, scale) when all are numbers. */
  mods: number[];
  array: boolean;
}

/** The normalised form of a TypeName node: aliases such as `integer` resolved, `pg_catalog` dropped. */
export function typeInfo(typeName: TypeName): TypeInfo {
  const names = strings(typeName.names);
  const name = names[0] === 'pg_catalog' || names.length <= 1 ? (names[names.length - 1] ?? '?').toLowerCase() : names.join('.').toLowerCase();
  const mods = (typeName.typmods ?? []).map((mod) => constValue(mod)).filter((mod): mod is number => typeof mod === 'number');
  return { name: ALIASES[name] ?? name, mods, array: Array.isArray(typeName.arrayBounds) && typeName.arrayBounds.length > 0 };
}

const ALIASES: Record<string, string> = {
  integer: 'int4',
  int: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  real: 'float4',
  boolean: 'bool',
  decimal: 'numeric',
  'character varying': 'varchar',
  character: 'bpchar',
  char: 'bpchar',
};

/** True when two normalised types are the same, modifiers and array-ness included. */
export function sameType(a: TypeInfo, b: TypeInfo): boolean {
  return a.name === b.name && a.array === b.array && a.mods.join(',') === b.mods.join(',');
}

/** A normalised type as written in SQL, e.g. `integer`, `varchar(20)`, `text[]`. */
export function typeInfoText(type: TypeInfo): string {
  return `${DISPLAY_TYPE[type.name] ?? type.name}${type.mods.length ? `(${type.mods.join(',')})` : ''}${type.array ? '[]' : ''}`;
}

/** A type name as written in SQL, e.g. `integer`, `varchar(20)`, `public.mood[]`. */
export function typeText(typeName: TypeName | undefined): string {
  if (!typeName) return '?';
  const info = typeInfo(typeName);
  const names = strings(typeName.names);
  const base = names[0] === 'pg_catalog' ? (DISPLAY_TYPE[info.name] ?? info.name) : namesText(names);
  const mods = info.mods.length ? `(${info.mods.join(',')})` : '';
  return `${base}${mods}${info.array ? '[]' : ''}`;
}

const DISPLAY_TYPE: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  bpchar: 'char',
};

/** Key part of a type name: a `pg_catalog` type by its bare name, anything else as `schema.name`. */
export function typeNameKey(typeName: TypeName | undefined): string {
  const names = strings(typeName?.names);
  if (names[0] === 'pg_catalog' && names.length === 2) return names[1]!;
  return namesKey(names);
}
