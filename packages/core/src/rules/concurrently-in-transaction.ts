import { quoteLiteral } from '../sql/quote.js';
import type { SqlStatement } from '../sql/types.js';
import { walk } from '../sql/walk.js';
import { nodeOf, optionNamed, stringOf } from '../sql/nodes.js';
import { droppedObjects } from './support/dropped-objects.js';
import { fileModel, type FileModel } from './support/file-model.js';
import { namesText, strings } from './support/names.js';
import { severityFor } from './support/severity.js';
import { firstLine } from './support/statement-text.js';
import { alterCommands, inDoBlock } from './support/statements.js';
import { defineRule, type RuleContext } from './types.js';

const ID = 'concurrently-in-transaction';

/**
 * Why a statement cannot run inside a transaction block (Postgres' PreventInTransactionBlock), or
 * undefined when it can.
 */
function needsNoTransaction(statement: SqlStatement, postgresVersion: number): string | undefined {
  const { kind, node } = statement;
  switch (kind) {
    case 'IndexStmt':
      return node.concurrent ? `CREATE INDEX CONCURRENTLY${node.idxname ? ` ${node.idxname}` : ''}` : undefined;
    case 'DropStmt':
      return node.removeType === 'OBJECT_INDEX' && node.concurrent ? `DROP INDEX CONCURRENTLY ${droppedObjects(statement).map((object) => object.text).join(', ')}` : undefined;
    case 'ReindexStmt': {
      const concurrently = optionNamed(node.params, 'concurrently');
      const concurrent = concurrently !== undefined && nodeOf(concurrently.arg, 'Boolean')?.boolval !== false;
      if (concurrent) return 'REINDEX CONCURRENTLY';
      if (node.kind === 'REINDEX_OBJECT_SCHEMA' || node.kind === 'REINDEX_OBJECT_DATABASE' || node.kind === 'REINDEX_OBJECT_SYSTEM') {
        return `REINDEX ${String(node.kind).replace('REINDEX_OBJECT_', '')}`;
      }
      return undefined;
    }
    case 'AlterEnumStmt':
      return !node.oldVal && postgresVersion < 12 ? `ALTER TYPE ${namesText(strings(node.typeName))} ADD VALUE (before PostgreSQL 12)` : undefined;
    case 'VacuumStmt':
      return node.is_vacuumcmd ? 'VACUUM' : undefined;
    case 'CreatedbStmt':
      return 'CREATE DATABASE';
    case 'DropdbStmt':
      return 'DROP DATABASE';
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM';
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE';
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE';
    case 'ClusterStmt':
      return node.relation ? undefined : 'CLUSTER without a table name';
    case 'CreateSubscriptionStmt': {
      const createSlot = optionNamed(node.options, 'create_slot');
      const value = String(stringOf(createSlot?.arg) ?? nodeOf(createSlot?.arg, 'Boolean')?.boolval ?? 'true').toLowerCase();
      return ['false', 'off', '0'].includes(value) ? undefined : 'CREATE SUBSCRIPTION (it creates a replication slot)';
    }
    case 'AlterTableStmt':
      return alterCommands(node).some((cmd) => cmd.subtype === 'AT_DetachPartition' && nodeOf(cmd.def, 'PartitionCmd')?.concurrent) ? 'DETACH PARTITION CONCURRENTLY' : undefined;
    default:
      return undefined;
  }
}

/**
 * Statements that cannot run in a transaction block need a `-- pgwarden:no-transaction` file, and
 * never work inside a DO block or between an explicit BEGIN and COMMIT. In such a file every
 * statement commits on its own, so the other statements must be safe to run again. In a
 * transactional file on PG 12+, a value added with ALTER TYPE ... ADD VALUE cannot be used before
 * the transaction commits.
 */
