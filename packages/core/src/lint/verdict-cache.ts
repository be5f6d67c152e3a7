/**
 * Lint verdicts kept under `.pgwarden/cache/` (gitignored, local to the machine), shared by the
 * migrate gate and `pgwarden lint --cache`. A file's findings depend on more than its own text:
 * cross-file rules read the whole history and `current_schema/`, every rule reads the config, and
 * the rules, the parser and pgwarden's code decide the rest. The cache key hashes all of those, so
 * a hit is exactly what a fresh lint would report, and an edit to any input starts a new entry.
 * Within one key, a file's findings are stored per previous text (`--since`), which executed-immutable
 * compares with.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgwardenConfig } from '../config/types.js';
import { discoverMigrationsIfPresent, readMigrationFile, type UnreadableMigrationFile } from '../migration/index.js';
import { readSchemaFolder } from './schema-folder.js';
import type { Migration } from '../migration/types.js';
import type { Finding } from '../rules/types.js';
import type { LintOptions, LintResult } from './engine.js';

/** Bumped when what is stored, or how the key is computed, changes. */
const FORMAT = 1;

export interface CachedLintResult extends LintResult {
  /** Files whose findings came from the cache. */
  cached: number;
}

type HistoryEntry = Migration | UnreadableMigrationFile;

let codeFingerprint: string | undefined;

/**
 * pgwarden's version, the parser's version, and the build of the code itself, so a rebuilt rule in
 * a development checkout is a new key even under the same version. The module's own file is
 * stamped (in the bundled lint CLI it holds every rule), and `tsc -b` rewrites the package's build
 * info whenever it emits anything, so its size and time stand for the rest of the build (a few stat
 * calls on the migrate path). Run from the TypeScript sources (the tests), every module's size and
 * time are hashed instead; an installed package is immutable per version.
 */
function toolFingerprint(): string {
  if (codeFingerprint) return codeFingerprint;
  const here = fileURLToPath(import.meta.url);
  // core/dist/lint/ (or core/src/lint/ in the tests), or cli/dist/ for the bundle: the package holding this code.
  const packageRoot = nearestPackageRoot(dirname(here));
  const hash = createHash('sha256');
  const stamp = (path: string) => {
    const stat = statSync(path);
    hash.update(`${relative(packageRoot, path)}\u0000${stat.size}\u0000${stat.mtimeMs}\n`);
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) stamp(path);
    }
  };
  const buildInfo = join(packageRoot, 'dist', '.tsbuildinfo');
  if (here.endsWith('.ts')) walk(join(packageRoot, 'src'));
  else {
    stamp(here);
    if (existsSync(buildInfo)) stamp(buildInfo);
  }
  const version = (packageJson: string) => (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  const require = createRequire(import.meta.url);
  hash.update(`pgwarden ${version(join(packageRoot, 'package.json'))}\u0000libpg-query ${version(require.resolve('libpg-query/package.json'))}`);
  codeFingerprint = hash.digest('hex');
  return codeFingerprint;
}

/** The closest folder upwards holding a package.json. */
function nearestPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** `current_schema/` as the lint engine reads it: its `.sql` files in name order, or why one is unreadable. */
function hashSchemaFiles(config: PgwardenConfig, hash: ReturnType<typeof createHash>): void {
  const files = readSchemaFolder(config);
  if (!files) {
    hash.update('\u0000no schema folder');
    return;
  }
  for (const { relPath, source } of files) {
    hash.update(`\u0000schema\u0000${relPath}\u0000`).update(source.ok ? `text\u0000${source.text}` : `unreadable\u0000${source.message}`);
  }
}

/** The key of every verdict that depends on this config, history (readable or not) and `current_schema/`. */
export function lintContextKey(config: PgwardenConfig, entries: Iterable<HistoryEntry>): string {
  const hash = createHash('sha256').update(JSON.stringify({ format: FORMAT, tool: toolFingerprint(), config }));
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const entry of sorted) {
    hash.update(`\u0000file\u0000${entry.path}\u0000${entry.relPath}\u0000`);
    hash.update('readError' in entry ? `unreadable\u0000${JSON.stringify(entry.readError)}` : `text\u0000${entry.text}`);
  }
  hashSchemaFiles(config, hash);
  return hash.digest('hex');
}

