import { functionSql } from './sql-names.js';
import { defineCatalogLint } from './types.js';

/**
 * Supabase splinter's function_search_path_mutable, for the functions where it matters most: a
 * SECURITY DEFINER function or procedure runs with its owner's privileges but resolves names with
 * the caller's search_path unless its config pins one. The list itself is judged by the migration
 * rule security-definer-search-path, where the statement that sets it is.
 */
export const lint = defineCatalogLint({
  id: 'function-search-path-mutable',
  category: 'security',
  defaultSeverity: 'error',
  description: 'SECURITY DEFINER functions and procedures have a fixed search_path.',
  check(snapshot) {
    return snapshot.functions
      .filter((fn) => fn.securityDefiner && !fn.config.some((entry) => entry.startsWith('search_path=')))
      .map((fn) => ({
        object: { kind: 'function', key: fn.key },
        message: `SECURITY DEFINER ${fn.kind} ${fn.key} has no fixed search_path: it runs with the privileges of ${fn.owner ?? 'its owner'} and resolves names with the caller's search_path`,
        hint: `ALTER ${fn.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${functionSql(fn)} SET search_path = ''; and schema-qualify every name in its body (or SET search_path = public, pg_temp)`,
      }));
  },
});
