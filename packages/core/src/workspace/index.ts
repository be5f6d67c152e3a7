export * from './history.js';
export * from './target.js';