/** A file's entry within a key: its path and the previous text it is compared with, if any. */
function entryId(relPath: string, previousText: string | undefined, previousPath: string | undefined): string {
  const previous = previousText === undefined ? '-' : createHash('sha256').update(previousText).digest('hex');
  return `${relPath}\u0000${previousPath ?? ''}\u0000${previous}`;
}

type StoredVerdicts = Record<string, Finding[]>;

function cachePath(config: PgwardenConfig, key: string): string {
  return join(config.root, '.pgwarden', 'cache', `lint-${key}.json`);
}

function readStored(path: string): StoredVerdicts {
  if (!existsSync(path)) return {};
  try {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as StoredVerdicts) : {};
  } catch {
    return {}; // unreadable entry: lint again and overwrite it
  }
}

/** Written to a unique temporary name and renamed: a reader sees a whole entry or none. */
function writeStored(path: string, stored: StoredVerdicts): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const pgwardenDir = dirname(dirname(path));
    // A local run changes no file git sees, even in a clone whose .gitignore omits .pgwarden/.
    if (!existsSync(join(pgwardenDir, '.gitignore'))) writeFileSync(join(pgwardenDir, '.gitignore'), '# written by pgwarden: caches and the embedded database are local to this machine\n*\n');
    writeFileSync(temporary, JSON.stringify(stored));
    renameSync(temporary, path);
  } catch {
    rmSync(temporary, { force: true }); // a cache that cannot be written is only slower
  }
}

/**
 * `lint(config, options)` with verdicts reused from `.pgwarden/cache/`: the same files are linted
 * against the same history, and only files without a stored verdict for this exact context run
 * through the rules (the parser and the rules are not even loaded when every verdict is stored).
 * `store: false` reads without writing (migrate: a run changes nothing but the database).
 */
export async function lintWithVerdictCache(config: PgwardenConfig, options: LintOptions = {}, cacheOptions: { store?: boolean } = {}): Promise<CachedLintResult> {
  const known = options.history;
  const historyPaths = known ? known.map((migration) => migration.path) : await discoverMigrationsIfPresent(resolve(config.root, config.migrationsDir));
  const targets = options.paths?.length ? options.paths.map((path) => resolve(config.root, path)) : historyPaths;
  const entries = new Map<string, HistoryEntry>((known ?? []).map((migration) => [migration.path, migration]));
  for (const path of new Set([...historyPaths, ...targets])) if (!entries.has(path)) entries.set(path, readMigrationFile(config.root, path));

  const path = cachePath(config, lintContextKey(config, entries.values()));
  const stored = readStored(path);
  const idOf = (target: string) => entryId(entries.get(target)!.relPath, options.previousText?.get(target), options.previousPath?.get(target));
  const missing = [...new Set(targets)].filter((target) => !Array.isArray(stored[idOf(target)]));
  if (missing.length > 0) {
    const { lint } = await import('./engine.js');
    // The readable entries are the history the rules see (lint leaves unreadable files out of it too).
    const history = historyPaths.map((target) => entries.get(target)!).filter((entry): entry is Migration => 'checksum' in entry);
    const fresh = await lint(config, { ...options, paths: missing, history });
    const byFile = new Map<string, Finding[]>(missing.map((target) => [entries.get(target)!.relPath, []]));
    for (const finding of fresh.findings) byFile.get(finding.file)?.push(finding);
    for (const target of missing) stored[idOf(target)] = byFile.get(entries.get(target)!.relPath)!;
    if (cacheOptions.store !== false) writeStored(path, stored);
  }
  const findings = targets.flatMap((target) => stored[idOf(target)]!);
  // Each file's findings are stored in lint's order (position, then rule); files are ordered as lint orders them.
  findings.sort((a, b) => a.file.localeCompare(b.file));
  return { findings, filesLinted: targets.length, cached: targets.length - missing.length };
}
