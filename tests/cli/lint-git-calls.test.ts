/*
 * What `lint --since HEAD <file>` (the commit hook's command) asks git: for staged files that are
 * committed, one `git cat-file --batch` reads every committed version; only a file new at HEAD
 * (added, moved or renamed) needs the listing and git's renames, and no `rev-parse`. Counted through a `git` on PATH
 * that logs each call and runs the real one, in a real repository.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CliWorkspace, cleanupWorkspaces, demoFile } from '../support/cli-workspace.js';

const FILE = demoFile(9);
let ws: CliWorkspace;
let log: string;
let env: Record<string, string>;

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: ws.root, stdio: 'pipe' });

/** The git calls (subcommands) of one lint run, and its result. */
async function gitCallsOf(args: string[]) {
  writeFileSync(log, '');
  const result = await ws.run(['lint', '--since', 'HEAD', ...args], { env });
  return { result, calls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

beforeAll(() => {
  assertBuilt();
  ws = new CliWorkspace();
  ws.edit(FILE, '--   [ ] Not yet executed', '--   [X] staging 2025-02-11 by ops (7012 ms)');
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'history');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const shims = ws.path('.shims');
  mkdirSync(shims);
  log = ws.path('.git-calls.log');
  writeFileSync(join(shims, 'git'), `#!/bin/sh\necho "$1 $2" >> '${log}'\nexec '${realGit}' "$@"\n`);
  chmodSync(join(shims, 'git'), 0o755);
  env = { PATH: `${shims}${delimiter}${process.env.PATH}` };
});
afterAll(() => cleanupWorkspaces());

describe('lint --since HEAD: git calls', () => {
  it('a modified committed migration: one cat-file call, and the change is still judged', async () => {
    ws.edit(FILE, 'round(weight_kg / ((height_cm / 100.0) * (height_cm / 100.0)), 2)', 'round(weight_kg / ((height_cm / 100.0) * (height_cm / 100.0)), 1)');
    const { result, calls } = await gitCallsOf([ws.path(FILE)]);
    expect(calls).toEqual(['cat-file --batch']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('this migration was executed on staging 2025-02-11 but its SQL changed');
    git('checkout', '--', FILE);
    const clean = await gitCallsOf([ws.path(FILE), ws.path(demoFile(10))]);
    expect(clean.calls).toEqual(['cat-file --batch']);
    expect(clean.result.code).toBe(0);
  });

  it('near miss: a migration new at HEAD also asks for the listing and the renames', async () => {
    const added = 'migration_history/2025-09-10_20_new_file.sql';
    ws.write(added, ws.read(demoFile(19)).replace('2025-09-09', '2025-09-10'));
    const { calls } = await gitCallsOf([ws.path(added)]);
    expect(calls[0]).toBe('cat-file --batch');
    // That call already showed HEAD is a commit: no rev-parse; the listing and the renames side by side.
    expect(calls.slice(1).sort()).toEqual(['diff -z', 'ls-tree -r']);
  });
});
