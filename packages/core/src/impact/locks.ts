/**
 * The lock a statement takes, for the impact report. Whether a statement needs ACCESS EXCLUSIVE
 * (which depends on the subcommand and the Postgres version) is the access-exclusive-lock rule's
 * knowledge: the report runs that rule and passes its verdict in. This file only names the lesser
 * modes of the statements that do not need it (Postgres' table-level lock table).
 */
import type { Constraint, RangeVar } from 'libpg-query';
import { nodeOf, nodesOf, stringOf } from '../sql/nodes.js';
import type { SqlStatement } from '../sql/types.js';
import { qualifiedKey } from '../catalog/identity.js';

export type LockMode = 'ACCESS SHARE' | 'ROW EXCLUSIVE' | 'SHARE UPDATE EXCLUSIVE' | 'SHARE' | 'SHARE ROW EXCLUSIVE' | 'ACCESS EXCLUSIVE';

export interface StatementLock {
  mode: LockMode;
  /** `schema.name` of each existing relation locked in that mode. */
  tables: string[];
}

const relationKey = (relation: RangeVar | undefined): string | undefined => (relation?.relname ? qualifiedKey(relation.schemaname, relation.relname) : undefined);
const keys = (...values: (string | undefined)[]) => [...new Set(values.filter((value): value is string => Boolean(value)))];

/** Referenced tables of FOREIGN KEY constraints (they take SHARE ROW EXCLUSIVE too). */
function referencedTables(constraints: (Constraint | undefined)[]): string[] {
  return keys(...constraints.filter((constraint) => constraint?.contype === 'CONSTR_FOREIGN').map((constraint) => relationKey(constraint?.pktable)));
}

/**
 * The locks of a statement that the access-exclusive-lock rule did not flag. `exclusive` are the
 * tables that rule named; with them, the statement's mode is ACCESS EXCLUSIVE.
 */
export function statementLocks(statement: SqlStatement, exclusive: readonly string[], indexTable: (indexKey: string) => string | undefined = () => undefined): StatementLock[] {
  const { kind, node } = statement;
  const locks: StatementLock[] = exclusive.length ? [{ mode: 'ACCESS EXCLUSIVE', tables: [...exclusive] }] : [];
  const add = (mode: LockMode, tables: string[]) => {
    const rest = tables.filter((table) => !exclusive.includes(table));
    if (rest.length) locks.push({ mode, tables: rest });
  };
  switch (kind) {
    case 'IndexStmt':
      add(node.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE', keys(relationKey(node.relation)));
      break;
    case 'AlterTableStmt': {
      const commands = nodesOf(node.cmds, 'AlterTableCmd');
      const constraints = commands.filter((cmd) => cmd.subtype === 'AT_AddConstraint').map((cmd) => nodeOf(cmd.def, 'Constraint'));
      const foreign = referencedTables(constraints);
      const table = relationKey(node.relation);
      if (foreign.length || commands.some((cmd) => /Trig/.test(String(cmd.subtype)))) add('SHARE ROW EXCLUSIVE', keys(table, ...foreign));
      else add('SHARE UPDATE EXCLUSIVE', keys(table));
      break;
    }
    case 'CreateStmt':
      // A new table locks nothing others use, except the tables its foreign keys reference.
      add('SHARE ROW EXCLUSIVE', referencedTables([...(node.constraints ?? []), ...(node.tableElts ?? []).flatMap((element) => nodeOf(element, 'ColumnDef')?.constraints ?? [])].map((item) => nodeOf(item, 'Constraint'))));
      break;
    case 'CreateTrigStmt':
      add('SHARE ROW EXCLUSIVE', keys(relationKey(node.relation)));
      break;
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      add('ROW EXCLUSIVE', keys(relationKey(node.relation)));
      break;
    case 'CommentStmt':
      if (node.objtype === 'OBJECT_TABLE' || node.objtype === 'OBJECT_COLUMN' || node.objtype === 'OBJECT_VIEW' || node.objtype === 'OBJECT_MATVIEW') {
        const names = (nodeOf(node.object, 'List')?.items ?? []).map((item) => stringOf(item) ?? '');
        const relation = node.objtype === 'OBJECT_COLUMN' ? names.slice(0, -1) : names;
        add('SHARE UPDATE EXCLUSIVE', keys(relation.length > 1 ? qualifiedKey(relation[relation.length - 2], relation[relation.length - 1]!) : qualifiedKey(undefined, relation[0]!)));
      }
      break;
    case 'DropStmt':
      if (node.removeType === 'OBJECT_INDEX' && node.concurrent) {
        // The lock is on the index's table, which only the catalog knows.
        const indexes = (node.objects ?? []).map((object) => {
          const names = (nodeOf(object, 'List')?.items ?? []).map((item) => stringOf(item) ?? '');
          return names.length > 1 ? qualifiedKey(names[names.length - 2], names[names.length - 1]!) : qualifiedKey(undefined, names[0]!);
        });
        add('SHARE UPDATE EXCLUSIVE', keys(...indexes.map(indexTable)));
      }
      break;
    case 'RefreshMatViewStmt':
      if (node.concurrent) add('SHARE UPDATE EXCLUSIVE', keys(relationKey(node.relation)));
      break;
    case 'VacuumStmt': // VACUUM and ANALYZE alike
      add('SHARE UPDATE EXCLUSIVE', keys(...(node.rels ?? []).map((item) => relationKey(nodeOf(item, 'VacuumRelation')?.relation))));
      break;
    default:
      break;
  }
  return locks;
}
