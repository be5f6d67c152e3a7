/** What a migration file creates and drops before a given statement, following renames. */
import type { RangeVar } from 'libpg-query';
import type { ParsedSql, SqlStatement } from '../../sql/types.js';
import { droppedObjects, type DroppedObject } from './dropped-objects.js';
import { qualifiedKey } from '../../catalog/identity.js';
import { relationKey, splitKey } from './names.js';
import { executedStatements } from './statements.js';

/** A relation (table, partition, materialized view, foreign table) created by a statement, temporary ones included. */
export function createdRelation(statement: SqlStatement): RangeVar | undefined {
  const { kind, node } = statement;
  let relation: RangeVar | undefined;
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
const modelWithHistoryCache = new WeakMap<ParsedSql, FileModel>();

/**
 * The model of a file. `existedBefore` (tables the earlier migrations create) makes a
 * `CREATE TABLE IF NOT EXISTS` of one of them a no-op: that table is not new, it may hold rows.
 */
export function fileModel(sql: ParsedSql, existedBefore?: Pick<ReadonlySet<string>, 'has'>): FileModel {
  const cache = existedBefore ? modelWithHistoryCache : modelCache;
  let model = cache.get(sql);
  if (model) return model;
  const statements = executedStatements(sql);
  const position = new Map<SqlStatement, number>(statements.map((statement, index) => [statement, index]));
  // Relation key -> index of the first statement from which it counts as created.
  const created = new Map<string, number>();
  const drops = new Map<string, DropEvent[]>();
  statements.forEach((statement, index) => {
    const relation = createdRelation(statement);
    const noOp = statement.kind === 'CreateStmt' && statement.node.if_not_exists && existedBefore?.has(relationKey(relation));
    if (relation && !noOp) {
      const key = relationKey(relation);
      if (!created.has(key)) created.set(key, index);
    }
    if (statement.kind === 'RenameStmt' && statement.node.renameType === 'OBJECT_TABLE' && statement.node.relation) {
      const from = relationKey(statement.node.relation);
      if (created.has(from)) created.set(qualifiedKey(splitKey(from).schema, statement.node.newname ?? ''), index);
    }
    if (statement.kind === 'AlterObjectSchemaStmt' && statement.node.objectType === 'OBJECT_TABLE' && statement.node.relation) {
      const from = relationKey(statement.node.relation);
      if (created.has(from)) created.set(qualifiedKey(statement.node.newschema, splitKey(from).name), index);
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
  cache.set(sql, model);
  return model;
}
