/**
 * The committed versions of migration files at a revision (`pgwarden lint --since REV`, `--changed`,
 * the Nx lint executor's `since`), so that executed migrations stay append-only: git's blobs read
 * in one `cat-file --batch`, and moved or renamed files paired with what they were.
 */
import { resolve } from 'node:path';
import { gitAsync, gitSync } from './git-sync.js';
import { discoverMigrationsIfPresent, toRelPath } from '../migration/read-migration-file.js';
import { UserFacingError } from '../user-facing-error.js';

/** A one-line, user-facing failure (exit code 2: the revision or the repository is the problem). */
export class CommittedFilesError extends UserFacingError {
  override name = 'CommittedFilesError';
  readonly exitCode = 2;
}

export interface CommittedVersions {
  /**
   * The files to lint: the paths given; without any, every migration present plus the ones deleted
   * since the revision (a renamed file is judged under its new name, so its old name is not deleted).
   */
  paths: string[];
  /** Absolute path -> its text at the revision. */
  previousText: Map<string, string>;
  /** Absolute path -> where that text was at the revision (workspace-relative). */
  previousPath: Map<string, string>;
}

/**
 * What `lint` compares with at `rev`. A path new at `rev` may be a moved or renamed migration: it is
 * compared with the file git reports it was renamed from, else the committed file of the same base
 * name, else of the same version (YYYY-MM-DD_NN), when exactly one such file exists. HEAD in a
 * repository without commits yet has nothing committed; any other unknown revision is an error.
 */
export async function committedVersions(root: string, migrationsDir: string, rev: string, paths: readonly string[]): Promise<CommittedVersions> {
  // The commit hook's case first: every named file is committed at `rev`, so one git call reads them all.
  const allPresent = paths.length > 0 ? await readCommittedWhenAllPresent(root, migrationsDir, [...paths], rev) : undefined;
  if (allPresent?.versions) return { paths: [...paths], ...allPresent.versions };
  // A new file (the usual commit): that call already told whether `rev` is a commit; the listing and
  // git's renames are independent, so they run side by side.
  const [committedFiles, renames] =
    allPresent?.revIsCommit || revisionExists(root, rev)
      ? await Promise.all([committedMigrationFiles(root, migrationsDir, rev), renamedSince(root, migrationsDir, rev)])
      : [[], new Map<string, string>()];
  let compared = [...paths];
  if (compared.length === 0) {
    const present = await discoverMigrationsIfPresent(resolve(root, migrationsDir));
    const renamedFrom = new Set(renames.values());
    const presentSet = new Set(present);
    const deleted = committedFiles.filter((rel) => !renamedFrom.has(rel)).map((rel) => resolve(root, rel)).filter((path) => !presentSet.has(path));
    compared = [...present, ...deleted];
  }
  return { paths: compared, ...(await readCommitted(root, committedFiles, renames, compared, rev)) };
}

async function readCommitted(
  root: string,
  committedFiles: string[],
  renames: ReadonlyMap<string, string>,
  paths: string[],
  rev: string,
): Promise<Pick<CommittedVersions, 'previousText' | 'previousPath'>> {
  const previousText = new Map<string, string>();
  const previousPath = new Map<string, string>();
  if (paths.length === 0 || committedFiles.length === 0) return { previousText, previousPath };
  const present = new Set(committedFiles);
  const wanted = paths.flatMap((path) => {
    const source = committedSource(toRelPath(root, path), present, committedFiles, renames);
    return source ? [{ source, path }] : [];
  });
  if (wanted.length === 0) return { previousText, previousPath };
  // "./": relative to cwd (the workspace root), which need not be the repository's root.
  const output = await gitConcurrently(root, ['cat-file', '--batch'], rev, wanted.map(({ source }) => `${rev}:./${source}`).join('\n') + '\n');
  batchObjects(output, wanted.length).forEach((object, index) => {
    if (object?.type !== 'blob') return;
    previousText.set(wanted[index]!.path, object.content.toString('utf8'));
    previousPath.set(wanted[index]!.path, wanted[index]!.source);
  });
  return { previousText, previousPath };
}

/**
 * The committed text of each path at `rev` in one `git cat-file --batch` call (`versions`), unless
 * that is not the whole answer: `rev` is not a commit, or a path is not a committed migration there
 * (new, moved or renamed: the listing and git's renames then pair it). `revIsCommit` says what the
 * call learnt of `rev`. Undefined when git was not asked (a path outside the migrations folder) or
 * failed (not a repository).
 */
