/** The objects a DROP statement (or an ALTER TABLE ... DROP COLUMN / DROP CONSTRAINT) removes, with stable keys. */
import { forceQuoteIdent, quoteIdent } from '../../sql/quote.js';
import type { SqlStatement } from '../../sql/types.js';
import { nodeOf, nodesOf } from '../../sql/nodes.js';
import { namesKey, namesText, relationKey, relationName, strings } from './names.js';
import { alterCommands } from './statements.js';
import { typeNameKey, typeText } from './type-names.js';

/** Object kinds as Postgres spells them after DROP, keyed by DropStmt.removeType. */
export const DROP_KEYWORDS: Record<string, string> = {
  OBJECT_TABLE: 'TABLE',
  OBJECT_VIEW: 'VIEW',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_INDEX: 'INDEX',
  OBJECT_SEQUENCE: 'SEQUENCE',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
  OBJECT_TYPE: 'TYPE',
  OBJECT_DOMAIN: 'DOMAIN',
  OBJECT_SCHEMA: 'SCHEMA',
  OBJECT_EXTENSION: 'EXTENSION',
  OBJECT_FUNCTION: 'FUNCTION',
  OBJECT_PROCEDURE: 'PROCEDURE',
  OBJECT_ROUTINE: 'ROUTINE',
  OBJECT_AGGREGATE: 'AGGREGATE',
  OBJECT_TRIGGER: 'TRIGGER',
  OBJECT_POLICY: 'POLICY',
  OBJECT_RULE: 'RULE',
  OBJECT_PUBLICATION: 'PUBLICATION',
  OBJECT_EVENT_TRIGGER: 'EVENT TRIGGER',
  OBJECT_CAST: 'CAST',
  OBJECT_COLLATION: 'COLLATION',
  OBJECT_CONVERSION: 'CONVERSION',
  OBJECT_OPERATOR: 'OPERATOR',
  OBJECT_OPCLASS: 'OPERATOR CLASS',
  OBJECT_OPFAMILY: 'OPERATOR FAMILY',
  OBJECT_LANGUAGE: 'LANGUAGE',
  OBJECT_FDW: 'FOREIGN DATA WRAPPER',
  OBJECT_FOREIGN_SERVER: 'SERVER',
  OBJECT_ACCESS_METHOD: 'ACCESS METHOD',
  OBJECT_STATISTIC_EXT: 'STATISTICS',
  OBJECT_TSCONFIGURATION: 'TEXT SEARCH CONFIGURATION',
  OBJECT_TSDICTIONARY: 'TEXT SEARCH DICTIONARY',
  OBJECT_TSPARSER: 'TEXT SEARCH PARSER',
  OBJECT_TSTEMPLATE: 'TEXT SEARCH TEMPLATE',
  OBJECT_TRANSFORM: 'TRANSFORM',
};

/** Kind part of an object key, per DropStmt.removeType. */
const KEY_KIND: Record<string, string> = {
  OBJECT_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'matview',
  OBJECT_INDEX: 'index',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_FOREIGN_TABLE: 'table',
  OBJECT_TYPE: 'type',
  OBJECT_DOMAIN: 'type',
  OBJECT_SCHEMA: 'schema',
  OBJECT_EXTENSION: 'extension',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'function',
  OBJECT_ROUTINE: 'function',
  OBJECT_AGGREGATE: 'function',
  OBJECT_TRIGGER: 'trigger',
  OBJECT_POLICY: 'policy',
  OBJECT_RULE: 'rule',
  OBJECT_PUBLICATION: 'publication',
  OBJECT_EVENT_TRIGGER: 'event-trigger',
  OBJECT_CAST: 'cast',
  OBJECT_COLLATION: 'collation',
  OBJECT_LANGUAGE: 'language',
  OBJECT_FOREIGN_SERVER: 'server',
  OBJECT_STATISTIC_EXT: 'statistics',
};

/** One object a DROP names. `text` is the object as written; `table` is set for per-table objects. */
/** Shared by every caller (droppedObjects caches them): read-only. */
export interface DroppedObject {
  /** Stable identity, e.g. `policy:public.t:p`, `table:public.t`, `constraint:public.t:c`. */
  readonly key: string;
  /** Object kind keyword, e.g. `TABLE`, `POLICY`, `CONSTRAINT`, `COLUMN`. */
  readonly keyword: string;
  /** The object as written, e.g. `public.t`, `"p" ON public.t`. */
  readonly text: string;
  readonly missingOk: boolean;
  /** Index of the ALTER TABLE subcommand, for DROP COLUMN / DROP CONSTRAINT. */
  readonly cmdIndex?: number;
  /** Table of a per-table object (policy, trigger, rule, constraint, column), as written. */
  readonly table?: string;
}

// Asked of each statement by several rules and both file models: read once per statement.
const droppedCache = new WeakMap<SqlStatement, readonly DroppedObject[]>();

