import type { AlterTableStmt, Constraint, RangeVar, RenameStmt } from 'libpg-query';
import { forceQuoteIdent, quoteIdent, quoteLiteral } from '../sql/quote.js';
import type { SqlStatement } from '../sql/types.js';
import { walk } from '../sql/walk.js';
import { nodeOf } from '../sql/nodes.js';
import { fileModel } from './support/file-model.js';
import { namesKey, namesText, relationKey, relationName, splitKey, strings } from './support/names.js';
import { oneLine } from './support/statement-text.js';
import { alterCommands } from './support/statements.js';
import { typeNameKey, typeText } from './support/type-names.js';
import { defineRule } from './types.js';

const ID = 'guarded-ddl';

interface Problem {
  message: string;
  hint: string;
  /** Object identity: a DROP of it earlier in the file makes the statement re-runnable. */
  key?: string;
  /** For ALTER TABLE subcommands: a DROP CONSTRAINT earlier in the same statement counts too. */
  cmdIndex?: number;
}

const NO_IF = 'has no IF NOT EXISTS form: it fails when the migration runs a second time';

/**
 * Statements without an IF NOT EXISTS / OR REPLACE form must be made re-runnable by hand: a DROP ...
 * IF EXISTS of the same object earlier in the file, or a DO block that checks for the object (or
 * catches duplicate_object). Statements inside a guarded DO block (IF [NOT] EXISTS, EXCEPTION) pass.
 */
export const rule = defineRule({
  id: ID,
  category: 'idempotency',
  defaultSeverity: 'error',
  description:
    'Statements with no IF form (CREATE POLICY, CREATE TYPE, ADD CONSTRAINT, RENAME, CREATE TRIGGER before PG 14, ...) follow a DROP ... IF EXISTS or sit in a DO-block guard.',
  check(context) {
    const model = fileModel(context.sql);
    for (const statement of model.statements) {
      if (statement.guard) continue;
      for (const problem of inspect(statement, context.postgresVersion)) {
        if (problem.key && model.droppedBefore(problem.key, statement, problem.cmdIndex)) continue;
        const suggestion = suggestionFor(problem.hint, statement);
        context.report({ statement, message: problem.message, hint: problem.hint, ...(suggestion ? { suggestion: { sql: suggestion } } : {}) });
      }
    }
  },
});

/**
 * The whole corrected SQL when the hint is a mechanical fix of this statement: a DO-block guard
 * around it, or a DROP ... IF EXISTS right before it. Undefined for advice that needs a human.
 */
function suggestionFor(hint: string, statement: SqlStatement): string | undefined {
  const text = statement.text.replace(/^(?:\s*--[^\n]*\n)+/, '').trim();
  const shown = oneLine(statement.text, 140);
  if (shown.endsWith('...')) return undefined;
  const guard = /DO \$\$ BEGIN IF (.+?) THEN /.exec(hint);
  if (guard && hint.includes(`THEN ${shown}; END IF; END $$;`)) {
    const tag = text.includes('$$') ? '$pgw$' : '$$';
    return `DO ${tag} BEGIN IF ${guard[1]} THEN ${text}; END IF; END ${tag}`;
  }
  const dropFirst = /^(?:put|write) "(DROP .+? IF EXISTS .+?;)" (?:right before it|followed by a plain CREATE TRIGGER)/.exec(hint);
  if (dropFirst) return `${dropFirst[1]}\n${hint.includes('followed by a plain CREATE TRIGGER') ? text.replace(/^CREATE\s+OR\s+REPLACE\s+/i, 'CREATE ') : text}`;
  const rewritten = /^write "(ALTER [^"]+ IF EXISTS [^"]+)"$/.exec(hint);
  return rewritten?.[1];
}

/** `DO $$ BEGIN IF <condition> THEN <statement>; END IF; END $$;` with the statement on one line. */
function doGuard(condition: string, statement: SqlStatement): string {
  return `DO $$ BEGIN IF ${condition} THEN ${oneLine(statement.text, 140)}; END IF; END $$;`;
}

