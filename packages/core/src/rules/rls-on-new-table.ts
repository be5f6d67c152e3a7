import type { RangeVar } from 'libpg-query';
import type { Migration } from '../migration/types.js';
import { parseSqlMatching } from '../sql/index.js';
import type { ParsedSql, SqlStatement } from '../sql/types.js';
import { nodeOf, nodesOf } from '../sql/nodes.js';
import { earlierMigrations } from './support/history-facts.js';
import { relationKey } from './support/names.js';
import { cappedSeverity } from './support/severity.js';
import { executedStatements } from './support/statements.js';
import { defineRule, type Rule } from './types.js';

const ID = 'rls-on-new-table';

interface CreatedTable {
  statement: SqlStatement;
  /** `CREATE TABLE IF NOT EXISTS`: a no-op when the table is already there. */
  ifNotExists: boolean;
  /** The parent of a `PARTITION OF` table. */
  partitionOf?: string;
  /** Current `schema.name` (follows RENAME and SET SCHEMA in the same file). */
  key: string;
  /** Every `schema.name` the table had in this file. */
  names: Set<string>;
}

/**
 * A table created in an API-exposed schema must get row level security in the same migration.
 * Only statements the migration executes count: top level and DO blocks, not function bodies.
 */
export const rule = defineRule({
  id: ID,
  category: 'security',
  defaultSeverity: 'error',
  description: 'A table created in an exposed schema enables row level security in the same migration; RLS is never disabled there.',
  check(context) {
    const exposed = new Set(context.config.exposedSchemas.map((schema) => schema.toLowerCase()));
    const created: CreatedTable[] = [];
    const byKey = new Map<string, CreatedTable>();
    const enabled = new Map<string, SqlStatement>();
    const policies = new Set<string>();
    const matviews: { statement: SqlStatement; key: string }[] = [];
    /** Relation key -> roles this file revokes privileges from on it. */
    const revoked = new Map<string, Set<string>>();
    // Whole-history lint goes in version order: later files find this one's changes without a second parse.
    rlsChanges(context.migration, context.sql);
    const protectedBefore = earlierRlsTables(context);

    for (const statement of executedStatements(context.sql)) {
      const { kind, node } = statement;
      const newTable = createdRelation(statement);
      if (newTable) {
        const key = relationKey(newTable);
        if (!byKey.has(key)) {
          const table: CreatedTable = { statement, key, names: new Set([key]), ifNotExists: kind === 'CreateStmt' && Boolean(node.if_not_exists) };
          const parent = kind === 'CreateStmt' && node.partbound ? nodeOf(node.inhRelations?.[0], 'RangeVar') : undefined;
          if (parent) table.partitionOf = relationKey(parent);
          created.push(table);
          byKey.set(key, table);
        }
        continue;
      }
      if (kind === 'CreateTableAsStmt' && node.objtype === 'OBJECT_MATVIEW' && node.into?.rel) {
        matviews.push({ statement, key: relationKey(node.into.rel) });
        continue;
      }
      if (kind === 'GrantStmt' && !node.is_grant && node.objtype === 'OBJECT_TABLE') {
        const roles = (node.grantees ?? []).map((grantee) => String(nodeOf(grantee, 'RoleSpec')?.rolename ?? '').toLowerCase());
        for (const object of nodesOf(node.objects, 'RangeVar')) {
          const key = relationKey(object);
          const set = revoked.get(key) ?? new Set<string>();
          for (const role of roles) set.add(role);
          revoked.set(key, set);
        }
        continue;
      }
      if (kind === 'AlterTableStmt' && node.objtype === 'OBJECT_TABLE' && node.relation) {
        const key = relationKey(node.relation);
        for (const cmd of node.cmds ?? []) {
          const subtype = nodeOf(cmd, 'AlterTableCmd')?.subtype;
          if (subtype === 'AT_EnableRowSecurity') {
            const table = byKey.get(key);
            for (const name of table?.names ?? [key]) if (!enabled.has(name)) enabled.set(name, statement);
          } else if (subtype === 'AT_DisableRowSecurity' && exposed.has(schemaOf(key))) {
            context.report({
              statement,
              message: `DISABLE ROW LEVEL SECURITY on ${key}: every row becomes visible to the API roles (anon, authenticated) that hold privileges on it`,
              hint: 'keep RLS enabled and change the policies instead; a table that must bypass RLS belongs in a schema that is not exposed through the API',
            });
          }
        }
        continue;
      }
      if (kind === 'CreatePolicyStmt' && node.table) {
        const key = relationKey(node.table);
        for (const name of byKey.get(key)?.names ?? [key]) policies.add(name);
        continue;
      }
      // Follow a created table through RENAME and SET SCHEMA, so that later statements may use the new name.
      if (kind === 'RenameStmt' && node.renameType === 'OBJECT_TABLE' && node.relation && node.newname) {
        moveTable(byKey, relationKey(node.relation), `${schemaOf(relationKey(node.relation))}.${node.newname}`);
      } else if (kind === 'AlterObjectSchemaStmt' && node.objectType === 'OBJECT_TABLE' && node.relation && node.newschema) {
        const from = relationKey(node.relation);
        moveTable(byKey, from, `${node.newschema}.${from.slice(from.indexOf('.') + 1)}`);
      }
    }

    for (const table of created) {
      const schema = schemaOf(table.key);
      if (!exposed.has(schema)) continue;
      const enabling = [...table.names].map((name) => enabled.get(name)).find(Boolean);
      const nothingToReport = enabling && (table.partitionOf || [...table.names].some((name) => policies.has(name)));
      // CREATE TABLE IF NOT EXISTS of a table an earlier migration created with RLS: nothing new is exposed.
      // Asked only when a finding would follow: it reads the earlier history (a one-file lint rarely needs it).
      if (nothingToReport || (table.ifNotExists && table.names.size === 1 && protectedBefore().has(table.key))) continue;
      if (!enabling && table.partitionOf) {
        context.report({
          statement: table.statement,
          message: `partition ${table.key} of ${table.partitionOf} is created in exposed schema "${schema}" without ENABLE ROW LEVEL SECURITY: queried directly, a partition bypasses its parent's policies`,
          hint: `add "ALTER TABLE ${table.key} ENABLE ROW LEVEL SECURITY;" (without policies it denies direct access to anon and authenticated, while queries through ${table.partitionOf} keep the parent's policies)`,
        });
      } else if (!enabling) {
        context.report({
          statement: table.statement,
          message: `table ${table.key} is created in exposed schema "${schema}" without ENABLE ROW LEVEL SECURITY in this migration`,
          hint: `add "ALTER TABLE ${table.key} ENABLE ROW LEVEL SECURITY;" and policies for the roles that need rows, e.g. CREATE POLICY ... ON ${table.key} FOR SELECT TO authenticated USING (auth.uid() = user_id)`,
        });
      } else if (table.partitionOf) {
        // Deny-all on direct access is what a partition wants: rows are read through the parent.
      } else if (![...table.names].some((name) => policies.has(name))) {
        context.report({
          statement: enabling,
          severity: cappedSeverity(context, ID, 'warning'),
          message: `row level security is enabled on ${table.key} but this migration creates no policy for it: anon and authenticated are denied every row`,
          hint: `add CREATE POLICY statements for the roles that need access; if deny-all is intended (only service_role or SECURITY DEFINER functions use the table), say so with "-- pgwarden-ignore ${ID} -- deny-all: <why>" above this statement`,
        });
      }
    }

    // A materialized view cannot have row level security: in an exposed schema the API roles read all of it.
    for (const view of matviews) {
      const schema = schemaOf(view.key);
      if (!exposed.has(schema)) continue;
      const roles = revoked.get(view.key);
      // Supabase grants to anon and authenticated by name: revoking from PUBLIC leaves those grants in place.
      const open = API_ROLES.filter((role) => !roles?.has(role));
      if (open.length === 0) continue;
      context.report({
        statement: view.statement,
        message: `materialized view ${view.key} is created in exposed schema "${schema}": a materialized view cannot have row level security, so ${open.join(' and ')} can read every row of it through the API`,
        hint: `revoke it from the API roles ("REVOKE ALL ON ${view.key} FROM anon, authenticated;") and read it through a function or a view with security_invoker, or create it in a schema that is not exposed`,
      });
    }
  },
});

