import type { AlterTableStmt, Constraint } from 'libpg-query';
import { quoteIdent } from '../sql/quote.js';
import type { SqlStatement } from '../sql/types.js';
import { nodeOf } from '../sql/nodes.js';
import { fileModel } from './support/file-model.js';
import { tablesCreatedBefore } from './support/history-tables.js';
import { namesText, relationKey, relationName, strings } from './support/names.js';
import { alterCommands } from './support/statements.js';
import { defineRule, type RuleContext } from './types.js';

interface NotValid {
  statement: SqlStatement;
  contype: Constraint['contype'];
}

/**
 * Adding a CHECK or FOREIGN KEY constraint to an existing table validates every row while holding
 * the ALTER TABLE lock (ACCESS EXCLUSIVE for CHECK, SHARE ROW EXCLUSIVE on both tables for FOREIGN
 * KEY). NOT VALID skips the scan; VALIDATE CONSTRAINT later scans under SHARE UPDATE EXCLUSIVE,
 * which lets reads and writes go on, provided it runs in another transaction. UNIQUE and PRIMARY
 * KEY build an index under ACCESS EXCLUSIVE: build it CONCURRENTLY first and attach it USING INDEX.
 */
export const rule = defineRule({
  id: 'constraint-not-valid',
  category: 'locking',
  defaultSeverity: 'warning',
  description:
    'CHECK and FOREIGN KEY constraints on existing tables are added NOT VALID and validated in a separate transaction; UNIQUE / PRIMARY KEY use a concurrently built index.',
  check(context) {
    const model = fileModel(context.sql, tablesCreatedBefore(context));
    const notValid = new Map<string, NotValid>();
    for (const statement of model.statements) {
      const { kind, node } = statement;
      const domainConstraint = kind === 'AlterDomainStmt' && node.subtype === 'C' ? nodeOf(node.def, 'Constraint') : undefined;
      if (kind === 'AlterDomainStmt' && domainConstraint && !domainConstraint.skip_validation) {
        const domain = namesText(strings(node.typeName));
        const name = domainConstraint.conname ? quoteIdent(domainConstraint.conname) : '<name>';
        context.report({
          statement,
          message: `ALTER DOMAIN ${domain} ADD CONSTRAINT without NOT VALID checks every column of type ${domain} in every table, under locks that block writes`,
          hint: `add it NOT VALID ("ALTER DOMAIN ${domain} ADD CONSTRAINT ${name} CHECK (...) NOT VALID"), then run "ALTER DOMAIN ${domain} VALIDATE CONSTRAINT ${name}" in a later migration`,
        });
        continue;
      }
      if (kind !== 'AlterTableStmt' || node.objtype !== 'OBJECT_TABLE') continue;
      const tableKey = relationKey(node.relation);
      const table = relationName(node.relation);
      const isNew = model.createdBefore(tableKey, statement);
      for (const cmd of alterCommands(node)) {
        if (cmd.subtype === 'AT_ValidateConstraint') {
          const added = notValid.get(`${tableKey}:${cmd.name}`);
          if (added && !isNew && !context.migration.directives.noTransaction) reportSameTransaction(context, statement, table, cmd.name ?? '', added);
          continue;
        }
        const constraint = cmd.subtype === 'AT_AddConstraint' ? nodeOf(cmd.def, 'Constraint') : undefined;
        if (!constraint) continue;
        if (constraint.skip_validation && constraint.conname) notValid.set(`${tableKey}:${constraint.conname}`, { statement, contype: constraint.contype });
        if (isNew) continue;
        reportAdd(context, node, statement, table, constraint);
      }
    }
  },
});

function reportAdd(context: RuleContext, node: AlterTableStmt, statement: SqlStatement, table: string, constraint: Constraint): void {
  const name = constraint.conname ? quoteIdent(constraint.conname) : undefined;
  const shown = name ? `ADD CONSTRAINT ${name}` : 'ADD';
  const named = name ?? '<name>';
  const validate = `then validate it in a later migration (or a later statement of a "-- pgwarden:no-transaction" file): "ALTER TABLE ${table} VALIDATE CONSTRAINT ${named};", which takes only SHARE UPDATE EXCLUSIVE`;
  switch (constraint.contype) {
    case 'CONSTR_FOREIGN': {
      if (constraint.skip_validation) return;
      const referenced = relationName(constraint.pktable);
      context.report({
        statement,
        message: `${shown} FOREIGN KEY on ${table} without NOT VALID checks every existing row while holding SHARE ROW EXCLUSIVE locks on ${table} and ${referenced}: writes to both wait`,
        hint: `add "NOT VALID" to the constraint, ${validate}`,
      });
      return;
    }
    case 'CONSTR_CHECK': {
      if (constraint.skip_validation) return;
      context.report({
        statement,
        message: `${shown} CHECK on ${table} without NOT VALID checks every existing row while holding an ACCESS EXCLUSIVE lock on ${table}: reads and writes wait`,
        hint: `add "NOT VALID" to the constraint, ${validate}`,
      });
      return;
    }
    case 'CONSTR_UNIQUE':
    case 'CONSTR_PRIMARY': {
      if (constraint.indexname) return; // ADD CONSTRAINT ... USING INDEX: the index exists already
      const word = constraint.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE';
      const columns = strings(constraint.keys).map(quoteIdent).join(', ');
      const relname = String(node.relation?.relname ?? 'table');
      const indexName = quoteIdent((constraint.conname ?? `${relname}_${strings(constraint.keys).join('_')}_${constraint.contype === 'CONSTR_PRIMARY' ? 'pkey' : 'key'}`).slice(0, 63));
      context.report({
        statement,
        message: `${shown} ${word} on ${table} builds its unique index while holding an ACCESS EXCLUSIVE lock on ${table}: reads and writes wait for the whole build`,
        hint:
          `first "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${indexName} ON ${table} (${columns || '...'});" in a "-- pgwarden:no-transaction" migration, ` +
          `then "ALTER TABLE ${table} ADD CONSTRAINT ${name ?? indexName} ${word} USING INDEX ${indexName};"` +
          (constraint.contype === 'CONSTR_PRIMARY' ? ' (make the columns NOT NULL first, or USING INDEX scans the table to set them)' : ''),
      });
      return;
    }
    case 'CONSTR_EXCLUSION':
      context.report({
        statement,
        message: `${shown} EXCLUDE on ${table} builds its index while holding an ACCESS EXCLUSIVE lock on ${table}: reads and writes wait for the whole build`,
        hint: 'exclusion constraints cannot be attached USING INDEX: run it in a low-traffic window with a lock timeout, or enforce the rule differently',
      });
      return;
    default:
      return;
  }
}

function reportSameTransaction(context: RuleContext, statement: SqlStatement, table: string, name: string, added: NotValid): void {
  const lock = added.contype === 'CONSTR_FOREIGN' ? 'SHARE ROW EXCLUSIVE (writes wait)' : 'ACCESS EXCLUSIVE (reads and writes wait)';
  context.report({
    statement,
    message: `VALIDATE CONSTRAINT ${quoteIdent(name)} on ${table} runs in the same transaction as its ADD CONSTRAINT ... NOT VALID (line ${added.statement.range.start.line}): the ${lock} lock taken by ADD is held while every row is validated, so NOT VALID gains nothing`,
    hint: `move "ALTER TABLE ${table} VALIDATE CONSTRAINT ${quoteIdent(name)};" to the next migration, or mark this file "-- pgwarden:no-transaction" so that each statement commits on its own`,
  });
}
