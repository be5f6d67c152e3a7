/*
 * AST helpers shared by the idempotency and locking rules: names, the statements a migration
 * executes, what a file creates and drops before a given statement, and a small schema catalog
 * (column types, indexes, function volatility, NOT NULL checks) built from current_schema/, the
 * earlier migrations of the history and the file itself.
 */
import { parseSql } from '../../sql/index.js';
import type { ParsedSql, PgNode, SqlStatement } from '../../sql/types.js';
import type { RuleContext, Severity } from '../types.js';

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column ' +
    'concurrently constraint create cross current_catalog current_date current_role current_schema current_time ' +
    'current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze from ' +
    'full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit localtime ' +
    'localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references returning right ' +
    'select session_user similar some symmetric system_user table tablesample then to trailing true union unique user using ' +
    'variadic verbose when where window with'
  ).split(' '),
);

/** An identifier as it must be written in SQL: quoted when it is not a plain lower-case name or is reserved. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A SQL string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The `String` values of a name list such as `funcname` or a DROP object's `List`. */
export function strings(list: PgNode[] | undefined): string[] {
  return (list ?? []).map((item) => item?.String?.sval).filter((value): value is string => typeof value === 'string');
}

/** `schema.name` key of a RangeVar; unqualified names are in `public` (first existing schema of the default search_path). */
export function relationKey(relation: PgNode | undefined): string {
  if (!relation) return '';
  return `${relation.schemaname ?? 'public'}.${relation.relname}`;
}

/** The relation as written (quoted where needed), for messages and hints. */
export function relationName(relation: PgNode | undefined): string {
  if (!relation) return '?';
  return relation.schemaname ? `${quoteIdent(relation.schemaname)}.${quoteIdent(relation.relname)}` : quoteIdent(relation.relname);
}

/** `schema.name` key of a qualified name list (`[schema, name]` or `[name]`). */
export function namesKey(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `public.${names[0]}`;
  return names.slice(-2).join('.');
}

/** A qualified name list as written. */
export function namesText(names: string[]): string {
  return names.map(quoteIdent).join('.');
}

/** Splits a `schema.name` key. */
export function splitKey(key: string): { schema: string; name: string } {
  const dot = key.indexOf('.');
  return dot < 0 ? { schema: 'public', name: key } : { schema: key.slice(0, dot), name: key.slice(dot + 1) };
}

/** Value of an A_Const node (number, string, boolean or null); undefined for anything else. */
export function constValue(node: PgNode | undefined): string | number | boolean | null | undefined {
  const value = node?.A_Const;
  if (!value) return undefined;
  if (value.isnull) return null;
  if ('ival' in value) return Number(value.ival?.ival ?? 0);
  if ('fval' in value) return Number(value.fval?.fval ?? 0);
  if ('sval' in value) return String(value.sval?.sval ?? '');
  if ('boolval' in value) return Boolean(value.boolval?.boolval);
  if ('bsval' in value) return String(value.bsval?.bsval ?? '');
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

/** The outermost statement of a nested one (itself for a top-level statement). */
export function topLevelOf(statement: SqlStatement): SqlStatement {
  let top = statement;
  while (top.parent) top = top.parent;
  return top;
}

/** True for a statement the migration runs: top level, or inside a DO block (function bodies run when called). */
export function isExecuted(statement: SqlStatement): boolean {
  const top = topLevelOf(statement);
  return top === statement || top.kind === 'DoStmt';
}

/** True for a statement inside a DO block. */
export function inDoBlock(statement: SqlStatement): boolean {
  return statement.parent !== undefined && topLevelOf(statement).kind === 'DoStmt';
}

const executedCache = new WeakMap<ParsedSql, SqlStatement[]>();

/** Statements the migration runs, in file order: top level and inside DO blocks, not function bodies. */
export function executedStatements(sql: ParsedSql): SqlStatement[] {
  let list = executedCache.get(sql);
  if (!list) {
    list = [...sql.statements, ...sql.nested.filter(isExecuted)].sort((a, b) => a.range.start.offset - b.range.start.offset);
    executedCache.set(sql, list);
  }
  return list;
}

/** The AlterTableCmd nodes of an ALTER TABLE statement. */
export function alterCommands(node: PgNode): PgNode[] {
  return (node.cmds ?? []).map((cmd: PgNode) => cmd.AlterTableCmd).filter(Boolean);
}

/** The first line of a statement (whitespace collapsed), cut at `max` characters. */
export function firstLine(text: string, max = 110): string {
  const line = stripLeadingComments(text).split(/\r\n|\r|\n/)[0]!.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3).trimEnd()}...` : line;
}

/** The statement on one line (whitespace collapsed), cut at `max` characters. */
export function oneLine(text: string, max = 160): string {
  const line = stripLeadingComments(text).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3).trimEnd()}...` : line;
}

