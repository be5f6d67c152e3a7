export * from './history.js';
export * from './target.js';
export * from './current-user.js';
export * from './migrations-folder.js';
export * from './migrate-target.js';
export * from './report.js';
export * from './baseline.js';
export * from './changed-files.js';
