import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { filesAtRevision, GitBaseError, resolveBase } from './git-base.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function repo(): { root: string; git: (...args: string[]) => string; write: (path: string, text: string) => void } {
  const root = mkdtempSync(join(tmpdir(), 'pgwarden-git-base-'));
  dirs.push(root);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  return { root, git, write };
}

describe('resolveBase and filesAtRevision', () => {
  it('uses the merge-base with main and reads the schema files as they were there', () => {
    const { root, git, write } = repo();
    write('current_schema/01_a.sql', 'CREATE TABLE a (id int);\n');
    write('current_schema/notes.txt', 'not sql');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    const baseCommit = git('rev-parse', 'HEAD');
    git('checkout', '-q', '-b', 'feature');
    write('current_schema/01_a.sql', 'CREATE TABLE a (id int, b text);\n');
    write('current_schema/02_b.sql', 'CREATE TABLE b (id int);\n');
    git('add', '.');
    git('commit', '-q', '-m', 'feature');

    const base = resolveBase(root)!;
    expect(base).toEqual({ commit: baseCommit, description: 'merge-base with main' });
    expect(filesAtRevision(root, base.commit, 'current_schema')).toEqual([{ path: 'current_schema/01_a.sql', text: 'CREATE TABLE a (id int);\n' }]);
    expect(filesAtRevision(root, git('rev-parse', 'HEAD'), 'current_schema').map((file) => file.path)).toEqual(['current_schema/01_a.sql', 'current_schema/02_b.sql']);
  });

  it('reads paths relative to a workspace in a sub-folder of the repository', () => {
    const { root, git, write } = repo();
    write('packages/db/current_schema/01_a.sql', 'SELECT 1;\n');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    const files = filesAtRevision(join(root, 'packages/db'), git('rev-parse', 'HEAD'), 'current_schema');
    expect(files).toEqual([{ path: 'current_schema/01_a.sql', text: 'SELECT 1;\n' }]);
  });

  it('names an unknown --base and answers undefined outside git or without commits', () => {
    const { root } = repo();
    expect(resolveBase(root)).toBeUndefined();
    expect(() => resolveBase(root, 'nope')).toThrow(GitBaseError);
    expect(() => resolveBase(root, 'nope')).toThrow('--base nope: no such revision');
    const plain = mkdtempSync(join(tmpdir(), 'pgwarden-no-git-'));
    dirs.push(plain);
    expect(resolveBase(plain)).toBeUndefined();
  });
});
