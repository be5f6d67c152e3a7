import { quoteIdent, quoteLiteral } from '../sql/quote.js';
import type { SqlStatement } from '../sql/types.js';
import { nodeOf } from '../sql/nodes.js';
import { fileModel } from './support/file-model.js';
import { namesKey, namesText, relationKey, relationName, strings } from './support/names.js';
import { insertAfter, withInsertion } from './support/statement-text.js';
import { defineRule } from './types.js';

const NAME = String.raw`(?:"(?:[^"]|"")*"|[^\s."(]+)`;
const QUALIFIED = String.raw`${NAME}(?:\s*\.\s*${NAME})*`;

interface Problem {
  /** What the statement creates, e.g. `CREATE TABLE public.documents`. */
  what: string;
  /** The missing clause. */
  missing: 'IF NOT EXISTS' | 'OR REPLACE';
  /** Identity of the object, to accept a DROP of it earlier in the file. */
  key: string;
  /** The statement start, corrected. */
  fix?: string;
  /** The whole statement, corrected: the finding's suggestion. */
  suggestion?: string;
  /** Extra advice for the hint. */
  note?: string;
  /** Replaces the whole message (unnamed indexes). */
  message?: string;
}

/**
 * CREATE statements that have an idempotent form but do not use it. Statements without such a
 * form (CREATE POLICY, CREATE TYPE, ADD CONSTRAINT, CREATE TRIGGER before PG 14) are guarded-ddl's.
 */
export const rule = defineRule({
  id: 'idempotent-create',
  category: 'idempotency',
  defaultSeverity: 'error',
  description: 'CREATE statements use IF NOT EXISTS or OR REPLACE, so that the migration can run twice.',
  check(context) {
    const model = fileModel(context.sql);
    for (const statement of model.statements) {
      if (statement.guard) continue;
      const problem = inspect(statement, context.postgresVersion);
      if (!problem || model.droppedBefore(problem.key, statement)) continue;
      context.report({
        statement,
        message: problem.message ?? `${problem.what} without ${problem.missing} fails when the migration runs a second time`,
        hint: [problem.fix ? `write "${problem.fix}"` : undefined, problem.note].filter(Boolean).join('; '),
        ...(problem.suggestion ? { suggestion: { sql: problem.suggestion } } : {}),
      });
    }
  },
});

/** The corrected first line for the hint and the corrected statement for the suggestion. */
function fixOf(text: string, pattern: RegExp, insertion: string): { fix?: string; suggestion?: string } {
  const fix = insertAfter(text, pattern, insertion);
  const suggestion = withInsertion(text, pattern, insertion);
  return { ...(fix ? { fix } : {}), ...(suggestion ? { suggestion } : {}) };
}

