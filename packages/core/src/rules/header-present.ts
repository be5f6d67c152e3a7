import { defineRule } from './types.js';

export const rule = defineRule({
  id: 'header-present',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'Every migration starts with the structured header block.',
  check(context) {
    const { header } = context.migration;
    if (header?.fenceless) {
      context.report({
        message: `migration header has no "-- ====" fence lines: lines ${header.startLine}-${header.endLine} read as a header, but pgwarden cannot rewrite it (approvals, execution records) and counts it as SQL body`,
        hint: 'put a "-- ============================================================================" line above the Migration line and another below the last header line',
      });
      return;
    }
    if (header) return;
    context.report({
      message: 'no migration header: the file must start with the "-- ====" header block',
      hint: 'copy the template from docs/workflow.md or create the file with "pgwarden new <slug>"',
    });
  },
});
