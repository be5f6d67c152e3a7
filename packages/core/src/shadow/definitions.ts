/**
 * What each statement defines, read from its AST (DO-block bodies included): the index that
 * tells a missing object's root cause (defined later, defined twice, never defined) and the
 * source map's positions. Names are the unquoted names Postgres stores.
 */
import type { ObjectKind } from '../catalog/identity.js';
import { DEFAULT_SCHEMA } from '../catalog/identity.js';
import { nameList } from '../sql/relations.js';
import type { Constraint, CreateFunctionStmt, RangeVar } from 'libpg-query';
import { nodeOf, nodesOf, sharedFlag } from '../sql/nodes.js';
import type { PgNode, SourcePosition, SqlStatement } from '../sql/types.js';
import type { OrderedStatement } from './schema-files.js';
import { extensionProviding } from './extensions.js';

/** Namespaces a missing-object error names: `relation "x"`, `function f()`, `type "x"`, `schema "x"`. */
export type LookupClass = 'relation' | 'function' | 'type' | 'schema' | 'extension';

export interface DefinedObject {
  kind: ObjectKind;
  lookup?: LookupClass;
  /** Absent when written unqualified. */
  schema?: string;
  name: string;
  /** Columns, constraints, policies, triggers: `schema.table` of their table. */
  table?: string;
  position: SourcePosition;
  /** CREATE ... IF NOT EXISTS: a second definition is silently skipped. */
  ifNotExists: boolean;
  /** CREATE OR REPLACE: a second definition replaces the first, on purpose. */
  orReplace: boolean;
  /** Functions: the CreateFunctionStmt node, to resolve the identity key. */
  functionNode?: CreateFunctionStmt;
  /** The statement (nested in a DO block or top level) that defines it. */
  statement: SqlStatement;
}

export interface ForeignKeyRef {
  /** Constraint node (column or table level) and its column when column level. */
  constraint: Constraint;
  column?: string;
  targetSchema?: string;
  target: string;
}

function rangeVarName(node: RangeVar | undefined): { schema?: string; name: string } | undefined {
  if (!node?.relname) return undefined;
  return { schema: node.schemaname || undefined, name: node.relname };
}

function qualifiedList(node: PgNode[] | undefined): { schema?: string; name: string } | undefined {
  const names = nameList(node);
  if (names.length === 0) return undefined;
  const name = names[names.length - 1]!;
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  return { schema, name };
}

export function tableKeyOf(ref: { schema?: string; name: string }): string {
  return `${ref.schema ?? DEFAULT_SCHEMA}.${ref.name}`;
}

function positionOf(statement: SqlStatement, location: unknown): SourcePosition {
  if (typeof location === 'number' && location >= 0 && statement.locate) return statement.locate(location);
  return statement.range.start;
}

/** Objects one statement (not its DO-block body) defines. */
export function definitionsOf(statement: SqlStatement): DefinedObject[] {
  const { kind, node } = statement;
  const found: DefinedObject[] = [];
  const add = (object: Omit<DefinedObject, 'statement' | 'position' | 'ifNotExists' | 'orReplace'> & { location?: unknown }) => {
    const { location, ...rest } = object;
    found.push({
      ...rest,
      position: positionOf(statement, location),
      ifNotExists: sharedFlag(node, 'if_not_exists') || sharedFlag(node, 'missing_ok'),
      orReplace: sharedFlag(node, 'replace'),
      statement,
    });
  };
  switch (kind) {
    case 'CreateStmt': {
      const table = rangeVarName(node.relation);
      if (!table) break;
      add({ kind: 'table', lookup: 'relation', ...table, location: node.relation?.location });
      const key = tableKeyOf(table);
      for (const element of node.tableElts ?? []) {
        const column = nodeOf(element, 'ColumnDef');
        const tableConstraint = nodeOf(element, 'Constraint');
        if (column) add({ kind: 'column', name: column.colname ?? '', table: key, location: column.location });
        if (tableConstraint?.conname) add({ kind: 'constraint', name: tableConstraint.conname, table: key, location: tableConstraint.location });
        for (const constraint of nodesOf(column?.constraints, 'Constraint')) {
          if (constraint.conname) add({ kind: 'constraint', name: constraint.conname, table: key, location: constraint.location });
        }
      }
      break;
    }
    case 'ViewStmt': {
      const view = rangeVarName(node.view);
      if (view) add({ kind: 'view', lookup: 'relation', ...view, location: node.view?.location });
      break;
    }
    case 'CreateTableAsStmt': {
      const rel = rangeVarName(node.into?.rel);
      if (rel) add({ kind: node.objtype === 'OBJECT_MATVIEW' ? 'materialized_view' : 'table', lookup: 'relation', ...rel, location: node.into?.rel?.location });
      break;
    }
    case 'CreateSeqStmt': {
      const sequence = rangeVarName(node.sequence);
      if (sequence) add({ kind: 'sequence', lookup: 'relation', ...sequence, location: node.sequence?.location });
      break;
    }
    case 'IndexStmt': {
      const table = rangeVarName(node.relation);
      if (node.idxname && table) add({ kind: 'index', lookup: 'relation', schema: table.schema, name: node.idxname, location: node.relation?.location });
      break;
    }
    case 'CreateFunctionStmt': {
      const fn = qualifiedList(node.funcname);
      if (fn) add({ kind: 'function', lookup: 'function', ...fn, functionNode: node });
      break;
    }
    case 'CreateEnumStmt': {
      const type = qualifiedList(node.typeName);
      if (type) add({ kind: 'enum', lookup: 'type', ...type });
      break;
    }
    case 'CompositeTypeStmt': {
      const type = rangeVarName(node.typevar);
      if (type) add({ kind: 'composite_type', lookup: 'type', ...type, location: node.typevar?.location });
      break;
    }
    case 'CreateDomainStmt': {
      const type = qualifiedList(node.domainname);
      if (type) add({ kind: 'domain', lookup: 'type', ...type });
      break;
    }
    case 'CreateSchemaStmt':
      if (node.schemaname) add({ kind: 'schema', lookup: 'schema', name: node.schemaname });
      break;
    case 'CreateExtensionStmt':
      if (node.extname) add({ kind: 'extension', lookup: 'extension', name: node.extname });
      break;
    case 'CreatePolicyStmt': {
      const table = rangeVarName(node.table);
      if (table && node.policy_name) add({ kind: 'policy', name: node.policy_name, table: tableKeyOf(table), location: node.table?.location });
      break;
    }
    case 'CreateTrigStmt': {
      const table = rangeVarName(node.relation);
      if (table && node.trigname) add({ kind: 'trigger', name: node.trigname, table: tableKeyOf(table), location: node.relation?.location });
      break;
    }
  }
  return found;
}

