import { codeSpan, dollarQuote } from './lexer.js';
import { opensLine, type LineIndex } from './positions.js';
import { quoteLiteral } from './quote.js';

export interface SyntaxDiagnosis {
  /** String offsets of the text to underline. */
  start: number;
  end: number;
  message: string;
  hint?: string;
}

/**
 * The offending token's position in a parser error: a 0-based offset in Unicode code points,
 * not bytes like node locations (0 when unknown).
 */
export function errorCursor(error: unknown): number {
  return (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition ?? 0;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const NAME = String.raw`(?:"(?:[^"]|"")+"|[\p{L}_][\p{L}\p{N}_$]*)`;
const QUALIFIED_NAME = String.raw`${NAME}(?:[ \t]*\.[ \t]*${NAME})*`;
const IF_NOT_EXISTS = String.raw`(?<clause>IF\s+NOT\s+EXISTS\s+)`;

interface Trap {
  /** Matches from the statement's first keyword; captures the offending `clause`, and `name` and `table`. */
  pattern: RegExp;
  /** `repaired` is the statement with the clause removed. */
  explain(names: { name?: string; table?: string }, repaired: string): { problem: string; hint: string };
}

/** Forms that people expect to exist but PostgreSQL does not accept. */
const TRAPS: Trap[] = [
  {
    pattern: new RegExp(
      String.raw`\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?<table>${QUALIFIED_NAME})[^;]*?\bADD\s+CONSTRAINT\s+${IF_NOT_EXISTS}(?<name>${NAME})`,
      'diu',
    ),
    explain: ({ name = '', table = '' }, repaired) => {
      const exists =
        `SELECT 1 FROM pg_constraint WHERE conname = ${quoteLiteral(identifierValue(name))}` +
        ` AND conrelid = ${quoteLiteral(table)}::regclass`;
      return {
        problem: 'ADD CONSTRAINT has no IF NOT EXISTS form',
        hint: `Guard it with a DO block so that the migration can run twice:\n${guardedDoBlock(exists, repaired)}`,
      };
    },
  },
  {
    pattern: new RegExp(String.raw`\bCREATE\s+POLICY\s+${IF_NOT_EXISTS}(?<name>${NAME})\s+ON\s+(?<table>${QUALIFIED_NAME})`, 'diu'),
    explain: ({ name, table }, repaired) => ({
      problem: 'CREATE POLICY has no IF NOT EXISTS form',
      hint: `Drop the policy first so that the migration can run twice:\nDROP POLICY IF EXISTS ${name} ON ${table};\n${repaired};`,
    }),
  },
  {
    pattern: new RegExp(
      String.raw`\bCREATE\s+(?:CONSTRAINT\s+)?TRIGGER\s+${IF_NOT_EXISTS}(?<name>${NAME})[^;]*?\bON\s+(?<table>${QUALIFIED_NAME})`,
      'diu',
    ),
    explain: ({ name, table }, repaired) => ({
      problem: 'CREATE TRIGGER has no IF NOT EXISTS form',
      hint:
        'Use CREATE OR REPLACE TRIGGER (PostgreSQL 14+), or drop the trigger first:\n' +
        `DROP TRIGGER IF EXISTS ${name} ON ${table};\n${repaired};`,
    }),
  },
  {
    pattern: new RegExp(String.raw`\bCREATE\s+TYPE\s+${IF_NOT_EXISTS}(?<name>${QUALIFIED_NAME})`, 'diu'),
    explain: ({ name = '' }, repaired) => {
      const parts = name.match(new RegExp(NAME, 'gu')) ?? [name];
      const schema = parts.length > 1 ? parts[parts.length - 2] : 'public';
      const exists =
        `SELECT 1 FROM pg_type WHERE typname = ${quoteLiteral(identifierValue(parts[parts.length - 1]))}` +
        ` AND typnamespace = ${quoteLiteral(schema)}::regnamespace`;
      return {
        problem: 'CREATE TYPE has no IF NOT EXISTS form',
        hint: `Guard it with a DO block so that the migration can run twice:\n${guardedDoBlock(exists, repaired)}`,
      };
    },
  },
];

const STATEMENT_KEYWORD =
  /(?:ALTER|ANALYZE|BEGIN|CALL|COMMENT|COMMIT|CREATE|DELETE|DO|DROP|GRANT|INSERT|LOCK|REFRESH|REINDEX|REVOKE|SELECT|SET|TRUNCATE|UPDATE|VACUUM|WITH)\b/iy;

const UNTERMINATED_HINTS: [RegExp, string][] = [
  [/^unterminated dollar-quoted string/, 'Close it with the same tag that opened it: $$ ... $$ or $tag$ ... $tag$.'],
  [/^unterminated quoted string/, "Close the string with a quote; a quote inside a string is written twice ('')."],
  [/^unterminated quoted identifier/, 'Close the identifier with a double quote.'],
  [/^unterminated \/\* comment/, 'Close the comment with */ (block comments nest: each /* needs its own */).'],
];

const NEAR = /at or near "([\s\S]*)"$/;
const MAX_NEAR_LENGTH = 40;

/**
 * Turns a parser error at `errorAt` inside `statement` (string offsets of its code, without
 * the `;`) into what the user sees: the parser's message underlining the token it names,
 * or, for a known trap, the offending clause with a fix.
 */
export function diagnoseSyntaxError(
  lines: LineIndex,
  statement: { start: number; end: number },
  errorAt: number,
  parserMessage: string,
): SyntaxDiagnosis {
  const { text } = lines;
  const near = NEAR.exec(parserMessage)?.[1].split(/\r\n|\r|\n/, 1)[0];
  // A replacer function: a replacement string would read `$$` in the token as an escape.
  const message = near === undefined ? parserMessage : parserMessage.replace(NEAR, () => `at or near "${shorten(near)}"`);
  const trapped = diagnoseTrap(text, statement, errorAt, message);
  if (trapped) return trapped;

  const end = near && text.startsWith(near, errorAt) ? errorAt + near.length : Math.min(errorAt + 1, text.length);
  const diagnosis: SyntaxDiagnosis = { start: errorAt, end, message };
  const unterminated = UNTERMINATED_HINTS.find(([pattern]) => pattern.test(parserMessage));
  if (unterminated) diagnosis.hint = unterminated[1];
  else if (opensLine(text, errorAt) && startsWithKeyword(text, errorAt)) {
    const previous = codeSpan(text, statement.start, errorAt);
    if (previous) {
      const line = lines.positionAt(previous.end).line;
      diagnosis.hint = `The statement before it (ending on line ${line}) seems to lack its terminating ";".`;
    }
  }
  return diagnosis;
}

/**
 * A known trap in `statement` whose offending clause holds `errorAt`. The statement may start
 * with unrelated text (PL/pgSQL control words): the fix starts where the trap's pattern does.
 */
export function diagnoseTrap(
  text: string,
  statement: { start: number; end: number },
  errorAt: number,
  message: string,
): SyntaxDiagnosis | undefined {
  const statementText = text.slice(statement.start, statement.end);
  for (const trap of TRAPS) {
    const match = trap.pattern.exec(statementText);
    const clause = match?.indices?.groups?.clause;
    if (!match?.groups || !clause) continue;
    const clauseStart = statement.start + clause[0];
    const clauseEnd = clauseStart + match.groups.clause.trimEnd().length;
    // The clause only explains the error when the parser stumbled on it.
    if (errorAt < clauseStart || errorAt > clauseEnd) continue;
    const repaired = (statementText.slice(match.index, clause[0]) + statementText.slice(clause[1])).replace(/\r\n/g, '\n');
    const { problem, hint } = trap.explain(match.groups, repaired);
    return { start: clauseStart, end: clauseEnd, message: `${message}: ${problem}`, hint };
  }
  return undefined;
}

function guardedDoBlock(existsQuery: string, statement: string): string {
  const indented = statement.replace(/^/gm, '    ');
  const body = `\nBEGIN\n  IF NOT EXISTS (${existsQuery}) THEN\n${indented};\n  END IF;\nEND `;
  return `DO ${dollarQuote(body)};`;
}

/** The value of an identifier as written: quoted ones verbatim, others folded to lower case. */
function identifierValue(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1).replace(/""/g, '"') : identifier.toLowerCase();
}

function shorten(near: string): string {
  return near.length > MAX_NEAR_LENGTH ? `${near.slice(0, MAX_NEAR_LENGTH)}…` : near;
}

/** A parser message with its `at or near "..."` cut to one line of at most MAX_NEAR_LENGTH characters. */
export function shortenNear(message: string): string {
  const near = NEAR.exec(message)?.[1];
  return near === undefined ? message : message.replace(NEAR, () => `at or near "${shorten(near.split(/\r\n|\r|\n/, 1)[0]!)}"`);
}

function startsWithKeyword(text: string, offset: number): boolean {
  STATEMENT_KEYWORD.lastIndex = offset;
  return STATEMENT_KEYWORD.test(text);
}
