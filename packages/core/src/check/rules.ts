import { defineDatabaseRules, type DatabaseRuleMeta } from '../rules/types.js';

/**
 * Rule ids of `check`'s own proofs (the shadow build, catalog lints and function verifier have
 * theirs). Documented like lint rules: docs/rules/<id>.md; severity or `off` in the config's `rules`.
 */
export type CheckRuleMeta = DatabaseRuleMeta<'check'>;

export const CHECK_RULE_LIST = defineDatabaseRules([
  {
    id: 'schema-out-of-sync',
    category: 'check',
    defaultSeverity: 'error',
    description: 'current_schema/ builds the same catalog as current_schema/ at the base revision plus the migrations added since.',
  },
  {
    id: 'history-migration-failed',
    category: 'check',
    defaultSeverity: 'error',
    description: 'Each migration added since the base applies to current_schema/ as it was at the base.',
  },
  {
    id: 'live-drift',
    category: 'check',
    defaultSeverity: 'error',
    description: 'A live database (check --live --env NAME) has the schema current_schema/ describes.',
  },
] as const satisfies readonly Omit<CheckRuleMeta, 'docs'>[]);

export type CheckRuleId = (typeof CHECK_RULE_LIST)[number]['id'];

export const CHECK_RULES = Object.fromEntries(CHECK_RULE_LIST.map((rule) => [rule.id, rule])) as Record<CheckRuleId, CheckRuleMeta>;
