/**
 * The tolerant build's one rewrite: a CREATE TABLE whose REFERENCES target does not exist yet
 * is run without those constraints (their text blanked, so error positions and lines stay
 * right), and each constraint becomes an `ALTER TABLE ... ADD ... FOREIGN KEY` to run once
 * its target exists.
 */
import { quoteIdent } from '../sql/quote.js';
import { nodeOf, nodesOf } from '../sql/nodes.js';
import type { SqlStatement } from '../sql/types.js';
import type { ForeignKeyRef } from './definitions.js';

export interface DeferredForeignKey {
  ref: ForeignKeyRef;
  /** `ALTER TABLE t ADD [CONSTRAINT c] FOREIGN KEY (col) REFERENCES ...`. */
  sql: string;
}

/** Index of the first top-level `,` or `)` from `start` (quotes, comments and parentheses skipped). */
function elementEnd(text: string, start: number): number {
  let depth = 0;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (char === "'" || char === '"') {
      const close = text.indexOf(char, index + 1);
      index = close === -1 ? text.length : close;
    } else if (char === '-' && text[index + 1] === '-') {
      const newline = text.indexOf('\n', index);
      index = newline === -1 ? text.length : newline;
    } else if (char === '/' && text[index + 1] === '*') {
      const close = text.indexOf('*/', index + 2);
      index = close === -1 ? text.length : close + 1;
    } else if (char === '(') depth++;
    else if (char === ')') {
      if (depth === 0) return index;
      depth--;
    } else if (char === ',' && depth === 0) return index;
  }
  return text.length;
}

/** Spaces for every character but line breaks, so that lines and columns do not move. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

function withoutComments(text: string): string {
  return text.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ').trim();
}

/** The CREATE TABLE text without `drop`'s constraints, and the ALTER TABLE statements that add them back. */
export function deferForeignKeys(statement: SqlStatement<'CreateStmt'>, drop: readonly ForeignKeyRef[]): { sql: string; deferred: DeferredForeignKey[] } {
  const text = statement.text;
  const base = statement.range.start.offset;
  const offsetOf = (location: number | undefined) => (statement.locate && location !== undefined ? statement.locate(location).offset - base : -1);
  const relation = statement.node.relation;
  const table = [relation?.schemaname, relation?.relname].filter((name): name is string => Boolean(name)).map(quoteIdent).join('.');
  const spans: { start: number; end: number }[] = [];
  const deferred: DeferredForeignKey[] = [];

  for (const ref of drop) {
    const start = offsetOf(ref.constraint.location);
    if (start < 0) continue;
    let end = elementEnd(text, start);
    if (ref.column !== undefined) {
      // A column constraint ends where the column's next constraint starts; DEFERRABLE and
      // INITIALLY ... are constraints of their own in the AST but belong to the foreign key.
      const column = nodesOf(statement.node.tableElts, 'ColumnDef').find((element) => element.colname === ref.column);
      for (const other of column?.constraints ?? []) {
        const constraint = nodeOf(other, 'Constraint');
        if (String(constraint?.contype).startsWith('CONSTR_ATTR_')) continue;
        const otherStart = offsetOf(constraint?.location);
        if (otherStart > start && otherStart < end) end = otherStart;
      }
      const clause = withoutComments(text.slice(start, end));
      const at = clause.search(/\bREFERENCES\b/i);
      deferred.push({ ref, sql: `ALTER TABLE ${table} ADD ${clause.slice(0, at)}FOREIGN KEY (${quoteIdent(ref.column)}) ${clause.slice(at)}` });
      spans.push({ start, end });
    } else {
      deferred.push({ ref, sql: `ALTER TABLE ${table} ADD ${withoutComments(text.slice(start, end))}` });
      // A table element takes its separating comma with it: the one before, else the one after.
      let before = start - 1;
      while (before >= 0 && /\s/.test(text[before]!)) before--;
      if (text[before] === ',') spans.push({ start: before, end });
      else spans.push({ start, end: text[end] === ',' ? end + 1 : end });
    }
  }
  let sql = text;
  for (const span of spans.sort((a, b) => b.start - a.start)) {
    sql = sql.slice(0, span.start) + blank(sql.slice(span.start, span.end)) + sql.slice(span.end);
  }
  return { sql, deferred };
}