/** Foreign keys written inside a CREATE TABLE (column `REFERENCES` and table `FOREIGN KEY`). */
export function inlineForeignKeys(statement: SqlStatement): ForeignKeyRef[] {
  if (statement.kind !== 'CreateStmt') return [];
  const refs: ForeignKeyRef[] = [];
  const push = (constraint: Constraint, column?: string) => {
    const target = rangeVarName(constraint.pktable);
    if (constraint.contype === 'CONSTR_FOREIGN' && target) refs.push({ constraint, column, targetSchema: target.schema, target: target.name });
  };
  for (const element of statement.node.tableElts ?? []) {
    const tableConstraint = nodeOf(element, 'Constraint');
    if (tableConstraint) push(tableConstraint);
    const column = nodeOf(element, 'ColumnDef');
    for (const constraint of nodesOf(column?.constraints, 'Constraint')) push(constraint, column?.colname);
  }
  return refs;
}

/** Every statement's definitions, nested DO-block statements attributed to their top-level statement. */
export class DefinitionIndex {
  private readonly byName = new Map<string, { at: OrderedStatement; object: DefinedObject }[]>();
  /** CREATE EXTENSION statements: they define what the extension brings (extensions.ts), by no name of the statement's own. */
  private readonly extensions: { at: OrderedStatement; object: DefinedObject }[] = [];
  readonly ofStatement = new Map<number, DefinedObject[]>();

  constructor(statements: readonly OrderedStatement[]) {
    const nestedByParent = new Map<SqlStatement, SqlStatement[]>();
    for (const file of new Set(statements.map((s) => s.file))) {
      for (const nested of file.parsed.nested) {
        let top = nested.parent;
        while (top?.parent) top = top.parent;
        if (top) nestedByParent.set(top, [...(nestedByParent.get(top) ?? []), nested]);
      }
    }
    for (const at of statements) {
      const objects = [at.statement, ...(nestedByParent.get(at.statement) ?? [])].flatMap(definitionsOf);
      this.ofStatement.set(at.index, objects);
      for (const object of objects) {
        if (!object.lookup) continue;
        if (object.kind === 'extension') this.extensions.push({ at, object });
        const key = `${object.lookup}:${object.name}`;
        const list = this.byName.get(key) ?? [];
        list.push({ at, object });
        this.byName.set(key, list);
        // A table or view also defines its row type.
        if (object.lookup === 'relation' && object.kind !== 'index' && object.kind !== 'sequence') {
          const typeKey = `type:${object.name}`;
          this.byName.set(typeKey, [...(this.byName.get(typeKey) ?? []), { at, object }]);
        }
      }
    }
  }

  /**
   * Definitions of a name in a namespace; a schema given must match (an unqualified definition is in
   * public). Without one, the CREATE EXTENSION statements of an extension known to bring it.
   */
  find(lookup: LookupClass, name: string, schema?: string): { at: OrderedStatement; object: DefinedObject }[] {
    const candidates = this.byName.get(`${lookup}:${name}`) ?? [];
    const named = !schema || lookup === 'schema' || lookup === 'extension' ? candidates : candidates.filter(({ object }) => (object.schema ?? DEFAULT_SCHEMA) === schema);
    if (named.length > 0 || lookup === 'extension') return named;
    return this.extensions.filter(({ object }) => extensionProviding(lookup, name, schema, [object.name]) !== undefined);
  }
}