async function readCommittedWhenAllPresent(
  root: string,
  migrationsDir: string,
  paths: string[],
  rev: string,
): Promise<{ versions?: Pick<CommittedVersions, 'previousText' | 'previousPath'>; revIsCommit: boolean } | undefined> {
  const prefix = `${migrationsDir.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/\/+$/, '')}/`;
  const rels = paths.map((path) => toRelPath(root, path));
  if (!rels.every((rel) => rel.startsWith(prefix) && rel.endsWith('.sql'))) return undefined;
  let output: Buffer;
  try {
    output = await gitConcurrently(root, ['cat-file', '--batch'], rev, [`${rev}^{commit}`, ...rels.map((rel) => `${rev}:./${rel}`)].join('\n') + '\n');
  } catch {
    return undefined; // not a repository: the listing's path says so
  }
  const [commit, ...blobs] = batchObjects(output, rels.length + 1);
  const revIsCommit = commit?.type === 'commit';
  if (!revIsCommit || blobs.some((blob) => blob?.type !== 'blob')) return { revIsCommit };
  const previousText = new Map<string, string>();
  const previousPath = new Map<string, string>();
  blobs.forEach((blob, index) => {
    previousText.set(paths[index]!, blob!.content.toString('utf8'));
    previousPath.set(paths[index]!, rels[index]!);
  });
  return { versions: { previousText, previousPath }, revIsCommit };
}

/**
 * The objects `git cat-file --batch` printed for `count` requests, in order: "<sha> <type> <size>\n<content>\n"
 * per found object, "<name> missing\n" (undefined here) otherwise.
 */
function batchObjects(output: Buffer, count: number): ({ type: string; content: Buffer } | undefined)[] {
  const objects: ({ type: string; content: Buffer } | undefined)[] = [];
  let offset = 0;
  for (let index = 0; index < count; index++) {
    const headerEnd = output.indexOf(0x0a, offset);
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(output.subarray(offset, headerEnd).toString('utf8'));
    offset = headerEnd + 1;
    if (!match) {
      objects.push(undefined);
      continue;
    }
    const size = Number(match[2]);
    objects.push({ type: match[1]!, content: output.subarray(offset, offset + size) });
    offset += size + 1;
  }
  return objects;
}

/** The committed file a workspace-relative path is compared with, if any. */
function committedSource(rel: string, present: ReadonlySet<string>, committedFiles: string[], renames: ReadonlyMap<string, string>): string | undefined {
  if (present.has(rel)) return rel;
  const renamedFrom = renames.get(rel);
  if (renamedFrom && present.has(renamedFrom)) return renamedFrom;
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  const version = /^\d{4}-\d{2}-\d{2}_\d+_/.exec(base)?.[0];
  const sameName = committedFiles.filter((file) => file === base || file.endsWith(`/${base}`));
  if (sameName.length === 1) return sameName[0];
  const sameVersion = version ? committedFiles.filter((file) => file.slice(file.lastIndexOf('/') + 1).startsWith(version)) : [];
  return sameVersion.length === 1 ? sameVersion[0] : undefined;
}

/**
 * Migration files git sees as renamed since `rev` (new -> old, workspace-relative), comparing `rev`
 * with the working tree: staged renames (the commit hook) and committed ones. Git pairs them by
 * content, so a rename that also changes the version is found.
 */
async function renamedSince(root: string, migrationsDir: string, rev: string): Promise<Map<string, string>> {
  const output = (await gitConcurrently(root, ['diff', '-z', '-M', '--name-status', '--diff-filter=R', '--relative', rev, '--', `./${migrationsDir}`], rev)).toString('utf8');
  const fields = output.split('\0');
  const renames = new Map<string, string>();
  // "R<score>\0<old>\0<new>\0" per rename.
  for (let index = 0; index + 2 < fields.length; index += 3) {
    const [status, from, to] = [fields[index]!, fields[index + 1]!, fields[index + 2]!];
    if (status.startsWith('R') && from.endsWith('.sql') && to.endsWith('.sql')) renames.set(to, from);
  }
  return renames;
}

/** Workspace-relative paths of the migration files at `rev`, a commit. */
async function committedMigrationFiles(root: string, migrationsDir: string, rev: string): Promise<string[]> {
  const listing = await gitConcurrently(root, ['ls-tree', '-r', '--name-only', rev, '--', `./${migrationsDir}`], rev);
  return listing.toString('utf8').split('\n').filter((file) => file.endsWith('.sql'));
}

/** False for HEAD in a repository without commits yet (everything is new); an unknown revision is an error. */
function revisionExists(root: string, rev: string): boolean {
  try {
    gitSync(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: root, stdio: 'pipe' });
    return true;
  } catch {
    git(root, ['rev-parse', '--git-dir'], rev); // not a repository: an error naming git's reason
    if (rev === 'HEAD') return false;
    throw new CommittedFilesError(`--since ${rev}: no such revision in the repository at ${root}`);
  }
}

const GIT_OUTPUT_LIMIT = 256 * 1024 * 1024;

function git(root: string, args: string[], rev: string): Buffer {
  try {
    return gitSync(args, { cwd: root, maxBuffer: GIT_OUTPUT_LIMIT, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    throw gitFailure(error, rev);
  }
}

async function gitConcurrently(root: string, args: string[], rev: string, input?: string): Promise<Buffer> {
  try {
    return await gitAsync(args, { cwd: root, input, maxBuffer: GIT_OUTPUT_LIMIT });
  } catch (error) {
    throw gitFailure(error, rev);
  }
}

function gitFailure(error: unknown, rev: string): CommittedFilesError {
  const reason = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim().split('\n')[0] || (error as Error).message.split('\n')[0];
  return new CommittedFilesError(`--since ${rev}: git could not read the repository (${reason})`);
}
