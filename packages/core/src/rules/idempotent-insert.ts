import type { SqlStatement } from '../sql/types.js';
import { walk } from '../sql/walk.js';
import { nodeOf, nodesOf } from '../sql/nodes.js';
import { fileModel } from './support/file-model.js';
import { relationKey, relationName } from './support/names.js';
import { defineRule } from './types.js';

/**
 * An INSERT that runs twice inserts its rows twice (or fails on a unique key). Accepted: ON CONFLICT,
 * an anti-join guard against the target table (WHERE NOT EXISTS / NOT IN / LEFT JOIN ... IS NULL /
 * EXCEPT), a DELETE or TRUNCATE of the same table earlier in the file, or a guarded DO block.
 */
export const rule = defineRule({
  id: 'idempotent-insert',
  category: 'idempotency',
  defaultSeverity: 'warning',
  description: 'INSERT uses ON CONFLICT or a NOT EXISTS guard, so that running the migration twice does not duplicate rows.',
  check(context) {
    const model = fileModel(context.sql);
    const cleared = new Map<string, SqlStatement>();
    for (const statement of model.statements) {
      const { kind, node } = statement;
      if ((kind === 'DeleteStmt' && node.relation) || kind === 'TruncateStmt') {
        const relations = kind === 'DeleteStmt' ? [node.relation] : nodesOf(node.relations, 'RangeVar');
        for (const relation of relations) if (relation) cleared.set(relationKey(relation), statement);
        continue;
      }
      if (kind !== 'InsertStmt' || statement.guard || node.onConflictClause) continue;
      const key = relationKey(node.relation);
      if (cleared.has(key) || hasAntiJoinGuard(node.selectStmt, key) || hasAntiJoinGuard(node.withClause, key)) continue;
      if (deletedLaterInSameBlock(statement, key, model.after(statement))) continue;

      const table = relationName(node.relation);
      const values = Boolean(nodeOf(node.selectStmt, 'SelectStmt')?.valuesLists);
      context.report({
        statement,
        message: `INSERT INTO ${table} without ON CONFLICT or a NOT EXISTS guard inserts its rows again (or fails on a unique key) when the migration runs a second time`,
        hint: values
          ? `append "ON CONFLICT (<unique key>) DO NOTHING" (or DO UPDATE SET ... = EXCLUDED.... to upsert)`
          : `append "ON CONFLICT (<unique key>) DO NOTHING", or filter the SELECT with "WHERE NOT EXISTS (SELECT 1 FROM ${table} x WHERE x.<key> = <source>.<key>)"`,
      });
    }
  },
});

/** A test row: inserted, then deleted from the same table in the same DO block, so no row is left to duplicate. */
function deletedLaterInSameBlock(insert: SqlStatement, key: string, later: readonly SqlStatement[]): boolean {
  if (!insert.parent || insert.parent.kind !== 'DoStmt') return false;
  return later.some((statement) => statement.parent === insert.parent && statement.kind === 'DeleteStmt' && relationKey(statement.node.relation) === key);
}

/** True when the query only inserts rows that are not yet in the target table. */
function hasAntiJoinGuard(query: unknown, target: string): boolean {
  if (!query) return false;
  let guarded = false;
  walk(query, (type, node) => {
    if (guarded) return;
    // NOT EXISTS (SELECT ... FROM target ...), NOT (x IN (SELECT ... FROM target))
    if (type === 'BoolExpr' && node.boolop === 'NOT_EXPR') {
      for (const arg of node.args ?? []) {
        const sublink = nodeOf(arg, 'SubLink');
        if (sublink && (sublink.subLinkType === 'EXISTS_SUBLINK' || sublink.subLinkType === 'ANY_SUBLINK') && references(sublink.subselect, target)) guarded = true;
      }
    }
    // x <> ALL (SELECT ... FROM target)
    if (type === 'SubLink' && node.subLinkType === 'ALL_SUBLINK' && references(node.subselect, target)) guarded = true;
    if (type !== 'SelectStmt') return;
    // ... LEFT JOIN target ON ... WHERE target.key IS NULL
    if (node.whereClause && hasNullTest(node.whereClause)) {
      for (const join of nodesOf(node.fromClause, 'JoinExpr')) {
        if ((join.jointype === 'JOIN_LEFT' || join.jointype === 'JOIN_RIGHT') && references(join, target)) guarded = true;
      }
    }
    // SELECT ... EXCEPT SELECT ... FROM target
    if (node.op === 'SETOP_EXCEPT' && references(node.rarg, target)) guarded = true;
  });
  return guarded;
}

function references(node: unknown, target: string): boolean {
  let found = false;
  walk(node, (type, child) => {
    if (!found && type === 'RangeVar' && relationKey(child) === target) found = true;
  });
  return found;
}

function hasNullTest(node: unknown): boolean {
  let found = false;
  walk(node, (type, child) => {
    if (type === 'NullTest' && child.nulltesttype === 'IS_NULL') found = true;
  });
  return found;
}