function stripLeadingComments(text: string): string {
  let rest = text;
  for (;;) {
    const trimmed = rest.replace(/^\s+/, '');
    if (trimmed.startsWith('--')) {
      const newline = trimmed.indexOf('\n');
      rest = newline < 0 ? '' : trimmed.slice(newline + 1);
    } else if (trimmed.startsWith('/*')) {
      const close = trimmed.indexOf('*/');
      rest = close < 0 ? '' : trimmed.slice(close + 2);
    } else {
      return trimmed;
    }
  }
}

/**
 * The statement's first line with `insertion` placed right after the keywords `pattern` matches at
 * its start (e.g. `IF NOT EXISTS ` after `CREATE TABLE `); undefined when the pattern does not match.
 */
export function insertAfter(text: string, pattern: RegExp, insertion: string, max = 110): string | undefined {
  const body = stripLeadingComments(text);
  const match = new RegExp(`^(?:${pattern.source})`, 'i').exec(body);
  if (!match) return undefined;
  return firstLine(body.slice(0, match[0].length) + insertion + body.slice(match[0].length), max);
}

// ---------------------------------------------------------------------------------------------
// Objects a statement creates or drops
// ---------------------------------------------------------------------------------------------

/** Object kinds as Postgres spells them after DROP, keyed by DropStmt.removeType. */
export const DROP_KEYWORDS: Record<string, string> = {
  OBJECT_TABLE: 'TABLE',
  OBJECT_VIEW: 'VIEW',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_INDEX: 'INDEX',
  OBJECT_SEQUENCE: 'SEQUENCE',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
  OBJECT_TYPE: 'TYPE',
  OBJECT_DOMAIN: 'DOMAIN',
  OBJECT_SCHEMA: 'SCHEMA',
  OBJECT_EXTENSION: 'EXTENSION',
  OBJECT_FUNCTION: 'FUNCTION',
  OBJECT_PROCEDURE: 'PROCEDURE',
  OBJECT_ROUTINE: 'ROUTINE',
  OBJECT_AGGREGATE: 'AGGREGATE',
  OBJECT_TRIGGER: 'TRIGGER',
  OBJECT_POLICY: 'POLICY',
  OBJECT_RULE: 'RULE',
  OBJECT_PUBLICATION: 'PUBLICATION',
  OBJECT_EVENT_TRIGGER: 'EVENT TRIGGER',
  OBJECT_CAST: 'CAST',
  OBJECT_COLLATION: 'COLLATION',
  OBJECT_CONVERSION: 'CONVERSION',
  OBJECT_OPERATOR: 'OPERATOR',
  OBJECT_OPCLASS: 'OPERATOR CLASS',
  OBJECT_OPFAMILY: 'OPERATOR FAMILY',
  OBJECT_LANGUAGE: 'LANGUAGE',
  OBJECT_FDW: 'FOREIGN DATA WRAPPER',
  OBJECT_FOREIGN_SERVER: 'SERVER',
  OBJECT_ACCESS_METHOD: 'ACCESS METHOD',
  OBJECT_STATISTIC_EXT: 'STATISTICS',
  OBJECT_TSCONFIGURATION: 'TEXT SEARCH CONFIGURATION',
  OBJECT_TSDICTIONARY: 'TEXT SEARCH DICTIONARY',
  OBJECT_TSPARSER: 'TEXT SEARCH PARSER',
  OBJECT_TSTEMPLATE: 'TEXT SEARCH TEMPLATE',
  OBJECT_TRANSFORM: 'TRANSFORM',
};

/** Kind part of an object key, per DropStmt.removeType. */
const KEY_KIND: Record<string, string> = {
  OBJECT_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'matview',
  OBJECT_INDEX: 'index',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_FOREIGN_TABLE: 'table',
  OBJECT_TYPE: 'type',
  OBJECT_DOMAIN: 'type',
  OBJECT_SCHEMA: 'schema',
  OBJECT_EXTENSION: 'extension',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'function',
  OBJECT_ROUTINE: 'function',
  OBJECT_AGGREGATE: 'function',
  OBJECT_TRIGGER: 'trigger',
  OBJECT_POLICY: 'policy',
  OBJECT_RULE: 'rule',
  OBJECT_PUBLICATION: 'publication',
  OBJECT_EVENT_TRIGGER: 'event-trigger',
  OBJECT_CAST: 'cast',
  OBJECT_COLLATION: 'collation',
  OBJECT_LANGUAGE: 'language',
  OBJECT_FOREIGN_SERVER: 'server',
  OBJECT_STATISTIC_EXT: 'statistics',
};

