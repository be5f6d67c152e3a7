import type { RangeVar, RenameStmt } from 'libpg-query';
import type { PgNode, SqlStatement } from '../sql/types.js';
import { nodeOf, stringOf } from '../sql/nodes.js';
import { createdEarlier } from './support/created-objects.js';
import { droppedObjects } from './support/dropped-objects.js';
import { relationKey } from './support/names.js';
import { alterCommands, executedStatements } from './support/statements.js';
import { defineRule } from './types.js';

/** DROP object types that destroy something; the value is how the message names the object kind. */
const DROPPED_KINDS: Record<string, string> = {
  OBJECT_TABLE: 'TABLE',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
  OBJECT_TYPE: 'TYPE',
  OBJECT_DOMAIN: 'DOMAIN',
  OBJECT_SCHEMA: 'SCHEMA',
  OBJECT_FUNCTION: 'FUNCTION',
  OBJECT_PROCEDURE: 'PROCEDURE',
  OBJECT_ROUTINE: 'ROUTINE',
  OBJECT_AGGREGATE: 'AGGREGATE',
  OBJECT_VIEW: 'VIEW',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_INDEX: 'INDEX',
  OBJECT_SEQUENCE: 'SEQUENCE',
  OBJECT_POLICY: 'POLICY',
  OBJECT_TRIGGER: 'TRIGGER',
  OBJECT_EXTENSION: 'EXTENSION',
  OBJECT_RULE: 'RULE',
};

/** Object kinds whose drop is part of a replace idiom when the same object is created again later in the file. */
type ReplaceKey = string;

interface Destructive {
  statement: SqlStatement;
  /** e.g. `DROP COLUMN documents.legacy_status`. */
  what: string;
  /** The commented SQL that would undo it, for the hint. */
  undo: string;
  /** Objects whose later re-creation makes this a replace (all of them must be re-created); empty: never a replace. */
  replacedBy: ReplaceKey[];
  /** Created-object keys (see created-objects.ts) of what it destroys: when this file created all of them earlier, nothing older is lost. */
  destroys: string[];
}


/** Lower-cased dotted name without the default `public.` schema. */
function normalise(parts: readonly (string | undefined)[]): string {
  const kept = parts.filter((part): part is string => !!part).map((part) => part.toLowerCase());
  if (kept.length > 1 && kept[0] === 'public') kept.shift();
  return kept.join('.');
}

function relationName(rangeVar: RangeVar | undefined): string {
  return normalise([rangeVar?.schemaname, rangeVar?.relname]);
}

function names(list: readonly PgNode[] | undefined): string[] {
  return (list ?? []).map((item) => stringOf(item) ?? '').filter(Boolean);
}

/** `DROP <kind> <object>` objects: dotted names, policies and triggers as `name on table`. */
function droppedObject(removeType: string, object: PgNode): { label: string; key: ReplaceKey } {
  let parts: string[] = [];
  if ('List' in object) parts = names(object.List.items);
  else if ('String' in object) parts = [object.String.sval ?? ''];
  else if ('TypeName' in object) parts = names(object.TypeName.names);
  else if ('ObjectWithArgs' in object) parts = names(object.ObjectWithArgs.objname);
  if ((removeType === 'OBJECT_POLICY' || removeType === 'OBJECT_TRIGGER' || removeType === 'OBJECT_RULE') && parts.length > 1) {
    const name = parts.at(-1)!;
    const table = normalise(parts.slice(0, -1));
    return { label: `${name} ON ${table}`, key: `${removeType}:${name.toLowerCase()}@${table}` };
  }
  const name = normalise(parts);
  const family = removeType === 'OBJECT_PROCEDURE' || removeType === 'OBJECT_ROUTINE' ? 'OBJECT_FUNCTION' : removeType;
  return { label: name, key: `${family}:${name}` };
}

function objectParts(object: PgNode | undefined): string[] {
  if (!object) return [];
  if ('String' in object) return [object.String.sval ?? ''];
  if ('List' in object) return names(object.List.items);
  if ('ObjectWithArgs' in object) return names(object.ObjectWithArgs.objname);
  if ('TypeName' in object) return names(object.TypeName.names);
  return [];
}

