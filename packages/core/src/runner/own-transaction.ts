/**
 * The SQL the runner sends for a transactional file: its body, with the file's own
 * `BEGIN; ... COMMIT;` wrapper neutralised (sql/transaction-control.ts), or a refusal when its
 * transaction control would end or split the runner's transaction. Decided at plan time, so a
 * refused file runs nothing, and `--dry-run --sql` prints exactly what is sent. `rollback` judges
 * a rollback script the same way, before it takes the lock.
 *
 * Why not send the body as is: the body shares one transaction with the runner's timeouts, lock
 * check, VERIFY query and history row. A COMMIT of the file's own would commit what ran before it
 * and leave the rest in autocommit, so a later failure could no longer roll the file back.
 */

import type { Migration } from '../migration/types.js';
import type { SqlStatement } from '../sql/types.js';
import { fileTransactionControl, inNoTransactionFile, transactionWord, withoutWrapper } from '../sql/transaction-control.js';
import type { RunnableStatement } from './statements.js';

/** Words a transaction command starts with; a body without any of them needs no parser. */
const MAY_CONTROL_TRANSACTION = /\b(begin|start|commit|end|rollback|abort|savepoint|release|prepare)\b/i;

export type OwnTransaction =
  /** `sql`: what to send (the body itself when it has no wrapper); `neutralised`: file lines of the wrapper. */
  | { sql: string; neutralised: number[] }
  | { problem: string };

export async function ownTransactionOf(migration: Migration): Promise<OwnTransaction> {
  return ownTransactionOfScript({ text: migration.body, relPath: migration.relPath, firstLine: migration.bodyStartLine });
}

/**
 * The same judgement for any script that runs inside one transaction of pgwarden's: a migration's
 * body, or its rollback script (runner/rollback.ts). `firstLine`: the file line of the text's first
 * line, so a problem names the line of the file.
 */
export async function ownTransactionOfScript(script: { text: string; relPath: string; firstLine: number }): Promise<OwnTransaction> {
  if (!MAY_CONTROL_TRANSACTION.test(script.text)) return { sql: script.text, neutralised: [] };
  // Loaded on demand, as for no-transaction files: most scripts never get here.
  const { loadParser, parseSql } = await import('../sql/parser.js');
  await loadParser();
  // A top-level syntax error makes the server refuse the whole script before running any of it;
  // the statements around it are still judged, as the server would run them once it is fixed.
  const control = fileTransactionControl(parseSql(script.text).statements);
  const fileLine = (statement: SqlStatement) => script.firstLine + statement.range.start.line - 1;
  const first = control.problems[0];
  if (first) {
    const more = control.problems.length > 1 ? ` (and ${control.problems.length - 1} more transaction command${control.problems.length > 2 ? 's' : ''} of its own)` : '';
    return { problem: `${script.relPath}:${fileLine(first.statement)}: ${first.message}${more}` };
  }
  if (!control.wrapper) return { sql: script.text, neutralised: [] };
  return { sql: withoutWrapper(script.text, control.wrapper), neutralised: [fileLine(control.wrapper.begin), fileLine(control.wrapper.commit)] };
}

/**
 * A no-transaction file runs statement by statement, each in a transaction of its own with its
 * progress row: a BEGIN there would swallow the following statements and their progress rows into
 * one open transaction, so the progress recorded would no longer be what is committed. Refused.
 */
export function noTransactionProblem(migration: Migration, statements: readonly RunnableStatement[]): string | undefined {
  const first = statements.find((statement) => statement.kind === 'TransactionStmt');
  return first ? `${migration.relPath}:${first.line}: ${inNoTransactionFile(transactionWord(first))}` : undefined;
}
