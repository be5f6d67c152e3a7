import type { CatalogLint } from './types.js';

/**
 * Every catalog lint id (lints on an introspected CatalogSnapshot, run by `pgwarden check`), in the
 * order their findings are listed for one object. Each id is the base name of
 * `catalog/lints/<id>.ts`, `catalog/lints/<id>.test.ts` and `docs/rules/<id>.md`; ids share the
 * config's `rules` map with the migration rules (rules/registry.ts), so they must not collide.
 */
export const CATALOG_LINT_IDS = [
  // security
  'rls-disabled-in-exposed-schema',
  'policy-without-rls',
  'materialized-view-in-api',
  'function-search-path-mutable',
  'security-definer-view',
  // performance
  'unindexed-foreign-key',
  'no-primary-key',
] as const;

export type CatalogLintId = (typeof CATALOG_LINT_IDS)[number];

const KNOWN = new Set<string>(CATALOG_LINT_IDS);

export function isCatalogLintId(id: string): id is CatalogLintId {
  return KNOWN.has(id);
}

/**
 * Each module, imported on demand. Written out rather than `import(`./${id}.js`)` so that a bundler
 * sees every module (the bundled lint CLI, tools/build/bundles.mjs, resolves imports from its own
 * folder); the Record type makes a missing or unknown id a compile error.
 */
const MODULES: Record<CatalogLintId, () => Promise<{ lint: CatalogLint }>> = {
  'rls-disabled-in-exposed-schema': () => import('./rls-disabled-in-exposed-schema.js'),
  'policy-without-rls': () => import('./policy-without-rls.js'),
  'materialized-view-in-api': () => import('./materialized-view-in-api.js'),
  'function-search-path-mutable': () => import('./function-search-path-mutable.js'),
  'security-definer-view': () => import('./security-definer-view.js'),
  'unindexed-foreign-key': () => import('./unindexed-foreign-key.js'),
  'no-primary-key': () => import('./no-primary-key.js'),
};

function importLint(id: CatalogLintId): Promise<{ lint: CatalogLint }> {
  return MODULES[id]();
}

export async function loadCatalogLint(id: CatalogLintId): Promise<CatalogLint> {
  return (await importLint(id)).lint;
}
