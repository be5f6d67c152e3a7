import type { AlterTableStmt, ColumnDef } from 'libpg-query';
import { quoteIdent } from '../sql/quote.js';
import type { SqlStatement } from '../sql/types.js';
import { nodeOf, nodesOf } from '../sql/nodes.js';
import { fileModel } from './support/file-model.js';
import { tablesCreatedBefore } from './support/history-tables.js';
import { relationKey, relationName, strings } from './support/names.js';
import { CatalogCursor } from './support/schema-catalog.js';
import { severityFor } from './support/severity.js';
import { alterCommands } from './support/statements.js';
import { defineRule, type RuleContext } from './types.js';

const ID = 'set-not-null';

/**
 * ALTER COLUMN ... SET NOT NULL scans the whole table under ACCESS EXCLUSIVE, unless (PG 12+) a
 * validated CHECK (col IS NOT NULL) already proves it. ADD COLUMN ... NOT NULL without a default
 * fails outright on a table that has rows.
 */
export const rule = defineRule({
  id: ID,
  category: 'locking',
  defaultSeverity: 'warning',
  description: 'SET NOT NULL on an existing table goes through a validated CHECK (col IS NOT NULL) constraint; ADD COLUMN ... NOT NULL has a default.',
  check(context) {
    const model = fileModel(context.sql, tablesCreatedBefore(context));
    const cursor = new CatalogCursor(context);
    // Tables emptied by a TRUNCATE earlier in the file (and not written since): no row to scan, none to fail on.
    const emptied = new Set<string>();
    for (const statement of model.statements) {
      const { kind, node } = statement;
      if (kind === 'TruncateStmt') {
        for (const relation of nodesOf(node.relations, 'RangeVar')) emptied.add(relationKey(relation));
      } else if ((kind === 'InsertStmt' || kind === 'CopyStmt' || kind === 'MergeStmt') && node.relation) {
        emptied.delete(relationKey(node.relation));
      }
      if (
        kind === 'AlterTableStmt' &&
        node.objtype === 'OBJECT_TABLE' &&
        !model.createdBefore(relationKey(node.relation), statement) &&
        !emptied.has(relationKey(node.relation))
      ) {
        for (const cmd of alterCommands(node)) {
          if (cmd.subtype === 'AT_SetNotNull') checkSetNotNull(context, node, statement, cmd.name ?? '', cursor);
          else if (cmd.subtype === 'AT_AddColumn') checkAddColumn(context, node, statement, nodeOf(cmd.def, 'ColumnDef'));
        }
      }
      cursor.advance(statement);
    }
  },
});

function checkSetNotNull(context: RuleContext, node: AlterTableStmt, statement: SqlStatement, column: string, cursor: CatalogCursor): void {
  const table = relationName(node.relation);
  const tableKey = relationKey(node.relation);
  const col = quoteIdent(column);
  const message = `ALTER COLUMN ${col} SET NOT NULL on ${table} scans every row to check for NULLs while holding an ACCESS EXCLUSIVE lock on ${table}: reads and writes wait`;
  if (context.postgresVersion < 12) {
    context.report({
      statement,
      message,
      hint: `before PostgreSQL 12 (target: ${context.postgresVersion}) no constraint lets SET NOT NULL skip the scan: enforce it with "ALTER TABLE ${table} ADD CONSTRAINT <name> CHECK (${col} IS NOT NULL) NOT VALID;" and VALIDATE it in a later migration instead, or run this in a low-traffic window`,
    });
    return;
  }
  // A validated CHECK (col IS NOT NULL) on the column (this file, an earlier migration, or current_schema/) lets PG 12+ skip the scan.
  if (cursor.current().validatedNotNullChecks(tableKey, column).length > 0) return;
  const check = quoteIdent(`${String(node.relation?.relname)}_${column}_not_null`.slice(0, 63));
  context.report({
    statement,
    message,
    hint:
      `prove it first with a constraint: "ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${col} IS NOT NULL) NOT VALID;", ` +
      `then in a later migration "ALTER TABLE ${table} VALIDATE CONSTRAINT ${check};" (SHARE UPDATE EXCLUSIVE: reads and writes go on), ` +
      `then "ALTER TABLE ${table} ALTER COLUMN ${col} SET NOT NULL;" (PG 12+ skips the scan) and "ALTER TABLE ${table} DROP CONSTRAINT ${check};"`,
  });
}

function checkAddColumn(context: RuleContext, node: AlterTableStmt, statement: SqlStatement, column: ColumnDef | undefined): void {
  if (!column) return;
  const constraints = nodesOf(column.constraints, 'Constraint');
  const notNull = constraints.some((constraint) => constraint.contype === 'CONSTR_NOTNULL' || constraint.contype === 'CONSTR_PRIMARY');
  if (!notNull) return;
  const filled = constraints.some(
    (constraint) =>
      (constraint.contype === 'CONSTR_DEFAULT' && !nodeOf(constraint.raw_expr, 'A_Const')?.isnull) ||
      constraint.contype === 'CONSTR_IDENTITY' ||
      constraint.contype === 'CONSTR_GENERATED',
  );
  const typeName = strings(column.typeName?.names).pop()?.toLowerCase() ?? '';
  if (filled || /^(small|big)?serial[248]?$/.test(typeName)) return;
  const table = relationName(node.relation);
  const col = quoteIdent(column.colname ?? '');
  context.report({
    statement,
    severity: severityFor(context, ID, 'error'),
    message: `ADD COLUMN ${col} ... NOT NULL without a DEFAULT on ${table} fails as soon as the table has a row (existing rows would get NULL)`,
    hint:
      `give it a constant default ("ADD COLUMN ${col} ... NOT NULL DEFAULT <value>", no rewrite since PG 11), ` +
      'or add it nullable, backfill it in batches, and set NOT NULL through a validated CHECK constraint',
  });
}
