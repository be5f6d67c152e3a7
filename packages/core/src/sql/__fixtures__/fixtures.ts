import { readFileSync } from 'node:fs';
import type { SourceRange } from '../types.js';

export function fixture(name: string): string {
  return readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
}

/** `line:column-line:column`: a whole range in one exact, readable assertion. */
export function span(range: SourceRange): string {
  return `${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}`;
}