function regclass(relation: RangeVar | undefined): string {
  return `${quoteLiteral(relationName(relation))}::regclass`;
}

function inspect(statement: SqlStatement, postgresVersion: number): Problem[] {
  const { kind, node } = statement;
  switch (kind) {
    case 'CreatePolicyStmt': {
      const table = relationName(node.table);
      const policy = forceQuoteIdent(String(node.policy_name));
      return [
        {
          key: `policy:${relationKey(node.table)}:${node.policy_name}`,
          message: `CREATE POLICY ${policy} ON ${table} ${NO_IF}`,
          hint: `put "DROP POLICY IF EXISTS ${policy} ON ${table};" right before it`,
        },
      ];
    }
    case 'CreateEnumStmt':
    case 'CreateRangeStmt':
    case 'CreateDomainStmt':
    case 'CompositeTypeStmt':
    case 'DefineStmt': {
      if (kind === 'DefineStmt' && (node.kind !== 'OBJECT_TYPE' || !node.definition)) return [];
      const names =
        kind === 'CompositeTypeStmt'
          ? [node.typevar?.schemaname, node.typevar?.relname].filter((part): part is string => Boolean(part))
          : strings(kind === 'CreateDomainStmt' ? node.domainname : kind === 'DefineStmt' ? node.defnames : node.typeName);
      const word = kind === 'CreateDomainStmt' ? 'DOMAIN' : 'TYPE';
      const what = kind === 'CreateEnumStmt' ? 'enum type' : kind === 'CreateDomainStmt' ? 'domain' : kind === 'CompositeTypeStmt' ? 'composite type' : 'type';
      const name = namesText(names);
      return [
        {
          key: `type:${namesKey(names)}`,
          message: `CREATE ${word} ${name} (${what}) ${NO_IF}`,
          hint: `guard it: ${doGuard(`to_regtype(${quoteLiteral(name)}) IS NULL`, statement)} (or DROP ${word} IF EXISTS ${name} first, when nothing uses it yet)`,
        },
      ];
    }
    case 'AlterTableStmt':
      return alterTableProblems(statement, node);
    case 'AlterDomainStmt': {
      const constraint = node.subtype === 'C' ? nodeOf(node.def, 'Constraint') : undefined;
      if (!constraint) return [];
      const domain = namesText(strings(node.typeName));
      const name = constraint.conname;
      if (!name) {
        return [{ message: `ALTER DOMAIN ${domain} ADD CONSTRAINT without a name adds another copy of the constraint on every run`, hint: 'name the constraint and guard it with a DO block that checks pg_constraint' }];
      }
      return [
        {
          key: `constraint:domain:${namesKey(strings(node.typeName))}:${name}`,
          message: `ALTER DOMAIN ${domain} ADD CONSTRAINT ${quoteIdent(name)} ${NO_IF}`,
          hint: `guard it: ${doGuard(`NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = ${quoteLiteral(name)} AND contypid = ${quoteLiteral(domain)}::regtype)`, statement)}`,
        },
      ];
    }
    case 'RenameStmt':
      return renameProblems(statement, node);
    case 'AlterEnumStmt': {
      if (!node.oldVal) return [];
      const type = namesText(strings(node.typeName));
      const newVal = node.newVal ?? '';
      return [
        {
          message: `ALTER TYPE ${type} RENAME VALUE ${quoteLiteral(node.oldVal)} TO ${quoteLiteral(newVal)} fails when the migration runs a second time (the old value is gone); it has no IF EXISTS form`,
          hint: `guard it: ${doGuard(`EXISTS (SELECT 1 FROM pg_enum WHERE enumtypid = ${quoteLiteral(type)}::regtype AND enumlabel = ${quoteLiteral(node.oldVal)})`, statement)}`,
        },
      ];
    }
    case 'CreateTrigStmt': {
      const table = relationName(node.relation);
      const trigger = quoteIdent(node.trigname ?? '');
      if (node.replace && postgresVersion < 14) {
        return [
          {
            message: `CREATE OR REPLACE TRIGGER ${trigger} ON ${table} needs PostgreSQL 14 (target: ${postgresVersion}): it is a syntax error there`,
            hint: `write "DROP TRIGGER IF EXISTS ${trigger} ON ${table};" followed by a plain CREATE TRIGGER`,
          },
        ];
      }
      if (node.replace) return [];
      if (!node.isconstraint && postgresVersion >= 14) return []; // idempotent-create asks for OR REPLACE
      const why = node.isconstraint ? 'a constraint trigger has no OR REPLACE form' : `CREATE OR REPLACE TRIGGER needs PostgreSQL 14 (target: ${postgresVersion})`;
      return [
        {
          key: `trigger:${relationKey(node.relation)}:${node.trigname}`,
          message: `CREATE ${node.isconstraint ? 'CONSTRAINT ' : ''}TRIGGER ${trigger} ON ${table} fails when the migration runs a second time: ${why}`,
          hint: `put "DROP TRIGGER IF EXISTS ${trigger} ON ${table};" right before it`,
        },
      ];
    }
    case 'CreateEventTrigStmt': {
      const name = quoteIdent(node.trigname ?? '');
      return [
        {
          key: `event-trigger:${node.trigname}`,
          message: `CREATE EVENT TRIGGER ${name} ${NO_IF}`,
          hint: `put "DROP EVENT TRIGGER IF EXISTS ${name};" right before it`,
        },
      ];
    }
    case 'CreatePublicationStmt': {
      const name = quoteIdent(node.pubname ?? '');
      return [
        {
          key: `publication:${node.pubname}`,
          message: `CREATE PUBLICATION ${name} ${NO_IF}`,
          hint: `guard it: ${doGuard(`NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = ${quoteLiteral(node.pubname ?? '')})`, statement)} (or DROP PUBLICATION IF EXISTS ${name} first)`,
        },
      ];
    }
    case 'CreateRoleStmt': {
      const word = node.stmt_type === 'ROLESTMT_USER' ? 'USER' : node.stmt_type === 'ROLESTMT_GROUP' ? 'GROUP' : 'ROLE';
      return [
        {
          key: `role:${node.role}`,
          message: `CREATE ${word} ${quoteIdent(node.role ?? '')} ${NO_IF}`,
          hint: `guard it: ${doGuard(`NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(node.role ?? '')})`, statement)}`,
        },
      ];
    }
    case 'CreateCastStmt': {
      const cast = `(${typeText(node.sourcetype)} AS ${typeText(node.targettype)})`;
      return [
        {
          key: `cast:${typeNameKey(node.sourcetype)}:${typeNameKey(node.targettype)}`,
          message: `CREATE CAST ${cast} ${NO_IF}`,
          hint: `put "DROP CAST IF EXISTS ${cast};" right before it`,
        },
      ];
    }
    case 'CreateSubscriptionStmt': {
      const name = quoteIdent(node.subname ?? '');
      return [
        {
          key: `subscription:${node.subname}`,
          message: `CREATE SUBSCRIPTION ${name} ${NO_IF}`,
          hint: `put "DROP SUBSCRIPTION IF EXISTS ${name};" before it, or check pg_subscription first`,
        },
      ];
    }
    default:
      return [];
  }
}

