/**
 * committedVersions in real temporary git repositories: what `pgwarden lint --since` and the Nx lint
 * executor compare each migration with.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommittedFilesError, committedVersions } from './committed-files.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function repo(): { root: string; write: (rel: string, text: string) => string; git: (...args: string[]) => string } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'pgwarden-committed-')));
  roots.push(root);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: root, stdio: 'pipe' }).toString('utf8');
  const write = (rel: string, text: string) => {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  git('init', '-q', '-b', 'main');
  return { root, write, git };
}

const A = 'migration_history/2025-01-01_01_create_users.sql';
const B = 'migration_history/2025-01-02_02_create_orders.sql';

describe('committedVersions', () => {
  it('reads the committed text of each path at the revision, the working-tree edit aside', async () => {
    const { root, write, git } = repo();
    const a = write(A, 'CREATE TABLE users ();\n');
    const b = write(B, 'CREATE TABLE orders ();\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'one');
    write(A, 'CREATE TABLE users (id int);\n');
    const found = await committedVersions(root, 'migration_history', 'HEAD', [a]);
    expect(found.paths).toEqual([a]);
    expect(found.previousText).toEqual(new Map([[a, 'CREATE TABLE users ();\n']]));
    expect(found.previousPath).toEqual(new Map([[a, A]]));
    // Without paths: every present file, each with its committed text.
    const all = await committedVersions(root, 'migration_history', 'HEAD', []);
    expect(all.paths.sort()).toEqual([a, b]);
    expect(all.previousText.get(b)).toBe('CREATE TABLE orders ();\n');
  });

  it('reads an older revision, not only HEAD; a file new since then has nothing to compare with', async () => {
    const { root, write, git } = repo();
    const a = write(A, 'v1\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'one');
    const first = git('rev-parse', 'HEAD').trim();
    write(A, 'v2\n');
    const b = write(B, 'new\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'two');
    const found = await committedVersions(root, 'migration_history', first, [a, b]);
    expect(found.previousText).toEqual(new Map([[a, 'v1\n']]));
  });

  it('without paths, a file deleted since the revision is compared too (under its own path)', async () => {
    const { root, write, git } = repo();
    write(A, 'a\n');
    const b = write(B, 'b\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'one');
    git('rm', '-q', B);
    const found = await committedVersions(root, 'migration_history', 'HEAD', []);
    expect(found.paths).toContain(b);
    expect(found.previousPath.get(b)).toBe(B);
  });

  it('pairs a renamed file with what git says it was, a moved one by base name, a re-slugged one by version', async () => {
    const { root, write, git } = repo();
    write(A, 'CREATE TABLE users (id int primary key, name text not null, email text not null);\n');
    write(B, 'b\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'one');
    const renamed = 'migration_history/2025-03-03_09_users_again.sql';
    git('mv', A, renamed);
    const moved = `migration_history/2025/${B.slice(B.lastIndexOf('/') + 1)}`;
    mkdirSync(join(root, 'migration_history/2025'));
    git('mv', B, moved);
    const found = await committedVersions(root, 'migration_history', 'HEAD', []);
    expect(found.previousPath.get(join(root, renamed))).toBe(A);
    expect(found.previousPath.get(join(root, moved))).toBe(B);
    // Neither old name counts as deleted: each is judged under its new name.
    expect(found.paths.sort()).toEqual([join(root, moved), join(root, renamed)].sort());

    const slug = join(root, 'migration_history/2025-01-01_01_users_renamed.sql');
    writeFileSync(slug, 'entirely different text, so git does not pair it\n');
    expect((await committedVersions(root, 'migration_history', 'HEAD', [slug])).previousPath.get(slug)).toBe(A);
  });

  it('two committed files of the same version: no guess', async () => {
    const { root, write, git } = repo();
    write('migration_history/2025-01-01_01_one.sql', 'x\n');
    write('migration_history/2025-01-01_01_two.sql', 'y\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'one');
    const path = write('migration_history/2025-01-01_01_three.sql', 'z\n');
    expect((await committedVersions(root, 'migration_history', 'HEAD', [path])).previousText.size).toBe(0);
  });

  it('a workspace in a sub-folder of the repository reads paths relative to itself', async () => {
    const { root, write, git } = repo();
    const a = write(`apps/db/${A}`, 'committed\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'one');
    write(`apps/db/${A}`, 'edited\n');
    const found = await committedVersions(join(root, 'apps/db'), 'migration_history', 'HEAD', [a]);
    expect(found.previousText.get(a)).toBe('committed\n');
    expect(found.previousPath.get(a)).toBe(A);
  });

  it('HEAD in a repository without commits: nothing committed, every file new', async () => {
    const { root, write } = repo();
    const a = write(A, 'a\n');
    const found = await committedVersions(root, 'migration_history', 'HEAD', []);
    expect(found.paths).toEqual([a]);
    expect(found.previousText.size).toBe(0);
  });

  it('an unknown revision, or a folder outside any repository, is a one-line error with exit code 2', async () => {
    const { root, write, git } = repo();
    write(A, 'a\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'one');
    const unknown = await committedVersions(root, 'migration_history', 'no-such-branch', []).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(CommittedFilesError);
    expect((unknown as CommittedFilesError).userMessage).toBe(`--since no-such-branch: no such revision in the repository at ${root}`);
    expect((unknown as CommittedFilesError).exitCode).toBe(2);

    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'pgwarden-not-a-repo-')));
    roots.push(outside);
    mkdirSync(join(outside, 'migration_history'));
    const error = await committedVersions(outside, 'migration_history', 'HEAD', []).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CommittedFilesError);
    expect((error as CommittedFilesError).userMessage).toMatch(/^--since HEAD: git could not read the repository \(.+\)$/);
  });
});