/** `RENAME <kind> <object> TO <new>` and the statement that renames it back. */
function describeRename(node: RenameStmt): { what: string; undo: string } {
  const kind = String(node.renameType ?? '').replace(/^OBJECT_/, '');
  const { subname, newname } = node;
  if (kind === 'COLUMN' || kind === 'TABCONSTRAINT' || kind === 'POLICY' || kind === 'TRIGGER' || kind === 'RULE') {
    const table = relationName(node.relation);
    if (kind === 'COLUMN') {
      const owner = node.relationType === 'OBJECT_VIEW' ? 'VIEW' : node.relationType === 'OBJECT_MATVIEW' ? 'MATERIALIZED VIEW' : 'TABLE';
      return { what: `RENAME COLUMN ${table}.${subname} TO ${newname}`, undo: `ALTER ${owner} ${table} RENAME COLUMN ${newname} TO ${subname};` };
    }
    if (kind === 'TABCONSTRAINT') {
      return { what: `RENAME CONSTRAINT ${subname} ON ${table} TO ${newname}`, undo: `ALTER TABLE ${table} RENAME CONSTRAINT ${newname} TO ${subname};` };
    }
    return { what: `RENAME ${kind} ${subname} ON ${table} TO ${newname}`, undo: `ALTER ${kind} ${newname} ON ${table} RENAME TO ${subname};` };
  }
  const label = kind.replace(/_/g, ' ').replace(/^MATVIEW$/, 'MATERIALIZED VIEW');
  const parts = node.relation ? [node.relation.schemaname, node.relation.relname] : subname ? [subname] : objectParts(node.object);
  const old = normalise(parts);
  const schema = old.includes('.') ? `${old.slice(0, old.lastIndexOf('.'))}.` : '';
  return { what: `RENAME ${label} ${old} TO ${newname}`, undo: `ALTER ${label} ${schema}${newname} RENAME TO ${old.split('.').at(-1)};` };
}

function destructiveParts(statement: SqlStatement): Destructive[] {
  const { kind, node } = statement;
  const found: Destructive[] = [];
  const add = (what: string, undo: string, replacedBy: ReplaceKey[] = [], destroys: string[] = []) => found.push({ statement, what, undo, replacedBy, destroys });

  if (kind === 'DropStmt') {
    const removeType = node.removeType ?? ''; // always set by the parser
    const label = DROPPED_KINDS[removeType];
    if (!label) return found;
    const objects = (node.objects ?? []).map((object) => droppedObject(removeType, object));
    const cascade = node.behavior === 'DROP_CASCADE' ? ' CASCADE' : '';
    // A cascade takes dependent objects with it: re-creating the dropped object does not bring them back.
    add(
      `DROP ${label} ${objects.map((object) => object.label).join(', ')}${cascade}`,
      `CREATE ${label} ${objects[0]?.label ?? ''} <definition as before the migration>;`,
      cascade ? [] : objects.map((object) => object.key),
      droppedObjects(statement).map((object) => object.key),
    );
  } else if (kind === 'AlterTableStmt') {
    const table = relationName(node.relation);
    const tableKey = relationKey(node.relation);
    for (const cmd of alterCommands(node)) {
      if (cmd.subtype === 'AT_DropColumn') {
        add(`DROP COLUMN ${table}.${cmd.name}`, `ALTER TABLE ${table} ADD COLUMN ${cmd.name} <type as before>;`, [], [`column:${tableKey}:${cmd.name}`]);
      } else if (cmd.subtype === 'AT_AlterColumnType') {
        add(`ALTER COLUMN ${table}.${cmd.name} TYPE`, `ALTER TABLE ${table} ALTER COLUMN ${cmd.name} TYPE <type as before>;`, [], [`column:${tableKey}:${cmd.name}`]);
      } else if (cmd.subtype === 'AT_DropConstraint') {
        add(
          `DROP CONSTRAINT ${cmd.name} ON ${table}`,
          `ALTER TABLE ${table} ADD CONSTRAINT ${cmd.name} <definition as before>;`,
          [`CONSTRAINT:${String(cmd.name).toLowerCase()}@${table}`],
          [`constraint:${tableKey}:${cmd.name}`],
        );
      }
    }
  } else if (kind === 'RenameStmt') {
    const rename = describeRename(node);
    add(rename.what, rename.undo);
  } else if (kind === 'AlterEnumStmt' && node.oldVal) {
    const type = normalise(names(node.typeName));
    add(`ALTER TYPE ${type} RENAME VALUE '${node.oldVal}'`, `ALTER TYPE ${type} RENAME VALUE '${node.newVal}' TO '${node.oldVal}';`);
  } else if (kind === 'TruncateStmt') {
    const relations = (node.relations ?? []).map((relation) => nodeOf(relation, 'RangeVar'));
    const tables = relations.map(relationName);
    add(`TRUNCATE ${tables.join(', ')}`, `INSERT INTO ${tables[0]} SELECT * FROM <backup table>;`, [], relations.map((relation) => `table:${relationKey(relation)}`));
  } else if (kind === 'DeleteStmt' && !node.whereClause) {
    // A DELETE with a WHERE clause is a data fix (verification-query asks for a check); one without empties the table.
    const table = relationName(node.relation);
    add(`DELETE FROM ${table} without WHERE`, `INSERT INTO ${table} SELECT * FROM <backup table>;`, [], [`table:${relationKey(node.relation)}`]);
  }
  return found;
}

