import { quoteIdent } from '../sql/quote.js';
import type { SqlStatement } from '../sql/types.js';
import { nodeOf, optionNamed } from '../sql/nodes.js';
import { fileModel } from './support/file-model.js';
import { tablesCreatedBefore } from './support/history-tables.js';
import { createdIndexKey, keyText, namesKey, namesText, relationKey, relationName, strings } from './support/names.js';
import { CatalogCursor } from './support/schema-catalog.js';
import { insertAfter } from './support/statement-text.js';
import { inDoBlock } from './support/statements.js';
import { defineRule, type RuleContext } from './types.js';

/**
 * CREATE INDEX holds a SHARE lock (writes blocked) for the whole build and DROP INDEX an ACCESS
 * EXCLUSIVE lock on the table; their CONCURRENTLY forms do not block writes. Tables created in the
 * same file are empty and unused, so a plain CREATE INDEX on them is fine.
 */
export const rule = defineRule({
  id: 'index-concurrently',
  category: 'locking',
  defaultSeverity: 'warning',
  description: 'CREATE INDEX, DROP INDEX and REINDEX on existing tables use CONCURRENTLY (in a no-transaction migration).',
  check(context) {
    const model = fileModel(context.sql, tablesCreatedBefore(context));
    const cursor = new CatalogCursor(context);
    const createdIndexes = new Set<string>();
    for (const statement of model.statements) {
      if (statement.kind === 'IndexStmt') {
        const { node } = statement;
        const tableKey = relationKey(node.relation);
        if (node.idxname) createdIndexes.add(createdIndexKey(node));
        if (!node.concurrent && !model.createdBefore(tableKey, statement)) {
          const partitioned = cursor.current().isPartitioned(tableKey);
          reportCreate(context, statement, partitioned);
        }
      } else if (statement.kind === 'DropStmt' && statement.node.removeType === 'OBJECT_INDEX' && !statement.node.concurrent) {
        const existing = (statement.node.objects ?? [])
          .map((object) => strings(nodeOf(object, 'List')?.items))
          .filter((names) => {
            const key = namesKey(names);
            const table = cursor.current().indexTable(key);
            return !createdIndexes.has(key) && !(table && model.createdBefore(table, statement));
          });
        if (existing.length) reportDrop(context, statement, existing, (key) => cursor.current().indexTable(key));
      } else if (statement.kind === 'ReindexStmt' && statement.node.relation && (statement.node.kind === 'REINDEX_OBJECT_TABLE' || statement.node.kind === 'REINDEX_OBJECT_INDEX')) {
        const { node } = statement;
        const concurrently = optionNamed(node.params, 'concurrently');
        const concurrent = concurrently !== undefined && nodeOf(concurrently.arg, 'Boolean')?.boolval !== false;
        const tableKey = node.kind === 'REINDEX_OBJECT_TABLE' ? relationKey(node.relation) : cursor.current().indexTable(relationKey(node.relation));
        if (!concurrent && !(tableKey && model.createdBefore(tableKey, statement))) reportReindex(context, statement);
      }
      cursor.advance(statement);
    }
  },
});

function directiveAdvice(context: RuleContext, statement: SqlStatement): string {
  if (inDoBlock(statement)) return 'move it out of the DO block (CONCURRENTLY cannot run inside a function or DO block) into a migration whose header has "-- pgwarden:no-transaction"';
  return context.migration.directives.noTransaction
    ? 'this file already runs without a transaction ("-- pgwarden:no-transaction")'
    : 'CONCURRENTLY cannot run inside a transaction: put it in its own migration with "-- pgwarden:no-transaction" in the header';
}

function reportCreate(context: RuleContext, statement: SqlStatement<'IndexStmt'>, partitioned: boolean): void {
  const { node, text } = statement;
  const table = relationName(node.relation);
  const name = node.idxname ? `${quoteIdent(node.idxname)} ` : '';
  const unique = node.unique ? 'UNIQUE ' : '';
  if (partitioned) {
    context.report({
      statement,
      message: `CREATE ${unique}INDEX ${name}on partitioned table ${table} blocks writes to every partition (SHARE lock) while the indexes are built; CONCURRENTLY is not supported on a partitioned table`,
      hint: `create the parent index with "CREATE ${unique}INDEX ${name}ON ONLY ${table} (...)", build each partition's index with CREATE INDEX CONCURRENTLY, then ALTER INDEX ... ATTACH PARTITION each one`,
    });
    return;
  }
  const fix = insertAfter(text, /CREATE\s+(?:UNIQUE\s+)?INDEX\s+/, node.if_not_exists || !node.idxname ? 'CONCURRENTLY ' : 'CONCURRENTLY IF NOT EXISTS ');
  context.report({
    statement,
    message: `CREATE ${unique}INDEX ${name}on ${table} without CONCURRENTLY blocks every write to ${table} (SHARE lock) until the whole index is built`,
    hint: `write "${fix ?? `CREATE ${unique}INDEX CONCURRENTLY IF NOT EXISTS ...`}"; ${directiveAdvice(context, statement)}`,
  });
}

function reportDrop(context: RuleContext, statement: SqlStatement<'DropStmt'>, indexes: string[][], indexTable: (key: string) => string | undefined): void {
  const tables = indexes.map((names) => indexTable(namesKey(names))).filter((key): key is string => Boolean(key));
  const tableText = tables.length ? [...new Set(tables)].map(keyText).join(', ') : 'its table';
  const list = indexes.map(namesText);
  const cascade = statement.node.behavior === 'DROP_CASCADE';
  context.report({
    statement,
    message: `DROP INDEX ${list.join(', ')} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on ${tableText}: every read and write waits`,
    hint:
      `write ${list.map((index) => `"DROP INDEX CONCURRENTLY IF EXISTS ${index};"`).join(' ')}` +
      `${list.length > 1 ? ' (one index per statement)' : ''}${cascade ? ' (CONCURRENTLY does not support CASCADE)' : ''}; ${directiveAdvice(context, statement)}`,
  });
}

function reportReindex(context: RuleContext, statement: SqlStatement<'ReindexStmt'>): void {
  const { node } = statement;
  const what = `${node.kind === 'REINDEX_OBJECT_TABLE' ? 'TABLE' : 'INDEX'} ${relationName(node.relation)}`;
  context.report({
    statement,
    message: `REINDEX ${what} without CONCURRENTLY blocks writes to the table and every query that would use the rebuilt indexes`,
    hint:
      context.postgresVersion >= 12
        ? `write "REINDEX ${node.kind === 'REINDEX_OBJECT_TABLE' ? 'TABLE' : 'INDEX'} CONCURRENTLY ${relationName(node.relation)}"; ${directiveAdvice(context, statement)}`
        : `REINDEX CONCURRENTLY needs PostgreSQL 12 (target: ${context.postgresVersion}): build a replacement with CREATE INDEX CONCURRENTLY, then drop the old index concurrently`,
  });
}