export const rule = defineRule({
  id: ID,
  category: 'locking',
  defaultSeverity: 'error',
  description:
    'CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, ALTER SYSTEM, ... run in a "-- pgwarden:no-transaction" file, which holds nothing that would leave partial state.',
  check(context) {
    const model = fileModel(context.sql);
    const noTransaction = context.migration.directives.noTransaction;
    let explicitBlock: SqlStatement | undefined;
    const addedValues: { type: string; value: string; statement: SqlStatement }[] = [];

    for (const statement of model.statements) {
      const { kind, node } = statement;
      if (kind === 'TransactionStmt' && !statement.parent) {
        if (node.kind === 'TRANS_STMT_BEGIN' || node.kind === 'TRANS_STMT_START') explicitBlock = statement;
        else if (node.kind === 'TRANS_STMT_COMMIT' || node.kind === 'TRANS_STMT_ROLLBACK') explicitBlock = undefined;
        continue;
      }

      checkEnumValueUse(context, statement, addedValues);
      if (kind === 'AlterEnumStmt' && !node.oldVal && context.postgresVersion >= 12 && (!noTransaction || explicitBlock)) {
        addedValues.push({ type: namesText(strings(node.typeName)), value: node.newVal ?? '', statement });
      }

      const what = needsNoTransaction(statement, context.postgresVersion);
      if (what) {
        if (inDoBlock(statement)) {
          context.report({
            statement,
            message: `${what} cannot run inside a DO block or function: Postgres rejects it there even in a no-transaction file`,
            hint: `move it out of the DO block to the top level of a "-- pgwarden:no-transaction" migration${kind === 'IndexStmt' ? ' (IF NOT EXISTS makes it re-runnable without the DO guard)' : ''}`,
          });
        } else if (explicitBlock) {
          context.report({
            statement,
            message: `${what} cannot run inside a transaction block, and the BEGIN on line ${explicitBlock.range.start.line} opens one`,
            hint: 'remove the explicit BEGIN/COMMIT: pgwarden owns transactions, and "-- pgwarden:no-transaction" runs each statement on its own',
          });
        } else if (!noTransaction) {
          context.report({
            statement,
            message: `${what} cannot run inside a transaction block, and pgwarden runs this file in one`,
            hint: 'add "-- pgwarden:no-transaction" to the header and keep only this kind of statement (and re-runnable ones) in the file: each statement then commits on its own',
          });
        }
        continue;
      }

      if (noTransaction && !statement.parent && !isRerunnable(statement, model)) {
        context.report({
          statement,
          severity: severityFor(context, ID, 'warning'),
          message: `"${firstLine(statement.text, 80)}" is not re-runnable, and in a no-transaction file every statement commits on its own: if a later statement fails, it stays applied and the next run fails on it`,
          hint: 'make it re-runnable (IF NOT EXISTS / IF EXISTS / OR REPLACE / ON CONFLICT / a guarded DO block), or move it to a separate transactional migration and keep this file to the statements that need no transaction',
        });
      }
    }
  },
});

function checkEnumValueUse(context: RuleContext, statement: SqlStatement, added: { type: string; value: string; statement: SqlStatement }[]): void {
  if (added.length === 0 || statement.kind === 'AlterEnumStmt' || statement.kind === 'CommentStmt') return;
  const literals = new Set<string>();
  walk(statement.node, (type, node) => {
    const value = type === 'A_Const' ? node.sval?.sval : undefined;
    if (typeof value === 'string') literals.add(value);
  });
  for (const entry of added) {
    if (!literals.has(entry.value)) continue;
    context.report({
      statement,
      message: `"${firstLine(statement.text, 60)}" uses ${quoteLiteral(entry.value)}, the value added to ${entry.type} on line ${entry.statement.range.start.line} in the same transaction: Postgres rejects it ("unsafe use of new value") until that transaction commits`,
      hint: `move the statements that use ${quoteLiteral(entry.value)} to the next migration, or mark this file "-- pgwarden:no-transaction" so that ADD VALUE commits first`,
    });
    return;
  }
}

/** True for a statement that does no harm when it runs again after a partial run. */
function isRerunnable(statement: SqlStatement, model: FileModel): boolean {
  if (statement.guard) return true;
  const { kind, node } = statement;
  switch (kind) {
    case 'VariableSetStmt':
    case 'VariableShowStmt':
    case 'SelectStmt':
    case 'ExplainStmt':
    case 'CommentStmt':
    case 'GrantStmt':
    case 'GrantRoleStmt':
    case 'AlterDefaultPrivilegesStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'VacuumStmt':
    case 'ReindexStmt':
    case 'ClusterStmt':
    case 'RefreshMatViewStmt':
    case 'CheckPointStmt':
    case 'NotifyStmt':
    case 'AlterSystemStmt':
    case 'TruncateStmt':
    case 'AlterFunctionStmt':
    case 'AlterOwnerStmt':
      return kind !== 'SelectStmt' || !node.intoClause;
    case 'CreateStmt':
    case 'IndexStmt':
    case 'CreateSchemaStmt':
    case 'CreateExtensionStmt':
    case 'CreateSeqStmt':
    case 'CreateTableAsStmt':
    case 'CreateStatsStmt':
    case 'CreateForeignServerStmt':
    case 'CreateForeignTableStmt':
      return Boolean(kind === 'CreateForeignTableStmt' ? node.base?.if_not_exists : node.if_not_exists);
    case 'CreateFunctionStmt':
    case 'ViewStmt':
    case 'CreateTrigStmt':
    case 'RuleStmt':
      return Boolean(node.replace);
    case 'AlterEnumStmt':
      return Boolean(node.skipIfNewValExists);
    case 'InsertStmt':
      return Boolean(node.onConflictClause);
    case 'DropStmt':
    case 'DropRoleStmt':
    case 'DropdbStmt':
    case 'DropTableSpaceStmt':
    case 'DropSubscriptionStmt':
      return droppedObjects(statement).every((object) => object.missingOk);
    case 'AlterTableStmt':
      return alterCommands(node).every((cmd) => {
        switch (cmd.subtype) {
          case 'AT_AddColumn':
          case 'AT_DropColumn':
          case 'AT_DropConstraint':
            return Boolean(cmd.missing_ok);
          case 'AT_AddConstraint':
          case 'AT_AttachPartition':
          case 'AT_DetachPartition':
          case 'AT_AddInherit':
          case 'AT_AddIdentity':
            return false;
          default:
            return true;
        }
      });
    case 'DoStmt': {
      const children = model.statements.filter((child) => child.parent === statement);
      return children.every((child) => isRerunnable(child, model));
    }
    default:
      return false;
  }
}
