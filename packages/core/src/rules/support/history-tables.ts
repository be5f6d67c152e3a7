/** Tables the earlier migrations (in version order) create: a CREATE TABLE IF NOT EXISTS of one of them is a no-op. */
import type { RuleContext } from '../types.js';
import { earlierMigrations, factsOf } from './history-facts.js';

const cache = new WeakMap<RuleContext['migration'], ReadonlySet<string>>();

/** `schema.name` keys of the tables created by earlier migrations (read from their text; temporary tables excluded). */
export function tablesCreatedBefore(context: RuleContext): ReadonlySet<string> {
  let tables = cache.get(context.migration);
  if (!tables) {
    const found = new Set<string>();
    for (const migration of earlierMigrations(context)) for (const table of factsOf(migration).tables) found.add(table);
    tables = found;
    cache.set(context.migration, tables);
  }
  return tables;
}