const API_ROLES = ['anon', 'authenticated'];

const ROW_LEVEL_SECURITY = /row\s+level\s+security/i;
const rlsCache = new WeakMap<Migration, [string, boolean][]>();

/**
 * ENABLE (true) / DISABLE (false) ROW LEVEL SECURITY statements of a migration, in order; parsed once
 * per file, or not at all when the file was linted first (`parsed`: the engine's parse of its text).
 */
function rlsChanges(migration: Migration, parsed?: ParsedSql): [string, boolean][] {
  let changes = rlsCache.get(migration);
  if (changes) return changes;
  changes = [];
  if (ROW_LEVEL_SECURITY.test(migration.text)) {
    // Another file of the history: only its statements that name row level security are parsed.
    parsed ??= parseSqlMatching(migration.text, ROW_LEVEL_SECURITY);
    for (const statement of [...parsed.statements, ...parsed.nested]) {
      if (statement.kind !== 'AlterTableStmt' || !statement.node.relation) continue;
      const subtypes = (statement.node.cmds ?? []).map((cmd) => nodeOf(cmd, 'AlterTableCmd')?.subtype);
      const key = relationKey(statement.node.relation);
      if (subtypes.includes('AT_EnableRowSecurity')) changes.push([key, true]);
      if (subtypes.includes('AT_DisableRowSecurity')) changes.push([key, false]);
    }
  }
  rlsCache.set(migration, changes);
  return changes;
}

/**
 * Tables that earlier migrations (in version order) enable RLS on. Not current_schema/: it may already
 * describe this very migration. Computed on first use only; only files that mention ROW LEVEL SECURITY are parsed.
 */
function earlierRlsTables(context: Parameters<Rule['check']>[0]): () => ReadonlySet<string> {
  let tables: Set<string> | undefined;
  return () => {
    if (tables) return tables;
    tables = new Set();
    for (const migration of earlierMigrations(context)) {
      for (const [key, enabled] of rlsChanges(migration)) {
        if (enabled) tables.add(key);
        else tables.delete(key);
      }
    }
    return tables;
  };
}


/** The table a statement creates (partitions included: queried directly, they bypass the parent's policies), unless it is temporary. */
function createdRelation(statement: SqlStatement): RangeVar | undefined {
  const { kind, node } = statement;
  let relation: RangeVar | undefined;
  if (kind === 'CreateStmt') {
    relation = node.relation;
  } else if (kind === 'CreateTableAsStmt') {
    if (node.objtype !== 'OBJECT_TABLE') return undefined;
    relation = node.into?.rel;
  } else if (kind === 'SelectStmt' && node.intoClause) {
    relation = node.intoClause.rel;
  }
  if (!relation || relation.relpersistence === 't') return undefined;
  return relation;
}

function moveTable(byKey: Map<string, CreatedTable>, from: string, to: string): void {
  const table = byKey.get(from);
  if (!table) return;
  byKey.delete(from);
  table.key = to;
  table.names.add(to);
  byKey.set(to, table);
}

function schemaOf(key: string): string {
  return key.slice(0, key.indexOf('.')).toLowerCase();
}
