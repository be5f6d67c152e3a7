import { createRequire } from 'node:module';
import type * as LibPgQuery from 'libpg-query';
import { codeSpan, scanLayout, type SqlLayout } from './lexer.js';
import { parseRoutineBody } from './plpgsql.js';
import { codePointOffsetToIndex, leadingComments, LineIndex } from './positions.js';
import { diagnoseSyntaxError, errorCursor, errorMessage } from './syntax-hints.js';
import { statementOf } from './nodes.js';
import type { ParsedSql, SqlSyntaxError } from './types.js';

export type PgQuery = Pick<typeof LibPgQuery, 'parseSync' | 'parsePlPgSQLSync'>;

/** String offsets of a statement's text in the file, including its `;` when it has one. */
interface Chunk {
  start: number;
  end: number;
}

let pgQuery: PgQuery | undefined;
let loading: Promise<void> | undefined;

/** Loads the WASM parser (once; later calls return the same promise). */
export function loadParser(): Promise<void> {
  // The CommonJS build through require() loads in about half the time of import() (measured in tools/bench).
  loading ??= Promise.resolve()
    .then(() => createRequire(import.meta.url)('libpg-query') as typeof LibPgQuery)
    .then(async (library) => {
      await library.loadModule();
      pgQuery = library;
    })
    .catch((error: unknown) => {
      loading = undefined; // let a later call retry
      throw error;
    });
  return loading;
}

/** The loaded libpg-query module, for callers that parse single statements or PL/pgSQL bodies themselves. */
export async function loadedParser(): Promise<PgQuery> {
  await loadParser();
  return pgQuery!;
}

/**
 * Splits SQL text into statements with exact positions, parses PL/pgSQL bodies into nested
 * statements, blanks out psql meta-commands, and reports each syntax error once.
 * Synchronous: call `await loadParser()` first.
 */
export function parseSql(text: string): ParsedSql {
  if (!pgQuery) throw new Error('The SQL parser is not loaded: await loadParser() before calling parseSql().');
  return new FileParser(pgQuery, text).parse();
}

/**
 * Like parseSql, but parses only the top-level statements whose text matches `keep` (a pattern
 * without the g flag); the others are blanked, so positions are those of the whole file. For
 * scans of other migrations that need a few statements of each: the lexer pass costs a fifth of
 * a full parse.
 */
export function parseSqlMatching(text: string, keep: RegExp): ParsedSql {
  let kept = '';
  let start = 0;
  for (const end of [...scanLayout(text).statementEnds.map((semicolon) => semicolon + 1), text.length]) {
    const statement = text.slice(start, end);
    kept += keep.test(statement) ? statement : statement.replace(/[^\r\n]/g, ' ');
    start = end;
  }
  return parseSql(kept);
}

// A psql meta-command candidate; only a lexer pass can tell whether it sits outside a literal.
const META_COMMAND_CANDIDATE = /^[ \t]*\\/m;

class FileParser {
  private readonly result: ParsedSql = { statements: [], nested: [], expressions: [], errors: [], metaCommands: [] };
  /** The text handed to the parser: meta-commands and NUL characters blanked, offsets unchanged. */
  private readonly sqlText: string;
  private readonly lines: LineIndex;
  private layout?: SqlLayout;

  constructor(
    private readonly pg: PgQuery,
    private readonly text: string,
  ) {
    let sqlText = text;
    if (META_COMMAND_CANDIDATE.test(text)) {
      this.layout = scanLayout(text);
      sqlText = blankRanges(text, this.layout.metaCommands);
    }
    const firstNul = sqlText.indexOf('\0');
    // The parser reads a C string: a NUL would silently end the file there.
    if (firstNul !== -1) sqlText = sqlText.replace(/\0/g, ' ');
    this.sqlText = sqlText;
    this.lines = new LineIndex(sqlText);

    for (const { start, end } of this.layout?.metaCommands ?? []) {
      this.result.metaCommands.push({ command: text.slice(start, end).trimEnd(), range: this.lines.rangeOf(start, end) });
    }
    if (firstNul !== -1) {
      this.result.errors.push({
        message: 'NUL character (U+0000) in SQL text',
        range: this.lines.rangeOf(firstNul, firstNul + 1),
        hint: 'Remove it: the file is probably binary or saved in the wrong encoding.',
      });
    }
  }

