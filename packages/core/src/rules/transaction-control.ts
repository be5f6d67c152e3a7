import { defineRule } from './types.js';

const CONTROL = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START', 'TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE', 'TRANS_STMT_COMMIT_PREPARED']);

export const rule = defineRule({
  id: 'transaction-control',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'No top-level BEGIN/COMMIT/ROLLBACK: the runner wraps each file in its own transaction.',
  check(context) {
    for (const statement of context.sql.statements) {
      if (statement.kind !== 'TransactionStmt' || !CONTROL.has(statement.node.kind ?? '')) continue;
      const word = statement.text.trim().split(/\s+/)[0].toUpperCase();
      context.report({
        statement,
        message: `${word} at top level: pgwarden already runs each migration in one transaction`,
        hint: context.migration.directives.noTransaction
          ? 'remove it: a "-- pgwarden:no-transaction" file runs statement by statement in autocommit'
          : 'remove it; for statements that cannot run in a transaction, mark the file "-- pgwarden:no-transaction" in the header',
      });
    }
  },
});
