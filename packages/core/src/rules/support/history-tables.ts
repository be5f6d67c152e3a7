/** Tables the earlier migrations (in version order) create: a CREATE TABLE IF NOT EXISTS of one of them is a no-op. */
import { compareMigrations, sortHistory } from '../../migration/history-order.js';
import type { Migration } from '../../migration/types.js';
import type { RuleContext } from '../types.js';
import { factsOf } from './history-facts.js';

interface CreationIndex {
  sorted: Migration[];
  /** `schema.name` -> index in `sorted` of the first migration that creates it. */
  firstCreated: Map<string, number>;
}

/** Built once per history (one pass over its files), so each lookup is constant time, not a walk over every earlier file. */
const indexes = new WeakMap<readonly Migration[], CreationIndex>();

function creationIndex(history: readonly Migration[]): CreationIndex {
  let index = indexes.get(history);
  if (!index) {
    const sorted = sortHistory(history);
    const firstCreated = new Map<string, number>();
    sorted.forEach((migration, position) => {
      for (const table of factsOf(migration).tables) if (!firstCreated.has(table)) firstCreated.set(table, position);
    });
    index = { sorted, firstCreated };
    indexes.set(history, index);
  }
  return index;
}

/** `schema.name` keys of the tables created by earlier migrations (read from their text; temporary tables excluded). */
export function tablesCreatedBefore(context: RuleContext): Pick<ReadonlySet<string>, 'has'> {
  const { sorted, firstCreated } = creationIndex(context.history);
  // Binary search: the first migration that does not run before this one.
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareMigrations(sorted[middle]!, context.migration) < 0) low = middle + 1;
    else high = middle;
  }
  const before = low;
  return { has: (table) => (firstCreated.get(table) ?? Infinity) < before };
}
