/** The table of an index created in current_schema/ or an earlier migration, read from CREATE INDEX text. */
import type { RuleContext } from '../types.js';
import { createdInText, earlierMigrations, factsOf } from './history-facts.js';

const schemaCache = new WeakMap<ReadonlyMap<string, unknown>, Map<string, string>>();

/**
 * The table of an index created in current_schema/ or an earlier migration, read from the CREATE INDEX
 * text: the fallback when the schema model does not know the index (e.g. it was created in a statement
 * the model skips). Looked up on first use only.
 */
export function indexTableFinder(context: RuleContext): (indexKey: string) => string | undefined {
  return (indexKey) => {
    const earlier = earlierMigrations(context);
    for (let index = earlier.length - 1; index >= 0; index--) {
      const table = factsOf(earlier[index]!).indexes.get(indexKey);
      if (table) return table;
    }
    let schemaIndexes = schemaCache.get(context.schemaFiles);
    if (!schemaIndexes) {
      schemaIndexes = new Map();
      for (const file of context.schemaFiles.values()) for (const [key, table] of createdInText(file.lines.join('\n')).indexes) schemaIndexes.set(key, table);
      schemaCache.set(context.schemaFiles, schemaIndexes);
    }
    return schemaIndexes.get(indexKey);
  };
}