function alterTableProblems(statement: SqlStatement, node: AlterTableStmt): Problem[] {
  if (node.objtype !== 'OBJECT_TABLE' && node.objtype !== 'OBJECT_FOREIGN_TABLE') return [];
  const table = relationName(node.relation);
  const tableKey = relationKey(node.relation);
  const problems: Problem[] = [];
  alterCommands(node).forEach((cmd, cmdIndex) => {
    const constraint = cmd.subtype === 'AT_AddConstraint' ? nodeOf(cmd.def, 'Constraint') : undefined;
    if (!constraint) return;
    const name = constraint.conname;
    if (!name) {
      const primary = constraint.contype === 'CONSTR_PRIMARY';
      const suggested = defaultConstraintName(String(node.relation?.relname), constraint);
      problems.push({
        key: `constraint:${tableKey}:${suggested}`,
        cmdIndex,
        message: primary
          ? `ALTER TABLE ${table} ADD PRIMARY KEY fails when the migration runs a second time (the table already has a primary key)`
          : `ALTER TABLE ${table} adds an unnamed ${constraintWord(constraint)} constraint: every run adds another copy of it`,
        hint: `name it (e.g. ADD CONSTRAINT ${quoteIdent(suggested)} ...) and guard it: DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = ${quoteLiteral(suggested)} AND conrelid = ${regclass(node.relation)}) THEN ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(suggested)} ...; END IF; END $$;`,
      });
      return;
    }
    const condition = `NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = ${quoteLiteral(name)} AND conrelid = ${regclass(node.relation)})`;
    const single = alterCommands(node).length === 1;
    const guarded = single ? doGuard(condition, statement) : `DO $$ BEGIN IF ${condition} THEN ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(name)} ...; END IF; END $$;`;
    problems.push({
      key: `constraint:${tableKey}:${name}`,
      cmdIndex,
      message: `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(name)} ${NO_IF} (ADD CONSTRAINT IF NOT EXISTS is not valid Postgres)`,
      hint: `guard it: ${guarded} Or run "ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${quoteIdent(name)};" first`,
    });
  });
  return problems;
}

