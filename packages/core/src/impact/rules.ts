import { defineDatabaseRules, type DatabaseRuleMeta } from '../rules/types.js';

/**
 * Rule ids of `lint --deep` (the shadow proofs of a pending migration). The function verifier and
 * the catalog lints report under their own ids. Documented like lint rules: docs/rules/<id>.md;
 * severity or `off` in the config's `rules`.
 */
export type DeepRuleMeta = DatabaseRuleMeta<'deep'>;

export const DEEP_RULE_LIST = defineDatabaseRules([
  {
    id: 'deep-statement-failed',
    category: 'deep',
    defaultSeverity: 'error',
    description: 'Every statement of a pending migration applies to current_schema/ with the earlier pending migrations applied.',
  },
  {
    id: 'deep-function-overload',
    category: 'deep',
    defaultSeverity: 'error',
    description: 'A CREATE OR REPLACE FUNCTION replaces the function of that name instead of adding a second overload beside it.',
  },
  {
    id: 'deep-not-idempotent',
    category: 'deep',
    defaultSeverity: 'error',
    description: 'A migration applied a second time succeeds and leaves the schema unchanged.',
  },
  {
    id: 'deep-rollback-failed',
    category: 'deep',
    defaultSeverity: 'error',
    description: "The header's rollback script runs after the migration.",
  },
  {
    id: 'deep-rollback-incomplete',
    category: 'deep',
    defaultSeverity: 'warning',
    description: "The header's rollback script brings the schema back to where it was before the migration.",
  },
] as const satisfies readonly Omit<DeepRuleMeta, 'docs'>[]);

export type DeepRuleId = (typeof DEEP_RULE_LIST)[number]['id'];

export const DEEP_RULES = Object.fromEntries(DEEP_RULE_LIST.map((rule) => [rule.id, rule])) as Record<DeepRuleId, DeepRuleMeta>;
