/**
 * The `supabase` format: the `Database` type `@supabase/postgrest-typegen` 0.2.2 emits (what
 * `supabase gen types typescript` prints), from a catalog snapshot instead of a live database.
 * By default every type is what that generator gives, including its quirks (`unknown` for
 * ranges, domain arguments, columns ordered by name); improvements sit behind options.
 */
import type { CatalogSnapshot, ColumnInfo, CompositeTypeInfo, EnumInfo, FunctionArgument, FunctionInfo, TableInfo, ViewInfo } from '../catalog/index.js';
import { checkedValues } from './checks.js';
import { columnTypeName, PG_SCALARS, splitTypeName, typeNameFromFormat } from './pg-types.js';
import type { ViewSources } from './view-sources.js';

export interface SupabaseFormatOptions {
  /** Schemas emitted under `Database`, e.g. `["public"]`. */
  schemas: string[];
  /** Schema the `Tables<>`/`Enums<>` helpers default to (default `public`). */
  defaultSchema?: string;
  /** `__InternalSupabase.PostgrestVersion` (default `12`, as `supabase gen types` writes). */
  postgrestVersion?: string;
  /** Improvement: ranges, inet, money and other text-transported types as `string` instead of `unknown`. */
  stringScalars?: boolean;
  /** Improvement: text columns with a CHECK IN-list as a union of those literals. */
  checkUnions?: boolean;
  /** Improvement: view columns that select a NOT NULL table column directly are non-null in `Row`. */
  viewNullability?: boolean;
  /** Improvement: JSDoc from table, view, column and function comments. */
  jsdoc?: boolean;
}

/** postgrest-typegen orders names with an English collator; kept so relationship tuples line up. */
const collator = new Intl.Collator('en');
const compareNames = (a: string, b: string) => collator.compare(a, b);

type Relation = { kind: 'Tables'; info: TableInfo } | { kind: 'Views'; info: ViewInfo };

interface Relationship {
  foreignKeyName: string;
  schema: string;
  relation: string;
  columns: string[];
  isOneToOne: boolean;
  referencedSchema: string;
  referencedRelation: string;
  referencedColumns: string[];
}

interface RpcFunction {
  fn: FunctionInfo;
  /** IN, INOUT and VARIADIC arguments, by name. */
  inArgs: FunctionArgument[];
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));
const INPUT_MODES = new Set(['in', 'inout', 'variadic']);
const UNNAMED_ARG_TYPES = new Set(['pg_catalog.json', 'pg_catalog.jsonb', 'pg_catalog.text']);

export function generateSupabaseTypes(snapshot: CatalogSnapshot, viewSources: ViewSources, options: SupabaseFormatOptions): string {
  return new SupabaseGenerator(snapshot, viewSources, options).render();
}

class SupabaseGenerator {
  private readonly schemas: string[];
  private readonly relationsByKey = new Map<string, Relation>();
  private readonly compositesByKey = new Map<string, CompositeTypeInfo>();
  private readonly domainsByKey: Map<string, CatalogSnapshot['domains'][number]>;
  private readonly relationships: Relationship[];
  private readonly functionsBySchema = new Map<string, RpcFunction[]>();
  /** Lookups by bare name, as postgrest-typegen resolves user types. */
  private readonly enumsByName = new Map<string, EnumInfo[]>();
  private readonly compositesByName = new Map<string, CompositeTypeInfo[]>();
  private readonly relationsByName = new Map<string, Relation[]>();
  private readonly relationshipsByRelation = new Map<string, Relationship[]>();
  private readonly tsTypeCache = new Map<string, string>();
  private readonly argTypeCache = new Map<string, string>();
  private readonly columnCache = new WeakMap<ColumnInfo, { type: string; nullable: boolean }>();

