import { defineRule } from './types.js';

export const rule = defineRule({
  id: 'psql-meta-command',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'No psql backslash commands: the runner sends SQL to the server, which cannot run them.',
  check(context) {
    for (const meta of context.sql.metaCommands) {
      context.report({
        message: `psql meta-command ${meta.command.split(/\s/)[0]} is not SQL and fails outside psql`,
        range: meta.range,
        hint: meta.command.startsWith('\\echo')
          ? 'remove it, or turn it into a comment (-- ...) or RAISE NOTICE inside a DO block'
          : 'remove it: pgwarden runs plain SQL over a connection, not through psql',
      });
    }
  },
});
