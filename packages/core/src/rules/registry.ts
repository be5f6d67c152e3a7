import type { Rule } from './types.js';

/**
 * Every rule id, in the order findings of equal position are listed. Each id is the base name of
 * `rules/<id>.ts`, `rules/<id>.test.ts` and `docs/rules/<id>.md` (a meta-test enforces all three).
 * Rules are imported on demand so that a disabled rule costs nothing on the commit-hook path.
 */
export const RULE_IDS = [
  // convention
  'readable-file',
  'syntax',
  'psql-meta-command',
  'file-name',
  'sequence-number',
  'header-present',
  'header-fields',
  'header-date',
  'affected-tables',
  'source-of-truth-refs',
  'checkboxes',
  'pgwarden-directive',
  'executed-immutable',
  'no-emoji',
  'rollback-script',
  'verification-query',
  'transaction-control',
  // idempotency
  'idempotent-create',
  'idempotent-drop',
  'idempotent-alter-column',
  'guarded-ddl',
  'idempotent-insert',
  // locks and rewrites
  'access-exclusive-lock',
  'table-rewrite',
  'index-concurrently',
  'constraint-not-valid',
  'set-not-null',
  'concurrently-in-transaction',
  // security
  'rls-on-new-table',
  'security-definer-search-path',
  'grant-to-anon',
  // meta
  'unused-ignore',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

const KNOWN = new Set<string>(RULE_IDS);

export function isRuleId(id: string): id is RuleId {
  return KNOWN.has(id);
}

export async function loadRule(id: RuleId): Promise<Rule> {
  const module = (await import(`./${id}.js`)) as { rule: Rule };
  return module.rule;
}

export function loadRules(ids: readonly RuleId[]): Promise<Rule[]> {
  return Promise.all(ids.map(loadRule));
}
