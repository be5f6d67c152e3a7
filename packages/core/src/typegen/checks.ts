/**
 * Facts read from single-column CHECK constraints as `pg_get_constraintdef` prints them:
 * allowed values (`col IN (...)`, printed as `col = ANY (ARRAY[...])`) and plain numeric
 * bounds (`col >= 0`). Anything more complex is left alone rather than guessed.
 */
import type { ConstraintInfo, TableInfo } from '../catalog/index.js';

const QUOTED = /'((?:[^']|'')*)'(?:::[\w ."]+)?/g;

/** Allowed string values of a column when one CHECK lists them; undefined otherwise. */
export function checkedValues(table: TableInfo, column: string): string[] | undefined {
  for (const constraint of singleColumnChecks(table, column)) {
    const body = unwrapCheck(constraint.definition);
    const anyArray = /^\(?"?[\w$]+"?(?:\)?::[\w ."]+)?\)? = ANY \(\(?ARRAY\[(.*)\]\)?(?:::[\w ."[\]]+)?\)$/s.exec(body);
    if (anyArray) return [...anyArray[1]!.matchAll(QUOTED)].map((match) => match[1]!.replace(/''/g, "'"));
    const alternatives = body.split(' OR ').map((part) => /^\(?\(?"?[\w$]+"?\)?(?:::[\w ."]+)? = ('(?:[^']|'')*')(?:::[\w ."]+)?\)?$/.exec(part.trim()));
    if (alternatives.length > 1 && alternatives.every(Boolean)) {
      return alternatives.map((match) => [...match![1]!.matchAll(QUOTED)][0]![1]!.replace(/''/g, "'"));
    }
  }
  return undefined;
}

export interface NumericBounds {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/** Bounds from CHECKs of the form `col >= 0`, `col < 100`, `col BETWEEN`-style conjunctions. */
export function checkedBounds(table: TableInfo, column: string): NumericBounds {
  const bounds: NumericBounds = {};
  for (const constraint of singleColumnChecks(table, column)) {
    for (const part of unwrapCheck(constraint.definition).split(' AND ')) {
      const match = /^\(?"?[\w$]+"?\)? (>=|>|<=|<) \(?(-?\d+(?:\.\d+)?)\)?(?:::[\w ."]+)?\)?$/.exec(part.trim());
      if (!match) continue;
      const value = Number(match[2]);
      if (match[1] === '>=') bounds.minimum = value;
      else if (match[1] === '>') bounds.exclusiveMinimum = value;
      else if (match[1] === '<=') bounds.maximum = value;
      else bounds.exclusiveMaximum = value;
    }
  }
  return bounds;
}

function singleColumnChecks(table: TableInfo, column: string): ConstraintInfo[] {
  return table.constraints.filter((c) => c.type === 'check' && c.columns.length === 1 && c.columns[0] === column);
}

/** `CHECK ((body))` -> `body`. */
function unwrapCheck(definition: string): string {
  let body = definition.replace(/^CHECK\s*/, '').replace(/\s+NOT VALID$/, '').trim();
  while (body.startsWith('(') && body.endsWith(')') && balanced(body.slice(1, -1))) body = body.slice(1, -1).trim();
  return body;
}

function balanced(text: string): boolean {
  let depth = 0;
  let quoted = false;
  for (const char of text) {
    if (char === "'") quoted = !quoted;
    else if (!quoted && char === '(') depth++;
    else if (!quoted && char === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
