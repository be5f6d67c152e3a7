import { defineDatabaseRules, type DatabaseRuleMeta } from '../rules/types.js';

/**
 * Rule ids of the function verifier (`check`, `lint --deep`). They are not lint rules (they need a
 * database), but they are documented and enumerated like them: docs/rules/<id>.md, listed by
 * tools/docs/rules-index.mjs (which reads this file's literals) and checked by rules/registry.test.ts.
 */
export type VerifyRuleMeta = DatabaseRuleMeta<'function'>;

export const VERIFY_RULES = defineDatabaseRules([
  {
    id: 'function-invalid-statement',
    category: 'function',
    defaultSeverity: 'error',
    description: 'Every statement and expression in a PL/pgSQL body is valid against the schema (tables, columns, operators, casts exist).',
  },
  {
    id: 'function-ambiguous-column',
    category: 'function',
    defaultSeverity: 'error',
    description: 'No unqualified name in a PL/pgSQL statement is both a variable, parameter or OUT column and a table column.',
  },
  {
    id: 'function-keyword-variable',
    category: 'function',
    defaultSeverity: 'error',
    description: 'No PL/pgSQL variable or parameter is named like an SQL keyword function (current_time, user ...), which SQL reads instead.',
  },
  {
    id: 'function-body-invalid',
    category: 'function',
    defaultSeverity: 'error',
    description: 'The body of an SQL-language function still validates against the schema.',
  },
  {
    id: 'function-ignore',
    category: 'function',
    defaultSeverity: 'warning',
    description: 'A pgwarden-ignore comment in a function body names a known rule and gives a reason.',
  },
] as const satisfies readonly Omit<VerifyRuleMeta, 'docs'>[]);

export type VerifyRuleId = (typeof VERIFY_RULES)[number]['id'];

export const VERIFY_RULE_IDS: readonly VerifyRuleId[] = VERIFY_RULES.map((rule) => rule.id);

export function isVerifyRuleId(id: string): id is VerifyRuleId {
  return (VERIFY_RULE_IDS as readonly string[]).includes(id);
}

export function verifyRule(id: VerifyRuleId): VerifyRuleMeta {
  return VERIFY_RULES.find((rule) => rule.id === id)!;
}
