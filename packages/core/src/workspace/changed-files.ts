/**
 * Which migration files changed since a revision (`pgwarden lint --changed [REV]`): added, modified
 * or renamed ones, committed or not, plus untracked new files. Without REV the base is the merge-base
 * of HEAD with the default branch (origin/HEAD, else main, else master).
 */
import { resolve } from 'node:path';
import { gitSync } from './git-sync.js';
import { UserFacingError } from '../user-facing-error.js';

/** A one-line, user-facing failure (exit code 2: a usage problem). */
export class ChangedFilesError extends UserFacingError {
  override name = 'ChangedFilesError';
  readonly exitCode = 2;
}

export interface ChangedMigrations {
  /** The revision compared with, as given or as found (`merge-base of HEAD and main`). */
  base: string;
  /** The commit to read the previous versions from (for executed-immutable). */
  commit: string;
  /** Absolute paths of the changed `.sql` files under the migrations folder that exist now. */
  paths: string[];
}

const DEFAULT_BRANCHES = ['origin/HEAD', 'main', 'master'];

export function changedMigrationFiles(root: string, migrationsDir: string, rev?: string): ChangedMigrations {
  const base = rev === undefined ? defaultBase(root) : { commit: rev, label: rev };
  if (!commitExists(root, base.commit)) throw new ChangedFilesError(`--changed ${rev}: no such revision in the repository at ${root}`);
  const dir = `./${migrationsDir.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '')}`;
  const changed = git(root, ['diff', '--name-only', '--diff-filter=AMR', '-z', '--relative', base.commit, '--', dir]);
  const untracked = git(root, ['ls-files', '--others', '--exclude-standard', '-z', '--', dir]);
  const names = new Set([...changed.split('\0'), ...untracked.split('\0')].filter((name) => name.toLowerCase().endsWith('.sql')));
  return { base: base.label, commit: base.commit, paths: [...names].map((name) => resolve(root, name)).sort() };

  function defaultBase(cwd: string): { commit: string; label: string } {
    for (const branch of DEFAULT_BRANCHES) {
      if (!commitExists(cwd, branch)) continue;
      const mergeBase = git(cwd, ['merge-base', 'HEAD', branch]).trim();
      if (mergeBase) return { commit: mergeBase, label: `merge-base of HEAD and ${branch}` };
    }
    throw new ChangedFilesError(`--changed: found no default branch (${DEFAULT_BRANCHES.join(', ')}) to compare with; name a revision: --changed <REV>`);
  }
}

function commitExists(root: string, rev: string): boolean {
  try {
    gitSync(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: root, stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function git(root: string, args: string[]): string {
  try {
    return gitSync(args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
  } catch (error) {
    const reason = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim().split('\n')[0] || (error as Error).message.split('\n')[0];
    throw new ChangedFilesError(`--changed: git could not read the repository at ${root} (${reason})`);
  }
}
