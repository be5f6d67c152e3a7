import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './tools/ci/test-sequencer.js';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts', 'tools/**/*.test.ts'],
    // A folder for the shadow-cache entries test files share (tests/support/shared-shadow-cache.ts).
    globalSetup: ['tests/support/global-setup.ts'],
    // Hang guards, not time limits: heavy files run side by side on 2 cores.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Real-server suites create their own databases, so files may run side by side. Vitest's default
    // in run mode is one worker fewer than the cores: a single worker on 2 cores, which leaves a core
    // idle whenever a file waits on PostgreSQL, git or a child process. One per core halves the suite;
    // one more than the cores starved the embedded-PGlite suite past its timeouts on a loaded machine.
    pool: 'forks',
    maxWorkers: availableParallelism(),
    // Longest files first, from recorded durations when a clean clone has no previous run's (see the sequencer).
    sequence: { sequencer: LongestFirstSequencer },
  },
});
