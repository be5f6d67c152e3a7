export * from './engine.js';
export * from './suppressions.js';
export { withoutSuppressed, workspaceText } from './suppress-findings.js';
export * from './formatters/index.js';
export * from './gate.js';
export * from './verdict-cache.js';
