/**
 * applyToShadow: runs further SQL files (pending migrations) on a built shadow, statement by
 * statement, each in its own savepoint, and returns every failure with file:line, the Postgres
 * message, hint and SQLSTATE. This is what `lint --deep` and `check`'s history consistency use.
 * Files' own BEGIN/COMMIT are skipped (each apply call is one transaction, committed at the end),
 * as migrate neutralises a wrapper; what migrate refuses instead (sql/transaction-control.ts) is
 * the transaction-control rule's to report;
 * psql meta-commands and syntax errors are failures too: the file would not run as written.
 */
import { resolve } from 'node:path';
import { codePointOffsetToIndex } from '../sql/positions.js';
import { runInSavepoint } from './execute.js';
import { parseSources, readSqlFiles, type ShadowSourceFile } from './schema-files.js';
import type { ApplyFailure, ShadowDatabase } from './types.js';

export interface ApplyToShadowOptions {
  /** Workspace root; file paths are relative to it. */
  root: string;
  /** SQL files relative to root (or absolute), applied in this order. */
  files?: readonly string[];
  /** In-memory files instead (e.g. migrations at a git revision); `relPath` is what failures name. */
  sources?: readonly { relPath: string; text: string }[];
}

export interface ApplyResult {
  /** Statements that ran successfully. */
  applied: number;
  failures: ApplyFailure[];
}

export async function applyToShadow(shadow: Pick<ShadowDatabase, 'database'>, options: ApplyToShadowOptions): Promise<ApplyResult> {
  const files = options.sources ? await parseSources(options.sources) : await readSqlFiles(resolve(options.root), options.files ?? []);
  return applyParsedFiles(shadow, files);
}

export async function applyParsedFiles(shadow: Pick<ShadowDatabase, 'database'>, files: readonly ShadowSourceFile[]): Promise<ApplyResult> {
  const session = await shadow.database.session();
  const counter = { executions: 0 };
  const failures: ApplyFailure[] = [];
  let applied = 0;
  try {
    await session.exec('BEGIN');
    for (const file of files) {
      for (const meta of file.parsed.metaCommands) {
        failures.push({ file: file.relPath, line: meta.range.start.line, column: meta.range.start.column, message: `psql meta-command ${meta.command.split(/\s/)[0]} cannot run outside psql: remove it` });
      }
      for (const error of file.parsed.errors) {
        failures.push({ file: file.relPath, line: error.range.start.line, column: error.range.start.column, message: error.message, ...(error.hint ? { hint: error.hint } : {}), sqlState: '42601' });
      }
      for (const statement of file.parsed.statements) {
        if (statement.kind === 'TransactionStmt') continue;
        const outcome = await runInSavepoint(session, statement.text, counter);
        if (outcome.ok) {
          applied++;
          continue;
        }
        const { error } = outcome;
        let line = statement.range.start.line;
        let column = statement.range.start.column;
        if (outcome.at !== undefined) {
          const before = statement.text.slice(0, codePointOffsetToIndex(statement.text, outcome.at));
          const lines = before.split('\n');
          line += lines.length - 1;
          column = lines.length === 1 ? column + before.length : lines[lines.length - 1]!.length + 1;
        }
        const failure: ApplyFailure = { file: file.relPath, line, column, message: error.message };
        if (error.hint) failure.hint = error.hint;
        const mayHoldRowData = error.code?.startsWith('22') || error.code?.startsWith('23');
        if (error.detail && !mayHoldRowData) failure.detail = error.detail;
        if (error.code) failure.sqlState = error.code;
        failures.push(failure);
      }
    }
    await session.exec('COMMIT');
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await session.close();
  }
  failures.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : 0));
  return { applied, failures };
}
