import { countsAsExecution } from '../migration/execution-state.js';
import { iterateLines } from '../migration/lines.js';
import type { SourceRange } from '../sql/types.js';
import { describeExecutions } from './support/executions.js';
import { lineRange, sourceLine } from './support/line-ranges.js';
import { defineRule } from './types.js';

const VALID_MARKS = new Set([' ', 'X', 'x', 'N/A']);
/**
 * Something written where a box goes: a short bracketed mark at the start of the comment text,
 * after a list bullet, or right after a `LABEL:`; followed by a space or the end of the line.
 * Longer bracketed text (`[Descriptive Title]`) is a template placeholder, not a box.
 */
const BOX_LIKE = /(^\s*--\s*(?:[-*\u2022]\s*)?|:\s*)\[([^\][]{0,5})\](?=\s|$)/g;
const AFTER_LABEL = /^\s*(?:\S|n\s*\/?\s*a)?\s*$/iu;
const BOX_CHARS = /^[\sA-Za-z/.*+?\-\u2713\u2714\u2716\u2717\u2718]*$/u;

function suggestion(mark: string): string {
  const inner = mark.trim().toLowerCase();
  if (inner === '') return '[ ] when still to do';
  if (inner === 'x' || inner === 'y' || inner === 'yes' || inner === 'done' || /[\u2713\u2714]/u.test(inner)) return '[X]';
  if (inner.replace(/[^a-z]/g, '') === 'na') return '[N/A]';
  return '[X] when done, [ ] when still to do, or [N/A] when it does not apply';
}

export const rule = defineRule({
  id: 'checkboxes',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'Header boxes are [ ], [X], [x] or [N/A], and an executed migration has no open box left.',
  check(context) {
    const { header, text } = context.migration;
    if (!header) return;

    for (const source of iterateLines(text)) {
      if (source.number < header.startLine) continue;
      if (source.number > header.endLine) break;
      for (const match of source.text.matchAll(BOX_LIKE)) {
        const mark = match[2]!;
        if (VALID_MARKS.has(mark) || !BOX_CHARS.test(mark)) continue;
        // After a `LABEL:` only a box-sized mark counts: `Issue: [WIP] ...` is a tag, not a box.
        if (match[1]!.startsWith(':') && !AFTER_LABEL.test(mark)) continue;
        const column = match.index + match[1]!.length;
        const width = mark.length + 2;
        context.report({
          message: `malformed checkbox "[${mark}]": a box is written [ ], [X], [x] or [N/A]`,
          range: lineRange(source, column + 1, column + width + 1),
          hint: `write ${suggestion(mark)}`,
        });
      }
    }

    // Complete only from a recording environment's record: a record naming a configured
    // environment that does not record (an old local run) does not finalise the header.
    const executions = header.executions.filter((execution) => countsAsExecution(execution, context.config.environments));
    if (executions.length === 0) return;
    const executed = describeExecutions(executions);
    const open = header.checkboxes.filter((box) => box.state === 'open');
    open.forEach((box, index) => {
      const line = sourceLine(text, box.line);
      // From the box to the end of its line; three characters when the line cannot be found.
      const range: SourceRange = line
        ? lineRange(line, box.column)
        : { start: { line: box.line, column: box.column, offset: box.column - 1 }, end: { line: box.line, column: box.column + 3, offset: box.column + 2 } };
      context.report({
        message: `open checkbox "[ ] ${box.text}"${box.section ? ` under ${box.section}` : ''} in a migration executed ${executed}${open.length > 1 ? ` (${index + 1} of ${open.length} open boxes)` : ''}`,
        range,
        hint: 'tick it [X] once the step is done, or mark it [N/A] when it does not apply: executed migrations are finalised with every box closed',
      });
    });
  },
});
