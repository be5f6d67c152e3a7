import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '@pgwarden/core/config/index';
import { discoverMigrationsIfPresent, readSourceFile } from '@pgwarden/core/migration/index';
import { FORMATTERS, lint, lintWithVerdictCache, toRelPath } from '@pgwarden/core/lint/index';
import { changedMigrationFiles, requireMigrationsFolder } from '@pgwarden/core/workspace/lint-inputs';
import { parseCommandArgs, UsageError } from '../command.js';
import { toolVersion } from '../main.js';

const USAGE = `Usage: pgwarden lint [paths...] [options]

Checks migration files against the convention. Without paths, lints the whole history;
with paths (as lint-staged passes them) lints those files, still checking cross-file rules
(sequence numbers) against the rest of the history.

Options:
  --format stylish|json|github|sarif   output format (default: stylish)
  --config FILE                        pgwarden.config.json to use (default: found upwards)
  --since REV                          compare with the committed version at REV: executed migrations are append-only
  --deep                               also apply the pending migrations (or the named files) to a shadow of current_schema/:
                                       failing statements, functions verified, overloads, idempotency and rollback proved
  --changed [REV]                      lint only the migration files added or modified since REV (default: the
                                       merge-base with the default branch: origin/HEAD, main or master), with the
                                       whole history as context
  --hook                               run as the commit hook: adds --deep when the config sets "hook": { "deep": true }
  --max-warnings N                     also fail when there are more than N warnings
  --cache                              reuse verdicts from .pgwarden/cache/ (shared with migrate's lint gate): a file
                                       is linted again whenever it, the history, current_schema/, the config or
                                       pgwarden changed
  --no-color                           plain output`;

export async function run(argv: string[]): Promise<number> {
  const { rest, changed } = takeChanged(argv);
  const args = parseCommandArgs(
    rest,
    {
      format: { type: 'string', default: 'stylish' },
      config: { type: 'string' },
      since: { type: 'string' },
      deep: { type: 'boolean' },
      hook: { type: 'boolean' },
      cache: { type: 'boolean' },
      'max-warnings': { type: 'string' },
      'no-color': { type: 'boolean' },
    },
    USAGE,
  );
  if (!args) return 0;
  const format = FORMATTERS[args.values.format as string];
  if (!format) throw new UsageError(`unknown format "${args.values.format}" (stylish, json, github, sarif)`);
  const maxWarnings = args.values['max-warnings'] === undefined ? Infinity : Number(args.values['max-warnings']);
  if (Number.isNaN(maxWarnings) || maxWarnings < 0) throw new UsageError('--max-warnings takes a non-negative number');

  const config = loadConfig({ configPath: args.values.config as string | undefined });
  requireMigrationsFolder(config);
  let paths = args.positionals.map((path) => resolve(path));
  let changedBase: string | undefined;
  if (changed) {
    if (paths.length > 0) throw new UsageError('--changed picks the files itself: give either paths or --changed');
    const found = changedMigrationFiles(config.root, config.migrationsDir, changed.rev);
    if (found.paths.length === 0) {
      // Nothing was checked: say so rather than "no problems".
      process.stderr.write(`pgwarden: no migration file added or modified since ${found.base}; nothing to lint\n`);
      return 0;
    }
    paths = found.paths;
    changedBase = found.commit;
  }
  let previous: Committed | undefined;
  // --changed compares with its base too: an executed migration modified since then is reported.
  const since = (args.values.since as string | undefined) ?? changedBase;
  if (since) {
    const committedFiles = committedMigrationFiles(config.root, config.migrationsDir, since);
    const renames = committedFiles.length ? renamedSince(config.root, config.migrationsDir, since) : new Map<string, string>();
    // Without paths the whole history is compared, including files deleted since then (a renamed
    // file is judged under its new name, so its old name is not "deleted").
    if (paths.length === 0) {
      const present = await discoverMigrationsIfPresent(resolve(config.root, config.migrationsDir));
      const renamedFrom = new Set(renames.values());
      const deleted = committedFiles.filter((rel) => !renamedFrom.has(rel)).map((rel) => resolve(config.root, rel)).filter((path) => !present.includes(path));
      paths = [...present, ...deleted];
    }
    previous = readCommitted(config.root, committedFiles, renames, paths, since);
  }
  const lintOptions = { paths, previousText: previous?.text, previousPath: previous?.relPath };
  const result = args.values.cache ? await lintWithVerdictCache(config, lintOptions) : await lint(config, lintOptions);
  if (args.values.deep || (args.values.hook && config.hook.deep)) {
    const { deepLint } = await import('@pgwarden/core/impact/index');
    const deep = await deepLint(config, { paths: args.positionals.map((path) => resolve(path)) });
    result.findings = sortByPosition([...result.findings, ...deep.findings]);
    process.stderr.write(
      deep.checked.length === 0
        ? 'deep: no pending migration to prove (every migration is executed); name files to prove them anyway\n'
        : `deep: ${deep.checked.length} migration(s) applied to a shadow of ${config.schemaDir} (cache: ${deep.cache}), ${deep.functionsVerified} function(s) verified\n`,
    );
  }

  const sources = new Map<string, string | undefined>();
  const output = format(result.findings, {
    source: (file) => {
      if (!sources.has(file)) sources.set(file, readTextOrUndefined(config.root, resolve(config.root, file)));
      return sources.get(file);
    },
    color: !args.values['no-color'] && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    filesLinted: result.filesLinted,
    toolVersion: await toolVersion(),
  });
  process.stdout.write(output);

  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  const warnings = result.findings.filter((finding) => finding.severity === 'warning').length;
  return errors > 0 || warnings > maxWarnings ? 1 : 0;
}


