/**
 * The base revision `check` proves the history against: files of current_schema/ as they were
 * there, and the migrations that are new since (in the working tree, so uncommitted work counts).
 */
import { execFileSync } from 'node:child_process';
import { UserFacingError } from '../user-facing-error.js';

/** git could not answer (unknown revision, broken repository): a usage problem, exit 2. */
export class GitBaseError extends UserFacingError {
  override name = 'GitBaseError';
  readonly exitCode = 2;
}

function git(root: string, args: string[], input?: string): Buffer {
  try {
    return execFileSync('git', args, { cwd: root, input, maxBuffer: 512 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const reason = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim().split('\n')[0] || (error as Error).message.split('\n')[0];
    throw new GitBaseError(`git ${args[0]} failed in ${root}: ${reason}`);
  }
}

/** True when `root` lies inside a git work tree with at least one commit. */
export function hasCommits(root: string): boolean {
  try {
    git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
    return true;
  } catch {
    return false;
  }
}

/** The default branch to compare with: origin's HEAD, else `main`, else `master`. */
function defaultBranch(root: string): string | undefined {
  try {
    return git(root, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']).toString('utf8').trim();
  } catch {
    for (const candidate of ['main', 'master', 'origin/main', 'origin/master']) {
      try {
        git(root, ['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`]);
        return candidate;
      } catch {
        // try the next name
      }
    }
    return undefined;
  }
}

export interface BaseRevision {
  /** Full commit id. */
  commit: string;
  /** How it was chosen, for messages: `--base main`, `merge-base with main`. */
  description: string;
}

/**
 * `rev` when given (an unknown revision is an error naming it), else the merge-base of HEAD with
 * the default branch; undefined outside git or in a repository without commits.
 */
export function resolveBase(root: string, rev?: string): BaseRevision | undefined {
  if (rev !== undefined) {
    let commit: string;
    try {
      commit = git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).toString('utf8').trim();
    } catch {
      throw new GitBaseError(`--base ${rev}: no such revision in the repository at ${root}`);
    }
    return { commit, description: `--base ${rev}` };
  }
  if (!hasCommits(root)) return undefined;
  const branch = defaultBranch(root);
  if (!branch) return undefined;
  const commit = git(root, ['merge-base', 'HEAD', branch]).toString('utf8').trim();
  return { commit, description: `merge-base with ${branch}` };
}

/** The `.sql` files under `dir` (workspace-relative) at `commit`, with their text, in path order. */
export function filesAtRevision(root: string, commit: string, dir: string): { path: string; text: string }[] {
  const listing = git(root, ['ls-tree', '-r', '--name-only', '--full-name', commit, '--', `./${dir}`]).toString('utf8');
  const prefix = git(root, ['rev-parse', '--show-prefix']).toString('utf8').trim();
  const paths = listing
    .split('\n')
    .filter((file) => file.endsWith('.sql'))
    .sort();
  if (paths.length === 0) return [];
  // One cat-file process for all files: "<sha> blob <size>\n<content>\n" per object.
  const output = git(root, ['cat-file', '--batch'], paths.map((path) => `${commit}:${path}`).join('\n') + '\n');
  const files: { path: string; text: string }[] = [];
  let offset = 0;
  for (const path of paths) {
    const headerEnd = output.indexOf(0x0a, offset);
    const header = output.subarray(offset, headerEnd).toString('utf8');
    offset = headerEnd + 1;
    const match = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!match) continue;
    const size = Number(match[1]);
    files.push({ path: path.startsWith(prefix) ? path.slice(prefix.length) : path, text: output.subarray(offset, offset + size).toString('utf8') });
    offset += size + 1;
  }
  return files;
}
