/**
 * Which statements of a no-transaction file cannot run inside a transaction block. Every other
 * statement runs in a transaction of its own together with its progress row, so a kill can
 * never leave it committed but unrecorded; only these run alone (autocommit), and a kill
 * between one of them and its progress row makes a rerun execute it again.
 */

import type { RunnableStatement } from './statements.js';

type Node = Record<string, unknown> | undefined;

const hasConcurrentlyOption = (node: Node) =>
  Array.isArray(node?.params) &&
  (node.params as Array<{ DefElem?: { defname?: string } }>).some((p) => p.DefElem?.defname === 'concurrently');

/** ALTER TYPE ... ADD VALUE runs in a transaction block from PostgreSQL 12 on. */
const ENUM_ADD_VALUE_IN_TRANSACTION = 120000;

/**
 * Why `statement` must run outside a transaction block, or undefined when it can run in one.
 * `serverVersion` is server_version_num (undefined: assume a current server).
 */
export function runsOutsideTransaction(statement: RunnableStatement, serverVersion?: number): string | undefined {
  const node = statement.node as Node;
  switch (statement.kind) {
    case 'IndexStmt':
      return node?.concurrent ? 'CREATE INDEX CONCURRENTLY' : undefined;
    case 'DropStmt':
      return node?.concurrent ? 'DROP INDEX CONCURRENTLY' : undefined;
    case 'ReindexStmt':
      return hasConcurrentlyOption(node) ? 'REINDEX CONCURRENTLY' : node?.kind === 'REINDEX_OBJECT_SYSTEM' || node?.kind === 'REINDEX_OBJECT_DATABASE' ? 'REINDEX SYSTEM/DATABASE' : undefined;
    case 'VacuumStmt':
      // ANALYZE alone may run in a transaction; VACUUM may not.
      return node?.is_vacuumcmd ? 'VACUUM' : undefined;
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM';
    case 'CreatedbStmt':
      return 'CREATE DATABASE';
    case 'DropdbStmt':
      return 'DROP DATABASE';
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE';
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE';
    case 'CreateSubscriptionStmt':
    case 'AlterSubscriptionStmt':
    case 'DropSubscriptionStmt':
      return 'a subscription command';
    case 'ClusterStmt':
      return node?.relation ? undefined : 'CLUSTER of every table';
    case 'AlterEnumStmt':
      return serverVersion !== undefined && serverVersion < ENUM_ADD_VALUE_IN_TRANSACTION && node?.newVal ? 'ALTER TYPE ... ADD VALUE before PostgreSQL 12' : undefined;
    case 'AlterTableStmt':
      return JSON.stringify(node?.cmds ?? []).includes('"concurrent":true') ? 'DETACH PARTITION CONCURRENTLY' : undefined;
    case 'TransactionStmt':
      return 'a transaction command';
    case 'CallStmt':
      // A procedure may COMMIT, which it cannot inside our transaction block.
      return 'CALL';
    case 'DoStmt':
      return /\b(COMMIT|ROLLBACK)\b/i.test(statement.text) ? 'a DO block that commits' : undefined;
    default:
      return undefined;
  }
}

export interface IndexTarget {
  schema?: string;
  /** The table of CREATE INDEX / REINDEX TABLE; the index of REINDEX INDEX. */
  relation: string;
  kind: 'create' | 'reindex-table' | 'reindex-index';
  /** CREATE INDEX: the index name, when given. */
  index?: string;
}

/** The index a CREATE INDEX CONCURRENTLY / REINDEX ... CONCURRENTLY statement builds, which an interruption leaves invalid. */
export function concurrentIndexTarget(statement: RunnableStatement): IndexTarget | undefined {
  const node = statement.node as Node;
  const relation = node?.relation as { relname?: string; schemaname?: string } | undefined;
  if (!relation?.relname) return undefined;
  const schema = relation.schemaname || undefined;
  if (statement.kind === 'IndexStmt' && node?.concurrent) {
    return { schema, relation: relation.relname, kind: 'create', index: (node.idxname as string | undefined) || undefined };
  }
  if (statement.kind === 'ReindexStmt' && hasConcurrentlyOption(node)) {
    if (node?.kind === 'REINDEX_OBJECT_INDEX') return { schema, relation: relation.relname, kind: 'reindex-index' };
    if (node?.kind === 'REINDEX_OBJECT_TABLE') return { schema, relation: relation.relname, kind: 'reindex-table' };
  }
  return undefined;
}
