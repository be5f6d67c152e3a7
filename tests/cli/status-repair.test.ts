/**
 * `pgwarden status`, `migrate --dry-run` and `repair` on the states a fault leaves behind
 * (issue 6): no embedded database yet, an embeddedDir outside the workspace, an unreadable
 * file, an interrupted run, a repair that would change nothing. The real built binary on
 * temporary copies of the demo workspace; the server part needs PostgreSQL.
 */

import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, serverAvailable, type TestDatabase } from '../../packages/core/src/runner/__fixtures__/test-db.js';
import { MIGRATION_LOCK_KEY } from '../../packages/core/src/runner/lock.js';
import { assertBuilt, CliWorkspace, cleanupWorkspaces, lines, readDemo, stackLines } from '../support/cli-workspace.js';

const DEMO_COUNT = 19;
const enabled = await serverAvailable('tests/cli/status-repair.test.ts');

beforeAll(() => assertBuilt());
afterAll(() => cleanupWorkspaces());

describe.concurrent('without a server', () => {
  it('status and migrate --dry-run never create the embedded database: nothing applied yet', async () => {
    const ws = new CliWorkspace();
    const dataDir = ws.path('.pgwarden/local');
    const status = await ws.run(['status']);
    expect(status.code, status.all).toBe(0);
    expect(lines(status.stdout)[0]).toBe(`pgwarden: ${dataDir} (env local): the embedded database does not exist yet: nothing applied yet`);
    expect(status.stdout).toContain(`\n0 applied, ${DEMO_COUNT} pending, 0 failed, 0 tampered, 0 missing\n`);
    const dry = await ws.run(['migrate', '--dry-run']);
    expect(dry.code, dry.all).toBe(0);
    expect(dry.stdout).toContain('the embedded database does not exist yet: nothing applied yet');
    expect(dry.stdout.split('\n').filter((l) => l.startsWith('  would apply  '))).toHaveLength(DEMO_COUNT);
    expect(existsSync(ws.path('.pgwarden'))).toBe(false);
  });

  it('an embeddedDir outside the workspace is a configuration error (exit 2) and nothing is created there', async () => {
    const outsideParent = mkdtempSync(join(tmpdir(), 'pgwarden-outside-'));
    const outside = join(outsideParent, 'db');
    const config = JSON.parse(readDemo('pgwarden.config.json')) as Record<string, unknown>;
    const ws = new CliWorkspace({ config: { ...config, embeddedDir: outside } });
    try {
      for (const args of [['status'], ['migrate'], ['migrate', '--dry-run']]) {
        const result = await ws.run(args);
        expect(result.code, result.all).toBe(2);
        expect(lines(result.stderr)).toHaveLength(1);
        expect(result.stderr).toContain(`embeddedDir "${outside}" is outside the workspace (${outside}): use a folder inside it, such as .pgwarden/local`);
        expect(stackLines(result.all)).toEqual([]);
      }
      expect(existsSync(outside)).toBe(false);
    } finally {
      rmSync(outsideParent, { recursive: true, force: true });
    }
  });

  it('status lists an unreadable migration file instead of dropping it, and exits 1', async () => {
    const ws = new CliWorkspace();
    ws.write('migration_history/2025-12-01_99_binary.sql', '\u0000\u0001binary');
    const status = await ws.run(['status']);
    expect(status.code, status.all).toBe(1);
    expect(status.stdout).toMatch(/\nunreadable\s+migration_history\/2025-12-01_99_binary\.sql\s+\S.*\n/);
    expect(status.stdout).toContain(`, 1 unreadable\n`);
    expect(existsSync(ws.path('.pgwarden'))).toBe(false);
  });
});

describe.skipIf(!enabled)('on a real server', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of databases) await db.drop();
  });

  it('a running row with no runner holding the lock is interrupted (exit 1); while a runner holds the lock it is running (exit 0); a no-op repair is refused', async () => {
    const ws = new CliWorkspace();
    const db = await createTestDatabase('cli_status');
    databases.push(db);
    const admin = await db.admin();
    expect((await ws.run(['migrate', '--database-url', db.url, '--preset', 'supabase'])).code).toBe(0);
    const last = (await admin.query('SELECT version, name FROM pgwarden.migration_history ORDER BY version DESC LIMIT 1')).rows[0] as { version: string; name: string };
    // What a killed no-transaction run leaves: the row still says running.
    await admin.query(`UPDATE pgwarden.migration_history SET status = 'running' WHERE version = $1`, [last.version]);

    const interrupted = await ws.run(['status', '--database-url', db.url]);
    expect(interrupted.code, interrupted.all).toBe(1);
    expect(interrupted.stdout).toMatch(new RegExp(`\\ninterrupted\\s+${last.name.replace(/\./g, '\\.')}\\s.*stopped after \\d+ statements: rerun pgwarden migrate to resume`));
    expect(interrupted.stdout).toContain(', 1 interrupted\n');

    const holder = await db.admin();
    await holder.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]);
    const running = await ws.run(['status', '--database-url', db.url]);
    expect(running.code, running.all).toBe(0);
    expect(running.stdout).toMatch(new RegExp(`\\nrunning\\s+${last.name.replace(/\./g, '\\.')}\\s`));
    await holder.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]);

    await admin.query(`UPDATE pgwarden.migration_history SET status = 'applied' WHERE version = $1`, [last.version]);
    const noop = await ws.run(['repair', '--database-url', db.url, '--accept', last.version, '--by', 'alice', '--reason', 'x']);
    expect(noop.code, noop.all).toBe(1);
    expect(noop.stderr).toBe(`pgwarden: repair: ${last.name}: nothing to repair: the recorded checksum already matches the file (it is not tampered)\n`);
    expect((await admin.query('SELECT count(*)::int AS n FROM pgwarden.repair_log')).rows[0].n).toBe(0);
  });
});
