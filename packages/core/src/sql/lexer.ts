/**
 * A coarse SQL tokenizer for the jobs the parser cannot do: finding statement boundaries in
 * text that does not parse, and psql meta-commands. It follows the PostgreSQL lexical rules
 * that decide where a `;` or a line start really is: quoted strings (with E'' escapes),
 * quoted identifiers, dollar quotes, nested block comments and line comments. Unlike the
 * parser's scanner it never fails: an unterminated literal or comment runs to the end.
 */

export type TokenKind = 'word' | 'string' | 'comment' | 'semicolon' | 'meta' | 'other';

export interface SqlLayout {
  /** String offsets of the `;` characters that end top-level statements. */
  statementEnds: number[];
  /** psql meta-commands (a `\` first on a line, outside literals): from the backslash to the end of the line. */
  metaCommands: { start: number; end: number }[];
}

/** A dollar-quote tag: `$$` or `$name$`. */
export const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/y;
const ROUTINE_HEADER = /^create (?:or replace )?(?:function|procedure)\b/;

/** Identifier characters; numbers are lexed as words too, which is all this tokenizer needs. */
function isWordChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code >= 0x80
  );
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0c || code === 0x0b;
}

/** Index just after the quote that closes a literal opened at `start` (or the end of the text). */
function skipQuoted(text: string, start: number, quote: string, backslashEscapes: boolean): number {
  for (let index = start + 1; index < text.length; index++) {
    const char = text[index];
    if (backslashEscapes && char === '\\') index++;
    else if (char === quote) {
      if (text[index + 1] !== quote) return index + 1;
      index++; // a doubled quote stands for itself
    }
  }
  return text.length;
}

function skipBlockComment(text: string, start: number): number {
  let depth = 0;
  for (let index = start; index < text.length - 1; index++) {
    if (text[index] === '/' && text[index + 1] === '*') {
      depth++;
      index++;
    } else if (text[index] === '*' && text[index + 1] === '/') {
      depth--;
      index++;
      if (depth === 0) return index + 1;
    }
  }
  return text.length;
}

// Like Postgres's scanner (non_newline = [^\n\r]), a `--` comment or a meta-command ends at \n or \r,
// so that a file with lone-\r line endings is not one long comment.
const LINE_BREAK = /[\n\r]/g;

function lineEndFrom(text: string, start: number): number {
  LINE_BREAK.lastIndex = start;
  return LINE_BREAK.exec(text)?.index ?? text.length;
}

/** Calls `onToken` for each token in `text[from, to)`, which must start outside any literal. */
export function forEachToken(
  text: string,
  onToken: (kind: TokenKind, start: number, end: number) => void,
  from = 0,
  to = text.length,
): void {
  let atLineStart = from === 0 || text[from - 1] === '\n' || text[from - 1] === '\r';
  let index = from;
  while (index < to) {
    const code = text.charCodeAt(index);
    if (code === 0x0a || code === 0x0d) {
      atLineStart = true;
      index++;
      continue;
    }
    if (isBlank(code)) {
      index++;
      continue;
    }
    const start = index;
    let kind: TokenKind = 'other';
    const next = text[index + 1];
    if (code === 0x5c /* \ */ && atLineStart) {
      kind = 'meta';
      index = lineEndFrom(text, index);
    } else if (code === 0x2d /* - */ && next === '-') {
      kind = 'comment';
      index = lineEndFrom(text, index);
    } else if (code === 0x2f /* / */ && next === '*') {
      kind = 'comment';
      index = skipBlockComment(text, index);
    } else if (code === 0x27 /* ' */) {
      kind = 'string';
      index = skipQuoted(text, index, "'", false);
    } else if (code === 0x22 /* " */) {
      kind = 'word';
      index = skipQuoted(text, index, '"', false);
    } else if (code === 0x24 /* $ */) {
      DOLLAR_TAG.lastIndex = index;
      const tag = DOLLAR_TAG.exec(text)?.[0];
      if (tag) {
        kind = 'string';
        const close = text.indexOf(tag, index + tag.length);
        index = close === -1 ? text.length : close + tag.length;
      } else index++;
    } else if (isWordChar(code)) {
      kind = 'word';
      // `$` continues an identifier (a$b), so it cannot open a dollar quote there.
      while (index < text.length && (isWordChar(text.charCodeAt(index)) || text[index] === '$')) index++;
      if (text[index] === "'" && index === start + 1 && (code === 0x45 || code === 0x65)) {
        kind = 'string'; // E'...': backslash escapes
        index = skipQuoted(text, index, "'", true);
      }
    } else {
      kind = code === 0x3b /* ; */ ? 'semicolon' : 'other';
      index++;
    }
    atLineStart = false;
    onToken(kind, start, Math.min(index, to));
  }
}

/**
 * Statement ends and psql meta-commands of a whole file. Like psql, a `;` inside the
 * BEGIN ... END of a `CREATE FUNCTION ... BEGIN ATOMIC` body does not end the statement.
 */
export function scanLayout(text: string): SqlLayout {
  const layout: SqlLayout = { statementEnds: [], metaCommands: [] };
  let leadingWords = '';
  let leadingWordCount = 0;
  let insideRoutine = false;
  let blockDepth = 0;
  forEachToken(text, (kind, start, end) => {
    if (kind === 'meta') layout.metaCommands.push({ start, end });
    else if (kind === 'semicolon' && blockDepth === 0) {
      layout.statementEnds.push(start);
      leadingWords = '';
      leadingWordCount = 0;
      insideRoutine = false;
    } else if (kind === 'word') {
      const word = text.slice(start, end).toLowerCase();
      if (leadingWordCount++ < 4) {
        leadingWords += leadingWords ? ` ${word}` : word;
        insideRoutine = ROUTINE_HEADER.test(leadingWords);
      }
      if (!insideRoutine) return;
      if (word === 'begin') blockDepth++;
      else if (word === 'case' && blockDepth > 0) blockDepth++;
      else if (word === 'end' && blockDepth > 0) blockDepth--;
    }
  });
  return layout;
}

/** The span from the first to the end of the last token that is not a comment, or undefined if there is none. */
export function codeSpan(text: string, from: number, to: number): { start: number; end: number } | undefined {
  let span: { start: number; end: number } | undefined;
  forEachToken(
    text,
    (kind, start, end) => {
      if (kind === 'comment' || kind === 'meta') return;
      if (span) span.end = end;
      else span = { start, end };
    },
    from,
    to,
  );
  return span;
}

/** `body` as a dollar-quoted literal: `$$`, or `$q1$`, `$q2$`... when that could close early. */
export function dollarQuote(body: string): string {
  for (let attempt = 0; ; attempt++) {
    const tag = attempt === 0 ? '$$' : `$q${attempt}$`;
    // The literal ends at the first occurrence of its tag: that must be the closing one.
    if ((body + tag).indexOf(tag) === body.length) return tag + body + tag;
  }
}
