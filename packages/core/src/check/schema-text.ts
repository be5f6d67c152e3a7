/**
 * Text surgery on schema files that keeps their layout: where a statement really starts (its
 * comment lines) and ends (its `;` and line break), and the element list of a CREATE TABLE.
 */
import { forEachToken } from '../sql/lexer.js';
import { nodeOf } from '../sql/nodes.js';
import type { SqlStatement } from '../sql/types.js';

export interface TextSpan {
  start: number;
  end: number;
}

/** Offset just after `;` ending the statement (or its text when it has none). */
export function statementEnd(text: string, statement: SqlStatement): number {
  let index = statement.range.end.offset;
  while (index < text.length && /[ \t]/.test(text[index]!)) index++;
  return text[index] === ';' ? index + 1 : statement.range.end.offset;
}

/** The statement with its `;` as it must be written into another file. */
export function statementSource(text: string, statement: SqlStatement): string {
  return text.slice(statement.range.start.offset, statementEnd(text, statement)).replace(/;?$/, ';');
}

function lineStart(text: string, offset: number): number {
  const previous = text.lastIndexOf('\n', offset - 1);
  return previous + 1;
}

/** Offset after the line break ending the line that holds `offset`, when only blanks follow on it. */
function afterLineBreak(text: string, offset: number): number {
  let index = offset;
  while (index < text.length && /[ \t]/.test(text[index]!)) index++;
  if (text[index] === '\r') index++;
  if (text[index] === '\n') return index + 1;
  return offset;
}

/** The whole lines a statement occupies, with the `--` comment lines directly above it: what removing it removes. */
export function statementLines(text: string, statement: SqlStatement): TextSpan {
  const firstComment = statement.leadingComments[0];
  const startLine = firstComment ? firstComment.line : statement.range.start.line;
  let start = statement.range.start.offset;
  // Walk back to the start of the first leading comment line.
  for (let line = statement.range.start.line; line > startLine; line--) start = lineStart(text, start - 1);
  start = lineStart(text, start);
  if (text.slice(start, statement.range.start.offset).trim() !== '' && !firstComment) start = statement.range.start.offset;
  let end = afterLineBreak(text, statementEnd(text, statement));
  // Drop one blank line after it too, so removing a statement does not leave a double gap.
  if (text[end] === '\n' && start > 0 && text[start - 1] === '\n' && text[start - 2] === '\n') end++;
  return { start, end };
}

export interface TableElement {
  /** First character of the element (its name). */
  start: number;
  /** After the element's last significant character (before a trailing comma or comment). */
  end: number;
  /** Offset of the comma after it, when there is one. */
  comma?: number;
  column?: string;
}

/** Elements of the `( ... )` of a CREATE TABLE, with their extents in `text`. */
export function tableElements(text: string, statement: SqlStatement): { open: number; close: number; elements: TableElement[] } | undefined {
  const from = statement.range.start.offset;
  const to = statement.range.end.offset;
  let depth = 0;
  let open = -1;
  let close = -1;
  const elements: TableElement[] = [];
  let current: TableElement | undefined;
  forEachToken(
    text,
    (kind, start, end) => {
      if (close >= 0 || kind === 'comment') return;
      const token = text.slice(start, end);
      if (token === '(' && kind === 'other') {
        depth++;
        if (depth === 1 && open < 0) {
          open = start;
          return;
        }
      } else if (token === ')' && kind === 'other') {
        depth--;
        if (depth === 0 && open >= 0) {
          if (current) elements.push(current);
          close = start;
          return;
        }
      }
      if (open < 0) return;
      if (depth === 1 && token === ',' && kind === 'other') {
        if (current) elements.push({ ...current, comma: start });
        current = undefined;
        return;
      }
      if (!current) current = { start, end };
      else current.end = end;
    },
    from,
    to,
  );
  if (open < 0 || close < 0) return undefined;
  const columns = statement.kind === 'CreateStmt' ? (statement.node.tableElts ?? []) : [];
  // Elements and tableElts are in the same order; LIKE clauses and constraints have no column.
  elements.forEach((element, index) => {
    const column = nodeOf(columns[index], 'ColumnDef')?.colname;
    if (column) element.column = column;
  });
  return { open, close, elements };
}

/** The text of an ALTER TABLE ... ADD COLUMN's column definition, e.g. `age integer DEFAULT 3`. */
export function addedColumnText(text: string, statement: SqlStatement, column: string): string | undefined {
  // The column definition starts after `ADD [COLUMN] [IF NOT EXISTS]` and ends at the next top-level comma.
  let depth = 0;
  const pieces: TextSpan[] = [];
  let current: TextSpan | undefined;
  forEachToken(
    text,
    (kind, start, end) => {
      if (kind === 'comment') return;
      const token = text.slice(start, end);
      if (token === '(') depth++;
      if (token === ')') depth--;
      if (depth === 0 && token === ',') {
        if (current) pieces.push(current);
        current = undefined;
        return;
      }
      if (!current) current = { start, end };
      else current.end = end;
    },
    statement.range.start.offset,
    statement.range.end.offset,
  );
  if (current) pieces.push(current);
  for (const piece of pieces) {
    const source = text.slice(piece.start, piece.end);
    const match = /^(?:ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?\S+\s+)?ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?/i.exec(source);
    if (!match) continue;
    const definition = source.slice(match[0].length);
    const name = /^("(?:[^"]|"")+"|[^\s]+)/.exec(definition)?.[1] ?? '';
    const unquoted = name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase();
    if (unquoted === column) return definition.trim();
  }
  return undefined;
}

/** Indentation (leading blanks) of the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** Offset of the end of the line holding `offset` (before its line break). */
export function lineEnd(text: string, offset: number): number {
  const index = text.indexOf('\n', offset);
  const end = index < 0 ? text.length : index;
  return text[end - 1] === '\r' ? end - 1 : end;
}
