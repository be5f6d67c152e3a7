import type { AlterTableCmd, AlterTableStmt, RangeVar } from 'libpg-query';
import { quoteIdent } from '../sql/quote.js';
import type { SqlStatement } from '../sql/types.js';
import { nodeOf, nodesOf, optionNamed } from '../sql/nodes.js';
import { fileModel } from './support/file-model.js';
import { tablesCreatedBefore } from './support/history-tables.js';
import { indexTableFinder } from './support/index-tables.js';
import { keyText, namesKey, namesText, relationKey, relationName, strings } from './support/names.js';
import { CatalogCursor } from './support/schema-catalog.js';
import { alterCommands } from './support/statements.js';
import { defineRule, type RuleContext } from './types.js';

/** A relation a statement locks in ACCESS EXCLUSIVE mode. */
export interface Locked {
  /** `schema.name`, to skip relations created in this file. */
  key?: string;
  /** As written in the message. */
  text: string;
}

export interface LockReport {
  locked: Locked[];
  /** What takes the lock, e.g. `ALTER TABLE ... ADD COLUMN c`. */
  reason: string;
  /** Extra sentence for the message (e.g. REINDEX also takes SHARE on the table). */
  note?: string;
}

/** ALTER TABLE subcommands below ACCESS EXCLUSIVE (Postgres' AlterTableGetLockLevel). */
const SHARE_UPDATE_EXCLUSIVE = new Set<string | undefined>([
  'AT_SetStatistics',
  'AT_ClusterOn',
  'AT_DropCluster',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_ValidateConstraint',
  'AT_DetachPartitionFinalize',
]);
const SHARE_ROW_EXCLUSIVE = new Set<string | undefined>([
  'AT_EnableTrig',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_EnableTrigAll',
  'AT_EnableTrigUser',
  'AT_DisableTrig',
  'AT_DisableTrigAll',
  'AT_DisableTrigUser',
]);
/** Storage parameters that need ACCESS EXCLUSIVE; the others (fillfactor, autovacuum_*, ...) take SHARE UPDATE EXCLUSIVE. */
const AEL_RELOPTIONS = new Set<string | undefined>(['user_catalog_table', 'security_barrier', 'security_invoker', 'check_option']);

/**
 * Names the relations each statement locks in ACCESS EXCLUSIVE mode, which blocks every read and
 * write (and queues all later queries behind the waiting lock). Relations created earlier in the
 * same file are skipped: nobody else can be using them yet.
 */
