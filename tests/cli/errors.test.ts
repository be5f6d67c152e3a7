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
      expect(result.stderr).toContain('main.js');
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
});
