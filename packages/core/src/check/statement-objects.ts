/**
 * Which catalog objects a top-level statement defines, alters or drops, in the identity
 * vocabulary of catalog/identity.ts. `check --fix` uses it to find the statement of a migration
 * that produced a change and the statements of current_schema/ that must change with it.
 */
import { functionKey, memberKey, qualifiedKey, type ObjectKind } from '../catalog/identity.js';
import type { AlterTableStmt, CommentStmt, DropStmt, GrantStmt, ObjectWithArgs, RangeVar, TypeName } from 'libpg-query';
import { nodeOf, nodesOf, stringOf } from '../sql/nodes.js';
import type { PgNode, SqlStatement } from '../sql/types.js';

export interface StatementObject {
  kind: ObjectKind;
  key: string;
  /** `schema.table` of a column, constraint, index, trigger or policy. */
  table?: string;
}

export interface StatementObjects {
  defines: StatementObject[];
  alters: StatementObject[];
  drops: StatementObject[];
}

const NONE: StatementObjects = { defines: [], alters: [], drops: [] };

function names(list: PgNode[] | undefined): string[] {
  return (list ?? []).map(stringOf).filter((value): value is string => typeof value === 'string');
}

function nameKey(list: string[]): string {
  return list.length > 1 ? qualifiedKey(list[list.length - 2], list[list.length - 1]!) : qualifiedKey(undefined, list[0] ?? '');
}

function relationKeyOf(relation: RangeVar | undefined): string {
  return relation ? qualifiedKey(relation.schemaname, relation.relname ?? '') : '';
}

// format_type's spelling of the built-in types that SQL lets one write in several ways.
const TYPE_SPELLING: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  int8: 'bigint',
  int2: 'smallint',
  bool: 'boolean',
  float8: 'double precision',
  float4: 'real',
  varchar: 'character varying',
  bpchar: 'character',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
  decimal: 'numeric',
  varbit: 'bit varying',
};

/** A type name as format_type prints it for a function argument (no typmods; schema kept only off pg_catalog/public). */
export function argumentTypeText(typeName: TypeName | undefined): string {
  if (!typeName) return '?';
  const parts = names(typeName.names);
  const last = parts[parts.length - 1] ?? '?';
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  let text = schema === 'pg_catalog' || schema === undefined ? (TYPE_SPELLING[last] ?? last) : schema === 'public' ? last : `${schema}.${last}`;
  if (typeName.setof) text = `SETOF ${text}`;
  for (let i = 0; i < (typeName.arrayBounds?.length ?? 0); i++) text += '[]';
  return text;
}

/** Loose form of a function key for matching AST-derived keys with format_type-derived ones. */
export function looseFunctionKey(key: string): string {
  const open = key.indexOf('(');
  if (open < 0) return key.toLowerCase();
  const args = key
    .slice(open + 1, key.lastIndexOf(')'))
    .split(',')
    .map((arg) => arg.trim())
    .filter(Boolean)
    .map((arg) => arg.replace(/\(\d+(,\s*\d+)?\)/g, '').replace(/^(public|pg_catalog)\./, '').replace(/\s+/g, ' '))
    .map((arg) => TYPE_SPELLING[arg] ?? arg);
  return `${key.slice(0, open)}(${args.join(', ')})`.toLowerCase();
}

function functionKeyOf(funcname: PgNode[] | undefined, parameters: PgNode[] | undefined): string {
  const parts = names(funcname);
  const name = parts[parts.length - 1] ?? '';
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  const args = nodesOf(parameters, 'FunctionParameter')
    .filter((parameter) => parameter.mode !== 'FUNC_PARAM_OUT' && parameter.mode !== 'FUNC_PARAM_TABLE')
    .map((parameter) => argumentTypeText(parameter.argType));
  return functionKey(schema, name, args);
}

/** The key of a function named with its arguments: a wrapped ObjectWithArgs (DROP, GRANT) or a bare one (ALTER FUNCTION). */
function objectWithArgsKey(node: PgNode | ObjectWithArgs | undefined): string {
  const owa = node && 'ObjectWithArgs' in node ? node.ObjectWithArgs : (node as ObjectWithArgs | undefined);
  const parts = names(owa?.objname);
  const name = parts[parts.length - 1] ?? '';
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  if (owa?.args_unspecified) return qualifiedKey(schema, name);
  const args = (owa?.objargs ?? []).map((arg) => argumentTypeText(nodeOf(arg, 'TypeName')));
  return functionKey(schema, name, args);
}

