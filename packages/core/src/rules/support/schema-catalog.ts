/** What the schema looks like before a statement, built from current_schema/, the earlier migrations and the file so far. */
import { parseSql } from '../../sql/index.js';
import type { PgNode, SqlStatement } from '../../sql/types.js';
import type { RuleContext } from '../types.js';
import { droppedObjects } from './dropped-objects.js';
import { notNullColumns } from './expressions.js';
import { qualifiedKey } from '../../catalog/identity.js';
import { createdIndexKey, namesKey, relationKey, splitKey, strings } from './names.js';
import { alterCommands, executedStatements } from './statements.js';
import { typeInfo, type TypeInfo } from './type-names.js';

export interface CheckInfo {
  /** Columns the check proves NOT NULL. */
  columns: string[];
  validated: boolean;
}

interface TableInfo {
  columns: Map<string, TypeInfo>;
  checks: Map<string, CheckInfo>;
  partitioned: boolean;
}

/**
 * A best-effort model of the schema, keyed like the catalog snapshot (catalog/identity.ts: tables and
 * indexes `schema.name`, functions `schema.name` without arguments): table columns and their types, CHECK constraints that prove
 * NOT NULL, which table an index belongs to, and declared function volatility. Built from
 * current_schema/ (in file order), then the history's earlier migrations, then this file's
 * statements as they are applied. Unknown objects answer `undefined`: callers must then say so.
 */
export class Catalog {
  readonly tables = new Map<string, TableInfo>();
  readonly indexes = new Map<string, string>();
  readonly functions = new Map<string, 'i' | 's' | 'v'>();

  clone(): Catalog {
    const copy = new Catalog();
    for (const [key, table] of this.tables) {
      const checks = new Map([...table.checks].map(([name, check]) => [name, { ...check }] as const));
      copy.tables.set(key, { columns: new Map(table.columns), checks, partitioned: table.partitioned });
    }
    for (const [key, value] of this.indexes) copy.indexes.set(key, value);
    for (const [key, value] of this.functions) copy.functions.set(key, value);
    return copy;
  }

  columnType(tableKey: string, column: string): TypeInfo | undefined {
    return this.tables.get(tableKey)?.columns.get(column);
  }

  hasTable(tableKey: string): boolean {
    return this.tables.has(tableKey);
  }

  isPartitioned(tableKey: string): boolean {
    return this.tables.get(tableKey)?.partitioned ?? false;
  }

  /** Table key of an index key (`schema.index`). */
  indexTable(indexKey: string): string | undefined {
    return this.indexes.get(indexKey);
  }

  /** Declared volatility of a function (`schema.name`, or a bare name looked up in public). */
  volatility(nameKey: string): 'i' | 's' | 'v' | undefined {
    return this.functions.get(nameKey);
  }

  /** Names of validated CHECK constraints on the table that prove `column` NOT NULL. */
  validatedNotNullChecks(tableKey: string, column: string): string[] {
    const checks = this.tables.get(tableKey)?.checks;
    if (!checks) return [];
    return [...checks].filter(([, check]) => check.validated && check.columns.includes(column)).map(([name]) => name);
  }

  private table(key: string): TableInfo {
    let table = this.tables.get(key);
    if (!table) {
      table = { columns: new Map(), checks: new Map(), partitioned: false };
      this.tables.set(key, table);
    }
    return table;
  }

