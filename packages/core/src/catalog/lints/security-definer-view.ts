import { relationSql } from './sql-names.js';
import { defineCatalogLint } from './types.js';

const TRUE_VALUES = new Set(['true', 'on', 'yes', '1']);

/** Whether the view's reloptions set security_invoker to a true value. */
export function isSecurityInvoker(options: readonly string[]): boolean {
  const option = options.find((entry) => entry.toLowerCase().startsWith('security_invoker='));
  return option !== undefined && TRUE_VALUES.has(option.slice('security_invoker='.length).toLowerCase());
}

/**
 * Supabase splinter's security_definer_view: a view runs with its owner's privileges unless it has
 * security_invoker (PostgreSQL 15+), so it bypasses the row level security of the tables it reads.
 */
export const lint = defineCatalogLint({
  id: 'security-definer-view',
  category: 'security',
  defaultSeverity: 'warning',
  description: 'Views in an exposed schema run with the caller\'s privileges (security_invoker).',
  postgres: { min: 15 },
  check(snapshot, { exposedSchemas }) {
    return snapshot.views
      .filter((view) => !view.materialized && exposedSchemas.includes(view.schema) && !isSecurityInvoker(view.options))
      .map((view) => ({
        object: { kind: 'view', key: view.key },
        message: `view ${view.key} in exposed schema "${view.schema}" runs with the privileges of ${view.owner ?? 'its owner'} (no security_invoker): it bypasses the row level security of the tables it reads`,
        hint: `ALTER VIEW ${relationSql(view)} SET (security_invoker = true);`,
      }));
  },
});