  constructor(
    private readonly snapshot: CatalogSnapshot,
    private readonly viewSources: ViewSources,
    private readonly options: SupabaseFormatOptions,
  ) {
    this.schemas = [...new Set(options.schemas)].sort(compareNames);
    for (const table of snapshot.tables) this.relationsByKey.set(table.key, { kind: 'Tables', info: table });
    for (const view of snapshot.views) this.relationsByKey.set(view.key, { kind: 'Views', info: view });
    for (const composite of snapshot.compositeTypes) this.compositesByKey.set(composite.key, composite);
    this.domainsByKey = new Map(snapshot.domains.map((domain) => [domain.key, domain]));
    const push = <T>(map: Map<string, T[]>, name: string, item: T) => {
      const list = map.get(name);
      if (list) list.push(item);
      else map.set(name, [item]);
    };
    for (const enumInfo of snapshot.enums) push(this.enumsByName, enumInfo.name, enumInfo);
    for (const composite of snapshot.compositeTypes) push(this.compositesByName, composite.name, composite);
    for (const relation of this.relationsByKey.values()) push(this.relationsByName, relation.info.name, relation);
    this.relationships = this.buildRelationships();
    for (const r of this.relationships) push(this.relationshipsByRelation, `${r.schema}.${r.relation}`, r);
    for (const schema of this.schemas) this.functionsBySchema.set(schema, this.rpcFunctions(schema));
  }

  render(): string {
    const out: string[] = [];
    out.push(JSON_TYPE, '', 'export type Database = {');
    out.push('  // Allows to automatically instantiate createClient with right options');
    out.push("  // instead of createClient<Database, { PostgrestVersion: 'XX' }>(URL, KEY)");
    out.push('  __InternalSupabase: {', `    PostgrestVersion: ${JSON.stringify(this.options.postgrestVersion ?? '12')}`, '  }');
    for (const schema of this.schemas) this.renderSchema(schema, out);
    out.push('}', '', helperTypes(this.options.defaultSchema ?? 'public'), '', 'export const Constants = {');
    for (const schema of this.schemas) {
      out.push(`  ${key(schema)}: {`, '    Enums: {');
      for (const enumInfo of this.enumsOf(schema)) {
        const labels = enumInfo.labels.map((l) => JSON.stringify(l));
        const oneLine = `      ${key(enumInfo.name)}: [${labels.join(', ')}],`;
        if (oneLine.length <= 80) out.push(oneLine);
        else out.push(`      ${key(enumInfo.name)}: [`, ...labels.map((l) => `        ${l},`), '      ],');
      }
      out.push('    },', '  },');
    }
    out.push('} as const', '');
    return out.join('\n');
  }

  // ---- schema sections -------------------------------------------------------------------

  private renderSchema(schema: string, out: string[]): void {
    const functions = this.functionsBySchema.get(schema) ?? [];
    out.push(`  ${key(schema)}: {`);
    const tables = this.snapshot.tables.filter((t) => t.schema === schema).sort((a, b) => compareNames(a.name, b.name));
    out.push('    Tables: {');
    if (tables.length === 0) out.push('      [_ in never]: never');
    for (const table of tables) this.renderTable(schema, table, functions, out);
    out.push('    }', '    Views: {');
    const views = this.snapshot.views.filter((v) => v.schema === schema).sort((a, b) => compareNames(a.name, b.name));
    if (views.length === 0) out.push('      [_ in never]: never');
    for (const view of views) this.renderView(schema, view, functions, out);
    out.push('    }', '    Functions: {');
    if (functions.length === 0) out.push('      [_ in never]: never');
    const byName = new Map<string, RpcFunction[]>();
    for (const rpc of functions) byName.set(rpc.fn.name, [...(byName.get(rpc.fn.name) ?? []), rpc]);
    for (const [name, overloads] of byName) {
      this.docComment(overloads[0]!.fn.comment, '      ', out);
      if (overloads.length === 1) {
        out.push(`      ${key(name)}: ${this.signature(schema, overloads, overloads[0]!, '      ', `      ${key(name)}: `.length)}`);
      } else {
        out.push(`      ${key(name)}:`);
        for (const rpc of overloads) out.push(`        | ${this.signature(schema, overloads, rpc, '          ', 10)}`);
      }
    }
    out.push('    }', '    Enums: {');
    const enums = this.enumsOf(schema);
    if (enums.length === 0) out.push('      [_ in never]: never');
    for (const enumInfo of enums) {
      const labels = enumInfo.labels.map((l) => JSON.stringify(l));
      const oneLine = `      ${key(enumInfo.name)}: ${labels.join(' | ')}`;
      if (oneLine.length <= 80) out.push(oneLine);
      else out.push(`      ${key(enumInfo.name)}:`, ...labels.map((l) => `        | ${l}`));
    }
    out.push('    }', '    CompositeTypes: {');
    const composites = this.snapshot.compositeTypes.filter((c) => c.schema === schema).sort((a, b) => compareNames(a.name, b.name));
    if (composites.length === 0) out.push('      [_ in never]: never');
    for (const composite of composites) {
      out.push(`      ${key(composite.name)}: {`);
      for (const attribute of composite.attributes) {
        const [typeSchema, typeName] = splitTypeName(attribute.typeName);
        out.push(`        ${key(attribute.name)}: ${nullable(this.tsType(schema, typeName, typeSchema), true)}`);
      }
      out.push('      }');
    }
    out.push('    }', '  }');
  }

