import { relationSql } from './sql-names.js';
import { defineCatalogLint } from './types.js';

/** Supabase splinter's policy_exists_rls_disabled: policies do nothing until RLS is enabled. */
export const lint = defineCatalogLint({
  id: 'policy-without-rls',
  category: 'security',
  defaultSeverity: 'error',
  description: 'A table with row level security policies has row level security enabled.',
  check(snapshot) {
    return snapshot.tables
      .filter((table) => table.policies.length > 0 && !table.rlsEnabled)
      .map((table) => ({
        object: { kind: 'table', key: table.key },
        message: `table ${table.key} has ${table.policies.length === 1 ? 'policy' : 'policies'} ${table.policies.map((policy) => policy.name).join(', ')} but row level security is disabled, so ${table.policies.length === 1 ? 'it is' : 'they are'} not enforced`,
        hint: `ALTER TABLE ${relationSql(table)} ENABLE ROW LEVEL SECURITY;`,
      }));
  },
});
