import type { Severity } from '../rules/types.js';

/**
 * Rule ids of `check`'s own proofs (the shadow build, catalog lints and function verifier have
 * theirs). Documented like lint rules: docs/rules/<id>.md; severity or `off` in the config's `rules`.
 */
export interface CheckRuleMeta {
  id: string;
  category: 'check';
  defaultSeverity: Severity;
  /** One line: what the rule checks. */
  description: string;
  docs: string;
}

export const CHECK_RULE_LIST = [
  {
    id: 'schema-out-of-sync',
    category: 'check',
    defaultSeverity: 'error',
    description: 'current_schema/ builds the same catalog as current_schema/ at the base revision plus the migrations added since.',
    docs: 'docs/rules/schema-out-of-sync.md',
  },
  {
    id: 'history-migration-failed',
    category: 'check',
    defaultSeverity: 'error',
    description: 'Each migration added since the base applies to current_schema/ as it was at the base.',
    docs: 'docs/rules/history-migration-failed.md',
  },
  {
    id: 'live-drift',
    category: 'check',
    defaultSeverity: 'error',
    description: 'A live database (check --live --env NAME) has the schema current_schema/ describes.',
    docs: 'docs/rules/live-drift.md',
  },
] as const satisfies readonly CheckRuleMeta[];

export type CheckRuleId = (typeof CHECK_RULE_LIST)[number]['id'];

export const CHECK_RULES = Object.fromEntries(CHECK_RULE_LIST.map((rule) => [rule.id, rule])) as Record<CheckRuleId, CheckRuleMeta>;
