/**
 * What `pgwarden lint` needs from the workspace, without the rest of workspace/index: that index
 * also reaches the runner and the `pg` driver (net, tls, dns), about a fifth of a one-file lint's
 * start-up on a 2-core machine (docs/benchmarks.md).
 */
export * from './changed-files.js';
export * from './migrations-folder.js';
export * from './committed-files.js';
