/**
 * How the binary fails: a failure the user can cause is one line and an exit code; an unexpected
 * one is one line saying it is a bug in pgwarden, with the stack only under --debug.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CliWorkspace, cleanupWorkspaces, lines, stackLines } from '../support/cli-workspace.js';

beforeAll(() => assertBuilt());
afterAll(() => cleanupWorkspaces());

/** Forces an unexpected error inside the command dispatch (an internal test hook of packages/cli/src/main.ts). */
const FORCE_BUG = { PGWARDEN_TEST_INTERNAL_ERROR: '1' };

describe.concurrent('an unexpected error', () => {
  it('is one line saying it is a bug, with its message, exit 1, and no stack trace', async () => {
    const ws = new CliWorkspace();
    const result = await ws.run(['lint'], { env: FORCE_BUG });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([
      'pgwarden: internal error (a bug in pgwarden, please report it): forced internal error (PGWARDEN_TEST_INTERNAL_ERROR) (run again with --debug for the stack trace)',
    ]);
    expect(stackLines(result.all)).toEqual([]);
  });

  it('prints its stack with --debug (anywhere among the arguments) or PGWARDEN_DEBUG=1', async () => {
    const ws = new CliWorkspace();
    for (const [args, env] of [
      [['--debug', 'lint'], FORCE_BUG],
      [['lint', '--debug', '--format', 'json'], FORCE_BUG],
      [['lint'], { ...FORCE_BUG, PGWARDEN_DEBUG: '1' }],
    ] as const) {
      const result = await ws.run([...args], { env });
      expect(result.code).toBe(1);
      const stderr = lines(result.stderr);
      expect(stderr[0]).toBe('pgwarden: internal error (a bug in pgwarden, please report it): forced internal error (PGWARDEN_TEST_INTERNAL_ERROR)');
      expect(stderr[1]).toBe('TypeError: forced internal error (PGWARDEN_TEST_INTERNAL_ERROR)');
      expect(stackLines(result.stderr).length).toBeGreaterThan(0);
      // The frames of the dispatch: main.js, or the bundle that holds it (packages/cli/src/bundles.cts).
      expect(result.stderr).toMatch(/\/(?:main\.js|(?:lint|cli)\.bundle\.cjs):\d+/);
    }
  });

  it('--debug changes nothing on a normal run, and is not taken after --', async () => {
    const ws = new CliWorkspace();
    const plain = await ws.run(['lint', '--format', 'json']);
    const debug = await ws.run(['lint', '--debug', '--format', 'json']);
    expect(debug.code).toBe(plain.code);
    expect(debug.stdout).toBe(plain.stdout);
    const afterTerminator = await ws.run(['lint', '--', '--debug']);
    expect(afterTerminator.code).toBe(1); // a path named --debug: unreadable, reported as a finding
    expect(afterTerminator.all).not.toContain('internal error');
  });
});

describe.concurrent('failures the user causes', () => {
  it('a usage error is one line of cause (plus usage text), exit 2, no stack even with --debug', async () => {
    const ws = new CliWorkspace();
    const result = await ws.run(['lint', '--format', 'xml', '--debug']);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)[0]).toBe('pgwarden: unknown format "xml" (stylish, json, github, sarif)');
    expect(stackLines(result.all)).toEqual([]);
    expect(result.all).not.toContain('internal error');
  });

  it('new with a 300-character slug: one line naming the file name limit, exit 2, nothing created', async () => {
    const ws = new CliWorkspace();
    const before = ws.migrationFiles();
    const result = await ws.run(['new', 'a'.repeat(300)]);
    expect(result.code).toBe(2);
    expect(lines(result.all)).toEqual([
      expect.stringMatching(
        /^pgwarden: slug "a{37}\.\.\." is too long: the file name would be 318 bytes, and file systems allow at most 255; use a slug of at most 237 characters$/,
      ),
    ]);
    expect(stackLines(result.all)).toEqual([]);
    expect(ws.migrationFiles()).toEqual(before);
    // The longest slug it names is accepted.
    const longest = await ws.run(['new', 'b'.repeat(237), '--date', '2026-01-01']);
    expect(longest.code, longest.all).toBe(0);
  });

  it('a config with a UTF-8 BOM is accepted, and a configuration error shows invisible characters', async () => {
    const ws = new CliWorkspace();
    ws.write('pgwarden.config.json', `\uFEFF${ws.read('pgwarden.config.json')}`);
    const accepted = await ws.run(['lint']);
    expect(accepted.code, accepted.all).toBe(0);
    ws.write('pgwarden.config.json', '\uFEFF{ "migrate": { "lock\u200bTimeout": "5s" } }');
    const refused = await ws.run(['lint']);
    expect(refused.code).toBe(2);
    expect(lines(refused.all)).toEqual([`pgwarden: configuration error: ${ws.configPath}: "migrate.lock<U+200B>Timeout" is not a known setting (lockTimeout, statementTimeout, lockRetries, advisoryLockTimeoutMs)`]);
    expect(refused.all).not.toMatch(/[\u200b\ufeff]/);
  });

  it('a lockTimeout beyond what Postgres accepts, or a statementTimeout that rounds to 0 ms, is a configuration error with the reason', async () => {
    const ws = new CliWorkspace();
    const config = JSON.parse(ws.read('pgwarden.config.json')) as { migrate: Record<string, unknown> };
    ws.write('pgwarden.config.json', JSON.stringify({ ...config, migrate: { ...config.migrate, lockTimeout: '99999999999999999999h' } }));
    const huge = await ws.run(['lint']);
    expect(huge.code).toBe(2);
    expect(lines(huge.all)).toEqual([
      `pgwarden: configuration error: ${ws.configPath}: "migrate.lockTimeout" is '99999999999999999999h', which is more than Postgres accepts for a timeout: at most 2147483647 ms (about 24.8 days)`,
    ]);
    ws.write('pgwarden.config.json', JSON.stringify({ ...config, migrate: { ...config.migrate, statementTimeout: '0.5us' } }));
    const tiny = await ws.run(['status']);
    expect(tiny.code).toBe(2);
    expect(tiny.all).toContain("\"migrate.statementTimeout\" is '0.5us', which rounds to 0 ms, and 0 disables the timeout");
    expect(stackLines(tiny.all)).toEqual([]);
  });
});