/** Keys of the objects a statement (re-)creates. */
function createdKeys(statement: SqlStatement): ReplaceKey[] {
  const { kind, node } = statement;
  switch (kind) {
    case 'CreatePolicyStmt':
      return [`OBJECT_POLICY:${String(node.policy_name).toLowerCase()}@${relationName(node.table)}`];
    case 'CreateTrigStmt':
      return [`OBJECT_TRIGGER:${String(node.trigname).toLowerCase()}@${relationName(node.relation)}`];
    case 'RuleStmt':
      return [`OBJECT_RULE:${String(node.rulename).toLowerCase()}@${relationName(node.relation)}`];
    case 'CreateFunctionStmt':
      return [`OBJECT_FUNCTION:${normalise(names(node.funcname))}`];
    case 'IndexStmt': {
      if (!node.idxname) return [];
      // An index lives in its table's schema.
      return [`OBJECT_INDEX:${normalise([node.relation?.schemaname, node.idxname])}`];
    }
    case 'ViewStmt':
      return [`OBJECT_VIEW:${relationName(node.view)}`];
    case 'CreateTableAsStmt':
      return node.objtype === 'OBJECT_MATVIEW' ? [`OBJECT_MATVIEW:${relationName(node.into?.rel)}`] : [];
    case 'AlterTableStmt': {
      const table = relationName(node.relation);
      return alterCommands(node)
        .map((cmd) => (cmd.subtype === 'AT_AddConstraint' ? nodeOf(cmd.def, 'Constraint')?.conname : undefined))
        .filter((name) => name)
        .map((name) => `CONSTRAINT:${String(name).toLowerCase()}@${table}`);
    }
    default:
      return [];
  }
}


/** `schema.table` of a per-table key (`column:public.t:c` -> `public.t`); the key itself otherwise. */
function tableOfMember(key: string): string {
  const parts = key.split(':');
  return parts.length === 3 ? parts[1]! : '';
}

export const rule = defineRule({
  id: 'rollback-script',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'A migration with destructive statements (DROP, ALTER COLUMN TYPE, TRUNCATE, RENAME, ...) carries a rollback script.',
  check(context) {
    const { migration } = context;
    if (migration.rollback) return;

    const statements = executedStatements(context.sql);
    const isCreatedEarlier = createdEarlier(statements);
    const destructive: Destructive[] = [];
    statements.forEach((statement, index) => {
      for (const part of destructiveParts(statement)) {
        // A helper, staging table or column this file created a few statements earlier: nothing that existed before is lost.
        if (part.destroys.length > 0 && part.destroys.every((key) => isCreatedEarlier(key, statement) || isCreatedEarlier(`table:${tableOfMember(key)}`, statement))) continue;
        if (part.replacedBy.length > 0) {
          const later = new Set(statements.slice(index + 1).flatMap(createdKeys));
          if (part.replacedBy.every((key) => later.has(key))) continue;
        }
        destructive.push(part);
      }
    });
    if (destructive.length === 0) return;

    const first = destructive[0]!;
    const shown = destructive.slice(0, 3).map((part) => `${part.what} (line ${part.statement.range.start.line})`);
    const more = destructive.length > shown.length ? ` and ${destructive.length - shown.length} more` : '';
    const count = destructive.length === 1 ? '1 destructive statement' : `${destructive.length} destructive statements`;
    const section =
      migration.rollbackHeadingLine !== undefined
        ? `the Rollback section on line ${migration.rollbackHeadingLine} holds no SQL`
        : 'there is no rollback script';
    context.report({
      statement: first.statement,
      message: `${count}: ${shown.join(', ')}${more}; ${section}`,
      hint: `after the migration SQL, add a "-- Rollback Script" comment followed by commented SQL that undoes each change, e.g. "-- /* ${first.undo} */"; keep a backup table when data is lost`,
    });
  },
});
