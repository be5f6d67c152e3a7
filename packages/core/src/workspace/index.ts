export * from './history.js';
export * from './target.js';
export * from './baseline.js';
export * from './changed-files.js';
