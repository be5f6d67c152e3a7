import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts', 'tools/**/*.test.ts'],
    // A folder for the shadow-cache entries test files share (tests/support/shared-shadow-cache.ts).
    globalSetup: ['tests/support/global-setup.ts'],
    // Hang guards, not time limits: heavy files run side by side on 2 cores.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Real-server suites create their own databases, so files may run side by side. Many files wait
    // on PostgreSQL, git or a child process, so one worker more than the cores keeps both cores busy:
    // on 2 cores, quiet, 3 workers ran the suite in 272 s against 316-325 s with 2 and 305 s with 4
    // (docs/benchmarks.md). The hang guards above leave room for the contention.
    pool: 'forks',
    maxWorkers: availableParallelism() + 1,
  },
});