  private renderTable(schema: string, table: TableInfo, functions: RpcFunction[], out: string[]): void {
    const columns = sortedColumns(table.columns);
    this.docComment(table.comment, '      ', out);
    out.push(`      ${key(table.name)}: {`, '        Row: {');
    for (const column of columns) {
      this.docComment(column.comment, '          ', out);
      out.push(`          ${key(column.name)}: ${nullable(this.columnType(schema, column, table), this.columnNullable(column))}`);
    }
    this.computedFields(schema, table.key, functions, out);
    out.push('        }', '        Insert: {');
    for (const column of columns) {
      if (column.identity === 'always' || column.generated !== undefined) {
        out.push(`          ${key(column.name)}?: never`);
        continue;
      }
      const isNullable = this.columnNullable(column);
      const optional = isNullable || column.identity !== undefined || column.default !== undefined;
      out.push(`          ${key(column.name)}${optional ? '?' : ''}: ${nullable(this.columnType(schema, column, table), isNullable)}`);
    }
    out.push('        }', '        Update: {');
    for (const column of columns) {
      if (column.identity === 'always' || column.generated !== undefined) out.push(`          ${key(column.name)}?: never`);
      else out.push(`          ${key(column.name)}?: ${nullable(this.columnType(schema, column, table), this.columnNullable(column))}`);
    }
    out.push('        }');
    this.renderRelationships(table, out);
    out.push('      }');
  }

  private renderView(schema: string, view: ViewInfo, functions: RpcFunction[], out: string[]): void {
    const columns = sortedColumns(view.columns);
    const sources = this.viewSources.get(view.key);
    this.docComment(view.comment, '      ', out);
    out.push(`      ${key(view.name)}: {`, '        Row: {');
    for (const column of columns) {
      let isNullable = this.columnNullable(column);
      if (this.options.viewNullability && isNullable && !view.materialized) isNullable = !this.tracedNotNull(sources?.get(column.name));
      this.docComment(column.comment, '          ', out);
      out.push(`          ${key(column.name)}: ${nullable(this.columnType(schema, column), isNullable)}`);
    }
    this.computedFields(schema, view.key, functions, out);
    out.push('        }');
    const writable = (section: string) => {
      out.push(`        ${section}: {`);
      for (const column of columns) {
        // Postgres writes a view column only when the view selects it as a plain column (pg_column_is_updatable).
        const writableColumn = column.updatable ?? sources?.get(column.name) !== undefined;
        if (!writableColumn) out.push(`          ${key(column.name)}?: never`);
        else out.push(`          ${key(column.name)}?: ${nullable(this.columnType(schema, column), true)}`);
      }
      out.push('        }');
    };
    if (!view.materialized && view.insertable) writable('Insert');
    if (!view.materialized && view.updatable) writable('Update');
    this.renderRelationships(view, out);
    out.push('      }');
  }

