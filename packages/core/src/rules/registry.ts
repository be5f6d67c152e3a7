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

/**
 * Each module, imported on demand. Written out rather than `import(`./${id}.js`)` so that a bundler
 * sees every module (the bundled lint CLI, tools/build/bundles.mjs, resolves imports from its own
 * folder); the Record type makes a missing or unknown id a compile error.
 */
const MODULES: Record<RuleId, () => Promise<{ rule: Rule }>> = {
  'readable-file': () => import('./readable-file.js'),
  'syntax': () => import('./syntax.js'),
  'psql-meta-command': () => import('./psql-meta-command.js'),
  'file-name': () => import('./file-name.js'),
  'sequence-number': () => import('./sequence-number.js'),
  'header-present': () => import('./header-present.js'),
  'header-fields': () => import('./header-fields.js'),
  'header-date': () => import('./header-date.js'),
  'affected-tables': () => import('./affected-tables.js'),
  'source-of-truth-refs': () => import('./source-of-truth-refs.js'),
  'checkboxes': () => import('./checkboxes.js'),
  'pgwarden-directive': () => import('./pgwarden-directive.js'),
  'executed-immutable': () => import('./executed-immutable.js'),
  'no-emoji': () => import('./no-emoji.js'),
  'rollback-script': () => import('./rollback-script.js'),
  'verification-query': () => import('./verification-query.js'),
  'transaction-control': () => import('./transaction-control.js'),
  'idempotent-create': () => import('./idempotent-create.js'),
  'idempotent-drop': () => import('./idempotent-drop.js'),
  'idempotent-alter-column': () => import('./idempotent-alter-column.js'),
  'guarded-ddl': () => import('./guarded-ddl.js'),
  'idempotent-insert': () => import('./idempotent-insert.js'),
  'no-transaction-idempotent': () => import('./no-transaction-idempotent.js'),
  'access-exclusive-lock': () => import('./access-exclusive-lock.js'),
  'table-rewrite': () => import('./table-rewrite.js'),
  'index-concurrently': () => import('./index-concurrently.js'),
  'constraint-not-valid': () => import('./constraint-not-valid.js'),
  'set-not-null': () => import('./set-not-null.js'),
  'concurrently-in-transaction': () => import('./concurrently-in-transaction.js'),
  'rls-on-new-table': () => import('./rls-on-new-table.js'),
  'security-definer-search-path': () => import('./security-definer-search-path.js'),
  'grant-to-anon': () => import('./grant-to-anon.js'),
  'copy-program': () => import('./copy-program.js'),
  'server-file-access': () => import('./server-file-access.js'),
  'untrusted-language': () => import('./untrusted-language.js'),
  'role-password-literal': () => import('./role-password-literal.js'),
  'alter-system': () => import('./alter-system.js'),
  'dynamic-execute': () => import('./dynamic-execute.js'),
  'unused-ignore': () => import('./unused-ignore.js'),
};

function importRule(id: RuleId): Promise<{ rule: Rule }> {
  return MODULES[id]();
}

export async function loadRule(id: RuleId): Promise<Rule> {
  return (await importRule(id)).rule;
}

export function loadRules(ids: readonly RuleId[]): Promise<Rule[]> {
  return Promise.all(ids.map(loadRule));
}
