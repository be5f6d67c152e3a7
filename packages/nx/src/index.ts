export { createNodes, createNodesV2, createDependencies, type PgwardenPluginOptions } from './plugins/plugin.js';