function constraintWord(constraint: Constraint): string {
  switch (constraint.contype) {
    case 'CONSTR_CHECK':
      return 'CHECK';
    case 'CONSTR_FOREIGN':
      return 'FOREIGN KEY';
    case 'CONSTR_UNIQUE':
      return 'UNIQUE';
    case 'CONSTR_EXCLUSION':
      return 'EXCLUDE';
    default:
      return String(constraint.contype).replace(/^CONSTR_/, '');
  }
}

/** The name Postgres would choose: <table>_pkey, <table>_<cols>_key, <table>_<cols>_fkey, <table>_<col>_check. */
function defaultConstraintName(table: string, constraint: Constraint): string {
  let name: string;
  switch (constraint.contype) {
    case 'CONSTR_PRIMARY':
      name = `${table}_pkey`;
      break;
    case 'CONSTR_UNIQUE':
      name = `${table}_${strings(constraint.keys).join('_')}_key`;
      break;
    case 'CONSTR_FOREIGN':
      name = `${table}_${strings(constraint.fk_attrs).join('_')}_fkey`;
      break;
    case 'CONSTR_EXCLUSION':
      name = `${table}_excl`;
      break;
    default: {
      let column: string | undefined;
      walk(constraint.raw_expr, (type, node) => {
        if (!column && type === 'ColumnRef') column = strings(node.fields).pop();
      });
      name = column ? `${table}_${column}_check` : `${table}_check`;
    }
  }
  return name.slice(0, 63);
}

