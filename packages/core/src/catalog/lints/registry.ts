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

/** A lint module: `catalog/lints/<id>.ts`, exporting `lint = defineCatalogLint({ id, ... })`; loaded on demand. */
function importLint(id: CatalogLintId): Promise<{ lint: CatalogLint }> {
  // Vite cannot glob a variable import of its own directory: Node (and vitest) resolve it at run time.
  return import(/* @vite-ignore */ `./${id}.js`) as Promise<{ lint: CatalogLint }>;
}

export async function loadCatalogLint(id: CatalogLintId): Promise<CatalogLint> {
  return (await importLint(id)).lint;
}