/** The objects a DROP statement (or DROP COLUMN / DROP CONSTRAINT subcommand) removes. */
export function droppedObjects(statement: SqlStatement): readonly DroppedObject[] {
  let objects = droppedCache.get(statement);
  if (!objects) droppedCache.set(statement, (objects = collectDroppedObjects(statement)));
  return objects;
}

function collectDroppedObjects(statement: SqlStatement): DroppedObject[] {
  const { kind, node } = statement;
  const out: DroppedObject[] = [];
  if (kind === 'DropStmt') {
    const type: string = node.removeType ?? ''; // always set by the parser
    const keyword = DROP_KEYWORDS[type] ?? type.replace(/^OBJECT_/, '').replace(/_/g, ' ');
    const keyKind = KEY_KIND[type] ?? type.replace(/^OBJECT_/, '').toLowerCase();
    for (const object of node.objects ?? []) {
      const missingOk = Boolean(node.missing_ok);
      if ('List' in object && (type === 'OBJECT_POLICY' || type === 'OBJECT_TRIGGER' || type === 'OBJECT_RULE')) {
        const names = strings(object.List.items);
        const name = names[names.length - 1]!;
        const tableNames = names.slice(0, -1);
        const table = namesText(tableNames);
        out.push({ key: `${keyKind}:${namesKey(tableNames)}:${name}`, keyword, text: `${type === 'OBJECT_POLICY' ? forceQuoteIdent(name) : quoteIdent(name)} ON ${table}`, missingOk, table });
      } else if ('List' in object && type === 'OBJECT_CAST') {
        const [source, target] = (object.List.items ?? []).map((item) => nodeOf(item, 'TypeName'));
        out.push({ key: `cast:${typeNameKey(source)}:${typeNameKey(target)}`, keyword, text: `(${typeText(source)} AS ${typeText(target)})`, missingOk });
      } else if ('List' in object) {
        const names = strings(object.List.items);
        out.push({ key: `${keyKind}:${namesKey(names)}`, keyword, text: namesText(names), missingOk });
      } else if ('TypeName' in object) {
        const names = strings(object.TypeName.names);
        out.push({ key: `${keyKind}:${namesKey(names)}`, keyword, text: namesText(names), missingOk });
      } else if ('ObjectWithArgs' in object) {
        const names = strings(object.ObjectWithArgs.objname);
        const args = object.ObjectWithArgs.args_unspecified ? '' : `(${(object.ObjectWithArgs.objargs ?? []).map((arg) => typeText(nodeOf(arg, 'TypeName'))).join(', ')})`;
        out.push({ key: `${keyKind}:${namesKey(names)}`, keyword, text: `${namesText(names)}${args}`, missingOk });
      } else if ('String' in object) {
        const name = object.String.sval ?? '';
        out.push({ key: `${keyKind}:${name}`, keyword, text: quoteIdent(name), missingOk });
      }
    }
  } else if (kind === 'DropRoleStmt') {
    for (const role of nodesOf(node.roles, 'RoleSpec')) {
      const name = role.rolename;
      if (name) out.push({ key: `role:${name}`, keyword: 'ROLE', text: quoteIdent(name), missingOk: Boolean(node.missing_ok) });
    }
  } else if (kind === 'DropdbStmt') {
    out.push({ key: `database:${node.dbname}`, keyword: 'DATABASE', text: quoteIdent(node.dbname ?? ''), missingOk: Boolean(node.missing_ok) });
  } else if (kind === 'DropTableSpaceStmt') {
    out.push({ key: `tablespace:${node.tablespacename}`, keyword: 'TABLESPACE', text: quoteIdent(node.tablespacename ?? ''), missingOk: Boolean(node.missing_ok) });
  } else if (kind === 'DropSubscriptionStmt') {
    out.push({ key: `subscription:${node.subname}`, keyword: 'SUBSCRIPTION', text: quoteIdent(node.subname ?? ''), missingOk: Boolean(node.missing_ok) });
  } else if (kind === 'AlterTableStmt') {
    const table = relationName(node.relation);
    const tableKey = relationKey(node.relation);
    alterCommands(node).forEach((cmd, cmdIndex) => {
      if (cmd.subtype === 'AT_DropConstraint') {
        out.push({ key: `constraint:${tableKey}:${cmd.name}`, keyword: 'CONSTRAINT', text: quoteIdent(cmd.name ?? ''), missingOk: Boolean(cmd.missing_ok), cmdIndex, table });
      } else if (cmd.subtype === 'AT_DropColumn') {
        const keyword = node.objtype === 'OBJECT_TYPE' ? 'ATTRIBUTE' : 'COLUMN';
        out.push({ key: `column:${tableKey}:${cmd.name}`, keyword, text: quoteIdent(cmd.name ?? ''), missingOk: Boolean(cmd.missing_ok), cmdIndex, table });
      }
    });
  }
  return out;
}
