/**
 * The `zod` format (zod 4): the same per-table facts as the json-schema format, as runtime
 * validators: `Tables.<schema>.<table>.Row | Insert | Update`, strict objects, identity
 * ALWAYS and generated columns `never` on writes, overlay descriptions merged.
 */
import type { TableAnnotations } from './overlays.js';
import type { ColumnModel, TableModel, ValueType } from './table-model.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));

export function generateZod(tables: TableModel[], annotations: Map<string, TableAnnotations> = new Map()): string {
  const out: string[] = ["import { z } from 'zod'", '', 'export const Tables = {'];
  const schemas = [...new Set(tables.map((t) => t.schema))];
  for (const schema of schemas) {
    out.push(`  ${key(schema)}: {`);
    for (const table of tables.filter((t) => t.schema === schema)) {
      const notes = annotations.get(table.key);
      out.push(`    ${key(table.name)}: {`);
      for (const mode of ['Row', 'Insert', 'Update'] as const) {
        const description = notes?.description ?? table.description;
        out.push(`      ${mode}: z.strictObject({`);
        for (const column of table.columns) out.push(`        ${key(column.name)}: ${columnZod(column, mode, notes)},`);
        out.push(`      })${mode === 'Row' && description ? `.describe(${JSON.stringify(description)})` : ''},`);
      }
      out.push('    },');
    }
    out.push('  },');
  }
  out.push('} as const', '');
  out.push(
    'type AnyTables = typeof Tables',
    '/** The parsed value of a table: `TableRow<"public", "users">`. */',
    'export type TableRow<S extends keyof AnyTables, T extends keyof AnyTables[S]> = AnyTables[S][T] extends { Row: z.ZodType } ? z.infer<AnyTables[S][T]["Row"]> : never',
    'export type TableInsert<S extends keyof AnyTables, T extends keyof AnyTables[S]> = AnyTables[S][T] extends { Insert: z.ZodType } ? z.input<AnyTables[S][T]["Insert"]> : never',
    'export type TableUpdate<S extends keyof AnyTables, T extends keyof AnyTables[S]> = AnyTables[S][T] extends { Update: z.ZodType } ? z.input<AnyTables[S][T]["Update"]> : never',
    '',
  );
  return out.join('\n');
}

function columnZod(column: ColumnModel, mode: 'Row' | 'Insert' | 'Update', notes: TableAnnotations | undefined): string {
  if (mode !== 'Row' && column.readOnly) return 'z.never().optional()';
  let text = valueZod(column.type);
  if (column.maxLength !== undefined && column.type.kind === 'string') text += `.max(${column.maxLength})`;
  if (column.type.kind === 'integer' || column.type.kind === 'number') {
    const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = column.bounds;
    if (minimum !== undefined) text += `.min(${minimum})`;
    if (exclusiveMinimum !== undefined) text += `.gt(${exclusiveMinimum})`;
    if (maximum !== undefined) text += `.max(${maximum})`;
    if (exclusiveMaximum !== undefined) text += `.lt(${exclusiveMaximum})`;
    if (column.multipleOf !== undefined && column.type.kind === 'number') text += `.multipleOf(${column.multipleOf})`;
  }
  if (column.nullable) text += '.nullable()';
  else if (column.type.kind === 'json') text += ".refine((value) => value !== null, 'must not be null')";
  if (mode === 'Update' || (mode === 'Insert' && column.optionalOnInsert)) text += '.optional()';
  const note = notes?.columns.get(column.name);
  const description = [note?.description ?? column.description, note?.guidance].filter(Boolean).join('\n\n');
  if (description) text += `.describe(${JSON.stringify(description)})`;
  if (note?.examples || note?.extra) text += `.meta(${JSON.stringify({ ...(note.examples ? { examples: note.examples } : {}), ...note.extra })})`;
  return text;
}

function valueZod(type: ValueType): string {
  switch (type.kind) {
    case 'boolean':
      return 'z.boolean()';
    case 'integer':
      return 'z.int()';
    case 'number':
      return 'z.number()';
    case 'string':
      if (type.format === 'uuid') return 'z.uuid()';
      if (type.format === 'date-time') return 'z.iso.datetime({ offset: true })';
      if (type.format === 'date') return 'z.iso.date()';
      return 'z.string()';
    case 'enum':
      return `z.enum([${type.values.map((v) => JSON.stringify(v)).join(', ')}])`;
    case 'array':
      return `z.array(${valueZod(type.items)}.nullable())`;
    case 'object':
      return `z.object({ ${type.properties.map((p) => `${key(p.name)}: ${valueZod(p.type)}.nullable()`).join(', ')} })`;
    case 'json':
      return 'z.json()';
    default:
      return 'z.unknown()';
  }
}
