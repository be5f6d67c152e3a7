import type { HeaderProblem } from '../migration/types.js';
import type { SourceRange } from '../sql/types.js';
import { lineRange, sourceLine } from './support/line-ranges.js';
import { defineRule } from './types.js';

const KNOWN = '"-- pgwarden:no-transaction", "-- pgwarden:lock-timeout 5s" and "-- pgwarden:statement-timeout 30min"';

/** The hint depends on what went wrong; the model phrases the message, we say what to do. */
function hintFor(problem: HeaderProblem): string {
  const message = problem.message;
  if (/in the body/i.test(message)) return 'move the line into the header block (between the "-- ====" rules), where pgwarden reads directives';
  if (/unknown directive/i.test(message)) return `use one of ${KNOWN}, or remove the line`;
  if (/repeated/i.test(message)) return 'keep one line per directive and delete the others';
  if (/takes no value/i.test(message)) return 'write it alone: "-- pgwarden:no-transaction"';
  if (/duration/i.test(message)) return 'give a Postgres duration with a unit among us, ms, s, min, h, d, e.g. "-- pgwarden:lock-timeout 5s"';
  if (/APPROVED/.test(message)) return 'record approvals with "pgwarden approve <file> --by <name>", which writes "-- APPROVED: <name> <YYYY-MM-DD> sha256:<checksum>"';
  return `fix or remove the line; the directives pgwarden knows are ${KNOWN}`;
}

/** From the first non-space character of `line` to its end. */
function trimmedLineRange(text: string, line: number): SourceRange | undefined {
  const source = sourceLine(text, line);
  return source && lineRange(source, Math.max(0, source.text.search(/\S/)) + 1);
}

export const rule = defineRule({
  id: 'pgwarden-directive',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'Lines meant for pgwarden (-- pgwarden:<directive>, -- APPROVED:) are well formed and in the header.',
  check(context) {
    const { migration } = context;
    // Directive problems (unknown, malformed, repeated, misplaced) and malformed pgwarden header lines (APPROVED:).
    const problems = [...migration.directiveProblems, ...(migration.header?.problems ?? [])].sort((a, b) => a.line - b.line);
    for (const problem of problems) {
      context.report({ message: problem.message, range: trimmedLineRange(migration.text, problem.line), hint: hintFor(problem) });
    }
  },
});