/** One object a DROP names. `text` is the object as written; `table` is set for per-table objects. */
export interface DroppedObject {
  /** Stable identity, e.g. `policy:public.t:p`, `table:public.t`, `constraint:public.t:c`. */
  key: string;
  /** Object kind keyword, e.g. `TABLE`, `POLICY`, `CONSTRAINT`, `COLUMN`. */
  keyword: string;
  /** The object as written, e.g. `public.t`, `"p" ON public.t`. */
  text: string;
  missingOk: boolean;
  /** Index of the ALTER TABLE subcommand, for DROP COLUMN / DROP CONSTRAINT. */
  cmdIndex?: number;
  /** Table of a per-table object (policy, trigger, rule, constraint, column), as written. */
  table?: string;
}

function typeNameKey(typeName: PgNode | undefined): string {
  const names = strings(typeName?.names);
  if (names[0] === 'pg_catalog' && names.length === 2) return names[1]!;
  return namesKey(names);
}

/** The objects a DROP statement (or DROP COLUMN / DROP CONSTRAINT subcommand) removes. */
export function droppedObjects(statement: SqlStatement): DroppedObject[] {
  const { kind, node } = statement;
  const out: DroppedObject[] = [];
  if (kind === 'DropStmt') {
    const type: string = node.removeType;
    const keyword = DROP_KEYWORDS[type] ?? type.replace(/^OBJECT_/, '').replace(/_/g, ' ');
    const keyKind = KEY_KIND[type] ?? type.replace(/^OBJECT_/, '').toLowerCase();
    for (const object of node.objects ?? []) {
      const missingOk = Boolean(node.missing_ok);
      if (object.List && (type === 'OBJECT_POLICY' || type === 'OBJECT_TRIGGER' || type === 'OBJECT_RULE')) {
        const names = strings(object.List.items);
        const name = names[names.length - 1]!;
        const tableNames = names.slice(0, -1);
        const table = namesText(tableNames);
        out.push({ key: `${keyKind}:${namesKey(tableNames)}:${name}`, keyword, text: `${type === 'OBJECT_POLICY' ? `"${name.replace(/"/g, '""')}"` : quoteIdent(name)} ON ${table}`, missingOk, table });
      } else if (object.List && type === 'OBJECT_CAST') {
        const [source, target] = object.List.items ?? [];
        out.push({ key: `cast:${typeNameKey(source?.TypeName)}:${typeNameKey(target?.TypeName)}`, keyword, text: `(${typeText(source?.TypeName)} AS ${typeText(target?.TypeName)})`, missingOk });
      } else if (object.List) {
        const names = strings(object.List.items);
        out.push({ key: `${keyKind}:${namesKey(names)}`, keyword, text: namesText(names), missingOk });
      } else if (object.TypeName) {
        const names = strings(object.TypeName.names);
        out.push({ key: `${keyKind}:${namesKey(names)}`, keyword, text: namesText(names), missingOk });
      } else if (object.ObjectWithArgs) {
        const names = strings(object.ObjectWithArgs.objname);
        const args = object.ObjectWithArgs.args_unspecified ? '' : `(${(object.ObjectWithArgs.objargs ?? []).map((arg: PgNode) => typeText(arg.TypeName)).join(', ')})`;
        out.push({ key: `${keyKind}:${namesKey(names)}`, keyword, text: `${namesText(names)}${args}`, missingOk });
      } else if (object.String) {
        const name: string = object.String.sval;
        out.push({ key: `${keyKind}:${name}`, keyword, text: quoteIdent(name), missingOk });
      }
    }
  } else if (kind === 'DropRoleStmt') {
    for (const role of node.roles ?? []) {
      const name = role.RoleSpec?.rolename;
      if (name) out.push({ key: `role:${name}`, keyword: 'ROLE', text: quoteIdent(name), missingOk: Boolean(node.missing_ok) });
    }
  } else if (kind === 'DropdbStmt') {
    out.push({ key: `database:${node.dbname}`, keyword: 'DATABASE', text: quoteIdent(node.dbname), missingOk: Boolean(node.missing_ok) });
  } else if (kind === 'DropTableSpaceStmt') {
    out.push({ key: `tablespace:${node.tablespacename}`, keyword: 'TABLESPACE', text: quoteIdent(node.tablespacename), missingOk: Boolean(node.missing_ok) });
  } else if (kind === 'DropSubscriptionStmt') {
    out.push({ key: `subscription:${node.subname}`, keyword: 'SUBSCRIPTION', text: quoteIdent(node.subname), missingOk: Boolean(node.missing_ok) });
  } else if (kind === 'AlterTableStmt') {
    const table = relationName(node.relation);
    const tableKey = relationKey(node.relation);
    alterCommands(node).forEach((cmd, cmdIndex) => {
      if (cmd.subtype === 'AT_DropConstraint') {
        out.push({ key: `constraint:${tableKey}:${cmd.name}`, keyword: 'CONSTRAINT', text: quoteIdent(cmd.name), missingOk: Boolean(cmd.missing_ok), cmdIndex, table });
      } else if (cmd.subtype === 'AT_DropColumn') {
        const keyword = node.objtype === 'OBJECT_TYPE' ? 'ATTRIBUTE' : 'COLUMN';
        out.push({ key: `column:${tableKey}:${cmd.name}`, keyword, text: quoteIdent(cmd.name), missingOk: Boolean(cmd.missing_ok), cmdIndex, table });
      }
    });
  }
  return out;
}

