import type { RangeVar, SelectStmt } from 'libpg-query';
import type { PgNode, SqlStatement } from '../sql/types.js';
import { walk } from '../sql/walk.js';
import { nodeOf, nodesOf, stringOf } from '../sql/nodes.js';
import { fileModel } from './support/file-model.js';
import { createdIndexKey, keyText, relationName } from './support/names.js';
import { defineRule, type RuleContext } from './types.js';

const ID = 'no-transaction-idempotent';

/**
 * In a `-- pgwarden:no-transaction` file each statement commits on its own, and a rerun after a
 * crash starts again at the first statement not recorded as done: the statement that was running
 * (or had just committed) runs a second time. The idempotency rules catch what fails on a second
 * run (CREATE without IF NOT EXISTS, ...); this rule catches what passes but does harm:
 *
 * - UPDATE (or INSERT ... ON CONFLICT DO UPDATE) whose new value adds to the column it writes
 *   (`n = n + 1`, `tags = tags || ...`): applied twice, it adds twice;
 * - CREATE INDEX CONCURRENTLY IF NOT EXISTS with no DROP INDEX CONCURRENTLY IF EXISTS before it:
 *   an interrupted build leaves an INVALID index, and IF NOT EXISTS then skips it;
 * - SELECT nextval(...): a second run advances the sequence again.
 */
export const rule = defineRule({
  id: ID,
  category: 'idempotency',
  defaultSeverity: 'warning',
  description: 'In a "-- pgwarden:no-transaction" file every statement is safe to run twice (a rerun after a crash repeats the unfinished one).',
  check(context) {
    if (!context.migration.directives.noTransaction) return;
    const model = fileModel(context.sql);
    for (const statement of model.statements) {
      if (statement.guard) continue;
      const { kind, node } = statement;
      if (kind === 'UpdateStmt') {
        const column = selfReferencingTarget(node.targetList, node.relation);
        if (column) reportAccumulation(context, statement, `UPDATE ${relationName(node.relation)} SET ${column} = ... adds to the current ${column}`);
      } else if (kind === 'InsertStmt' && node.onConflictClause?.action === 'ONCONFLICT_UPDATE') {
        const column = selfReferencingTarget(node.onConflictClause.targetList, node.relation);
        if (column) reportAccumulation(context, statement, `INSERT INTO ${relationName(node.relation)} ... ON CONFLICT DO UPDATE SET ${column} = ... adds to the stored ${column}`);
      } else if (kind === 'IndexStmt' && node.concurrent && node.if_not_exists && node.idxname) {
        const key = createdIndexKey(node);
        if (model.droppedBefore(`index:${key}`, statement)) continue;
        context.report({
          statement,
          message: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${node.idxname}: a build interrupted by a crash leaves an INVALID index of that name, which IF NOT EXISTS skips when the file runs again`,
          hint: `put "DROP INDEX CONCURRENTLY IF EXISTS ${keyText(key)};" right before it, so that a rerun removes a half-built index and builds it again`,
        });
      } else if (kind === 'SelectStmt' && callsNextval(node)) {
        context.report({
          statement,
          message: 'SELECT nextval(...) advances the sequence again each time the statement reruns after a crash',
          hint: "use setval('sequence', value) with the value the sequence must have: running it twice gives the same result",
        });
      }
    }
  },
});

function reportAccumulation(context: RuleContext, statement: SqlStatement, what: string): void {
  context.report({
    statement,
    message: `${what}: in a no-transaction file a rerun after a crash can apply it twice`,
    hint: 'set the final value instead of adding to the current one (SET n = 5, or compute it from a source that does not change), guard it with a WHERE that no longer matches once applied, or move it to a transactional migration',
  });
}

/** Operators and functions that add to a value: applied twice, they add twice. */
const ACCUMULATING_OPERATORS = new Set<string | undefined>(['+', '-', '*', '/', '||']);
const ACCUMULATING_FUNCTIONS = new Set(['array_append', 'array_prepend', 'array_cat', 'concat', 'concat_ws']);

/**
 * The first SET column whose new value adds to its own current value (`n = n + 1`, `tags = tags ||
 * ...`, `arr = array_append(arr, ...)`). Reading the column without accumulating (`name =
 * lower(name)`, `n = greatest(n, 5)`, `x = coalesce(x, 0)`) gives the same result twice: fine.
 */
function selfReferencingTarget(targets: PgNode[] | undefined, relation: RangeVar | undefined): string | undefined {
  const qualifiers = new Set([relation?.relname, relation?.alias?.aliasname].filter(Boolean).map((name) => String(name).toLowerCase()));
  const isColumn = (node: PgNode | undefined, column: string): boolean => {
    if (!node) return false;
    if ('TypeCast' in node) return isColumn(node.TypeCast.arg, column);
    if ('CoalesceExpr' in node) return (node.CoalesceExpr.args ?? []).some((arg) => isColumn(arg, column));
    if (accumulates(node, column)) return true;
    const fields = nodeOf(node, 'ColumnRef')?.fields?.map((field) => String(stringOf(field) ?? '').toLowerCase());
    if (!fields) return false;
    const qualifier = fields.length > 1 ? fields.at(-2) : undefined;
    return fields.at(-1) === column && (qualifier === undefined || qualifiers.has(qualifier));
  };
  const accumulates = (node: PgNode | undefined, column: string): boolean => {
    const expr = nodeOf(node, 'A_Expr');
    if (expr?.kind === 'AEXPR_OP' && ACCUMULATING_OPERATORS.has(stringOf(expr.name?.at(-1)))) return isColumn(expr.lexpr, column) || isColumn(expr.rexpr, column);
    const call = nodeOf(node, 'FuncCall');
    if (call && ACCUMULATING_FUNCTIONS.has(String(stringOf(call.funcname?.at(-1))).toLowerCase())) return (call.args ?? []).some((arg) => isColumn(arg, column));
    return false;
  };
  for (const target of nodesOf(targets, 'ResTarget')) {
    const column = target.name;
    if (column && accumulates(target.val, column.toLowerCase())) return column;
  }
  return undefined;
}

function callsNextval(node: SelectStmt): boolean {
  let found = false;
  walk(node, (type, child) => {
    if (type === 'FuncCall' && String(stringOf(child.funcname?.at(-1))).toLowerCase() === 'nextval') found = true;
  });
  return found;
}
