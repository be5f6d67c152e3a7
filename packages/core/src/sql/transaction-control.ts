/**
 * How a migration's own top-level transaction control reads against pgwarden's promise of one
 * transaction per file. One judgement shared by the runner (which neutralises or refuses before
 * anything runs), the `transaction-control` lint rule and `--dry-run --sql`:
 *
 * - a wrapper, one `BEGIN`/`START TRANSACTION` and later one `COMMIT`/`END` (the common
 *   convention), is redundant: the runner blanks both and runs the whole file, statements before
 *   and after the wrapper included, in its own transaction;
 * - `SAVEPOINT`, and `RELEASE` / `ROLLBACK TO` of a savepoint the file opened before, stay
 *   inside that transaction and are kept;
 * - anything else would end or split the runner's transaction, or cannot be honoured in it:
 *   a `COMMIT` or `ROLLBACK` of its own, a second `BEGIN`, `BEGIN` without `COMMIT`, `BEGIN`
 *   with options, `COMMIT AND CHAIN`, a savepoint the file did not open, two-phase commit.
 *
 * A no-transaction file runs statement by statement, each committed on its own: there no
 * transaction command has a meaning, and every one is a problem.
 *
 * Only top-level statements count: PL/pgSQL BEGIN ... END blocks, BEGIN ATOMIC bodies and
 * words inside literals or comments are not transaction commands (the parser tells them apart).
 */

import type { SqlStatement } from './types.js';

export interface TransactionControlProblem {
  statement: SqlStatement;
  /** What the statement does to the runner's transaction and what to do instead; no location. */
  message: string;
}

export interface FileTransactionControl {
  /** The file's own BEGIN and COMMIT around (part of) its body, both to be neutralised. */
  wrapper?: { begin: SqlStatement; commit: SqlStatement };
  /** Savepoint commands that stay: they act inside the runner's transaction. */
  savepoints: SqlStatement[];
  problems: TransactionControlProblem[];
}

type TransactionStatement = SqlStatement<'TransactionStmt'>;

/** The command as written: `BEGIN`, `START TRANSACTION`, `END`, `ROLLBACK TO SAVEPOINT`, ... */
export function transactionWord(statement: { text: string }): string {
  const words = statement.text.trim().split(/\s+/).map((word) => word.toUpperCase());
  const [first, second] = words;
  if (first === 'START' || first === 'PREPARE' || (first === 'COMMIT' && second === 'PREPARED') || (first === 'ROLLBACK' && second === 'PREPARED')) return `${first} ${second}`;
  if ((first === 'ROLLBACK' || first === 'ABORT') && words.includes('TO')) return `${first} TO SAVEPOINT`;
  if (first === 'RELEASE') return 'RELEASE SAVEPOINT';
  return first ?? '';
}

/** Why a transaction command has no place in a no-transaction file. */
export function inNoTransactionFile(word: string): string {
  return `${word} in a pgwarden:no-transaction file: its statements run one by one, each committed on its own, so a transaction command cannot group them: remove it, or move the statements that belong together into a file without pgwarden:no-transaction`;
}

const FIX_WRAPPER = 'pgwarden runs the whole file in one transaction: remove it, or keep exactly one BEGIN; ... COMMIT; around the file';

