import { defineRule } from './types.js';

export const rule = defineRule({
  id: 'file-name',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'File names follow YYYY-MM-DD_NN_descriptive_name.sql with a real date and a snake_case slug.',
  check(context) {
    const { name } = context.migration;
    for (const problem of name.problems) {
      context.report({
        message: `file name "${name.baseName}": ${problem}`,
        hint: name.suggestedName
          ? `rename it to ${name.suggestedName}`
          : 'rename it to YYYY-MM-DD_NN_descriptive_name.sql, e.g. 2025-10-08_18_add_processing_time_minutes.sql (pgwarden new <slug> picks the next number)',
      });
    }
  },
});
