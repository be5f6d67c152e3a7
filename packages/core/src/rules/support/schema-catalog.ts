/** What the schema looks like before a statement, built from current_schema/, the earlier migrations and the file so far. */
import { compareMigrations, sortHistory } from '../../migration/history-order.js';
import type { Migration } from '../../migration/types.js';
import { parseSql } from '../../sql/index.js';
import type { Constraint } from 'libpg-query';
import type { SqlStatement } from '../../sql/types.js';
import { nodeOf, nodesOf, stringOf } from '../../sql/nodes.js';
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
          if ('ColumnDef' in element) {
            const column = element.ColumnDef;
            if (column.typeName) table.columns.set(column.colname ?? '', typeInfo(column.typeName));
            for (const constraint of column.constraints ?? []) this.addConstraint(table, nodeOf(constraint, 'Constraint'), `${key}.${column.colname}#${unnamed++}`);
          } else if ('Constraint' in element) {
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
              const column = nodeOf(cmd.def, 'ColumnDef');
              const name = column?.colname ?? '';
              if (column?.typeName && !(cmd.missing_ok && table.columns.has(name))) table.columns.set(name, typeInfo(column.typeName));
              break;
            }
            case 'AT_AlterColumnType': {
              const typeName = nodeOf(cmd.def, 'ColumnDef')?.typeName;
              if (typeName) table.columns.set(cmd.name ?? '', typeInfo(typeName));
              break;
            }
            case 'AT_DropColumn':
              table.columns.delete(cmd.name ?? '');
              break;
            case 'AT_AddConstraint':
              this.addConstraint(table, nodeOf(cmd.def, 'Constraint'), `${key}#alter${unnamed++}`);
              break;
            case 'AT_ValidateConstraint': {
              const check = table.checks.get(cmd.name ?? '');
              if (check) table.checks.set(cmd.name ?? '', { ...check, validated: true });
              break;
            }
            case 'AT_DropConstraint':
              table.checks.delete(cmd.name ?? '');
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
            this.tables.set(qualifiedKey(splitKey(key).schema, node.newname ?? ''), table);
          }
        } else if (node.renameType === 'OBJECT_COLUMN') {
          const type = this.tables.get(key)?.columns.get(node.subname ?? '');
          if (type) {
            this.tables.get(key)!.columns.delete(node.subname ?? '');
            this.tables.get(key)!.columns.set(node.newname ?? '', type);
          }
        } else if (node.renameType === 'OBJECT_INDEX') {
          const table = this.indexes.get(key);
          if (table) {
            this.indexes.delete(key);
            this.indexes.set(qualifiedKey(splitKey(key).schema, node.newname ?? ''), table);
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
        const volatility = stringOf(nodesOf(node.options, 'DefElem').find((option) => option.defname === 'volatility')?.arg);
        const code = volatility === 'immutable' ? 'i' : volatility === 'stable' ? 's' : 'v';
        this.functions.set(namesKey(strings(node.funcname)), code);
        return;
      }
      default:
        return;
    }
  }

  private addConstraint(table: TableInfo, constraint: Constraint | undefined, fallbackName: string): void {
    if (!constraint || constraint.contype !== 'CONSTR_CHECK') return;
    const columns = notNullColumns(constraint.raw_expr);
    if (columns.length === 0) return;
    table.checks.set(constraint.conname ?? fallbackName, { columns, validated: !constraint.skip_validation });
  }
}

function executedStatementsOf(text: string): SqlStatement[] {
  try {
    return executedStatements(parseSql(text));
  } catch {
    return [];
  }
}

/** The index of `migration` in the sorted history: how many migrations run before it. */
function positionIn(sorted: readonly Migration[], migration: Migration): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareMigrations(sorted[middle]!, migration) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The schema model of one history, built once, incrementally, in version order: current_schema/
 * (each file parsed once), then one migration after another. Linting the history in order moves
 * it forward one file at a time, and each file's statements come from the engine's own parse of
 * it (`visit`), so no file is parsed twice. Only a request for an earlier point starts over.
 */
