/**
 * `pgwarden migrate` with no URL: the embedded PGlite database under .pgwarden/, end to end
 * with the real built binary. PGlite takes 2-6 s to create a database, so this suite keeps to
 * two fresh data directories.
 */

import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CliWorkspace, cleanupWorkspaces, lines, readDemo, stackLines, TEST_USER } from '../support/cli-workspace.js';

const DEMO_COUNT = 19;

beforeAll(() => assertBuilt());
afterAll(() => cleanupWorkspaces());

// A hang guard, not a speed limit: two PGlite databases created side by side on a loaded 2-core machine
// took over a minute when the suite ran files in parallel.
describe.concurrent('the embedded database', { timeout: 240_000 }, () => {
  it('migrate with no URL applies the demo history to .pgwarden/local; status shows it applied', async () => {
    const ws = new CliWorkspace();
    const dataDir = ws.path('.pgwarden/local');
    const result = await ws.run(['migrate']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout.split('\n');
    expect(out[0]).toBe(`pgwarden: migrating ${dataDir} (env local)`);
    const applied = out.filter((line) => line.startsWith('  applied  ')).map((line) => line.trim().split(/\s+/)[1]);
    expect(applied).toEqual(ws.migrationFiles());
    expect(result.stdout).toMatch(new RegExp(`\\npgwarden: ${DEMO_COUNT} applied, 0 already applied in [\\d.]+ m?s\\n$`));
    expect(existsSync(dataDir)).toBe(true);
    // The data-directory lock is released when the process ends.
    expect(readdirSync(ws.path('.pgwarden')).sort()).toEqual(['.gitignore', 'local']);

    // The embedded database never records: every file is as it was.
    for (const name of ws.migrationFiles()) expect(ws.read(`migration_history/${name}`)).toBe(readDemo(`migration_history/${name}`));

    const status = await ws.run(['status']);
    expect(status.code, status.all).toBe(0);
    expect(status.stdout.split('\n')[0]).toBe(`pgwarden: ${dataDir} (env local)`);
    const rows = status.stdout.split('\n').filter((line) => /^(applied|pending|tampered|failed|missing-file|running) /.test(line));
    expect(rows).toHaveLength(DEMO_COUNT);
    // The embedded database requires no approval (0), the demo files carry two.
    for (const row of rows) expect(row).toMatch(new RegExp(`^applied\\s+\\S+\\.sql\\s+\\d{4}-\\d{2}-\\d{2} [\\d:]+\\s+${TEST_USER}\\s+2/0$`));
    expect(status.stdout).toContain(`\n${DEMO_COUNT} applied, 0 pending, 0 failed, 0 tampered, 0 missing\n`);

    // The database persists: a second run finds everything applied.
    const again = await ws.run(['migrate']);
    expect(again.code, again.all).toBe(0);
    expect(again.stdout).toContain(`pgwarden: 0 applied, ${DEMO_COUNT} already applied`);
    ws.cleanup();
  });

  it('two concurrent runs on one data directory: the second waits for (or cleanly refuses) the lock; every migration is applied once', async () => {
    const ws = new CliWorkspace();
    const [a, b] = await Promise.all([ws.run(['migrate', '--no-finalize']), ws.run(['migrate', '--no-finalize'])]);
    for (const result of [a, b]) {
      expect(stackLines(result.all)).toEqual([]);
      expect(result.all).not.toContain('internal error');
      if (result.code !== 0) {
        // Refused: one clear line about the lock, exit 1.
        expect(result.code).toBe(1);
        expect(lines(result.stderr)).toHaveLength(1);
        expect(result.stderr).toMatch(/^pgwarden: .*(in use|lock)/i);
      } else {
        expect(result.stderr).toBe('');
      }
    }
    const succeeded = [a, b].filter((result) => result.code === 0);
    expect(succeeded.length).toBeGreaterThanOrEqual(1);
    const appliedCount = (result: typeof a) => result.stdout.split('\n').filter((line) => line.startsWith('  applied  ')).length;
    // Exactly one run applied the history; a second successful run found it applied.
    expect(appliedCount(a) + appliedCount(b)).toBe(DEMO_COUNT);
    for (const result of succeeded) {
      expect(result.stdout).toMatch(new RegExp(`\\npgwarden: (${DEMO_COUNT} applied, 0 already applied|0 applied, ${DEMO_COUNT} already applied) in `));
    }

    // No corruption: the database opens, the history is complete and consistent.
    const status = await ws.run(['status']);
    expect(status.code, status.all).toBe(0);
    expect(status.stdout).toContain(`\n${DEMO_COUNT} applied, 0 pending, 0 failed, 0 tampered, 0 missing\n`);
    expect(readdirSync(ws.path('.pgwarden')).sort()).toEqual(['.gitignore', 'local']);
    ws.cleanup();
  });
});