function sortByPosition<T extends { file: string; line: number; column: number }>(findings: T[]): T[] {
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}

/** The text for a code frame: the same checks as the lint itself, so nothing outside the workspace is ever shown. */
function readTextOrUndefined(root: string, path: string): string | undefined {
  const source = readSourceFile(path, { root });
  return source.ok ? source.text : undefined;
}

interface Committed {
  /** Absolute path -> its text at the revision. */
  text: Map<string, string>;
  /** Absolute path -> where that text was (workspace-relative), for every path compared. */
  relPath: Map<string, string>;
}

/**
 * `--changed` takes an optional revision, which node's parseArgs cannot express: `--changed=REV`,
 * or `--changed REV` when the next word is not an option and not a path that exists.
 */
function takeChanged(argv: string[]): { rest: string[]; changed?: { rev?: string } } {
  const rest: string[] = [];
  let changed: { rev?: string } | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg.startsWith('--changed=')) {
      changed = { rev: arg.slice('--changed='.length) || undefined };
    } else if (arg === '--changed') {
      const next = argv[index + 1];
      if (next !== undefined && !next.startsWith('-') && !existsSync(resolve(next))) {
        changed = { rev: next };
        index++;
      } else {
        changed = {};
      }
    } else {
      rest.push(arg);
    }
  }
  return changed ? { rest, changed } : { rest };
}

/**
 * The committed text of each path at `rev`, so executed migrations stay append-only. A path new at
 * `rev` may be a moved or renamed migration: it is compared with the file git reports it was renamed
 * from, else the committed file of the same base name, else of the same version (YYYY-MM-DD_NN),
 * when exactly one such file exists.
 */