const DROP_KINDS: Record<string, ObjectKind> = {
  OBJECT_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized_view',
  OBJECT_INDEX: 'index',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'function',
  OBJECT_ROUTINE: 'function',
  OBJECT_TYPE: 'enum',
  OBJECT_DOMAIN: 'domain',
  OBJECT_SCHEMA: 'schema',
  OBJECT_EXTENSION: 'extension',
  OBJECT_TRIGGER: 'trigger',
  OBJECT_POLICY: 'policy',
};

function dropObjects(node: DropStmt): StatementObject[] {
  const kind = node.removeType && DROP_KINDS[node.removeType];
  if (!kind) return [];
  return (node.objects ?? []).map((object): StatementObject => {
    if (kind === 'function') return { kind, key: objectWithArgsKey(object) };
    if (kind === 'schema' || kind === 'extension') return { kind, key: stringOf(object) ?? '' };
    const parts = 'List' in object ? names(object.List.items) : 'TypeName' in object ? names(object.TypeName.names) : names([object]);
    if (kind === 'trigger' || kind === 'policy') {
      // [schema,] table, name
      const table = nameKey(parts.slice(0, -1));
      return { kind, key: memberKey(table, parts[parts.length - 1]!), table };
    }
    return { kind, key: nameKey(parts) };
  });
}

function tableCommandObjects(node: AlterTableStmt): StatementObjects {
  const table = relationKeyOf(node.relation);
  const result: StatementObjects = { defines: [], alters: [], drops: [] };
  const isView = node.objtype === 'OBJECT_VIEW' || node.objtype === 'OBJECT_MATVIEW';
  const relation: StatementObject = { kind: isView ? (node.objtype === 'OBJECT_MATVIEW' ? 'materialized_view' : 'view') : 'table', key: table };
  for (const cmd of nodesOf(node.cmds, 'AlterTableCmd')) {
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const column = nodeOf(cmd.def, 'ColumnDef');
        if (column) result.defines.push({ kind: 'column', key: memberKey(table, column.colname ?? ''), table });
        break;
      }
      case 'AT_DropColumn':
        result.drops.push({ kind: 'column', key: memberKey(table, cmd.name ?? ''), table });
        break;
      case 'AT_AddConstraint': {
        const name = nodeOf(cmd.def, 'Constraint')?.conname;
        if (name) result.defines.push({ kind: 'constraint', key: memberKey(table, name), table });
        else result.alters.push(relation);
        break;
      }
      case 'AT_DropConstraint':
        result.drops.push({ kind: 'constraint', key: memberKey(table, cmd.name ?? ''), table });
        break;
      case 'AT_ValidateConstraint':
        result.alters.push({ kind: 'constraint', key: memberKey(table, cmd.name ?? ''), table });
        break;
      case 'AT_AlterConstraint': {
        const name = nodeOf(cmd.def, 'Constraint')?.conname;
        result.alters.push(name ? { kind: 'constraint', key: memberKey(table, name), table } : relation);
        break;
      }
      case 'AT_AlterColumnType':
      case 'AT_ColumnDefault':
      case 'AT_SetNotNull':
      case 'AT_DropNotNull':
      case 'AT_AddIdentity':
      case 'AT_DropIdentity':
      case 'AT_SetExpression':
      case 'AT_DropExpression':
        result.alters.push({ kind: 'column', key: memberKey(table, cmd.name ?? ''), table });
        break;
      default:
        result.alters.push(relation);
    }
  }
  return result;
}