  private renderRelationships(relation: { schema: string; name: string }, out: string[]): void {
    const relationships = (this.relationshipsByRelation.get(`${relation.schema}.${relation.name}`) ?? []).filter((r) => r.referencedSchema === relation.schema);
    if (relationships.length === 0) {
      out.push('        Relationships: []');
      return;
    }
    out.push('        Relationships: [');
    for (const r of relationships) {
      out.push(
        '          {',
        `            foreignKeyName: ${JSON.stringify(r.foreignKeyName)}`,
        `            columns: ${jsonList(r.columns)}`,
        `            isOneToOne: ${r.isOneToOne}`,
        `            referencedRelation: ${JSON.stringify(r.referencedRelation)}`,
        `            referencedColumns: ${jsonList(r.referencedColumns)}`,
        '          },',
      );
    }
    out.push('        ]');
  }

  private computedFields(schema: string, relationKey: string, functions: RpcFunction[], out: string[]): void {
    for (const { fn, inArgs } of functions) {
      if (inArgs.length !== 1 || this.argTypeKey(inArgs[0]!) !== relationKey) continue;
      out.push(`          ${key(fn.name)}: ${indentBlock(nullable(this.functionReturnType(schema, fn), true), '          ')}`);
    }
  }

  // ---- functions -------------------------------------------------------------------------

  private rpcFunctions(schema: string): RpcFunction[] {
    const result: RpcFunction[] = [];
    for (const fn of this.snapshot.functions) {
      if (fn.schema !== schema || fn.kind !== 'function') continue;
      if (fn.returnTypeName === 'pg_catalog.trigger' || fn.returnTypeName === 'pg_catalog.event_trigger') continue;
      const inArgs = fn.arguments.filter((arg) => INPUT_MODES.has(arg.mode)).sort((a, b) => compareNames(a.name, b.name));
      const unnamedOk = (arg: FunctionArgument) => UNNAMED_ARG_TYPES.has(this.argTypeKey(arg));
      const exposed =
        inArgs.length === 0 ||
        !inArgs.some((arg) => arg.name === '') ||
        inArgs.every((arg) => arg.name !== '' || (arg.hasDefault && unnamedOk(arg))) ||
        (inArgs.length === 1 && inArgs[0]!.name === '' && (unnamedOk(inArgs[0]!) || this.relationTypeName(this.argTypeKey(inArgs[0]!)) !== undefined));
      if (exposed) result.push({ fn, inArgs });
    }
    // postgrest-typegen groups by name; overloads follow their argument lists.
    return result.sort((a, b) => compareNames(a.fn.name, b.fn.name) || compareNames(a.fn.identityArguments, b.fn.identityArguments));
  }

