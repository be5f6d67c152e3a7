import { nameList } from './relations.js';
import type { RangeVar } from 'libpg-query';
import type { PgNode, SqlStatement } from './types.js';

const OBJECT_WORDS: Record<string, string> = {
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
  OBJECT_TABCONSTRAINT: 'CONSTRAINT',
};

/** `OBJECT_TABLE` -> `TABLE`. */
function objectWords(objectType: unknown): string {
  if (typeof objectType !== 'string') return 'OBJECT';
  return OBJECT_WORDS[objectType] ?? objectType.replace(/^OBJECT_/, '').replace(/_/g, ' ');
}

const TABLE_MEMBERS = new Set<string | undefined>(['OBJECT_POLICY', 'OBJECT_TRIGGER', 'OBJECT_RULE']);

function relation(rangeVar: RangeVar | undefined): string {
  if (!rangeVar?.relname) return '';
  return rangeVar.schemaname ? `${rangeVar.schemaname}.${rangeVar.relname}` : rangeVar.relname;
}

/** The name of an object in a DROP / COMMENT / GRANT list, whatever node holds it. */
function objectName(object: PgNode | undefined): string {
  if (!object) return '';
  if ('RangeVar' in object) return relation(object.RangeVar);
  if ('String' in object) return object.String.sval ?? '';
  if ('ObjectWithArgs' in object) return nameList(object.ObjectWithArgs.objname).join('.');
  if ('TypeName' in object) return nameList(object.TypeName.names).join('.');
  return nameList(object).join('.');
}

function objectNames(objects: PgNode[] | undefined): string {
  return (objects ?? []).map(objectName).filter(Boolean).join(', ');
}

/** `CreateExtensionStmt` -> `CREATE EXTENSION`: the fallback for kinds without their own label. */
function wordsOfKind(kind: string): string {
  return kind
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

function label(statement: SqlStatement): string {
  const { kind, node } = statement;
  switch (kind) {
    case 'CreateStmt':
      return `CREATE TABLE ${relation(node.relation)}`;
    case 'CreateTableAsStmt':
      return `CREATE ${objectWords(node.objtype)} ${relation(node.into?.rel)}`;
    case 'ViewStmt':
      return `CREATE VIEW ${relation(node.view)}`;
    case 'AlterTableStmt':
      return `ALTER ${objectWords(node.objtype)} ${relation(node.relation)}`;
    case 'AlterObjectSchemaStmt': {
      const target = node.relation ? relation(node.relation) : objectName(node.object);
      return `ALTER ${objectWords(node.objectType)} ${target} SET SCHEMA ${node.newschema}`;
    }
    case 'DropStmt': {
      const objects: PgNode[] = node.objects ?? [];
      if (TABLE_MEMBERS.has(node.removeType) && objects.length === 1) {
        // `DROP POLICY name ON table`: the list holds the table's names, then the member's.
        const names = nameList(objects[0]);
        return `DROP ${objectWords(node.removeType)} ${names[names.length - 1]} ON ${names.slice(0, -1).join('.')}`;
      }
      return `DROP ${objectWords(node.removeType)} ${objectNames(objects)}`;
    }
    case 'IndexStmt':
      return `CREATE INDEX ${node.idxname ? `${node.idxname} ` : ''}ON ${relation(node.relation)}`;
    case 'CreatePolicyStmt':
      return `CREATE POLICY ${node.policy_name} ON ${relation(node.table)}`;
    case 'AlterPolicyStmt':
      return `ALTER POLICY ${node.policy_name} ON ${relation(node.table)}`;
    case 'CreateTrigStmt':
      return `CREATE TRIGGER ${node.trigname} ON ${relation(node.relation)}`;
    case 'InsertStmt':
      return `INSERT INTO ${relation(node.relation)}`;
    case 'UpdateStmt':
      return `UPDATE ${relation(node.relation)}`;
    case 'DeleteStmt':
      return `DELETE FROM ${relation(node.relation)}`;
    case 'TruncateStmt':
      return `TRUNCATE ${objectNames(node.relations)}`;
    case 'LockStmt':
      return `LOCK ${objectNames(node.relations)}`;
    case 'RenameStmt': {
      const target = node.relation ? relation(node.relation) : objectName(node.object);
      return `RENAME ${objectWords(node.renameType)} ${node.subname ? `${target}.${node.subname}` : target}`;
    }
    case 'CommentStmt':
      return `COMMENT ON ${objectWords(node.objtype)} ${objectName(node.object)}`;
    case 'GrantStmt':
      return `${node.is_grant ? 'GRANT' : 'REVOKE'} ON ${objectWords(node.objtype)} ${objectNames(node.objects)}`;
    case 'CreateFunctionStmt':
      return `CREATE ${node.is_procedure ? 'PROCEDURE' : 'FUNCTION'} ${nameList(node.funcname).join('.')}`;
    case 'DoStmt':
      return 'DO block';
    case 'CreateEnumStmt':
      return `CREATE TYPE ${nameList(node.typeName).join('.')}`;
    case 'AlterEnumStmt':
      return `ALTER TYPE ${nameList(node.typeName).join('.')}`;
    case 'CompositeTypeStmt':
      return `CREATE TYPE ${relation(node.typevar)}`;
    case 'CreateExtensionStmt':
      return `CREATE EXTENSION ${node.extname}`;
    case 'CreateSchemaStmt':
      return `CREATE SCHEMA ${node.schemaname ?? ''}`;
    case 'TransactionStmt':
      return String(node.kind ?? '').replace(/^TRANS_STMT_/, '').replace(/_/g, ' ');
    case 'VariableSetStmt':
      return node.name ? `SET ${node.name}` : 'SET';
    default:
      return wordsOfKind(kind);
  }
}

/** A short human label for messages, e.g. "ALTER TABLE public.visits" or "DO block". */
export function describeStatement(statement: SqlStatement): string {
  return label(statement).trim();
}
