/** The objects a statement creates, keyed like DroppedObject.key, so that a DROP can be matched with an earlier CREATE. */
import type { SqlStatement } from '../../sql/types.js';
import { nodeOf } from '../../sql/nodes.js';
import { createdIndexKey, namesKey, relationKey, strings } from './names.js';
import { alterCommands } from './statements.js';

/** Keys (`function:public.helper`, `table:public.stage`, `policy:public.t:p`, ...) of what `statement` creates. */
export function createdObjectKeys(statement: SqlStatement): string[] {
  const { kind, node } = statement;
  switch (kind) {
    case 'CreateStmt':
      return [`table:${relationKey(node.relation)}`];
    case 'CreateForeignTableStmt':
      return [`table:${relationKey(node.base?.relation)}`];
    case 'CreateTableAsStmt':
      return [`${node.objtype === 'OBJECT_MATVIEW' ? 'matview' : 'table'}:${relationKey(node.into?.rel)}`];
    case 'SelectStmt':
      return node.intoClause ? [`table:${relationKey(node.intoClause.rel)}`] : [];
    case 'ViewStmt':
      return [`view:${relationKey(node.view)}`];
    case 'IndexStmt':
      return node.idxname ? [`index:${createdIndexKey(node)}`] : [];
    case 'CreateSeqStmt':
      return [`sequence:${relationKey(node.sequence)}`];
    case 'CreateFunctionStmt':
      return [`function:${namesKey(strings(node.funcname))}`];
    case 'CompositeTypeStmt':
      return [`type:${relationKey(node.typevar)}`];
    case 'CreateEnumStmt':
    case 'CreateRangeStmt':
      return [`type:${namesKey(strings(node.typeName))}`];
    case 'CreateDomainStmt':
      return [`type:${namesKey(strings(node.domainname))}`];
    case 'CreateSchemaStmt':
      return node.schemaname ? [`schema:${node.schemaname}`] : [];
    case 'CreateExtensionStmt':
      return [`extension:${node.extname}`];
    case 'CreateTrigStmt':
      return [`trigger:${relationKey(node.relation)}:${node.trigname}`];
    case 'CreatePolicyStmt':
      return [`policy:${relationKey(node.table)}:${node.policy_name}`];
    case 'RuleStmt':
      return [`rule:${relationKey(node.relation)}:${node.rulename}`];
    case 'AlterTableStmt': {
      const table = relationKey(node.relation);
      const keys: string[] = [];
      for (const cmd of alterCommands(node)) {
        const column = cmd.subtype === 'AT_AddColumn' ? nodeOf(cmd.def, 'ColumnDef') : undefined;
        if (column?.colname) keys.push(`column:${table}:${column.colname}`);
        const constraint = cmd.subtype === 'AT_AddConstraint' ? nodeOf(cmd.def, 'Constraint') : undefined;
        if (constraint?.conname) keys.push(`constraint:${table}:${constraint.conname}`);
      }
      return keys;
    }
    default:
      return [];
  }
}

// rollback-script and idempotent-drop ask with the same list (executedStatements): one index per file.
const earlierCache = new WeakMap<readonly SqlStatement[], (key: string, at: SqlStatement) => boolean>();

/** For each statement, the keys of objects created by earlier statements of the list (in file order). */
export function createdEarlier(statements: readonly SqlStatement[]): (key: string, at: SqlStatement) => boolean {
  let isCreatedEarlier = earlierCache.get(statements);
  if (!isCreatedEarlier) earlierCache.set(statements, (isCreatedEarlier = indexCreated(statements)));
  return isCreatedEarlier;
}

function indexCreated(statements: readonly SqlStatement[]): (key: string, at: SqlStatement) => boolean {
  const firstCreated = new Map<string, number>();
  const position = new Map<SqlStatement, number>();
  statements.forEach((statement, index) => {
    position.set(statement, index);
    for (const key of createdObjectKeys(statement)) if (!firstCreated.has(key)) firstCreated.set(key, index);
  });
  return (key, at) => {
    const created = firstCreated.get(key);
    const index = position.get(at);
    return created !== undefined && index !== undefined && created < index;
  };
}
