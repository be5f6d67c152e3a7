import { canonicalDirectives } from '../migration/directives.js';
import { executedBy } from '../migration/execution-state.js';
import type { Migration } from '../migration/types.js';
import { describeExecutions } from './support/executions.js';
import { lineRange, sourceLine } from './support/line-ranges.js';
import { defineRule } from './types.js';

function bodyLines(migration: Migration): string[] {
  return migration.body.replace(/\r\n?/g, '\n').trimEnd().split('\n');
}

/** Where the body first differs from the previous one: a line of the current file (past its end when lines were removed). */
function firstChange(previous: Migration, current: Migration): { line: number; before?: string } | undefined {
  const before = bodyLines(previous);
  const after = bodyLines(current);
  const length = Math.max(before.length, after.length);
  for (let index = 0; index < length; index++) {
    if (before[index] !== after[index]) {
      return { line: current.bodyStartLine + Math.min(index, after.length - 1), before: before[index] };
    }
  }
  return undefined;
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export const rule = defineRule({
  id: 'executed-immutable',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'The SQL of a migration whose header records an execution never changes (header edits are fine).',
  check(context) {
    const { previous, migration } = context;
    const executions = previous?.header?.executions ?? [];
    // Executed as its header records, by the convention's completion marks, or at or before the configured baseline.
    const executedAs = previous && executedBy(previous, context.config);
    if (!previous || !executedAs) return;
    const executed =
      executions.length > 0
        ? describeExecutions(executions)
        : executedAs === 'baseline'
          ? `(at or before the baseline ${context.config.baseline})`
          : '(its header is marked complete)';
    if (context.deleted) {
      // Moved or renamed (e.g. into a sub-folder): the file of the same name or version is checked in its own right.
      const { baseName, version } = previous.name;
      const moved = context.history.some((other) => other.name.baseName === baseName || (version !== undefined && other.name.version === version));
      if (moved) return;
      context.report({
        message: `this migration was executed ${executed} and is deleted: the history in the databases would no longer match the files`,
        hint: 'executed migrations are append-only: restore the file ("git checkout HEAD -- <file>") and undo its effect, if needed, in a new migration ("pgwarden new <slug>")',
      });
      return;
    }
    // The version and name are the migration's identity in every database's history: a rename makes
    // the applied one look missing and this one new. A move into a sub-folder keeps the name: fine.
    if (previous.name.baseName !== migration.name.baseName) {
      context.report({
        message: `this migration was executed ${executed} and was renamed from ${previous.relPath}: its version and name identify it in the databases' history, which would no longer match the files`,
        hint: `executed migrations keep their file name: rename it back ("git mv ${migration.relPath} ${previous.relPath}"); moving it into a sub-folder under the same name is fine`,
      });
    }
    if (previous.checksum === migration.checksum) return;

    const directivesChanged = canonicalDirectives(previous.directives) !== canonicalDirectives(migration.directives);
    const change = firstChange(previous, migration);
    const changedLine = change && sourceLine(migration.text, change.line);
    const message = change
      ? `this migration was executed ${executed} but its SQL changed: line ${change.line} differs from the executed version${
          change.before !== undefined ? ` (was: ${JSON.stringify(shorten(change.before.trim()))})` : ''
        }${directivesChanged ? '; its pgwarden directives changed too' : ''}`
      : `this migration was executed ${executed} but its pgwarden directives changed (they are part of its checksum)`;
    context.report({
      message,
      range: changedLine && lineRange(changedLine),
      hint: 'executed migrations are append-only: restore the executed SQL (see "git show HEAD:<file>"; header edits may stay) and write the change as a new migration ("pgwarden new <slug>")',
    });
  },
});
