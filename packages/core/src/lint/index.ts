export * from './engine.js';
export * from './suppressions.js';
export * from './formatters/index.js';
export * from './gate.js';