  private signature(schema: string, overloads: RpcFunction[], rpc: RpcFunction, indent: string, prefixWidth: number): string {
    const { fn, inArgs } = rpc;
    const argsType =
      inArgs.length === 0
        ? 'Record<PropertyKey, never>'
        : `{ ${inArgs.map((arg) => `${key(arg.name)}${arg.hasDefault ? '?' : ''}: ${this.argTsType(schema, arg)}`).join('; ')} }`;
    let returnType = this.functionReturnType(schema, fn);
    const conflict = this.conflictError(schema, overloads, rpc);
    const rowArgError =
      inArgs.length === 1 && inArgs[0]!.name === '' && this.relationTypeName(this.argTypeKey(inArgs[0]!)) !== undefined && this.returnRelationName(fn) === undefined;
    if (conflict) returnType = `{ error: true } & ${JSON.stringify(conflict)}`;
    else if (rowArgError) {
      returnType = `{ error: true } & ${JSON.stringify(
        `the function ${schema}.${fn.name} with parameter or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache`,
      )}`;
    }
    const returnTableName = this.returnRelationName(fn);
    // Postgres estimates 1000 rows for a set-returning function unless it declares ROWS n; a
    // snapshot without `rows` is that default.
    const rows = fn.returnsSet ? (fn.rows ?? 1000) : 0;
    const multipleRows = rows > 1;
    const collapsibleSingleRow = !multipleRows && returnTableName !== undefined;
    const arraySuffix = fn.returnsSet && !collapsibleSingleRow ? '[]' : '';
    let setof: { from: string; to: string; isOneToOne: boolean; isSetofReturn: boolean } | undefined;
    if (returnTableName !== undefined) setof = { from: '*', to: returnTableName, isOneToOne: !multipleRows, isSetofReturn: fn.returnsSet };
    if (fn.arguments.length === 1) {
      const source = this.relationTypeName(this.argTypeKey(fn.arguments[0]!));
      if (source !== undefined && returnTableName !== undefined) {
        setof = fn.returnsSet
          ? { from: source, to: returnTableName, isOneToOne: !multipleRows, isSetofReturn: true }
          : { from: source, to: returnTableName, isOneToOne: true, isSetofReturn: false };
      }
    }
    // Laid out as oxfmt lays out postgrest-typegen's template (80 columns), so the default output matches it byte for byte.
    if (!setof && !returnType.includes('\n')) {
      const oneLine = `{ Args: ${argsType}; Returns: ${returnType}${arraySuffix} }`;
      if (prefixWidth + oneLine.length <= 80) return oneLine;
    }
    let argsText = `${indent}  Args: ${argsType}`;
    if (argsText.length > 80 && inArgs.length > 0) {
      argsText = [`${indent}  Args: {`, ...inArgs.map((arg) => `${indent}    ${key(arg.name)}${arg.hasDefault ? '?' : ''}: ${this.argTsType(schema, arg)}`), `${indent}  }`].join('\n');
    }
    let returnsText = `${indent}  Returns: ${indentBlock(returnType, indent + '  ')}${arraySuffix}`;
    if (returnType.startsWith('{ error: true } & ') && returnsText.length > 80) {
      returnsText = `${indent}  Returns: {\n${indent}    error: true\n${indent}  } & ${returnType.slice('{ error: true } & '.length)}`;
    }
    const lines = ['{', argsText, returnsText];
    if (setof) {
      lines.push(
        `${indent}  SetofOptions: {`,
        `${indent}    from: ${JSON.stringify(setof.from)}`,
        `${indent}    to: ${JSON.stringify(setof.to)}`,
        `${indent}    isOneToOne: ${setof.isOneToOne}`,
        `${indent}    isSetofReturn: ${setof.isSetofReturn}`,
        `${indent}  }`,
      );
    }
    lines.push(`${indent}}`);
    return lines.join('\n');
  }

  /** postgrest-typegen's two unresolvable-overload patterns, reported as an error type. */
  private conflictError(schema: string, overloads: RpcFunction[], rpc: RpcFunction): string | undefined {
    if (overloads.length <= 1) return undefined;
    const { fn, inArgs } = rpc;
    const typeName = (arg: FunctionArgument) => splitTypeName(this.argTypeKey(arg))[1];
    if (inArgs.length === 0) {
      const other = overloads.find((o) => o !== rpc && o.inArgs.length === 1 && o.inArgs[0]!.name === '' && o.inArgs[0]!.hasDefault);
      if (other) {
        const returnName = splitTypeName(other.fn.returnTypeName)[1];
        return `Could not choose the best candidate function between: ${schema}.${fn.name}(), ${schema}.${fn.name}( => ${returnName}). Try renaming the parameters or the function itself in the database so function overloading can be resolved`;
      }
    }
    if (inArgs.length === 1 && inArgs[0]!.name !== '') {
      const others = overloads.filter(
        (o) => o !== rpc && o.inArgs.length === 1 && o.inArgs[0]!.name === inArgs[0]!.name && this.argTypeKey(o.inArgs[0]!) !== this.argTypeKey(inArgs[0]!),
      );
      if (others.length > 0) {
        const list = [rpc, ...others]
          .map((o) => `${schema}.${fn.name}(${o.inArgs.map((a) => `${a.name} => ${typeName(a)}`).join(', ')})`)
          .join(', ');
        return `Could not choose the best candidate function between: ${list}. Try renaming the parameters or the function itself in the database so function overloading can be resolved`;
      }
    }
    return undefined;
  }