  /** Applies the effect of one statement. */
  apply(statement: SqlStatement): void {
    const { kind, node } = statement;
    switch (kind) {
      case 'CreateStmt': {
        const key = relationKey(node.relation);
        if (node.if_not_exists && this.tables.has(key)) return;
        const table: TableInfo = { columns: new Map(), checks: new Map(), partitioned: Boolean(node.partspec) };
        this.tables.set(key, table);
        let unnamed = 0;
        for (const element of node.tableElts ?? []) {
          if (element.ColumnDef) {
            const column = element.ColumnDef;
            if (column.typeName) table.columns.set(column.colname, typeInfo(column.typeName));
            for (const constraint of column.constraints ?? []) this.addConstraint(table, constraint.Constraint, `${key}.${column.colname}#${unnamed++}`);
          } else if (element.Constraint) {
            this.addConstraint(table, element.Constraint, `${key}#${unnamed++}`);
          }
        }
        return;
      }
      case 'CreateTableAsStmt':
        this.table(relationKey(node.into?.rel));
        return;
      case 'AlterTableStmt': {
        if (node.objtype !== 'OBJECT_TABLE' && node.objtype !== 'OBJECT_FOREIGN_TABLE') return;
        const key = relationKey(node.relation);
        const table = this.table(key);
        let unnamed = 0;
        for (const cmd of alterCommands(node)) {
          switch (cmd.subtype) {
            case 'AT_AddColumn': {
              const column = cmd.def?.ColumnDef;
              if (column?.typeName && !(cmd.missing_ok && table.columns.has(column.colname))) table.columns.set(column.colname, typeInfo(column.typeName));
              break;
            }
            case 'AT_AlterColumnType': {
              const typeName = cmd.def?.ColumnDef?.typeName;
              if (typeName) table.columns.set(cmd.name, typeInfo(typeName));
              break;
            }
            case 'AT_DropColumn':
              table.columns.delete(cmd.name);
              break;
            case 'AT_AddConstraint':
              if (cmd.def?.Constraint) this.addConstraint(table, cmd.def.Constraint, `${key}#alter${unnamed++}`);
              break;
            case 'AT_ValidateConstraint': {
              const check = table.checks.get(cmd.name);
              if (check) table.checks.set(cmd.name, { ...check, validated: true });
              break;
            }
            case 'AT_DropConstraint':
              table.checks.delete(cmd.name);
              break;
            default:
              break;
          }
        }
        return;
      }
      case 'RenameStmt': {
        if (!node.relation) return;
        const key = relationKey(node.relation);
        if (node.renameType === 'OBJECT_TABLE') {
          const table = this.tables.get(key);
          if (table) {
            this.tables.delete(key);
            this.tables.set(qualifiedKey(splitKey(key).schema, node.newname), table);
          }
        } else if (node.renameType === 'OBJECT_COLUMN') {
          const type = this.tables.get(key)?.columns.get(node.subname);
          if (type) {
            this.tables.get(key)!.columns.delete(node.subname);
            this.tables.get(key)!.columns.set(node.newname, type);
          }
        } else if (node.renameType === 'OBJECT_INDEX') {
          const table = this.indexes.get(key);
          if (table) {
            this.indexes.delete(key);
            this.indexes.set(qualifiedKey(splitKey(key).schema, node.newname), table);
          }
        }
        return;
      }
      case 'DropStmt':
        for (const object of droppedObjects(statement)) {
          const [kindPart, ...rest] = object.key.split(':');
          const target = rest.join(':');
          if (kindPart === 'table') this.tables.delete(target);
          else if (kindPart === 'index') this.indexes.delete(target);
        }
        return;
      case 'IndexStmt':
        if (node.idxname) this.indexes.set(createdIndexKey(node), relationKey(node.relation));
        return;
      case 'CreateFunctionStmt': {
        const volatility = (node.options ?? []).find((option: PgNode) => option.DefElem?.defname === 'volatility')?.DefElem.arg?.String?.sval;
        const code = volatility === 'immutable' ? 'i' : volatility === 'stable' ? 's' : 'v';
        this.functions.set(namesKey(strings(node.funcname)), code);
        return;
      }
      default:
        return;
    }
  }

  private addConstraint(table: TableInfo, constraint: PgNode | undefined, fallbackName: string): void {
    if (!constraint || constraint.contype !== 'CONSTR_CHECK') return;
    const columns = notNullColumns(constraint.raw_expr);
    if (columns.length === 0) return;
    table.checks.set(constraint.conname ?? fallbackName, { columns, validated: !constraint.skip_validation });
  }
}

const parseCache = new Map<string, SqlStatement[]>();

function executedStatementsOf(text: string): SqlStatement[] {
  let statements = parseCache.get(text);
  if (!statements) {
    try {
      statements = executedStatements(parseSql(text));
    } catch {
      statements = [];
    }
    if (parseCache.size > 400) parseCache.clear();
    parseCache.set(text, statements);
  }
  return statements;
}

interface SourceText {
  text: string;
  lower: string;
}

const sourcesCache = new WeakMap<RuleContext['migration'], SourceText[]>();

/** current_schema/ files in file order, then the history's migrations before this one, as text. */
function sourcesBefore(context: RuleContext): SourceText[] {
  let sources = sourcesCache.get(context.migration);
  if (!sources) {
    const texts = [...context.schemaFiles.values()].sort((a, b) => a.relPath.localeCompare(b.relPath)).map((file) => file.lines.join('\n'));
    for (const migration of context.history) {
      if (migration.relPath.localeCompare(context.migration.relPath) < 0) texts.push(migration.text);
    }
    sources = texts.map((text) => ({ text, lower: text.toLowerCase() }));
    sourcesCache.set(context.migration, sources);
  }
  return sources;
}

const baseCache = new WeakMap<RuleContext['migration'], Map<string, Catalog>>();

/**
 * The catalog before this migration: current_schema/ files in order, then the earlier migrations of
 * the history. Only files whose text mentions every word of `mentions` (e.g. the table and column
 * names a rule asks about) are parsed, which keeps a lookup cheap on a long history.
 */
export function baseCatalog(context: RuleContext, mentions: readonly string[] = []): Catalog {
  const words = [...new Set(mentions.map((word) => word.toLowerCase()))].sort();
  let cache = baseCache.get(context.migration);
  if (!cache) {
    cache = new Map();
    baseCache.set(context.migration, cache);
  }
  const key = words.join('\u0000');
  let catalog = cache.get(key);
  if (!catalog) {
    catalog = new Catalog();
    for (const source of sourcesBefore(context)) {
      if (!words.every((word) => source.lower.includes(word))) continue;
      for (const statement of executedStatementsOf(source.text)) catalog.apply(statement);
    }
    cache.set(key, catalog);
  }
  return catalog;
}

/**
 * The catalog as it is right before each statement of the file: rules call `advance` with each
 * statement in file order, and `current(...)` with the names of what they are about to look up.
 */
export class CatalogCursor {
  #applied: SqlStatement[] = [];

  constructor(private readonly context: RuleContext) {}

  /** Records that `statement` has run. */
  advance(statement: SqlStatement): void {
    this.#applied.push(statement);
  }

  /** The catalog before the current statement, built from the sources that mention every one of `mentions` plus this file so far. */
  current(...mentions: string[]): Catalog {
    const catalog = baseCatalog(this.context, mentions).clone();
    for (const statement of this.#applied) catalog.apply(statement);
    return catalog;
  }
}