export const rule = defineRule({
  id: 'access-exclusive-lock',
  category: 'locking',
  defaultSeverity: 'info',
  description: 'Names, once per migration, the tables its statements lock in ACCESS EXCLUSIVE mode, so that the migration is scheduled for a low-traffic window.',
  check(context) {
    const model = fileModel(context.sql, tablesCreatedBefore(context));
    const catalog = new CatalogCursor(context);
    const indexTableOf = indexTableFinder(context);
    const found: { statement: SqlStatement; names: string[]; report: LockReport }[] = [];
    for (const statement of model.statements) {
      const report = inspect(statement, context.postgresVersion, (indexKey) => catalog.current().indexTable(indexKey) ?? indexTableOf(indexKey));
      catalog.advance(statement);
      if (!report) continue;
      const locked = report.locked.filter((relation) => !relation.key || !model.createdBefore(relation.key, statement));
      if (locked.length > 0) found.push({ statement, names: unique(locked.map((relation) => relation.text)), report });
    }
    if (found.length === 0) return;

    // One finding per migration: the schedule of the whole migration is what matters, not each statement.
    const first = found[0]!;
    const tables = unique(found.flatMap((item) => item.names));
    const them = tables.length > 1 ? 'them' : 'it';
    if (found.length === 1) {
      const { report } = first;
      context.report({
        statement: first.statement,
        message: `${report.reason} takes an ACCESS EXCLUSIVE lock on ${tables.join(', ')}: every read and write of ${them} waits ${lockHeldUntil(context)}${report.note ? `; ${report.note}` : ''}`,
        hint: hint(context),
      });
      return;
    }
    const shown = found.slice(0, MAX_LISTED).map((item) => `${item.report.reason} (line ${item.statement.range.start.line})`);
    const more = found.length > MAX_LISTED ? ` and ${found.length - MAX_LISTED} more` : '';
    const notes = unique(found.map((item) => item.report.note).filter((note): note is string => Boolean(note)));
    context.report({
      statement: first.statement,
      message:
        `${found.length} statements take ACCESS EXCLUSIVE locks on ${tables.join(', ')}: ${shown.join(', ')}${more}; ` +
        `every read and write of ${them} waits ${lockHeldUntil(context)}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
      hint: hint(context),
    });
  },
});

/** Statements listed in the one message of a migration; the rest are counted. */
const MAX_LISTED = 5;

/** How long the lock is held, for messages: until the transaction commits, or until the statement ends. */
function lockHeldUntil(context: RuleContext): string {
  return context.migration.directives.noTransaction ? 'until the statement finishes' : "until the migration's transaction commits";
}

function hint(context: RuleContext): string {
  const fileTimeout = context.migration.directives.lockTimeout;
  const timeout = fileTimeout
    ? `this file sets lock_timeout ${fileTimeout}`
    : `pgwarden applies lock_timeout ${context.config.lockTimeout} (config "lockTimeout"; per file: "-- pgwarden:lock-timeout 2s" in the header)`;
  return `run it in a low-traffic window; ${timeout}, so that a lock that is not granted quickly aborts the migration instead of queueing every query on the table behind it`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function rel(relation: RangeVar | undefined): Locked {
  return { key: relationKey(relation), text: relationName(relation) };
}

function listKey(names: string[]): Locked {
  return { key: namesKey(names), text: namesText(names) };
}

/** Label of an ALTER TABLE subcommand for messages. */
function label(cmd: AlterTableCmd): string {
  const column = cmd.name ? ` ${quoteIdent(cmd.name)}` : '';
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      return `ADD COLUMN ${quoteIdent(nodeOf(cmd.def, 'ColumnDef')?.colname ?? '?')}`;
    case 'AT_DropColumn':
      return `DROP COLUMN${column}`;
    case 'AT_AlterColumnType':
      return `ALTER COLUMN${column} TYPE`;
    case 'AT_ColumnDefault':
      return `ALTER COLUMN${column} ${cmd.def ? 'SET' : 'DROP'} DEFAULT`;
    case 'AT_SetNotNull':
      return `ALTER COLUMN${column} SET NOT NULL`;
    case 'AT_DropNotNull':
      return `ALTER COLUMN${column} DROP NOT NULL`;
    case 'AT_AddConstraint': {
      const constraint = nodeOf(cmd.def, 'Constraint');
      return `ADD ${constraint?.conname ? `CONSTRAINT ${quoteIdent(constraint.conname)}` : String(constraint?.contype ?? '').replace(/^CONSTR_/, '')}`;
    }
    case 'AT_DropConstraint':
      return `DROP CONSTRAINT${column}`;
    case 'AT_EnableRowSecurity':
      return 'ENABLE ROW LEVEL SECURITY';
    case 'AT_DisableRowSecurity':
      return 'DISABLE ROW LEVEL SECURITY';
    case 'AT_ForceRowSecurity':
      return 'FORCE ROW LEVEL SECURITY';
    case 'AT_NoForceRowSecurity':
      return 'NO FORCE ROW LEVEL SECURITY';
    case 'AT_ChangeOwner':
      return 'OWNER TO';
    case 'AT_SetLogged':
      return 'SET LOGGED';
    case 'AT_SetUnLogged':
      return 'SET UNLOGGED';
    case 'AT_SetTableSpace':
      return 'SET TABLESPACE';
    case 'AT_ReplicaIdentity':
      return 'REPLICA IDENTITY';
    case 'AT_AddIdentity':
    case 'AT_SetIdentity':
    case 'AT_DropIdentity':
      return `ALTER COLUMN${column} ${cmd.subtype === 'AT_DropIdentity' ? 'DROP' : 'SET'} IDENTITY`;
    case 'AT_SetStorage':
      return `ALTER COLUMN${column} SET STORAGE`;
    case 'AT_SetCompression':
      return `ALTER COLUMN${column} SET COMPRESSION`;
    case 'AT_SetExpression':
      return `ALTER COLUMN${column} SET EXPRESSION`;
    case 'AT_DropExpression':
      return `ALTER COLUMN${column} DROP EXPRESSION`;
    case 'AT_SetRelOptions':
      return 'SET (...)';
    case 'AT_ResetRelOptions':
      return 'RESET (...)';
    case 'AT_AttachPartition':
      return 'ATTACH PARTITION';
    case 'AT_DetachPartition':
      return 'DETACH PARTITION';
    default:
      return String(cmd.subtype).replace(/^AT_/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
  }
}

const OBJECT_WORD: Record<string, string> = {
  OBJECT_TABLE: 'TABLE',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_VIEW: 'VIEW',
  OBJECT_INDEX: 'INDEX',
  OBJECT_SEQUENCE: 'SEQUENCE',
};

function alterTable(node: AlterTableStmt, postgresVersion: number): LockReport | undefined {
  const word = node.objtype && OBJECT_WORD[node.objtype];
  if (!word) return undefined;
  const locked: Locked[] = [];
  const labels: string[] = [];
  let onTarget = false;
  for (const cmd of alterCommands(node)) {
    const { subtype } = cmd;
    if (SHARE_UPDATE_EXCLUSIVE.has(subtype) || SHARE_ROW_EXCLUSIVE.has(subtype)) continue;
    if (subtype === 'AT_AddConstraint' && nodeOf(cmd.def, 'Constraint')?.contype === 'CONSTR_FOREIGN') continue; // SHARE ROW EXCLUSIVE on both tables
    if ((subtype === 'AT_SetRelOptions' || subtype === 'AT_ResetRelOptions') && !(nodeOf(cmd.def, 'List')?.items ?? []).some((item) => AEL_RELOPTIONS.has(nodeOf(item, 'DefElem')?.defname))) continue;
    if (subtype === 'AT_AttachPartition' || subtype === 'AT_DetachPartition') {
      const partition = nodeOf(cmd.def, 'PartitionCmd');
      const concurrent = subtype === 'AT_DetachPartition' && partition?.concurrent;
      if (concurrent) continue;
      if (partition?.name) locked.push(rel(partition.name));
      // Since PG 12 ATTACH PARTITION takes only SHARE UPDATE EXCLUSIVE on the parent.
      if (subtype === 'AT_DetachPartition' || postgresVersion < 12) onTarget = true;
      labels.push(label(cmd));
      continue;
    }
    onTarget = true;
    labels.push(label(cmd));
  }
  if (labels.length === 0) return undefined;
  if (onTarget) locked.unshift(rel(node.relation));
  return { locked, reason: `ALTER ${word} ${relationName(node.relation)} ${unique(labels).join(', ')}` };
}

/**
 * The relations a statement locks in ACCESS EXCLUSIVE mode on that Postgres version (also used by
 * the impact report); `indexTable` names the table of an index (`schema.index` -> `schema.table`).
 */
export function accessExclusiveLocks(statement: SqlStatement, postgresVersion: number, indexTable: (indexKey: string) => string | undefined): LockReport | undefined {
  return inspect(statement, postgresVersion, indexTable);
}

function inspect(statement: SqlStatement, postgresVersion: number, indexTable: (indexKey: string) => string | undefined): LockReport | undefined {
  const { kind, node } = statement;
  switch (kind) {
    case 'AlterTableStmt':
      return alterTable(node, postgresVersion);
    case 'RenameStmt': {
      if (!node.relation) return undefined;
      const type = node.renameType ?? ''; // always set by the parser
      if (type === 'OBJECT_INDEX' && postgresVersion >= 12) return undefined; // SHARE UPDATE EXCLUSIVE since PG 12
      const target = relationName(node.relation);
      const sub = quoteIdent(node.subname ?? '?');
      const what: Record<string, string> = {
        OBJECT_TABLE: `ALTER TABLE ${target} RENAME TO ${quoteIdent(node.newname ?? '')}`,
        OBJECT_COLUMN: `ALTER TABLE ${target} RENAME COLUMN ${sub}`,
        OBJECT_TABCONSTRAINT: `ALTER TABLE ${target} RENAME CONSTRAINT ${sub}`,
        OBJECT_TRIGGER: `ALTER TRIGGER ${sub} ON ${target} RENAME`,
        OBJECT_POLICY: `ALTER POLICY ${sub} ON ${target} RENAME`,
        OBJECT_VIEW: `ALTER VIEW ${target} RENAME`,
        OBJECT_MATVIEW: `ALTER MATERIALIZED VIEW ${target} RENAME`,
        OBJECT_SEQUENCE: `ALTER SEQUENCE ${target} RENAME`,
        OBJECT_FOREIGN_TABLE: `ALTER FOREIGN TABLE ${target} RENAME`,
        OBJECT_INDEX: `ALTER INDEX ${target} RENAME`,
      };
      if (!what[type]) return undefined;
      return { locked: [rel(node.relation)], reason: what[type]! };
    }
    case 'AlterObjectSchemaStmt': {
      const word = node.objectType && OBJECT_WORD[node.objectType];
      if (!node.relation || !word) return undefined;
      return { locked: [rel(node.relation)], reason: `ALTER ${word} ${relationName(node.relation)} SET SCHEMA` };
    }
    case 'DropStmt': {
      const type = node.removeType ?? ''; // always set by the parser
      const objects = (node.objects ?? []).map((object) => strings(nodeOf(object, 'List')?.items));
      if (type === 'OBJECT_TABLE' || type === 'OBJECT_MATVIEW' || type === 'OBJECT_VIEW' || type === 'OBJECT_FOREIGN_TABLE') {
        const locked = objects.map((names) => listKey(names));
        return { locked, reason: `DROP ${OBJECT_WORD[type]}` };
      }
      if (type === 'OBJECT_INDEX' && !node.concurrent) {
        const locked = objects.map((names) => {
          const table = indexTable(namesKey(names));
          return table
            ? { key: table, text: keyText(table) }
            : { text: `the table of index ${namesText(names)} (no CREATE INDEX ${namesText(names)} found in current_schema/ or the earlier migrations)` };
        });
        return { locked, reason: `DROP INDEX ${objects.map(namesText).join(', ')}` };
      }
      if (type === 'OBJECT_TRIGGER' || type === 'OBJECT_POLICY' || type === 'OBJECT_RULE') {
        const locked = objects.map((names) => listKey(names.slice(0, -1)));
        const names = objects.map((names) => quoteIdent(names.at(-1) ?? '?'));
        return { locked, reason: `DROP ${type.replace('OBJECT_', '')} ${names.join(', ')}` };
      }
      return undefined;
    }
    case 'TruncateStmt':
      return { locked: (node.relations ?? []).map((item) => rel(nodeOf(item, 'RangeVar'))), reason: 'TRUNCATE' };
    case 'CreatePolicyStmt':
      return { locked: [rel(node.table)], reason: `CREATE POLICY "${node.policy_name}"` };
    case 'AlterPolicyStmt':
      return { locked: [rel(node.table)], reason: `ALTER POLICY "${node.policy_name}"` };
    case 'RuleStmt':
      return { locked: [rel(node.relation)], reason: `CREATE RULE ${quoteIdent(node.rulename ?? '')}` };
    case 'VacuumStmt': {
      const fullOption = optionNamed(node.options, 'full');
      const full = fullOption !== undefined && nodeOf(fullOption.arg, 'Boolean')?.boolval !== false;
      if (!node.is_vacuumcmd || !full) return undefined;
      const rels = nodesOf(node.rels, 'VacuumRelation').flatMap((item) => (item.relation ? [item.relation] : []));
      return { locked: rels.length ? rels.map(rel) : [{ text: 'every table of the database' }], reason: 'VACUUM FULL' };
    }
    case 'ClusterStmt':
      return { locked: node.relation ? [rel(node.relation)] : [{ text: 'every previously clustered table' }], reason: 'CLUSTER' };
    case 'RefreshMatViewStmt':
      if (node.concurrent) return undefined;
      return { locked: [rel(node.relation)], reason: 'REFRESH MATERIALIZED VIEW (without CONCURRENTLY)' };
    case 'LockStmt':
      if (node.mode !== undefined && node.mode !== 8) return undefined;
      return { locked: (node.relations ?? []).map((item) => rel(nodeOf(item, 'RangeVar'))), reason: 'LOCK TABLE' };
    case 'ReindexStmt': {
      const concurrently = optionNamed(node.params, 'concurrently');
      if (concurrently !== undefined && nodeOf(concurrently.arg, 'Boolean')?.boolval !== false) return undefined;
      if (node.kind === 'REINDEX_OBJECT_INDEX' && node.relation) {
        const table = indexTable(relationKey(node.relation));
        return {
          locked: [{ key: table, text: `index ${relationName(node.relation)}` }],
          reason: 'REINDEX INDEX',
          note: `it also holds a SHARE lock on ${table ? keyText(table) : 'its table'} (writes wait); queries that would use the index wait (use REINDEX CONCURRENTLY on PG 12+)`,
        };
      }
      if (node.kind === 'REINDEX_OBJECT_TABLE' && node.relation) {
        return {
          locked: [{ key: relationKey(node.relation), text: `every index of ${relationName(node.relation)}` }],
          reason: 'REINDEX TABLE',
          note: `it also holds a SHARE lock on ${relationName(node.relation)} itself (writes wait) and queries that would use its indexes wait (use REINDEX CONCURRENTLY on PG 12+)`,
        };
      }
      return { locked: [{ text: `every index of the ${String(node.kind).replace('REINDEX_OBJECT_', '').toLowerCase()}` }], reason: 'REINDEX' };
    }
    default:
      return undefined;
  }
}
