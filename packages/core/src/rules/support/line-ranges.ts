/** Source ranges on one line of a migration file, for findings that point at a header line or part of one. */
import { iterateLines, type SourceLine } from '../../migration/lines.js';
import type { SourceRange } from '../../sql/types.js';

/** Line `line` (1-based) of `text`; undefined past the last line. */
export function sourceLine(text: string, line: number): SourceLine | undefined {
  if (line < 1) return undefined;
  // Skip to the line's start without copying out the lines before it (a finding deep in a large file).
  let start = 0;
  for (let number = 1; number < line; number++) {
    let end = start;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    if (end >= text.length) return undefined;
    start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
  return iterateLines(text, start, line).next().value ?? undefined;
}

/** From 1-based column `start` of the line up to (not including) column `end`, by default the end of the line. */
export function lineRange(source: SourceLine, start = 1, end = source.text.length + 1): SourceRange {
  return {
    start: { line: source.number, column: start, offset: source.start + start - 1 },
    end: { line: source.number, column: end, offset: source.start + end - 1 },
  };
}

/** An empty range at the start of the file, for a finding whose line cannot be found. */
export function fileStartRange(): SourceRange {
  return { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
}