  private functionReturnType(schema: string, fn: FunctionInfo): string {
    const tableArgs = fn.arguments.filter((arg) => arg.mode === 'table').sort((a, b) => compareNames(a.name, b.name));
    if (tableArgs.length > 0) {
      return `{\n${tableArgs.map((arg) => `  ${key(arg.name)}: ${this.argTsType(schema, arg)}`).join('\n')}\n}`;
    }
    const relation = this.relationsByKey.get(fn.returnTypeName);
    if (relation && relation.info.schema === schema) {
      return `{\n${sortedColumns(relation.info.columns)
        .map((column) => `  ${key(column.name)}: ${nullable(this.columnType(schema, column), this.columnNullable(column))}`)
        .join('\n')}\n}`;
    }
    const [typeSchema, typeName] = splitTypeName(fn.returnTypeName);
    return this.tsType(schema, typeName, typeSchema);
  }

  /** Name of the table, view or composite type a function returns rows of. */
  private returnRelationName(fn: FunctionInfo): string | undefined {
    return this.relationTypeName(fn.returnTypeName);
  }

  /** Name of the relation or composite type behind a row type key. */
  private relationTypeName(typeKey: string): string | undefined {
    return this.relationsByKey.get(typeKey)?.info.name ?? this.compositesByKey.get(typeKey)?.name;
  }

  private argTypeKey(arg: FunctionArgument): string {
    if (arg.typeName) return arg.typeName;
    let key = this.argTypeCache.get(arg.type);
    if (key === undefined) {
      key = typeNameFromFormat(arg.type, this.snapshot);
      this.argTypeCache.set(arg.type, key);
    }
    return key;
  }

  private argTsType(schema: string, arg: FunctionArgument): string {
    const [typeSchema, typeName] = splitTypeName(this.argTypeKey(arg));
    return this.tsType(schema, typeName, typeSchema);
  }

  // ---- types -----------------------------------------------------------------------------

  /** A column's type: domains resolve to their base type, as postgrest-typegen's columns do. */
  private columnType(schema: string, column: ColumnInfo, table?: TableInfo): string {
    if (this.options.checkUnions && table) {
      const values = checkedValues(table, column.name);
      if (values && values.length > 0) return values.map((v) => JSON.stringify(v)).join(' | ');
    }
    return this.columnFacts(schema, column).type;
  }

  private columnNullable(column: ColumnInfo): boolean {
    return this.columnFacts(this.schemas[0] ?? 'public', column).nullable;
  }

  /** A column's TypeScript type and nullability, computed once (columns appear in Row, Insert, Update and function returns). */
  private columnFacts(schema: string, column: ColumnInfo): { type: string; nullable: boolean } {
    let facts = this.columnCache.get(column);
    if (!facts) {
      let typeKey = columnTypeName(column);
      const domain = this.domainsByKey.get(typeKey);
      if (domain) typeKey = domain.baseTypeName;
      const [typeSchema, typeName] = splitTypeName(typeKey);
      facts = { type: this.tsType(schema, typeName, typeSchema), nullable: !column.notNull && !domain?.notNull };
      this.columnCache.set(column, facts);
    }
    return facts;
  }

  private tracedNotNull(origin: { table: string; column: string } | undefined): boolean {
    if (!origin) return false;
    const relation = this.relationsByKey.get(origin.table);
    const column = relation?.info.columns.find((c) => c.name === origin.column);
    return column !== undefined && !this.columnNullable(column);
  }

  /** postgrest-typegen's `pgTypeToTsType`: `typName` is a bare pg_type name (`int4`, `_mood`). */
  private tsType(schema: string, typName: string, typeSchema: string): string {
    const cacheKey = `${schema}\0${typName}\0${typeSchema}`;
    let cached = this.tsTypeCache.get(cacheKey);
    if (cached === undefined) {
      cached = this.resolveTsType(schema, typName, typeSchema);
      this.tsTypeCache.set(cacheKey, cached);
    }
    return cached;
  }

