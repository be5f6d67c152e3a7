import type { Rule } from './types.js';

/**
 * Every rule id, in the order findings of equal position are listed: the one list of rules. Each id
 * is the base name of `rules/<id>.ts` (whose defineRule() declares the same id and derives the docs
 * path), `rules/<id>.test.ts` and `docs/rules/<id>.md`; a meta-test enforces all of it. Rules are
 * imported on demand, by id, so that a disabled rule costs nothing on the commit-hook path.
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
  'no-transaction-idempotent',
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
  'copy-program',
  'server-file-access',
  'untrusted-language',
  'role-password-literal',
  'alter-system',
  'dynamic-execute',
  // meta
  'unused-ignore',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

const KNOWN = new Set<string>(RULE_IDS);

export function isRuleId(id: string): id is RuleId {
  return KNOWN.has(id);
}

/** A rule module: `rules/<id>.ts`, exporting `rule = defineRule({ id, ... })`. Loaded only when the rule runs. */
function importRule(id: RuleId): Promise<{ rule: Rule }> {
  // Vite cannot glob a variable import of its own directory: Node (and vitest) resolve it at run time.
  return import(/* @vite-ignore */ `./${id}.js`) as Promise<{ rule: Rule }>;
}

export async function loadRule(id: RuleId): Promise<Rule> {
  return (await importRule(id)).rule;
}

export function loadRules(ids: readonly RuleId[]): Promise<Rule[]> {
  return Promise.all(ids.map(loadRule));
}