/** Judges the top-level statements of one file (nested ones are ignored). */
export function fileTransactionControl(statements: readonly SqlStatement[], options: { noTransaction?: boolean } = {}): FileTransactionControl {
  const result: FileTransactionControl = { savepoints: [], problems: [] };
  const problem = (statement: SqlStatement, message: string) => result.problems.push({ statement, message });
  const control = statements.filter((s): s is TransactionStatement => s.kind === 'TransactionStmt' && !s.parent);

  if (options.noTransaction) {
    for (const statement of control) {
      problem(statement, inNoTransactionFile(transactionWord(statement)));
    }
    return result;
  }

  let begin: TransactionStatement | undefined;
  let commit: TransactionStatement | undefined;
  /** Savepoints the file opened and has not released, innermost last. */
  let open: string[] = [];
  for (const statement of control) {
    const word = transactionWord(statement);
    const node = statement.node;
    switch (node.kind) {
      case 'TRANS_STMT_BEGIN':
      case 'TRANS_STMT_START':
        if (begin) {
          problem(statement, `a second ${word}: a file's own transaction may appear once, and ${commit ? 'this one would split the file into two transactions' : 'the first one is still open'}; ${FIX_WRAPPER}`);
        } else if ((node.options ?? []).length > 0) {
          problem(statement, `${word} with transaction options (isolation level, read only, deferrable): pgwarden opens the file's transaction itself, with the server's defaults, and cannot honour them: remove the options`);
          begin = statement;
        } else {
          begin = statement;
        }
        break;
      case 'TRANS_STMT_COMMIT':
        if (node.chain) {
          problem(statement, `${word} AND CHAIN would commit part of the file and start a second transaction: ${FIX_WRAPPER}`);
        } else if (!begin) {
          problem(statement, `${word} without a BEGIN before it would commit pgwarden's transaction early, so the statements before it and the history row would no longer be one unit: remove it`);
        } else if (commit) {
          problem(statement, `a second ${word}: ${FIX_WRAPPER}`);
        } else {
          commit = statement;
          open = [];
        }
        break;
      case 'TRANS_STMT_ROLLBACK':
        problem(statement, `${word} would undo the file and end pgwarden's transaction, so the history would not match the database: remove it (a failing statement already rolls the whole file back)`);
        break;
      case 'TRANS_STMT_SAVEPOINT':
        open.push(savepointName(node));
        result.savepoints.push(statement);
        break;
      case 'TRANS_STMT_RELEASE':
      case 'TRANS_STMT_ROLLBACK_TO': {
        const name = savepointName(node);
        const at = open.lastIndexOf(name);
        if (at === -1) {
          problem(statement, `${word} ${name} names a savepoint the file did not open before it${commit ? ' (its COMMIT released the earlier ones)' : ''}: it would act outside the file's own work: remove it, or open the savepoint earlier in the file`);
        } else {
          // RELEASE drops the savepoint and the later ones; ROLLBACK TO keeps it open.
          open = open.slice(0, node.kind === 'TRANS_STMT_RELEASE' ? at : at + 1);
          result.savepoints.push(statement);
        }
        break;
      }
      default:
        // PREPARE TRANSACTION, COMMIT PREPARED, ROLLBACK PREPARED.
        problem(statement, `${word} (two-phase commit) cannot run inside pgwarden's transaction: run it outside pgwarden`);
    }
  }
  if (begin && !commit) {
    problem(begin, `${transactionWord(begin)} without a COMMIT after it: psql would roll the whole file back at its end, so it is unclear whether the file means to apply: add COMMIT; at the end, or remove the BEGIN`);
  } else if (begin && commit) {
    result.wrapper = { begin, commit };
  }
  return result;
}

/** The file's own BEGIN and COMMIT in a comment where they stood, line breaks kept so error lines stay those of the file. */
export function neutralisedText(statement: SqlStatement): string {
  const lineBreaks = statement.text.match(/\r\n|\r|\n/g)?.join('') ?? '';
  const why = statement.node && (statement.node as { kind?: string }).kind === 'TRANS_STMT_COMMIT' ? 'pgwarden commits the file together with its history row' : 'pgwarden runs the whole file in one transaction';
  return `/* the file's own ${transactionWord(statement)}, neutralised: ${why} */${lineBreaks}`;
}

/**
 * `text` (the text the statements were parsed from) with the wrapper's BEGIN and COMMIT replaced
 * by comments; their `;` stay as empty statements. Every other character is kept.
 */
export function withoutWrapper(text: string, wrapper: NonNullable<FileTransactionControl['wrapper']>): string {
  const { begin, commit } = wrapper;
  return (
    text.slice(0, begin.range.start.offset) +
    neutralisedText(begin) +
    text.slice(begin.range.end.offset, commit.range.start.offset) +
    neutralisedText(commit) +
    text.slice(commit.range.end.offset)
  );
}

function savepointName(node: TransactionStatement['node']): string {
  return node.savepoint_name ?? '';
}
