export * from './identity.js';
export * from './types.js';
export { introspectCatalog, PRESET_SCHEMAS, DEFAULT_EXCLUDED_SCHEMAS, type IntrospectOptions } from './introspect.js';
export { diffCatalogs, type DiffOptions } from './diff.js';
export { comparableAcrossVersions } from './portable.js';
export { runCatalogLints } from './lints/run.js';
export { CATALOG_LINT_IDS, isCatalogLintId, loadCatalogLint, type CatalogLintId } from './lints/registry.js';
export type { CatalogFinding, CatalogLint, CatalogLintContext, CatalogLintMeta, CatalogLintResult } from './lints/types.js';
