import { fileTransactionControl, transactionWord } from '../sql/transaction-control.js';
import { defineRule } from './types.js';

export const rule = defineRule({
  id: 'transaction-control',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'No top-level BEGIN/COMMIT/ROLLBACK: the runner wraps each file in its own transaction.',
  check(context) {
    const noTransaction = context.migration.directives.noTransaction;
    // The judgement migrate applies (sql/transaction-control.ts): a wrapper is redundant, the rest is refused.
    const control = fileTransactionControl(context.sql.statements, { noTransaction });
    const refused = new Set(control.problems.map((problem) => problem.statement));
    const reports = [
      ...control.problems.map((problem) => ({
        statement: problem.statement,
        message: problem.message,
        hint: noTransaction
          ? 'remove it: a "-- pgwarden:no-transaction" file runs statement by statement in autocommit'
          : 'migrate refuses this file, before running any of it, until this is fixed',
      })),
      ...[control.wrapper?.begin, control.wrapper?.commit]
        .filter((statement) => statement !== undefined && !refused.has(statement))
        .map((statement) => ({
          statement: statement!,
          message: `${transactionWord(statement!)} at top level: pgwarden already runs each migration in one transaction`,
          hint: 'remove it (migrate neutralises a BEGIN; ... COMMIT; around the file and runs it in its own transaction); for statements that cannot run in a transaction, mark the file "-- pgwarden:no-transaction" in the header',
        })),
    ];
    reports.sort((a, b) => a.statement.range.start.offset - b.statement.range.start.offset);
    for (const report of reports) context.report(report);
  },
});
