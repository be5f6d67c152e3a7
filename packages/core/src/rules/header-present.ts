import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'header-present',
    category: 'convention',
    defaultSeverity: 'error',
    description: 'Every migration starts with the structured header block.',
    docs: 'docs/rules/header-present.md',
  },
  check(context) {
    if (context.migration.header) return;
    context.report({
      message: 'no migration header: the file must start with the "-- ====" header block',
      hint: 'copy the template from docs/workflow.md or create the file with "pgwarden new <slug>"',
    });
  },
};
