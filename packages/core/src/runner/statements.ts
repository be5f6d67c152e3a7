/**
 * no-transaction files run statement by statement. This splits the body with the real
 * Postgres parser and fingerprints each statement, and decides where a rerun resumes:
 * only after a prefix whose statements are unchanged (same SHA-256 of the text, line
 * endings and surrounding whitespace normalised). Anything else is refused.
 */

import { createHash } from 'node:crypto';
import type { Migration } from '../migration/types.js';
import type { KindAndNode, NodeType, SqlStatement } from '../sql/types.js';
import type { HistoryRow } from './history.js';

export interface RunnableStatement {
  /** Exact statement text without the trailing semicolon. */
  text: string;
  /** 1-based line in the file. */
  line: number;
  /** libpg-query node type, e.g. `IndexStmt`. */
  kind: NodeType;
  node: KindAndNode['node'];
  hash: string;
}

export function statementHash(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n?/g, '\n').trim()).digest('hex');
}

/** Splits the body into statements; a syntax error is returned as a message naming the line. */
export async function splitStatements(migration: Migration): Promise<{ statements: RunnableStatement[] } | { error: string }> {
  // Loaded on demand: a run without no-transaction files never loads the WASM parser.
  const { loadParser, parseSql } = await import('../sql/index.js');
  await loadParser();
  const parsed = parseSql(migration.body);
  const toFileLine = (line: number) => migration.bodyStartLine + line - 1;
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0]!;
    return { error: `${migration.relPath}:${toFileLine(first.range.start.line)}: cannot split the file into statements: ${first.message}` };
  }
  if (parsed.metaCommands.length > 0) {
    const meta = parsed.metaCommands[0]!;
    return {
      error: `${migration.relPath}:${toFileLine(meta.range.start.line)}: psql meta-command ${meta.command} cannot run through pgwarden: remove it`,
    };
  }
  return {
    statements: parsed.statements.map((s: SqlStatement) => ({
      text: s.text,
      line: toFileLine(s.range.start.line),
      kind: s.kind,
      node: s.node,
      hash: statementHash(s.text),
    })),
  };
}

/**
 * Where a no-transaction file starts: 0 on a first run, or the number of statements a
 * previous interrupted run executed when each of them is unchanged. `commandName` names the file
 * in the repair commands suggested (runner/find-migration.ts, commandNames).
 */
export function resumePoint(
  migration: Migration,
  previous: HistoryRow | undefined,
  statements: readonly RunnableStatement[],
  commandName: string,
): { from: number } | { problem: string } {
  const done = previous && previous.status !== 'applied' ? (previous.statementsApplied ?? 0) : 0;
  if (done === 0) return { from: 0 };
  const hashes = previous!.statementHashes;
  const fix = `restore the executed statements, or record what really ran with pgwarden repair ${commandName} --resume-from N (statements 1..N done) or, after finishing by hand, pgwarden repair ${commandName} --mark-applied, each with --by NAME --reason TEXT`;
  if (hashes.length < done) {
    return { problem: `${migration.relPath}: a previous run executed ${done} statements but did not record what they were: ${fix}` };
  }
  if (statements.length < done) {
    return {
      problem: `${migration.relPath}: a previous run executed ${done} statements, but the file now has only ${statements.length}: ${fix}`,
    };
  }
  for (let i = 0; i < done; i++) {
    if (statements[i]!.hash !== hashes[i]) {
      return {
        problem: `${migration.relPath}:${statements[i]!.line}: statement ${i + 1} changed after a previous run executed it (${done} of ${statements.length} statements ran): ${fix}`,
      };
    }
  }
  return { from: done };
}

/** A transactional file cannot continue what a no-transaction run left half done. `commandName` as for resumePoint. */
export function partialRunProblem(migration: Migration, previous: HistoryRow | undefined, commandName: string): string | undefined {
  const done = previous && previous.status !== 'applied' ? (previous.statementsApplied ?? 0) : 0;
  if (done === 0) return undefined;
  return `${migration.relPath}: a previous no-transaction run executed ${done} statements, and the file no longer has pgwarden:no-transaction: restore the directive to resume, or finish by hand and record it with pgwarden repair ${commandName} --mark-applied --by NAME --reason TEXT`;
}