/** A type name as written in SQL, e.g. `integer`, `varchar(20)`, `public.mood[]`. */
export function typeText(typeName: PgNode | undefined): string {
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

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

export interface TypeInfo {
  /** Lower-case type name without `pg_catalog`, e.g. `int4`, `varchar`, `text`, `public.mood`. */
  name: string;
  /** Type modifiers (length, precision, scale) when all are numbers. */
  mods: number[];
  array: boolean;
}

export function typeInfo(typeName: PgNode): TypeInfo {
  const names = strings(typeName.names);
  const name = names[0] === 'pg_catalog' || names.length <= 1 ? (names[names.length - 1] ?? '?').toLowerCase() : names.join('.').toLowerCase();
  const mods = (typeName.typmods ?? []).map((mod: PgNode) => constValue(mod)).filter((mod: unknown): mod is number => typeof mod === 'number');
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

export function sameType(a: TypeInfo, b: TypeInfo): boolean {
  return a.name === b.name && a.array === b.array && a.mods.join(',') === b.mods.join(',');
}

export function typeInfoText(type: TypeInfo): string {
  return `${DISPLAY_TYPE[type.name] ?? type.name}${type.mods.length ? `(${type.mods.join(',')})` : ''}${type.array ? '[]' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// What a file creates and drops
// ---------------------------------------------------------------------------------------------

/** A relation (table, partition, materialized view) created by a statement, unless temporary. */
export function createdRelation(statement: SqlStatement): PgNode | undefined {
  const { kind, node } = statement;
  let relation: PgNode | undefined;
  if (kind === 'CreateStmt') relation = node.relation;
  else if (kind === 'CreateTableAsStmt') relation = node.into?.rel;
  else if (kind === 'SelectStmt' && node.intoClause) relation = node.intoClause.rel;
  else if (kind === 'CreateForeignTableStmt') relation = node.base?.relation;
  if (!relation) return undefined;
  return relation;
}

interface DropEvent {
  object: DroppedObject;
  statement: SqlStatement;
}

export interface FileModel {
  /** Statements the migration runs (top level and DO blocks), in file order. */
  readonly statements: readonly SqlStatement[];
  /** True when the relation `key` (`schema.name`) was created by a statement before `at` (following renames). */
  createdBefore(key: string, at: SqlStatement): boolean;
  /** The first DROP (or DROP subcommand) of `key` before `at` (or before subcommand `cmdIndex` of `at`). */
  droppedBefore(key: string, at: SqlStatement, cmdIndex?: number): DroppedObject | undefined;
  /** Statements after `at`, in file order. */
  after(at: SqlStatement): SqlStatement[];
  /** Statements before `at`, in file order. */
  before(at: SqlStatement): SqlStatement[];
}

const modelCache = new WeakMap<ParsedSql, FileModel>();

export function fileModel(sql: ParsedSql): FileModel {
  let model = modelCache.get(sql);
  if (model) return model;
  const statements = executedStatements(sql);
  const position = new Map<SqlStatement, number>(statements.map((statement, index) => [statement, index]));
  // Relation key -> index of the first statement from which it counts as created.
  const created = new Map<string, number>();
  const drops = new Map<string, DropEvent[]>();
  statements.forEach((statement, index) => {
    const relation = createdRelation(statement);
    if (relation) {
      const key = relationKey(relation);
      if (!created.has(key)) created.set(key, index);
    }
    if (statement.kind === 'RenameStmt' && statement.node.renameType === 'OBJECT_TABLE' && statement.node.relation) {
      const from = relationKey(statement.node.relation);
      if (created.has(from)) created.set(`${splitKey(from).schema}.${statement.node.newname}`, index);
    }
    if (statement.kind === 'AlterObjectSchemaStmt' && statement.node.objectType === 'OBJECT_TABLE' && statement.node.relation) {
      const from = relationKey(statement.node.relation);
      if (created.has(from)) created.set(`${statement.node.newschema}.${splitKey(from).name}`, index);
    }
    for (const object of droppedObjects(statement)) {
      const list = drops.get(object.key) ?? [];
      list.push({ object, statement });
      drops.set(object.key, list);
    }
  });
  const indexOf = (at: SqlStatement): number => position.get(at) ?? statements.findIndex((candidate) => candidate.range.start.offset >= at.range.start.offset);
  model = {
    statements,
    createdBefore(key, at) {
      const from = created.get(key);
      return from !== undefined && from < indexOf(at);
    },
    droppedBefore(key, at, cmdIndex) {
      const at_ = indexOf(at);
      for (const event of drops.get(key) ?? []) {
        const index = position.get(event.statement)!;
        if (index < at_) return event.object;
        if (event.statement === at && cmdIndex !== undefined && event.object.cmdIndex !== undefined && event.object.cmdIndex < cmdIndex) return event.object;
      }
      return undefined;
    },
    after(at) {
      return statements.slice(indexOf(at) + 1);
    },
    before(at) {
      return statements.slice(0, Math.max(0, indexOf(at)));
    },
  };
  modelCache.set(sql, model);
  return model;
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

/** Calls `visit` on every object node under `node` (depth first, the node itself included). */
export function visitNodes(node: unknown, visit: (node: PgNode) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visitNodes(item, visit);
  } else if (node && typeof node === 'object') {
    visit(node as PgNode);
    for (const value of Object.values(node)) if (value && typeof value === 'object') visitNodes(value, visit);
  }
}

/** Columns a CHECK expression proves NOT NULL: `col IS NOT NULL`, possibly among AND-ed conditions. */
export function notNullColumns(expr: PgNode | undefined): string[] {
  if (!expr) return [];
  if (expr.NullTest?.nulltesttype === 'IS_NOT_NULL') {
    const fields = strings(expr.NullTest.arg?.ColumnRef?.fields);
    return fields.length ? [fields[fields.length - 1]!] : [];
  }
  if (expr.BoolExpr?.boolop === 'AND_EXPR') return (expr.BoolExpr.args ?? []).flatMap((arg: PgNode) => notNullColumns(arg));
  return [];
}

/** The configured severity of a rule when set, else `wanted` (for findings whose level differs from the default). */
export function severityFor(context: RuleContext, ruleId: string, wanted: Severity): Severity {
  const configured = context.config.rules[ruleId];
  return configured && configured !== 'off' ? configured : wanted;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** `wanted`, or the rule's configured severity when that is lower (a config never raises a milder finding). */
export function cappedSeverity(context: RuleContext, ruleId: string, wanted: Severity): Severity {
  const configured = context.config.rules[ruleId];
  return configured && configured !== 'off' && SEVERITY_RANK[configured] < SEVERITY_RANK[wanted] ? configured : wanted;
}

/** How a file runs, for messages: the lock is held until the transaction commits, or the statement ends. */
export function lockHeldUntil(context: RuleContext): string {
  return context.migration.directives.noTransaction ? 'until the statement finishes' : "until the migration's transaction commits";
}

// ---------------------------------------------------------------------------------------------
// Schema catalog: what the database looks like before a statement
// ---------------------------------------------------------------------------------------------

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
 * A best-effort model of the schema: table columns and their types, CHECK constraints that prove
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
            this.tables.set(`${splitKey(key).schema}.${node.newname}`, table);
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
            this.indexes.set(`${splitKey(key).schema}.${node.newname}`, table);
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
        if (node.idxname) this.indexes.set(`${node.relation?.schemaname ?? 'public'}.${node.idxname}`, relationKey(node.relation));
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
