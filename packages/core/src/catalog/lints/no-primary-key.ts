import { relationSql } from './sql-names.js';
import { defineCatalogLint } from './types.js';

/**
 * Supabase splinter's no_primary_key: rows without a stable identity cannot be updated or deleted
 * one by one through the API or logical replication, and duplicates creep in. Partitions take the
 * key of their parent, so a partitioned table is reported once, not per partition.
 */
export const lint = defineCatalogLint({
  id: 'no-primary-key',
  category: 'performance',
  defaultSeverity: 'warning',
  description: 'Tables have a primary key.',
  check(snapshot) {
    return snapshot.tables
      .filter((table) => table.kind !== 'foreign_table' && table.partitionOf === undefined)
      .filter((table) => !table.constraints.some((constraint) => constraint.type === 'primary_key'))
      .map((table) => ({
        object: { kind: 'table', key: table.key },
        message: `table ${table.key} has no primary key`,
        hint: `ALTER TABLE ${relationSql(table)} ADD PRIMARY KEY (...); (an existing unique, not-null column such as id, or a new id bigint GENERATED ALWAYS AS IDENTITY)`,
      }));
  },
});
