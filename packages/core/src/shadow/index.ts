/**
 * Shadow databases: throwaway databases built from the schema folder (PGlite by default, a
 * temporary database on `shadow.url` otherwise), with root-cause findings, a source map and a
 * content-addressed cache; `applyToShadow` runs pending migrations on one.
 */
export * from './presets.js';
export type { ApplyFailure, ShadowBuildStats, ShadowDatabase, ShadowFinding, ShadowPreset, ShadowRuleId, SourceMapEntry, StatementLocation } from './types.js';
export { SHADOW_RULE_IDS } from './types.js';
export { buildShadow, shadowOptionsFromConfig, type BuildShadowOptions } from './build.js';
export { applyToShadow, type ApplyResult, type ApplyToShadowOptions } from './apply.js';
export { findSource, functionBodyFileLine } from './lookup.js';
export { shadowCacheKey } from './cache.js';
export { PGLITE_EXTENSIONS } from '../db/pglite-extensions.js';
export { ShadowInputError } from './schema-files.js';
export { workspaceSnapshot } from './snapshot.js';
