/*
 * What `pgwarden lint` loads: the commit hook runs it on every commit, so its start-up path holds
 * the SQL parser and the rules, not the database driver. `pg` brings in tls, dns and http(s) (and
 * through them a fifth of a one-file lint's start-up); a lint that loads them again is a regression.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assertBuilt, BIN, REPO_ROOT } from '../support/cli-workspace.js';

const NETWORK_MODULES = /^NativeModule (tls|dns|http|https|http2)$/;
// Printed at exit by a preloaded module: Node's own list of the built-in modules the process loaded.
const REPORT_AT_EXIT = `data:text/javascript,process.on('exit', () => process.stderr.write('loaded:' + JSON.stringify(process.moduleLoadList) + '\\n'))`;

function loadedBy(args: string[]): string[] {
  const result = spawnSync(process.execPath, ['--import', REPORT_AT_EXIT, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  const line = result.stderr.split('\n').find((text) => text.startsWith('loaded:'));
  expect(line, result.stderr).toBeDefined();
  return JSON.parse(line!.slice('loaded:'.length)) as string[];
}

describe('pgwarden lint start-up', () => {
  it('lints a migration without loading the network modules the database driver needs', () => {
    assertBuilt();
    const loaded = loadedBy([BIN, 'lint', 'migration_history/2025-04-14_12_create_patient_reported_outcomes.sql']);
    expect(loaded.some((name) => name.startsWith('NativeModule '))).toBe(true);
    expect(loaded.filter((name) => NETWORK_MODULES.test(name))).toEqual([]);
  });

  it('near miss: status, which talks to a database, does load them', () => {
    const loaded = loadedBy([BIN, 'status', '--help']);
    expect(loaded.filter((name) => NETWORK_MODULES.test(name)).length).toBeGreaterThan(0);
  });
});
