import { defineRule } from './types.js';

export const rule = defineRule({
  id: 'readable-file',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'A migration is a UTF-8 text file of sensible size inside the workspace.',
  check(context) {
    if (!context.readError) return;
    const hints: Record<string, string> = {
      'not-a-file': 'pass migration files, not folders; a folder whose name ends in .sql is not a migration',
      'too-large': 'split the change into several migrations; bulk data belongs in a data load, not a schema migration',
      binary: 'the file contains NUL bytes: save it as UTF-8 text',
      'invalid-utf8': 'save the file as UTF-8 (it is probably Latin-1 or UTF-16)',
      missing: 'check the path: no such file',
      unreadable: 'check that the file is readable by this user',
      'outside-workspace': 'commit the migration itself, not a symbolic link to a file elsewhere; its content is not shown',
    };
    // readSourceFile phrases the reason as a predicate ("is a directory, not a file"): give it its subject.
    const line = context.readError.line ?? 1;
    const at = { line, column: 1, offset: 0 };
    context.report({
      message: `${context.migration.name.baseName} ${context.readError.message}`,
      hint: hints[context.readError.reason],
      range: { start: at, end: at },
      // A file that was never read was never checked: that can not be a mere warning.
      ...(context.readError.reason === 'outside-workspace' ? { severity: 'error' as const } : {}),
    });
  },
});
