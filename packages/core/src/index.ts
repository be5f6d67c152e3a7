/**
 * The public API of @pgwarden/core, one namespace per room so that names stay unambiguous
 * (e.g. config's and runner's `requiredApprovals`). Front ends (the CLI, the Nx plugin) may
 * also import a room directly through its subpath entry point, e.g. `@pgwarden/core/workspace/index`.
 */
export * as catalog from './catalog/index.js';
export * as check from './check/index.js';
export * as config from './config/index.js';
export * as db from './db/index.js';
export * as impact from './impact/index.js';
export * as lint from './lint/index.js';
export * as migration from './migration/index.js';
export * as runner from './runner/index.js';
export * as shadow from './shadow/index.js';
export * as sql from './sql/index.js';
export * as typegen from './typegen/index.js';
export * as verify from './verify/index.js';
export * as workspace from './workspace/index.js';
