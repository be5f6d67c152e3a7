/** The severity of findings whose level differs from the rule's default, given the rule's configured severity. */
import type { RuleContext, Severity } from '../types.js';

/** The configured severity of a rule when set, else `wanted` (for findings whose level differs from the default). */
export function severityFor(context: RuleContext, ruleId: string, wanted: Severity): Severity {
  const configured = context.config.rules[ruleId];
  return configured && configured !== 'off' ? configured : wanted;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** `wanted`, or the rule's configured severity when that is lower (a config never raises a milder finding). */
export function cappedSeverity(context: RuleContext, ruleId: string, wanted: Severity): Severity {
  const configured = context.config.rules[ruleId];
  return configured && configured !== 'off' && SEVERITY_RANK[configured] < SEVERITY_RANK[wanted] ? configured : wanted;
}
