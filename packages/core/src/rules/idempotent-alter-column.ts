import { quoteIdent, quoteLiteral } from '../sql/quote.js';
import { nodeOf } from '../sql/nodes.js';
import { fileModel } from './support/file-model.js';
import { relationKey, relationName, splitKey } from './support/names.js';
import { oneLine } from './support/statement-text.js';
import { alterCommands } from './support/statements.js';
import { defineRule } from './types.js';

/**
 * Column-level changes that fail on a second run: ADD COLUMN without IF NOT EXISTS, RENAME COLUMN
 * (which has no IF form) and RENAME of a table without ALTER TABLE IF EXISTS, unless they sit in a
 * guarded DO block. ALTER COLUMN ... TYPE / SET DEFAULT / SET NOT NULL can simply run again.
 */
export const rule = defineRule({
  id: 'idempotent-alter-column',
  category: 'idempotency',
  defaultSeverity: 'error',
  description: 'ADD COLUMN uses IF NOT EXISTS; RENAME COLUMN and RENAME TO sit in a DO block that checks the old name still exists.',
  check(context) {
    const model = fileModel(context.sql);
    for (const statement of model.statements) {
      if (statement.guard) continue;
      const { kind, node } = statement;

      if (kind === 'AlterTableStmt' && (node.objtype === 'OBJECT_TABLE' || node.objtype === 'OBJECT_FOREIGN_TABLE')) {
        const table = relationName(node.relation);
        const tableKey = relationKey(node.relation);
        const columns = alterCommands(node)
          .map((cmd, cmdIndex) => ({ cmd, cmdIndex }))
          .filter(({ cmd, cmdIndex }) => {
            if (cmd.subtype !== 'AT_AddColumn' || cmd.missing_ok) return false;
            // DROP COLUMN IF EXISTS c earlier (or earlier in this statement) makes ADD COLUMN c re-runnable.
            return !model.droppedBefore(`column:${tableKey}:${nodeOf(cmd.def, 'ColumnDef')?.colname}`, statement, cmdIndex);
          })
          .map(({ cmd }) => String(nodeOf(cmd.def, 'ColumnDef')?.colname));
        if (columns.length === 0) continue;
        const fixed = oneLine(statement.text, 200).replace(
          /\bADD\s+(?!(?:COLUMN\s+)?IF\s|CONSTRAINT\s|PRIMARY\s|UNIQUE\s|CHECK\s*\(|FOREIGN\s|EXCLUDE\s)(?:COLUMN\s+)?/gi,
          'ADD COLUMN IF NOT EXISTS ',
        );
        context.report({
          statement,
          message: `ALTER TABLE ${table} ADD COLUMN ${columns.map(quoteIdent).join(', ')} without IF NOT EXISTS fails when the migration runs a second time`,
          hint: `write "${fixed}"`,
        });
        continue;
      }

      // The parser always names both columns or tables of a rename; the AST types leave them optional.
      const [oldName, newName] = kind === 'RenameStmt' ? [node.subname ?? '', node.newname ?? ''] : ['', ''];
      if (kind === 'RenameStmt' && node.renameType === 'OBJECT_COLUMN' && node.relation) {
        const table = relationName(node.relation);
        const { schema, name } = splitKey(relationKey(node.relation));
        context.report({
          statement,
          message: `RENAME COLUMN ${quoteIdent(oldName)} TO ${quoteIdent(newName)} on ${table} fails when the migration runs a second time (column ${quoteIdent(oldName)} no longer exists); it has no IF EXISTS form`,
          hint:
            `guard it: DO $$ BEGIN IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = ${quoteLiteral(schema)} ` +
            `AND table_name = ${quoteLiteral(name)} AND column_name = ${quoteLiteral(oldName)}) THEN ` +
            `ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(oldName)} TO ${quoteIdent(newName)}; END IF; END $$;`,
        });
        continue;
      }

      if (kind === 'RenameStmt' && node.renameType === 'OBJECT_TABLE' && node.relation && !node.missing_ok) {
        const table = relationName(node.relation);
        const { schema, name } = splitKey(relationKey(node.relation));
        const regclass = (relname: string) => quoteLiteral(`${quoteIdent(schema)}.${quoteIdent(relname)}`);
        context.report({
          statement,
          message: `ALTER TABLE ${table} RENAME TO ${quoteIdent(newName)} fails when the migration runs a second time (${table} no longer exists)`,
          hint:
            `write "ALTER TABLE IF EXISTS ${table} RENAME TO ${quoteIdent(newName)}", or guard it: ` +
            `DO $$ BEGIN IF to_regclass(${regclass(name)}) IS NOT NULL AND to_regclass(${regclass(newName)}) IS NULL THEN ` +
            `ALTER TABLE ${table} RENAME TO ${quoteIdent(newName)}; END IF; END $$;`,
        });
      }
    }
  },
});
