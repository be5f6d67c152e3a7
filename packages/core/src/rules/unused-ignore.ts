import { isVerifyRuleId } from '../verify/rules.js';
import { isRuleId } from './registry.js';
import { defineRule } from './types.js';

export const rule = defineRule({
  id: 'unused-ignore',
  category: 'meta',
  defaultSeverity: 'warning',
  description: 'Every pgwarden-ignore comment names known rules and silences something.',
  runsLast: true,
  check(context) {
    for (const suppression of context.suppressions) {
      const range = {
        start: { line: suppression.line, column: suppression.column, offset: 0 },
        end: { line: suppression.line, column: suppression.column, offset: 0 },
      };
      if (suppression.rules.length === 0) {
        context.report({ range, severity: 'error', message: 'pgwarden-ignore names no rule', hint: 'write "-- pgwarden-ignore rule-id -- reason"' });
        continue;
      }
      // Function verifier ids (check, lint --deep) are judged by the verifier, which binds them to the
      // statements of the function body (lint knows only the body's DDL and DML).
      if (suppression.rules.every(isVerifyRuleId)) continue;
      for (const id of suppression.rules) {
        if (isVerifyRuleId(id)) continue;
        if (!isRuleId(id)) {
          context.report({ range, severity: 'error', message: `pgwarden-ignore names unknown rule "${id}"`, hint: 'use a rule id listed in docs/rules/' });
        } else if (context.activeRules.has(id) && !suppression.used.has(id)) {
          context.report({ range, message: `pgwarden-ignore ${id} silences nothing here`, hint: 'remove the rule from the comment (or the comment)' });
        }
      }
      if (suppression.scope === 'statement' && suppression.coversFrom === undefined) {
        context.report({ range, message: 'pgwarden-ignore is not followed by a statement', hint: 'put the comment directly above the statement it is for' });
      }
    }
  },
});
