import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './tools/ci/test-sequencer.js';

/**
 * Two projects. core (packages/core and packages/cli sources): files share their worker's process
 * and module graph (`isolate: false`), so the parser, the fixtures and vitest's own set-up load once
 * per worker instead of once per file; a fresh process per file cost more than a fifth of the suite.
 * Their module state is caches of pure results, and the few that change process.env restore it.
 * isolated: the Nx plugin and executors (Nx keeps process-wide state, and plugin.test.ts sets
 * NX_WORKSPACE_DATA_DIRECTORY before loading it) and the end-to-end suites under tests/ and tools/,
 * each in a process of its own as before.
 */
const shared = {
  // A folder for the shadow-cache entries test files share (tests/support/shared-shadow-cache.ts).
  globalSetup: ['tests/support/global-setup.ts'],
  // Hang guards, not time limits: heavy files run side by side on 2 cores.
  testTimeout: 180_000,
  hookTimeout: 300_000,
};

// TypeScript to transform: Vite's default leaves out .cts (the CLI's CommonJS bin and bundle guard).
const TYPESCRIPT = { include: /\.(?:[cm]?ts|[jt]sx)$/ };

export default defineConfig({
  test: {
    // Real-server suites create their own databases, so files may run side by side. Vitest's default
    // in run mode is one worker fewer than the cores: a single worker on 2 cores, which leaves a core
    // idle whenever a file waits on PostgreSQL, git or a child process. One per core halves the suite;
    // one more than the cores starved the embedded-PGlite suite past its timeouts on a loaded machine.
    pool: 'forks',
    maxWorkers: availableParallelism(),
    // Longest files first, from recorded durations when a clean clone has no previous run's (see the sequencer).
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      { oxc: TYPESCRIPT, test: { ...shared, name: 'core', include: ['packages/core/src/**/*.test.ts', 'packages/cli/src/**/*.test.ts'], isolate: false } },
      { oxc: TYPESCRIPT, test: { ...shared, name: 'isolated', include: ['packages/nx/src/**/*.test.ts', 'tests/**/*.test.ts', 'tools/**/*.test.ts'] } },
    ],
  },
});
