import type { RangeVar } from 'libpg-query';
import { nodeOf, nodesOf, stringOf } from './nodes.js';
import type { PgNode, RelationAction, RelationRef, SourceRange, SqlStatement } from './types.js';
import { nodesUnder } from './walk.js';

const TABLE_LIKE = new Set<string | undefined>(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE']);
/** Objects named relative to their table (`policy ON table`, `table.column`): the table is all but the last name. */
const TABLE_MEMBERS = new Set<string | undefined>(['OBJECT_COLUMN', 'OBJECT_TABCONSTRAINT', 'OBJECT_POLICY', 'OBJECT_TRIGGER']);
const DROPPED_MEMBERS: Partial<Record<string, RelationAction>> = { OBJECT_POLICY: 'policy', OBJECT_TRIGGER: 'trigger' };
const RLS_COMMANDS = new Set<string | undefined>(['AT_EnableRowSecurity', 'AT_DisableRowSecurity', 'AT_ForceRowSecurity', 'AT_NoForceRowSecurity']);
const QUALIFIED_NAME = /(?:"(?:[^"]|"")+"|[\p{L}_][\p{L}\p{N}_$]*)(?:[ \t]*\.[ \t]*(?:"(?:[^"]|"")+"|[\p{L}_][\p{L}\p{N}_$]*))*/uy;

/** The names in a `{ List: { items: [{ String }] } }` node, or in a list of `String` nodes. */
export function nameList(node: PgNode | readonly PgNode[] | undefined): string[] {
  const items = Array.isArray(node) ? node : (nodeOf(node as PgNode | undefined, 'List')?.items ?? []);
  return items.map(stringOf).filter((name): name is string => typeof name === 'string');
}

/**
 * The tables and views a statement touches, read from its AST, each (name, action) once.
 * Tables only referenced (foreign-key targets, names inside policy expressions) are not included.
 */
export function relationsOf(statement: SqlStatement): readonly RelationRef[] {
  let relations = relationsCache.get(statement);
  if (!relations) relationsCache.set(statement, (relations = collectRelations(statement)));
  return relations;
}

// A statement's relations are asked for more than once per lint (affected-tables: what it touches, what it mentions).
const relationsCache = new WeakMap<SqlStatement, readonly RelationRef[]>();

function collectRelations(statement: SqlStatement): RelationRef[] {
  const found = new RelationCollector(statement);
  const { kind, node } = statement;
  switch (kind) {
    case 'CreateStmt':
      found.rangeVar(node.relation, 'create');
      break;
    case 'CreateTableAsStmt':
      found.rangeVar(node.into?.rel, 'create');
      found.readsIn(node.query);
      break;
    case 'ViewStmt':
      found.rangeVar(node.view, 'create');
      found.readsIn(node.query);
      break;
    case 'AlterTableStmt': {
      if (!TABLE_LIKE.has(node.objtype)) break; // ALTER INDEX / SEQUENCE share this node
      const commands = nodesOf(node.cmds, 'AlterTableCmd').map((command) => command.subtype);
      if (commands.some((command) => RLS_COMMANDS.has(command))) found.rangeVar(node.relation, 'rls');
      if (commands.some((command) => !RLS_COMMANDS.has(command))) found.rangeVar(node.relation, 'alter');
      break;
    }
    case 'AlterObjectSchemaStmt':
      if (TABLE_LIKE.has(node.objectType)) found.rangeVar(node.relation, 'alter');
      break;
    case 'DropStmt':
      for (const object of node.objects ?? []) {
        const member = node.removeType && DROPPED_MEMBERS[node.removeType];
        if (TABLE_LIKE.has(node.removeType)) found.names(nameList(object), 'drop');
        else if (member) found.names(nameList(object).slice(0, -1), member);
      }
      break;
    case 'IndexStmt':
      found.rangeVar(node.relation, 'index');
      break;
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      found.rangeVar(node.table, 'policy');
      break;
    case 'CreateTrigStmt':
      found.rangeVar(node.relation, 'trigger');
      break;
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
      found.rangeVar(node.relation, DML_ACTIONS[kind]);
      found.readsIn(node);
      break;
    case 'TruncateStmt':
    case 'LockStmt':
      for (const relation of nodesOf(node.relations, 'RangeVar')) found.rangeVar(relation, kind === 'LockStmt' ? 'lock' : 'truncate');
      break;
    case 'GrantStmt':
      if (node.targtype !== 'ACL_TARGET_OBJECT' || node.objtype !== 'OBJECT_TABLE') break;
      for (const object of nodesOf(node.objects, 'RangeVar')) found.rangeVar(object, 'grant');
      break;
    case 'RenameStmt':
      if (TABLE_LIKE.has(node.renameType) || TABLE_MEMBERS.has(node.renameType)) found.rangeVar(node.relation, 'rename');
      break;
    case 'CommentStmt':
      if (TABLE_LIKE.has(node.objtype)) found.names(nameList(node.object), 'comment');
      else if (TABLE_MEMBERS.has(node.objtype)) found.names(nameList(node.object).slice(0, -1), 'comment');
      break;
    case 'SelectStmt':
      found.readsIn(node);
      break;
  }
  return found.relations;
}

const DML_ACTIONS: Record<'InsertStmt' | 'UpdateStmt' | 'DeleteStmt', RelationAction> = { InsertStmt: 'insert', UpdateStmt: 'update', DeleteStmt: 'delete' };

class RelationCollector {
  readonly relations: RelationRef[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly statement: SqlStatement) {}

  rangeVar(rangeVar: RangeVar | undefined, action: RelationAction): void {
    if (typeof rangeVar?.relname !== 'string') return;
    this.add(rangeVar.schemaname, rangeVar.relname, action, this.locationOf(rangeVar.location));
  }

  /** A qualified name as a list: `[schema, name]` or `[name]` (a leading database name is ignored). */
  names(names: string[], action: RelationAction): void {
    if (names.length) this.add(names.length > 1 ? names[names.length - 2] : undefined, names[names.length - 1], action);
  }

  /**
   * Every table read under `node` (FROM, JOIN, USING, subqueries). A DML target is a bare
   * RangeVar, which walk does not visit; names of common table expressions are not tables.
   */
  readsIn(node: unknown): void {
    const cteNames = new Set<string>();
    for (const cte of nodesUnder(node, 'CommonTableExpr')) if (cte.ctename) cteNames.add(cte.ctename);
    for (const rangeVar of nodesUnder(node, 'RangeVar')) {
      if (!(rangeVar.schemaname === undefined && rangeVar.relname !== undefined && cteNames.has(rangeVar.relname))) this.rangeVar(rangeVar, 'select');
    }
  }

  private add(schema: string | undefined, name: string, action: RelationAction, location?: SourceRange): void {
    const key = `${schema ?? ''}\0${name}\0${action}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const relation: RelationRef = { name, action };
    if (schema !== undefined) relation.schema = schema;
    if (location) relation.location = location;
    this.relations.push(relation);
  }

  /** The written name at a node location: from its start to the end of the (qualified) name. */
  private locationOf(location: unknown): SourceRange | undefined {
    const { statement } = this;
    if (typeof location !== 'number' || location < 0 || !statement.locate) return undefined;
    const start = statement.locate(location);
    const offsetInText = start.offset - statement.range.start.offset;
    QUALIFIED_NAME.lastIndex = offsetInText;
    const length = offsetInText >= 0 ? (QUALIFIED_NAME.exec(statement.text)?.[0].length ?? 0) : 0;
    // The name never spans lines (the pattern allows only blanks around dots).
    return { start, end: { line: start.line, column: start.column + length, offset: start.offset + length } };
  }
}
