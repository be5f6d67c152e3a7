/** Which statements a migration executes (top level and DO blocks, not function bodies), and ALTER TABLE subcommands. */
import type { AlterTableCmd, AlterTableStmt } from 'libpg-query';
import type { ParsedSql, SqlStatement } from '../../sql/types.js';
import { nodesOf } from '../../sql/nodes.js';

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
export function alterCommands(node: AlterTableStmt): AlterTableCmd[] {
  return nodesOf(node.cmds, 'AlterTableCmd');
}