  parse(): ParsedSql {
    if (this.sqlText.trim() === '') return this.result;
    try {
      this.addStatements(this.pg.parseSync(this.sqlText).stmts ?? [], 0, this.sqlText.length);
    } catch (error) {
      this.recover(error);
    }
    for (const statement of this.result.statements) {
      const body = parseRoutineBody(this.pg, statement, { text: this.text, lines: this.lines });
      this.result.nested.push(...body.nested);
      this.result.expressions.push(...body.expressions);
      this.result.errors.push(...body.errors);
    }
    this.result.errors.sort((first, second) => first.range.start.offset - second.range.start.offset);
    return this.result;
  }

  /**
   * The whole text failed to parse: parse statement by statement (split at top-level `;`)
   * so that each bad statement yields exactly one error and the good ones are kept.
   */
  private recover(firstError: unknown): void {
    const chunks: Chunk[] = [];
    let start = 0;
    for (const semicolon of (this.layout ??= scanLayout(this.sqlText)).statementEnds) {
      chunks.push({ start, end: semicolon + 1 });
      start = semicolon + 1;
    }
    if (start < this.sqlText.length) chunks.push({ start, end: this.sqlText.length });

    const firstErrorAt = codePointOffsetToIndex(this.sqlText, errorCursor(firstError));
    const found = chunks.findIndex((chunk) => firstErrorAt < chunk.end);
    const failing = found === -1 ? chunks.length - 1 : found; // an error at the end of the input
    // Everything before the first failing statement parses: one call for all of it.
    this.parseChunk({ start: 0, end: chunks[failing].start });
    this.addSyntaxError(firstError, 0, chunks[failing]);
    for (const chunk of chunks.slice(failing + 1)) this.parseChunk(chunk);
  }

  private parseChunk(chunk: Chunk): void {
    const source = this.sqlText.slice(chunk.start, chunk.end);
    if (source.trim() === '') return;
    try {
      const raws = this.pg.parseSync(source).stmts ?? [];
      this.addStatements(raws, this.lines.byteOffsetOf(chunk.start), chunk.end);
    } catch (error) {
      this.addSyntaxError(error, chunk.start, chunk);
    }
  }

  /** `parsedFrom`: the string offset where the text the parser saw begins. */
  private addSyntaxError(error: unknown, parsedFrom: number, chunk: Chunk): void {
    const { sqlText, lines } = this;
    const codeEnd = sqlText[chunk.end - 1] === ';' ? chunk.end - 1 : chunk.end;
    const statement = codeSpan(sqlText, chunk.start, codeEnd) ?? chunk;
    // A position-less error reports 0: point at the statement rather than the whitespace before it.
    const errorAt = Math.max(codePointOffsetToIndex(sqlText, errorCursor(error), parsedFrom), statement.start);
    const { start, end, message, hint } = diagnoseSyntaxError(lines, statement, errorAt, errorMessage(error));
    const syntaxError: SqlSyntaxError = { message, range: lines.rangeOf(start, end) };
    if (hint) syntaxError.hint = hint;
    this.result.errors.push(syntaxError);
  }

  /** `baseByte`: byte offset of the parsed text in the file; `textEnd`: where that text ends. */
  private addStatements(raws: LibPgQuery.RawStmt[], baseByte: number, textEnd: number): void {
    const { lines } = this;
    for (const raw of raws) {
      if (!raw.stmt) continue; // the parser always sets it; the type leaves every field optional
      const startByte = baseByte + (raw.stmt_location ?? 0);
      const start = lines.indexOfByte(startByte);
      // The last statement has no length when no `;` follows it: it runs to the end of the text.
      const end = this.trimTrailingTrivia(start, raw.stmt_len ? lines.indexOfByte(startByte + raw.stmt_len) : textEnd);
      this.result.statements.push(
        statementOf(raw.stmt, {
          text: this.text.slice(start, end),
          range: lines.rangeOf(start, end),
          leadingComments: leadingComments(lines, start),
          locate: (location) => lines.positionAt(lines.indexOfByte(baseByte + location)),
        }),
      );
    }
  }

  /** Drops whitespace and comments between the statement's last token and its `;`. */
  private trimTrailingTrivia(start: number, end: number): number {
    const { sqlText } = this;
    while (end > start && /\s/.test(sqlText[end - 1])) end--;
    const tail = sqlText.slice(start, end);
    const mayEndInComment = tail.endsWith('*/') || tail.slice(Math.max(tail.lastIndexOf('\n'), tail.lastIndexOf('\r')) + 1).includes('--');
    return mayEndInComment ? (codeSpan(sqlText, start, end)?.end ?? end) : end;
  }
}

function blankRanges(text: string, ranges: { start: number; end: number }[]): string {
  let blanked = '';
  let copied = 0;
  for (const { start, end } of ranges) {
    blanked += text.slice(copied, start) + ' '.repeat(end - start);
    copied = end;
  }
  return blanked + text.slice(copied);
}