function readCommitted(root: string, committedFiles: string[], renames: ReadonlyMap<string, string>, paths: string[], rev: string): Committed {
  const committed: Committed = { text: new Map(), relPath: new Map() };
  if (paths.length === 0 || committedFiles.length === 0) return committed;
  const present = new Set(committedFiles);
  const sources = paths.map((path) => {
    const rel = toRelPath(root, path);
    if (present.has(rel)) return rel;
    const renamedFrom = renames.get(rel);
    if (renamedFrom && present.has(renamedFrom)) return renamedFrom;
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    const version = /^\d{4}-\d{2}-\d{2}_\d+_/.exec(base)?.[0];
    const sameName = committedFiles.filter((file) => file.endsWith(`/${base}`));
    const sameVersion = version ? committedFiles.filter((file) => file.slice(file.lastIndexOf('/') + 1).startsWith(version)) : [];
    return sameName.length === 1 ? sameName[0] : sameVersion.length === 1 ? sameVersion[0] : undefined;
  });
  const wanted = sources.flatMap((source, index) => (source ? [{ source, path: paths[index]! }] : []));
  if (wanted.length === 0) return committed;
  // "./": relative to cwd (the workspace root), which need not be the repository's root.
  const output = git(root, ['cat-file', '--batch'], wanted.map(({ source }) => `${rev}:./${source}`).join('\n') + '\n', rev);
  // Output: "<sha> blob <size>\n<content>\n" per found object, "<name> missing\n" otherwise.
  let offset = 0;
  for (const { path, source } of wanted) {
    const headerEnd = output.indexOf(0x0a, offset);
    const header = output.subarray(offset, headerEnd).toString('utf8');
    offset = headerEnd + 1;
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!match) continue;
    const size = Number(match[2]);
    if (match[1] === 'blob') {
      committed.text.set(path, output.subarray(offset, offset + size).toString('utf8'));
      committed.relPath.set(path, source);
    }
    offset += size + 1;
  }
  return committed;
}

/**
 * Migration files git sees as renamed since `rev` (new -> old, workspace-relative), comparing `rev`
 * with the working tree: staged renames (the commit hook) and committed ones. Git pairs them by
 * content, so a rename that also changes the version is found.
 */
function renamedSince(root: string, migrationsDir: string, rev: string): Map<string, string> {
  const output = git(root, ['diff', '-z', '-M', '--name-status', '--diff-filter=R', '--relative', rev, '--', `./${migrationsDir}`], undefined, rev).toString('utf8');
  const fields = output.split('\0');
  const renames = new Map<string, string>();
  // "R<score>\0<old>\0<new>\0" per rename.
  for (let index = 0; index + 2 < fields.length; index += 3) {
    const [status, from, to] = [fields[index]!, fields[index + 1]!, fields[index + 2]!];
    if (status.startsWith('R') && from.endsWith('.sql') && to.endsWith('.sql')) renames.set(to, from);
  }
  return renames;
}

/** Workspace-relative paths of the migration files at `rev` (none in a repository without commits yet). */
function committedMigrationFiles(root: string, migrationsDir: string, rev: string): string[] {
  if (!revisionExists(root, rev)) return [];
  const listing = git(root, ['ls-tree', '-r', '--name-only', rev, '--', `./${migrationsDir}`], undefined, rev);
  return listing.toString('utf8').split('\n').filter((file) => file.endsWith('.sql'));
}

/** False for HEAD in a repository without commits yet (everything is new); an unknown revision is a usage error. */
function revisionExists(root: string, rev: string): boolean {
  try {
    git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
    return true;
  } catch {
    git(root, ['rev-parse', '--git-dir'], undefined, rev); // not a repository: a usage error naming git's reason
    if (rev === 'HEAD') return false;
    throw new UsageError(`--since ${rev}: no such revision in the repository at ${root}`);
  }
}

function git(root: string, args: string[], input?: string, rev?: string): Buffer {
  try {
    return execFileSync('git', args, { cwd: root, input, maxBuffer: 256 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    if (rev === undefined) throw error;
    const reason = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim().split('\n')[0] || (error as Error).message.split('\n')[0];
    throw new UsageError(`--since ${rev}: git could not read the repository (${reason})`);
  }
}
