import { createdEarlier } from './support/created-objects.js';
import { droppedObjects } from './support/dropped-objects.js';
import { fileModel } from './support/file-model.js';
import { insertAfter, withInsertion } from './support/statement-text.js';
import { defineRule } from './types.js';

/** DROP statements and ALTER TABLE ... DROP COLUMN / DROP CONSTRAINT without IF EXISTS. */
export const rule = defineRule({
  id: 'idempotent-drop',
  category: 'idempotency',
  defaultSeverity: 'error',
  description: 'DROP statements, DROP COLUMN and DROP CONSTRAINT use IF EXISTS, so that the migration can run twice.',
  check(context) {
    const { statements } = fileModel(context.sql);
    const isCreatedEarlier = createdEarlier(statements);
    for (const statement of statements) {
      if (statement.guard) continue;
      // A DROP of what this file created earlier (a helper function, a staging table) finds it again on a second run.
      const missing = droppedObjects(statement).filter((object) => !object.missingOk && !isCreatedEarlier(object.key, statement));
      if (missing.length === 0) continue;

      if (statement.kind === 'AlterTableStmt') {
        const table = missing[0]!.table;
        const parts = missing.map((object) => `DROP ${object.keyword} ${object.text}`);
        const fixed = missing.map((object) => `DROP ${object.keyword} IF EXISTS ${object.text}`);
        context.report({
          statement,
          message: `ALTER TABLE ${table} ${parts.join(', ')} without IF EXISTS fails when the migration runs a second time`,
          hint: `write "ALTER TABLE ${table} ${fixed.join(', ')}"`,
        });
        continue;
      }

      const keyword = missing[0]!.keyword;
      const names = missing.map((object) => object.text).join(', ');
      const pattern = new RegExp(String.raw`DROP\s+${keyword === 'ROLE' ? '(?:ROLE|USER|GROUP)' : keyword.replace(/ /g, String.raw`\s+`)}\s+(?:CONCURRENTLY\s+)?`);
      const fix = insertAfter(statement.text, pattern, 'IF EXISTS ');
      const suggestion = withInsertion(statement.text, pattern, 'IF EXISTS ');
      context.report({
        statement,
        message: `DROP ${keyword} ${names} without IF EXISTS fails when the migration runs a second time (the ${keyword.toLowerCase()} is already gone)`,
        hint: fix ? `write "${fix}"` : `add IF EXISTS after DROP ${keyword}`,
        ...(suggestion ? { suggestion: { sql: suggestion } } : {}),
      });
    }
  },
});