class CatalogTimeline {
  readonly sorted: Migration[];
  #schemaCatalog?: Catalog;
  #running?: Catalog;
  /** Index in `sorted` of the next migration to apply to `#running`. */
  #next = 0;
  /** The statements of the file being linted, kept so that moving past it needs no second parse. */
  #visited?: { index: number; statements: SqlStatement[] };
  /** The model before the file being linted: every rule on that file shares it. */
  #snapshot?: { migration: Migration; catalog: Catalog };

  constructor(
    history: readonly Migration[],
    readonly schemaFiles: RuleContext['schemaFiles'],
  ) {
    this.sorted = sortHistory(history);
  }

  /** Records the statements of the file being linted (as the engine parsed it). */
  visit(context: RuleContext): void {
    const index = positionIn(this.sorted, context.migration);
    if (this.sorted[index]?.relPath !== context.migration.relPath || this.#visited?.index === index) return;
    // Once the model is in use, keep it up with the files as they are linted, while the previous
    // file's statements are still at hand; before that (one file linted), stay lazy.
    if (this.#running && this.#next <= index) this.advanceTo(index);
    this.#visited = { index, statements: executedStatements(context.sql) };
  }

  /** The model before `migration` (read-only: callers clone it before applying anything). */
  before(migration: Migration): Catalog {
    if (this.#snapshot?.migration === migration) return this.#snapshot.catalog;
    const target = positionIn(this.sorted, migration);
    if (!this.#running || target < this.#next) {
      this.#running = this.schemaCatalog().clone();
      this.#next = 0;
    }
    this.advanceTo(target);
    // The running model moves on with the next file: the snapshot is a copy.
    this.#snapshot = { migration, catalog: this.#running.clone() };
    return this.#snapshot.catalog;
  }

  private advanceTo(target: number): void {
    for (; this.#next < target; this.#next++) {
      const statements = this.#visited?.index === this.#next ? this.#visited.statements : executedStatementsOf(this.sorted[this.#next]!.text);
      for (const statement of statements) this.#running!.apply(statement);
    }
  }

  private schemaCatalog(): Catalog {
    if (!this.#schemaCatalog) {
      this.#schemaCatalog = new Catalog();
      const files = [...this.schemaFiles.values()].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
      for (const file of files) for (const statement of executedStatementsOf(file.lines.join('\n'))) this.#schemaCatalog.apply(statement);
    }
    return this.#schemaCatalog;
  }
}

const timelines = new WeakMap<readonly Migration[], CatalogTimeline>();

function timelineOf(context: RuleContext): CatalogTimeline {
  let timeline = timelines.get(context.history);
  if (!timeline || timeline.schemaFiles !== context.schemaFiles) {
    timeline = new CatalogTimeline(context.history, context.schemaFiles);
    timelines.set(context.history, timeline);
  }
  return timeline;
}

/** The catalog before this migration: current_schema/ files in order, then the earlier migrations of the history (read-only). */
export function baseCatalog(context: RuleContext): Catalog {
  return timelineOf(context).before(context.migration);
}

/**
 * The catalog as it is right before each statement of the file: rules call `advance` with each
 * statement in file order, and `current()` before a lookup. The catalog `current()` returns is
 * valid until the next `advance`.
 */
export class CatalogCursor {
  #pending: SqlStatement[] = [];
  #catalog?: Catalog;

  constructor(private readonly context: RuleContext) {
    timelineOf(context).visit(context);
  }

  /** Records that `statement` has run. */
  advance(statement: SqlStatement): void {
    this.#pending.push(statement);
  }

  /** The catalog before the current statement: the history's model before this file, plus this file so far. */
  current(): Catalog {
    // Copied on first use only: a file without lookups costs nothing.
    this.#catalog ??= baseCatalog(this.context).clone();
    for (const statement of this.#pending) this.#catalog.apply(statement);
    this.#pending = [];
    return this.#catalog;
  }
}
