/**
 * The `json-schema` format: the bridge schemas. Per table one JSON Schema 2020-12 document
 * with `Row`, `Insert` and `Update` under `$defs`, and an `llm-strict` document (every
 * property required, nullability as type arrays, no additional properties, only keywords
 * structured-output APIs accept) for the columns an insert may write.
 */
import type { ColumnModel, TableModel, ValueType } from './table-model.js';
import type { TableAnnotations } from './overlays.js';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

type Schema = Record<string, unknown>;

export interface JsonSchemaFile {
  /** Relative to the output folder, e.g. `public/users.schema.json`. */
  path: string;
  document: Schema;
}

export function generateJsonSchemas(tables: TableModel[], annotations: Map<string, TableAnnotations> = new Map()): JsonSchemaFile[] {
  const files: JsonSchemaFile[] = [];
  for (const table of tables) {
    const notes = annotations.get(table.key);
    const description = notes?.description ?? table.description;
    const base = `${table.schema}/${table.name}`;
    files.push({
      path: `${base}.schema.json`,
      document: {
        $schema: JSON_SCHEMA_DIALECT,
        $id: `pgwarden:${table.key}`,
        title: table.key,
        ...(description ? { description } : {}),
        ...(notes?.extra ? extraKeywords(notes.extra) : {}),
        $defs: {
          Row: objectSchema(table, notes, 'row'),
          Insert: objectSchema(table, notes, 'insert'),
          Update: objectSchema(table, notes, 'update'),
        },
      },
    });
    files.push({
      path: `${base}.llm-strict.schema.json`,
      document: {
        $schema: JSON_SCHEMA_DIALECT,
        $id: `pgwarden:${table.key}:llm-strict`,
        title: table.key,
        ...(description ? { description } : {}),
        ...strictObject(table, notes),
      },
    });
  }
  return files;
}

function objectSchema(table: TableModel, notes: TableAnnotations | undefined, mode: 'row' | 'insert' | 'update'): Schema {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const column of table.columns) {
    if (mode !== 'row' && column.readOnly) {
      properties[column.name] = false; // identity ALWAYS / generated: a write must not name it
      continue;
    }
    properties[column.name] = columnSchema(column, notes, mode);
    if (mode === 'row' || (mode === 'insert' && !column.optionalOnInsert)) required.push(column.name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

function columnSchema(column: ColumnModel, notes: TableAnnotations | undefined, mode: 'row' | 'insert' | 'update'): Schema {
  const schema: Schema = { ...valueSchema(column.type, column.nullable) };
  const note = notes?.columns.get(column.name);
  const description = note?.description ?? column.description;
  if (description) schema.description = description;
  if (column.maxLength !== undefined) schema.maxLength = column.maxLength;
  if (column.type.kind === 'integer' || column.type.kind === 'number') {
    for (const [keyword, value] of Object.entries(column.bounds)) if (value !== undefined) schema[keyword] = value;
    if (column.multipleOf !== undefined) schema.multipleOf = column.multipleOf;
  }
  if (mode === 'insert' && column.defaultValue !== undefined) schema.default = column.defaultValue;
  if (note?.examples) schema.examples = note.examples;
  if (note?.guidance) schema['x-guidance'] = note.guidance;
  if (note?.extra) Object.assign(schema, extraKeywords(note.extra));
  return schema;
}

function valueSchema(type: ValueType, nullable: boolean): Schema {
  const orNull = (name: string) => (nullable ? [name, 'null'] : name);
  switch (type.kind) {
    case 'enum':
      return { type: orNull('string'), enum: nullable ? [...type.values, null] : [...type.values] };
    case 'array':
      return { type: orNull('array'), items: valueSchema(type.items, true) };
    case 'object': {
      const properties: Record<string, unknown> = {};
      for (const property of type.properties) properties[property.name] = valueSchema(property.type, true);
      return { type: orNull('object'), properties };
    }
    case 'json':
    case 'unknown':
      return nullable ? {} : { not: { type: 'null' } };
    default:
      return { type: orNull(type.kind), ...(type.format ? { format: type.format } : {}) };
  }
}

/** Structured-output dialect: type, enum, items, properties, required, additionalProperties, description. */
function strictObject(table: TableModel, notes: TableAnnotations | undefined): Schema {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const column of table.columns) {
    if (column.readOnly) continue;
    const schema = strictValue(column.type, column.nullable);
    const note = notes?.columns.get(column.name);
    const description = [note?.description ?? column.description, note?.guidance].filter(Boolean).join('\n\n');
    if (description) schema.description = description;
    properties[column.name] = schema;
    required.push(column.name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

const ANY_JSON = ['string', 'number', 'boolean', 'object', 'array', 'null'];

function strictValue(type: ValueType, nullable: boolean): Schema {
  const orNull = (name: string) => (nullable ? [name, 'null'] : name);
  switch (type.kind) {
    case 'enum':
      return { type: orNull('string'), enum: nullable ? [...type.values, null] : [...type.values] };
    case 'array':
      return { type: orNull('array'), items: strictValue(type.items, true) };
    case 'object': {
      const properties: Record<string, unknown> = {};
      for (const property of type.properties) properties[property.name] = strictValue(property.type, true);
      return { type: orNull('object'), properties, required: type.properties.map((p) => p.name), additionalProperties: false };
    }
    case 'json':
    case 'unknown':
      return { type: nullable ? ANY_JSON : ANY_JSON.filter((t) => t !== 'null') };
    default:
      return { type: orNull(type.kind) };
  }
}

/** Overlay keys pgwarden does not interpret travel along as `x-` annotations. */
function extraKeywords(extra: Record<string, unknown>): Schema {
  const result: Schema = {};
  for (const [key, value] of Object.entries(extra)) result[key.startsWith('x-') ? key : `x-${key}`] = value;
  return result;
}

/** Stable JSON text: two-space indent, LF, trailing newline; key order is the order built above. */
export function renderJson(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