/** Relation kinds whose ALTER ... IF EXISTS ... RENAME TO is re-runnable (the old name is gone on the second run). */
const RELATION_RENAMES = new Set<string>(['OBJECT_INDEX', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE', 'OBJECT_FOREIGN_TABLE']);
const RENAME_WORD: Record<string, string> = {
  OBJECT_INDEX: 'INDEX',
  OBJECT_VIEW: 'VIEW',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_SEQUENCE: 'SEQUENCE',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
};

function renameProblems(statement: SqlStatement, node: RenameStmt): Problem[] {
  const type = node.renameType ?? ''; // always set by the parser
  // The old name of a column, constraint, trigger, policy, schema or role; set by the parser for those.
  const subname = node.subname ?? '';
  // RENAME COLUMN and RENAME of a table are idempotent-alter-column's.
  if (type === 'OBJECT_COLUMN' || type === 'OBJECT_TABLE') return [];
  const newName = quoteIdent(node.newname ?? '');
  const second = 'fails when the migration runs a second time (the old name no longer exists)';

  if (RELATION_RENAMES.has(type)) {
    if (node.missing_ok) return [];
    const word = RENAME_WORD[type]!;
    const old = relationName(node.relation);
    return [{ message: `ALTER ${word} ${old} RENAME TO ${newName} ${second}`, hint: `write "ALTER ${word} IF EXISTS ${old} RENAME TO ${newName}"` }];
  }

  const guard = (condition: string) => `guard it: ${doGuard(condition, statement)}`;
  switch (type) {
    case 'OBJECT_TABCONSTRAINT': {
      const table = relationName(node.relation);
      return [
        {
          message: `ALTER TABLE ${table} RENAME CONSTRAINT ${quoteIdent(subname)} TO ${newName} ${second}; it has no IF EXISTS form`,
          hint: guard(`EXISTS (SELECT 1 FROM pg_constraint WHERE conname = ${quoteLiteral(subname)} AND conrelid = ${regclass(node.relation)})`),
        },
      ];
    }
    case 'OBJECT_TRIGGER': {
      const table = relationName(node.relation);
      return [
        {
          message: `ALTER TRIGGER ${quoteIdent(subname)} ON ${table} RENAME TO ${newName} ${second}`,
          hint: guard(`EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = ${quoteLiteral(subname)} AND tgrelid = ${regclass(node.relation)})`),
        },
      ];
    }
    case 'OBJECT_POLICY': {
      const { schema, name } = splitKey(relationKey(node.relation));
      return [
        {
          message: `ALTER POLICY "${node.subname}" ON ${relationName(node.relation)} RENAME TO ${newName} ${second}`,
          hint: guard(`EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = ${quoteLiteral(schema)} AND tablename = ${quoteLiteral(name)} AND policyname = ${quoteLiteral(subname)})`),
        },
      ];
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const names = strings(nodeOf(node.object, 'List')?.items ?? nodeOf(node.object, 'TypeName')?.names);
      const old = namesText(names);
      return [
        {
          message: `ALTER ${type === 'OBJECT_DOMAIN' ? 'DOMAIN' : 'TYPE'} ${old} RENAME TO ${newName} ${second}`,
          hint: guard(`to_regtype(${quoteLiteral(old)}) IS NOT NULL`),
        },
      ];
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE': {
      const names = strings(nodeOf(node.object, 'ObjectWithArgs')?.objname);
      const { schema, name } = splitKey(namesKey(names));
      return [
        {
          message: `ALTER ${type.replace('OBJECT_', '')} ${namesText(names)} RENAME TO ${newName} ${second}`,
          hint: guard(`EXISTS (SELECT 1 FROM pg_proc WHERE proname = ${quoteLiteral(name)} AND pronamespace = ${quoteLiteral(schema)}::regnamespace)`),
        },
      ];
    }
    case 'OBJECT_SCHEMA':
      return [
        {
          message: `ALTER SCHEMA ${quoteIdent(subname)} RENAME TO ${newName} ${second}`,
          hint: guard(`EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ${quoteLiteral(subname)})`),
        },
      ];
    case 'OBJECT_ROLE':
      return [
        {
          message: `ALTER ROLE ${quoteIdent(subname)} RENAME TO ${newName} ${second}`,
          hint: guard(`EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(subname)})`),
        },
      ];
    default: {
      const what = type.replace(/^OBJECT_/, '').replace(/_/g, ' ');
      return [
        {
          message: `RENAME of ${what.toLowerCase()} ${node.subname ? quoteIdent(subname) : ''} to ${newName} ${second}`.replace(/\s+/g, ' '),
          hint: 'guard it with a DO block that checks that the old name still exists: DO $$ BEGIN IF EXISTS (...) THEN ...; END IF; END $$;',
        },
      ];
    }
  }
}

