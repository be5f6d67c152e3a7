export * from './identity.js';
export * from './types.js';
