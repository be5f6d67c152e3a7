import type { IndexInfo } from '../types.js';
import { quoteIdent } from '../../sql/quote.js';
import { relationSql } from './sql-names.js';
import { defineCatalogLint } from './types.js';

/** Whether the index can find the rows of a foreign key: its leading key columns are the key's columns. */
export function coversColumns(index: IndexInfo, columns: readonly string[]): boolean {
  if (!index.valid || index.predicate !== undefined || index.columns.length < columns.length) return false;
  const leading = index.columns.slice(0, columns.length);
  return columns.every((column) => leading.includes(column));
}

/**
 * Supabase splinter's unindexed_foreign_keys: deleting or updating a referenced row looks up the
 * referencing rows; without an index whose leading columns are the foreign key's, that is a scan of
 * the referencing table (under a lock) for every row.
 */
export const lint = defineCatalogLint({
  id: 'unindexed-foreign-key',
  category: 'performance',
  defaultSeverity: 'info',
  description: 'Foreign keys have an index whose leading columns are the key\'s columns.',
  check(snapshot) {
    return snapshot.tables.flatMap((table) =>
      table.constraints
        // A partition's copy of its parent's foreign key is judged on the parent.
        .filter((constraint) => constraint.type === 'foreign_key' && !constraint.inherited)
        .filter((constraint) => !table.indexes.some((index) => coversColumns(index, constraint.columns)))
        .map((constraint) => {
          const columns = constraint.columns.join(', ');
          const concurrently = table.kind === 'partitioned_table' ? '' : 'CONCURRENTLY ';
          return {
            object: { kind: 'constraint' as const, key: constraint.key },
            message: `foreign key ${constraint.key} (${columns}) has no index on ${table.key} starting with its columns: every delete or key update on ${constraint.references?.table ?? 'the referenced table'} scans ${table.key}`,
            hint: `CREATE INDEX ${concurrently}${quoteIdent(`${table.name}_${constraint.columns.join('_')}_idx`)} ON ${relationSql(table)} (${constraint.columns.map(quoteIdent).join(', ')});`,
          };
        }),
    );
  },
});