/** What one top-level statement does to the catalog's objects (empty for DML and unknown statements). */
export function statementObjects(statement: SqlStatement): StatementObjects {
  const { kind, node } = statement;
  switch (kind) {
    case 'CreateStmt': {
      const table = relationKeyOf(node.relation);
      return { ...NONE, defines: [{ kind: 'table', key: table }] };
    }
    case 'CreateTableAsStmt': {
      const materialized = node.objtype === 'OBJECT_MATVIEW';
      return { ...NONE, defines: [{ kind: materialized ? 'materialized_view' : 'table', key: relationKeyOf(node.into?.rel) }] };
    }
    case 'ViewStmt':
      return { ...NONE, defines: [{ kind: 'view', key: relationKeyOf(node.view) }] };
    case 'CreateSeqStmt':
      return { ...NONE, defines: [{ kind: 'sequence', key: relationKeyOf(node.sequence) }] };
    case 'IndexStmt': {
      const table = relationKeyOf(node.relation);
      const schema = node.relation?.schemaname;
      return node.idxname ? { ...NONE, defines: [{ kind: 'index', key: qualifiedKey(schema, node.idxname), table }] } : { ...NONE, alters: [{ kind: 'table', key: table }] };
    }
    case 'CreatePolicyStmt': {
      const table = relationKeyOf(node.table);
      return { ...NONE, defines: [{ kind: 'policy', key: memberKey(table, node.policy_name ?? ''), table }] };
    }
    case 'AlterPolicyStmt': {
      const table = relationKeyOf(node.table);
      return { ...NONE, alters: [{ kind: 'policy', key: memberKey(table, node.policy_name ?? ''), table }] };
    }
    case 'CreateTrigStmt': {
      const table = relationKeyOf(node.relation);
      return { ...NONE, defines: [{ kind: 'trigger', key: memberKey(table, node.trigname ?? ''), table }] };
    }
    case 'CreateFunctionStmt':
      return { ...NONE, defines: [{ kind: 'function', key: functionKeyOf(node.funcname, node.parameters) }] };
    case 'AlterFunctionStmt':
      return { ...NONE, alters: [{ kind: 'function', key: objectWithArgsKey(node.func) }] };
    case 'CreateEnumStmt':
      return { ...NONE, defines: [{ kind: 'enum', key: nameKey(names(node.typeName)) }] };
    case 'AlterEnumStmt':
      return { ...NONE, alters: [{ kind: 'enum', key: nameKey(names(node.typeName)) }] };
    case 'CreateDomainStmt':
      return { ...NONE, defines: [{ kind: 'domain', key: nameKey(names(node.domainname)) }] };
    case 'CompositeTypeStmt':
      return { ...NONE, defines: [{ kind: 'composite_type', key: relationKeyOf(node.typevar) }] };
    case 'CreateSchemaStmt':
      return { ...NONE, defines: [{ kind: 'schema', key: node.schemaname ?? '' }] };
    case 'CreateExtensionStmt':
      return { ...NONE, defines: [{ kind: 'extension', key: node.extname ?? '' }] };
    case 'AlterTableStmt':
      return tableCommandObjects(node);
    case 'DropStmt':
      return { ...NONE, drops: dropObjects(node) };
    case 'CommentStmt':
      return { ...NONE, alters: commentTarget(node) };
    case 'GrantStmt':
      return { ...NONE, alters: grantTargets(node) };
    default:
      return NONE;
  }
}

function commentTarget(node: CommentStmt): StatementObject[] {
  const object = node.object;
  switch (node.objtype) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
      return [{ kind: node.objtype === 'OBJECT_TABLE' ? 'table' : node.objtype === 'OBJECT_VIEW' ? 'view' : 'materialized_view', key: nameKey(names(nodeOf(object, 'List')?.items)) }];
    case 'OBJECT_COLUMN': {
      const parts = names(nodeOf(object, 'List')?.items);
      const table = nameKey(parts.slice(0, -1));
      return [{ kind: 'column', key: memberKey(table, parts[parts.length - 1]!), table }];
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
      return [{ kind: 'function', key: objectWithArgsKey(object) }];
    case 'OBJECT_TYPE':
      return [{ kind: 'enum', key: nameKey(names(nodeOf(object, 'TypeName')?.names)) }];
    default:
      return [];
  }
}

function grantTargets(node: GrantStmt): StatementObject[] {
  if (node.targtype !== 'ACL_TARGET_OBJECT') return [];
  if (node.objtype === 'OBJECT_TABLE') return (node.objects ?? []).map((object) => ({ kind: 'table' as const, key: relationKeyOf(nodeOf(object, 'RangeVar')) }));
  if (node.objtype === 'OBJECT_FUNCTION' || node.objtype === 'OBJECT_PROCEDURE' || node.objtype === 'OBJECT_ROUTINE')
    return (node.objects ?? []).map((object) => ({ kind: 'function' as const, key: objectWithArgsKey(object) }));
  return [];
}
