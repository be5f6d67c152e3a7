import { defineRule } from './types.js';

export const rule = defineRule({
  id: 'syntax',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'The SQL parses with the real Postgres parser.',
  check(context) {
    for (const error of context.sql.errors) {
      context.report({
        // Most parser messages already say "syntax error at or near ...": do not say it twice.
        message: /\bsyntax error\b/i.test(error.message) ? error.message : `syntax error: ${error.message}`,
        range: error.range,
        hint: error.hint ?? 'fix the statement so that Postgres can parse it; each failing statement is reported once',
      });
    }
  },
});