/** What is wrong with a CREATE statement, or undefined when it is idempotent (or not a CREATE this rule knows). */
function inspect(statement: SqlStatement, postgresVersion: number): Problem | undefined {
  const { kind, node, text } = statement;
  const ifNotExists = (keywords: string, what: string, key: string): Problem => ({
    what,
    missing: 'IF NOT EXISTS',
    key,
    ...fixOf(text, new RegExp(keywords), 'IF NOT EXISTS '),
  });
  const orReplace = (what: string, key: string, note?: string): Problem => ({
    what,
    missing: 'OR REPLACE',
    key,
    ...fixOf(text, /CREATE\s+/, 'OR REPLACE '),
    note,
  });

  switch (kind) {
    case 'CreateStmt': {
      if (node.if_not_exists || node.relation?.relpersistence === 't') return undefined;
      return ifNotExists(String.raw`CREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+`, `CREATE TABLE ${relationName(node.relation)}`, `table:${relationKey(node.relation)}`);
    }
    case 'CreateForeignTableStmt': {
      if (node.base?.if_not_exists) return undefined;
      return ifNotExists(String.raw`CREATE\s+FOREIGN\s+TABLE\s+`, `CREATE FOREIGN TABLE ${relationName(node.base?.relation)}`, `table:${relationKey(node.base?.relation)}`);
    }
    case 'CreateTableAsStmt': {
      if (node.if_not_exists || node.into?.rel?.relpersistence === 't') return undefined;
      const matview = node.objtype === 'OBJECT_MATVIEW';
      const name = relationName(node.into?.rel);
      return matview
        ? ifNotExists(String.raw`CREATE\s+(?:UNLOGGED\s+)?MATERIALIZED\s+VIEW\s+`, `CREATE MATERIALIZED VIEW ${name}`, `matview:${relationKey(node.into?.rel)}`)
        : ifNotExists(String.raw`CREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+`, `CREATE TABLE ${name} AS`, `table:${relationKey(node.into?.rel)}`);
    }
    case 'IndexStmt': {
      if (node.if_not_exists) return undefined;
      const table = relationName(node.relation);
      if (!node.idxname) {
        const columns = (node.indexParams ?? []).map((param) => nodeOf(param, 'IndexElem')?.name ?? 'expr');
        const suggested = `${node.relation?.relname}_${columns.join('_')}_${node.unique ? 'key' : 'idx'}`.slice(0, 63);
        return {
          what: `CREATE INDEX on ${table}`,
          missing: 'IF NOT EXISTS',
          key: `index:unnamed:${statement.range.start.offset}`,
          message: `CREATE ${node.unique ? 'UNIQUE ' : ''}INDEX on ${table} has no name: every run creates another copy of the index`,
          ...fixOf(text, /CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?/, `IF NOT EXISTS ${quoteIdent(suggested)} `),
          note: 'IF NOT EXISTS needs an index name',
        };
      }
      const schema = node.relation?.schemaname ?? 'public';
      return ifNotExists(
        String.raw`CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?`,
        `CREATE INDEX ${quoteIdent(node.idxname)} ON ${table}`,
        `index:${schema}.${node.idxname}`,
      );
    }
    case 'CreateSchemaStmt': {
      if (node.if_not_exists) return undefined;
      // `CREATE SCHEMA AUTHORIZATION joe` names the schema after the role (authrole is a bare RoleSpec).
      const name = node.schemaname ?? node.authrole?.rolename ?? '?';
      return ifNotExists(String.raw`CREATE\s+SCHEMA\s+`, `CREATE SCHEMA ${quoteIdent(name)}`, `schema:${name}`);
    }
    case 'CreateExtensionStmt': {
      if (node.if_not_exists) return undefined;
      return ifNotExists(String.raw`CREATE\s+EXTENSION\s+`, `CREATE EXTENSION ${quoteIdent(node.extname ?? '')}`, `extension:${node.extname}`);
    }
    case 'CreateSeqStmt': {
      if (node.if_not_exists || node.sequence?.relpersistence === 't') return undefined;
      return ifNotExists(String.raw`CREATE\s+(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?SEQUENCE\s+`, `CREATE SEQUENCE ${relationName(node.sequence)}`, `sequence:${relationKey(node.sequence)}`);
    }
    case 'CreateStatsStmt': {
      if (node.if_not_exists || !node.defnames) return undefined;
      const names = strings(node.defnames);
      return ifNotExists(String.raw`CREATE\s+STATISTICS\s+`, `CREATE STATISTICS ${namesText(names)}`, `statistics:${namesKey(names)}`);
    }
    case 'CreateForeignServerStmt': {
      if (node.if_not_exists) return undefined;
      return ifNotExists(String.raw`CREATE\s+SERVER\s+`, `CREATE SERVER ${quoteIdent(node.servername ?? '')}`, `server:${node.servername}`);
    }
    case 'DefineStmt': {
      const names = strings(node.defnames);
      if (node.kind === 'OBJECT_COLLATION' && !node.if_not_exists) {
        return ifNotExists(String.raw`CREATE\s+COLLATION\s+`, `CREATE COLLATION ${namesText(names)}`, `collation:${namesKey(names)}`);
      }
      if (node.kind === 'OBJECT_AGGREGATE' && !node.replace && postgresVersion >= 12) {
        return orReplace(`CREATE AGGREGATE ${namesText(names)}`, `function:${namesKey(names)}`);
      }
      return undefined;
    }
    case 'CreateFunctionStmt': {
      if (node.replace) return undefined;
      const names = strings(node.funcname);
      const word = node.is_procedure ? 'PROCEDURE' : 'FUNCTION';
      return orReplace(
        `CREATE ${word} ${namesText(names)}`,
        `function:${namesKey(names)}`,
        node.is_procedure ? undefined : 'OR REPLACE cannot change the return type or argument names: DROP FUNCTION IF EXISTS first when they change',
      );
    }
    case 'ViewStmt': {
      if (node.replace || node.view?.relpersistence === 't') return undefined;
      return orReplace(
        `CREATE VIEW ${relationName(node.view)}`,
        `view:${relationKey(node.view)}`,
        'OR REPLACE can only add columns at the end: DROP VIEW IF EXISTS first when columns are removed, renamed or reordered',
      );
    }
    case 'CreateTrigStmt': {
      // Before PG 14, and for constraint triggers (no OR REPLACE form), guarded-ddl asks for DROP TRIGGER IF EXISTS.
      if (node.replace || node.isconstraint || postgresVersion < 14) return undefined;
      const table = relationName(node.relation);
      return orReplace(
        `CREATE TRIGGER ${quoteIdent(node.trigname ?? '')} ON ${table}`,
        `trigger:${relationKey(node.relation)}:${node.trigname}`,
        `or run "DROP TRIGGER IF EXISTS ${quoteIdent(node.trigname ?? '')} ON ${table};" first`,
      );
    }
    case 'RuleStmt': {
      if (node.replace) return undefined;
      return orReplace(`CREATE RULE ${quoteIdent(node.rulename ?? '')} ON ${relationName(node.relation)}`, `rule:${relationKey(node.relation)}:${node.rulename}`);
    }
    case 'CreatePLangStmt': {
      if (node.replace) return undefined;
      return orReplace(`CREATE LANGUAGE ${quoteIdent(node.plname ?? '')}`, `language:${node.plname}`);
    }
    case 'AlterEnumStmt': {
      // ALTER TYPE ... ADD VALUE has had IF NOT EXISTS since 9.3; RENAME VALUE has no IF form (guarded-ddl).
      if (node.oldVal || node.skipIfNewValExists || node.newVal === undefined) return undefined;
      const names = strings(node.typeName);
      return {
        what: `ALTER TYPE ${namesText(names)} ADD VALUE ${quoteLiteral(node.newVal)}`,
        missing: 'IF NOT EXISTS',
        key: `enum-value:${namesKey(names)}:${node.newVal}`,
        ...fixOf(text, new RegExp(String.raw`ALTER\s+TYPE\s+${QUALIFIED}\s+ADD\s+VALUE\s+`), 'IF NOT EXISTS '),
      };
    }
    default:
      return undefined;
  }
}
