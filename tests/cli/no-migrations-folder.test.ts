/**
 * Every command run where no migrations folder is found says so and exits 2, naming the folder
 * it looked for and the config it used: never "no problems" for nothing checked. This is what a
 * sub-folder layout (packages/database/pgwarden.config.json) looks like from the workspace root.
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli, stackLines } from '../support/cli-workspace.js';

let root: string;
beforeAll(() => {
  assertBuilt();
  root = mkdtempSync(join(tmpdir(), 'pgw-no-history-'));
  mkdirSync(join(root, '.git')); // the workspace root is the repository root
  mkdirSync(join(root, 'packages/database/migration_history'), { recursive: true });
  writeFileSync(join(root, 'packages/database/pgwarden.config.json'), '{}');
  mkdirSync(join(root, 'configured'));
  writeFileSync(join(root, 'configured/pgwarden.config.json'), JSON.stringify({ migrationsDir: 'db/history' }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COMMANDS = [
  ['lint'],
  ['lint', '--since', 'HEAD'],
  ['new', 'add_notes'],
  ['approve', 'x.sql', '--by', 'alice'],
  ['migrate'],
  ['migrate', '--dry-run'],
  ['status'],
  ['repair', '--accept', '2025-01-01_01', '--by', 'alice', '--reason', 'why'],
];

describe('no migrations folder', () => {
  it.each(COMMANDS)('pgwarden %s at a root without config or folder exits 2 naming both', async (...args) => {
    const result = await runCli(args, { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`no migrations folder at ${join(root, 'migration_history')}`);
    expect(result.stderr).toContain(`no pgwarden.config.json found from ${root} upwards`);
    expect(stackLines(result.all)).toEqual([]);
    expect(result.all).not.toContain('no problems');
  });

  it('a config whose migrationsDir does not exist is named with the config file', async () => {
    const result = await runCli(['lint'], { cwd: join(root, 'configured') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no migrations folder at ${join(root, 'configured/db/history')} (migrationsDir "db/history"; config ${join(root, 'configured/pgwarden.config.json')})`);
  });

  it('the same command with the sub-folder config checks that project', async () => {
    const result = await runCli(['lint', '--config', 'packages/database/pgwarden.config.json'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no files to check');
    expect(result.stdout).not.toContain('no problems');
  });
});