  private resolveTsType(schema: string, typName: string, typeSchema: string): string {
    const known = typeSchema === 'pg_catalog' ? PG_SCALARS[typName] : undefined;
    if (known && (known.postgrest || this.options.stringScalars)) {
      switch (known.kind) {
        case 'boolean':
          return 'boolean';
        case 'integer':
        case 'number':
          return 'number';
        case 'string':
          return 'string';
        case 'json':
          return 'Json';
        case 'void':
          return 'undefined';
        case 'record':
          return 'Record<string, unknown>';
      }
    }
    if (typName.startsWith('_')) return `${this.tsType(schema, typName.slice(1), typeSchema)}[]`;
    // postgrest-typegen resolves user types by bare name, preferring the owning schema.
    const preferred = typeSchema || schema;
    const pick = <T extends { schema: string }>(candidates: T[]) => candidates.find((c) => c.schema === preferred) ?? candidates[0];
    const enumInfo = pick(this.enumsByName.get(typName) ?? []);
    if (enumInfo) {
      if (this.schemas.includes(enumInfo.schema)) return `Database[${JSON.stringify(enumInfo.schema)}]["Enums"][${JSON.stringify(enumInfo.name)}]`;
      return enumInfo.labels.map((l) => JSON.stringify(l)).join(' | ');
    }
    const composite = pick(this.compositesByName.get(typName) ?? []);
    if (composite) {
      return this.schemas.includes(composite.schema) ? `Database[${JSON.stringify(composite.schema)}]["CompositeTypes"][${JSON.stringify(composite.name)}]` : 'unknown';
    }
    const relations = [...(this.relationsByName.get(typName) ?? [])];
    const order = (r: Relation) => (r.kind === 'Tables' ? 0 : 1);
    const relation =
      relations.filter((r) => r.info.schema === preferred).sort((a, b) => order(a) - order(b))[0] ?? relations.sort((a, b) => order(a) - order(b))[0];
    if (relation) {
      return this.schemas.includes(relation.info.schema)
        ? `Database[${JSON.stringify(relation.info.schema)}][${JSON.stringify(relation.kind)}][${JSON.stringify(relation.info.name)}]["Row"]`
        : 'unknown';
    }
    return 'unknown';
  }

  private enumsOf(schema: string): EnumInfo[] {
    return this.snapshot.enums.filter((e) => e.schema === schema).sort((a, b) => compareNames(a.name, b.name));
  }

