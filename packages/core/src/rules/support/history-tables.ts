/** Tables the earlier migrations (in version order) create: a CREATE TABLE IF NOT EXISTS of one of them is a no-op. */
import { historyBefore } from '../../migration/history-order.js';
import type { RuleContext } from '../types.js';

const CREATE_TABLE = /\bCREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:(?:"([^"]+)"|([\w$]+))\s*\.\s*)?(?:"([^"]+)"|([\w$]+))/gi;
const cache = new WeakMap<RuleContext['migration'], ReadonlySet<string>>();

/** `schema.name` keys of the tables created by earlier migrations (read from their text; temporary tables excluded). */
export function tablesCreatedBefore(context: RuleContext): ReadonlySet<string> {
  let tables = cache.get(context.migration);
  if (!tables) {
    const found = new Set<string>();
    for (const migration of historyBefore(context.history, context.migration)) {
      for (const match of migration.text.matchAll(CREATE_TABLE)) {
        const schema = match[1] ?? match[2]?.toLowerCase() ?? 'public';
        const name = match[3] ?? match[4]!.toLowerCase();
        found.add(`${schema}.${name}`);
      }
    }
    tables = found;
    cache.set(context.migration, tables);
  }
  return tables;
}
