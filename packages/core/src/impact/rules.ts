import type { Severity } from '../rules/types.js';

/**
 * Rule ids of `lint --deep` (the shadow proofs of a pending migration). The function verifier and
 * the catalog lints report under their own ids. Documented like lint rules: docs/rules/<id>.md;
 * severity or `off` in the config's `rules`.
 */
export interface DeepRuleMeta {
  id: string;
  category: 'deep';
  defaultSeverity: Severity;
  /** One line: what the rule checks. */
  description: string;
  docs: string;
}

export const DEEP_RULE_LIST = [
  {
    id: 'deep-statement-failed',
    category: 'deep',
    defaultSeverity: 'error',
    description: 'Every statement of a pending migration applies to current_schema/ with the earlier pending migrations applied.',
    docs: 'docs/rules/deep-statement-failed.md',
  },
  {
    id: 'deep-function-overload',
    category: 'deep',
    defaultSeverity: 'error',
    description: 'A CREATE OR REPLACE FUNCTION replaces the function of that name instead of adding a second overload beside it.',
    docs: 'docs/rules/deep-function-overload.md',
  },
  {
    id: 'deep-not-idempotent',
    category: 'deep',
    defaultSeverity: 'error',
    description: 'A migration applied a second time succeeds and leaves the schema unchanged.',
    docs: 'docs/rules/deep-not-idempotent.md',
  },
  {
    id: 'deep-rollback-failed',
    category: 'deep',
    defaultSeverity: 'error',
    description: "The header's rollback script runs after the migration.",
    docs: 'docs/rules/deep-rollback-failed.md',
  },
  {
    id: 'deep-rollback-incomplete',
    category: 'deep',
    defaultSeverity: 'warning',
    description: "The header's rollback script brings the schema back to where it was before the migration.",
    docs: 'docs/rules/deep-rollback-incomplete.md',
  },
] as const satisfies readonly DeepRuleMeta[];

export type DeepRuleId = (typeof DEEP_RULE_LIST)[number]['id'];

export const DEEP_RULES = Object.fromEntries(DEEP_RULE_LIST.map((rule) => [rule.id, rule])) as Record<DeepRuleId, DeepRuleMeta>;