  private docComment(comment: string | undefined, indent: string, out: string[]): void {
    if (!this.options.jsdoc || !comment) return;
    const lines = comment.replace(/\*\//g, '*\\/').split(/\r?\n/);
    if (lines.length === 1) out.push(`${indent}/** ${lines[0]} */`);
    else out.push(`${indent}/**`, ...lines.map((line) => `${indent} * ${line}`.trimEnd()), `${indent} */`);
  }

  // ---- relationships ---------------------------------------------------------------------

  /** Foreign keys between tables, and the ones PostgREST derives through views exposing their columns. */
  private buildRelationships(): Relationship[] {
    const included = new Set(this.snapshot.schemas.map((s) => s.name));
    const tableRelationships: Relationship[] = [];
    for (const table of this.snapshot.tables) {
      const keys = table.constraints.filter((c) => c.type === 'primary_key' || c.type === 'unique').map((c) => byPosition(table, c.columns).join('\0'));
      for (const constraint of table.constraints) {
        if (constraint.type !== 'foreign_key' || !constraint.references) continue;
        const [referencedSchema, referencedRelation] = splitTypeName(constraint.references.table);
        tableRelationships.push({
          foreignKeyName: constraint.name,
          schema: table.schema,
          relation: table.name,
          columns: constraint.columns,
          isOneToOne: keys.includes(constraint.columns.join('\0')),
          referencedSchema,
          referencedRelation,
          referencedColumns: constraint.references.columns,
        });
      }
    }
    // Per base table: the views selecting its columns, each base column -> the view columns (by name order).
    const viewsOfTable = new Map<string, { view: ViewInfo; columnsOf: Map<string, string[]> }[]>();
    for (const view of this.snapshot.views) {
      const sources = this.viewSources.get(view.key);
      if (!sources || !included.has(view.schema)) continue;
      const perTable = new Map<string, Map<string, string[]>>();
      for (const column of sortedColumns(view.columns)) {
        const origin = sources.get(column.name);
        if (!origin) continue;
        const columnsOf = perTable.get(origin.table) ?? new Map<string, string[]>();
        columnsOf.set(origin.column, [...(columnsOf.get(origin.column) ?? []), column.name]);
        perTable.set(origin.table, columnsOf);
      }
      for (const [table, columnsOf] of perTable) viewsOfTable.set(table, [...(viewsOfTable.get(table) ?? []), { view, columnsOf }]);
    }
    // For a base-table column list: each view exposing all of them, with every choice of view columns.
    const exposures = (tableKey: string, columns: string[]) => {
      const found: { view: ViewInfo; columns: string[] }[] = [];
      for (const { view, columnsOf } of viewsOfTable.get(tableKey) ?? []) {
        const choices = columns.map((column) => columnsOf.get(column) ?? []);
        if (choices.some((choice) => choice.length === 0)) continue;
        for (const combination of cartesian(choices)) found.push({ view, columns: combination });
      }
      return found;
    };
    const derived: Relationship[] = [];
    for (const r of tableRelationships) {
      const from = exposures(`${r.schema}.${r.relation}`, r.columns);
      const to = exposures(`${r.referencedSchema}.${r.referencedRelation}`, r.referencedColumns);
      for (const f of from) derived.push({ ...r, schema: f.view.schema, relation: f.view.name, columns: f.columns });
      for (const t of to) derived.push({ ...r, referencedSchema: t.view.schema, referencedRelation: t.view.name, referencedColumns: t.columns });
      for (const f of from) {
        for (const t of to) {
          derived.push({ ...r, schema: f.view.schema, relation: f.view.name, columns: f.columns, referencedSchema: t.view.schema, referencedRelation: t.view.name, referencedColumns: t.columns });
        }
      }
    }
    return [...tableRelationships, ...derived].sort(
      (a, b) =>
        compareNames(a.foreignKeyName, b.foreignKeyName) ||
        compareNames(a.referencedRelation, b.referencedRelation) ||
        compareNames(JSON.stringify(a.referencedColumns), JSON.stringify(b.referencedColumns)),
    );
  }
}

function byPosition(table: TableInfo, columns: string[]): string[] {
  const position = new Map(table.columns.map((c) => [c.name, c.position]));
  return [...columns].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
}

function cartesian(lists: string[][]): string[][] {
  return lists.reduce<string[][]>((combinations, entries) => combinations.flatMap((combination) => entries.map((entry) => [...combination, entry])), [[]]);
}

function sortedColumns(columns: ColumnInfo[]): ColumnInfo[] {
  return [...columns].sort((a, b) => compareNames(a.name, b.name));
}

function nullable(tsType: string, isNullable: boolean): string {
  if (tsType === 'Json' && !isNullable) return 'NonNullable<Json>';
  if (tsType === 'unknown' || tsType === 'any' || !isNullable) return tsType;
  return `${tsType} | null`;
}

function jsonList(items: string[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(', ')}]`;
}

/** Re-indents the continuation lines of a multi-line type under `indent`. */
function indentBlock(text: string, indent: string): string {
  return text.replace(/\n/g, `\n${indent}`);
}

const JSON_TYPE = `export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]`;

function helperTypes(defaultSchema: string): string {
  return `type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, ${JSON.stringify(defaultSchema)}>]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] &
        DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] &
        DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
        Row: infer R
      }
      ? R
      : never
    : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Insert: infer I
      }
      ? I
      : never
    : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Update: infer U
      }
      ? U
      : never
    : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends (DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never) = never,
> = DefaultSchemaEnumNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
    : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never) = never,
> = PublicCompositeTypeNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
    : never`;
}
