/** The table of an index created in current_schema/ or an earlier migration, read from CREATE INDEX text. */
import { historyBefore } from '../../migration/history-order.js';
import type { RuleContext } from '../types.js';

const CREATE_INDEX = /\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?("?)([\w$]+)\1\s+ON\s+(?:ONLY\s+)?((?:"?[\w$]+"?\s*\.\s*)?"?[\w$]+"?)/gi;

/**
 * The table of an index created in current_schema/ or an earlier migration, read from the CREATE INDEX
 * text: the fallback when the schema model does not know the index (e.g. it was created in a statement
 * the model skips). Read once per file, on first use.
 */
export function indexTableFinder(context: RuleContext): (indexKey: string) => string | undefined {
  let tables: Map<string, string> | undefined;
  return (indexKey) => {
    if (!tables) {
      tables = new Map();
      const texts = [...[...context.schemaFiles.values()].map((file) => file.lines.join('\n')), ...historyBefore(context.history, context.migration).map((migration) => migration.text)];
      for (const text of texts) {
        for (const match of text.matchAll(CREATE_INDEX)) {
          const table = match[3]!.replace(/["\s]/g, '');
          const schema = table.includes('.') ? table.slice(0, table.indexOf('.')) : 'public';
          const name = table.slice(table.indexOf('.') + 1);
          tables.set(`${schema}.${match[2]}`, `${schema}.${name}`);
        }
      }
    }
    return tables.get(indexKey);
  };
}

