/**
 * What the bridge formats (json-schema, zod) say about each table, computed once from the
 * snapshot: per column its value type, nullability, whether inserts may omit it, whether
 * writes must leave it alone, its literal default, allowed values and bounds.
 */
import type { CatalogSnapshot, ColumnInfo, TableInfo } from '../catalog/index.js';
import { compareCodePoints } from '../catalog/index.js';
import { checkedBounds, checkedValues, type NumericBounds } from './checks.js';
import { columnTypeName, PG_SCALARS, splitTypeName } from './pg-types.js';

export type ValueType =
  | { kind: 'boolean' | 'integer' | 'number' | 'string' | 'json' | 'unknown'; format?: string; typeName: string }
  | { kind: 'enum'; values: string[]; typeName: string }
  | { kind: 'array'; items: ValueType; typeName: string }
  | { kind: 'object'; properties: { name: string; type: ValueType }[]; typeName: string };

export interface ColumnModel {
  name: string;
  position: number;
  type: ValueType;
  nullable: boolean;
  /** Inserts may leave it out (nullable, default, identity or generated). */
  optionalOnInsert: boolean;
  /** Identity ALWAYS or generated: writes must not set it. */
  readOnly: boolean;
  hasDefault: boolean;
  /** The default when it is a plain literal (`'ok'::mood`, `0`, `'{}'::jsonb`); absent for expressions such as now(). */
  defaultValue?: unknown;
  maxLength?: number;
  bounds: NumericBounds;
  multipleOf?: number;
  description?: string;
  /** The column's declared type as Postgres prints it, for messages and overlays. */
  declaredType: string;
}

export interface TableModel {
  key: string;
  schema: string;
  name: string;
  description?: string;
  /** In column position order. */
  columns: ColumnModel[];
}

export function tableModels(snapshot: CatalogSnapshot, schemas: string[]): TableModel[] {
  const resolver = new TypeResolver(snapshot);
  return snapshot.tables
    .filter((table) => schemas.includes(table.schema))
    .sort((a, b) => compareCodePoints(a.key, b.key))
    .map((table) => ({
      key: table.key,
      schema: table.schema,
      name: table.name,
      ...(table.comment ? { description: table.comment } : {}),
      columns: [...table.columns].sort((a, b) => a.position - b.position).map((column) => columnModel(table, column, resolver)),
    }));
}

function columnModel(table: TableInfo, column: ColumnInfo, resolver: TypeResolver): ColumnModel {
  const domain = resolver.domain(columnTypeName(column));
  let type = resolver.resolve(columnTypeName(column));
  // `integer[][]` holds nested arrays; Postgres records the declared dimensions.
  for (let dims = column.arrayDimensions; type.kind === 'array' && dims > 1; dims--) type = { ...type, items: { kind: 'array', items: type.items, typeName: type.typeName } };
  const values = checkedValues(table, column.name);
  if (values && type.kind === 'string') type = { kind: 'enum', values, typeName: type.typeName };
  const readOnly = column.identity === 'always' || column.generated !== undefined;
  const defaultText = column.default ?? domain?.default;
  const nullable = !column.notNull && !domain?.notNull;
  const model: ColumnModel = {
    name: column.name,
    position: column.position,
    type,
    nullable,
    readOnly,
    hasDefault: defaultText !== undefined,
    optionalOnInsert: nullable || readOnly || column.identity !== undefined || defaultText !== undefined,
    bounds: { ...integerRange(type), ...checkedBounds(table, column.name) },
    declaredType: column.type,
  };
  const literal = defaultText === undefined ? undefined : literalDefault(defaultText, type);
  if (literal !== undefined) model.defaultValue = literal.value;
  const length = /^(?:character varying|character|varchar|bpchar)\((\d+)\)$/.exec(column.type);
  if (length) model.maxLength = Number(length[1]);
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(column.type);
  if (numeric) {
    const [precision, scale] = [Number(numeric[1]), Number(numeric[2])];
    const limit = 10 ** (precision - scale);
    model.bounds = { exclusiveMinimum: -limit, exclusiveMaximum: limit, ...model.bounds };
    if (scale === 0) model.multipleOf = 1;
  }
  if (column.comment) model.description = column.comment;
  return model;
}

function integerRange(type: ValueType): NumericBounds {
  if (type.kind !== 'integer') return {};
  const range = PG_SCALARS[splitTypeName(type.typeName)[1]]?.range;
  return range ? { minimum: range[0], maximum: range[1] } : {};
}

/** A default that is a constant: `'text'::type`, numbers, booleans, `'{}'::jsonb`, `'{a,b}'::text[]` is left out. */
function literalDefault(text: string, type: ValueType): { value: unknown } | undefined {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed) || /^\(-?\d+(\.\d+)?\)$/.test(trimmed)) return { value: Number(trimmed.replace(/[()]/g, '')) };
  if (trimmed === 'true' || trimmed === 'false') return { value: trimmed === 'true' };
  const quoted = /^'((?:[^']|'')*)'(?:::[\w ."]+(?:\(\d+(?:,\d+)?\))?)?$/.exec(trimmed);
  if (!quoted) return undefined;
  const value = quoted[1]!.replace(/''/g, "'");
  if (type.kind === 'json') {
    try {
      return { value: JSON.parse(value) };
    } catch {
      return undefined;
    }
  }
  if (type.kind === 'integer' || type.kind === 'number') return Number.isFinite(Number(value)) ? { value: Number(value) } : undefined;
  if (type.kind === 'string' || type.kind === 'enum') return { value };
  return undefined;
}

class TypeResolver {
  private readonly enums: Map<string, string[]>;
  private readonly composites: Map<string, { name: string; typeName: string }[]>;
  private readonly domains: Map<string, CatalogSnapshot['domains'][number]>;

  constructor(snapshot: CatalogSnapshot) {
    this.enums = new Map(snapshot.enums.map((e) => [e.key, e.labels]));
    this.composites = new Map(snapshot.compositeTypes.map((c) => [c.key, c.attributes]));
    this.domains = new Map(snapshot.domains.map((d) => [d.key, d]));
  }

  domain(typeKey: string) {
    return this.domains.get(typeKey);
  }

  resolve(typeKey: string, depth = 0): ValueType {
    const [schema, name] = splitTypeName(typeKey);
    if (depth > 16) return { kind: 'unknown', typeName: typeKey };
    const domain = this.domains.get(typeKey);
    if (domain) return this.resolve(domain.baseTypeName, depth + 1);
    if (name.startsWith('_')) return { kind: 'array', items: this.resolve(`${schema}.${name.slice(1)}`, depth + 1), typeName: typeKey };
    const labels = this.enums.get(typeKey);
    if (labels) return { kind: 'enum', values: labels, typeName: typeKey };
    const attributes = this.composites.get(typeKey);
    if (attributes) {
      return { kind: 'object', properties: attributes.map((a) => ({ name: a.name, type: this.resolve(a.typeName, depth + 1) })), typeName: typeKey };
    }
    const scalar = schema === 'pg_catalog' ? PG_SCALARS[name] : undefined;
    if (!scalar || scalar.kind === 'void' || scalar.kind === 'record') return { kind: 'unknown', typeName: typeKey };
    return { kind: scalar.kind, ...(scalar.format ? { format: scalar.format } : {}), typeName: typeKey };
  }
}
