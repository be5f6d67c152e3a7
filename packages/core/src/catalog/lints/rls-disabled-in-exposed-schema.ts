import { relationSql } from './sql-names.js';
import { defineCatalogLint } from './types.js';

/**
 * Supabase splinter's rls_disabled_in_public: a table (or partition) in a schema the API exposes
 * without row level security is readable and writable by every role that holds table privileges.
 * Tables that have policies but RLS off are left to policy-without-rls (one finding per cause).
 */
export const lint = defineCatalogLint({
  id: 'rls-disabled-in-exposed-schema',
  category: 'security',
  defaultSeverity: 'error',
  description: 'Tables and partitions in an exposed schema have row level security enabled.',
  check(snapshot, { exposedSchemas }) {
    return snapshot.tables
      .filter((table) => table.kind !== 'foreign_table' && exposedSchemas.includes(table.schema))
      .filter((table) => !table.rlsEnabled && table.policies.length === 0)
      .map((table) => ({
        object: { kind: 'table', key: table.key },
        message: `${table.partitionOf ? `partition ${table.key} of ${table.partitionOf}` : `table ${table.key}`} in exposed schema "${table.schema}" has row level security disabled: every role with privileges on it (anon, authenticated) reads and writes all of its rows through the API`,
        hint: `ALTER TABLE ${relationSql(table)} ENABLE ROW LEVEL SECURITY; then add policies for the roles that need access${table.partitionOf ? ' (a partition is reachable on its own: enable RLS on it as well as on its parent)' : ''}`,
      }));
  },
});
