/**
 * Content-addressed cache of built PGlite shadows under `.pgwarden/cache/`: the key hashes the
 * schema files, the preset, the extension set and the PGlite and pgwarden versions; the value
 * is the dumped data directory (an uncompressed tar: loading it skips a gunzip of tens of MB,
 * see docs/benchmarks.md) plus the build's findings, source map and statistics beside it.
 * Both files are written to a unique temporary name and renamed, the JSON last: a reader sees
 * a whole entry or none.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CATALOG_SNAPSHOT_VERSION, type CatalogSnapshot } from '../catalog/types.js';
import { PGLITE_EXTENSIONS } from '../db/pglite-extensions.js';
import { presetSql, type PresetName } from './presets.js';
import type { ShadowSourceFile } from './schema-files.js';
import type { ShadowBuildStats, ShadowFinding, SourceMapEntry } from './types.js';

/** Bumped when what the builder stores or how it builds changes. */
const CACHE_FORMAT = 3;

export interface CachedBuild {
  findings: ShadowFinding[];
  sourceMap: SourceMapEntry[];
  stats: ShadowBuildStats;
  /** The extension bundles the stored database needs (those the files create, plus the ones asked for). */
  extensions: string[];
  /** The workspace snapshot of the built schema, stored the first time a caller asks for it (ShadowDatabase.builtSnapshot). */
  snapshot?: CatalogSnapshot;
}

let versions: { pglite: string; pgwarden: string } | undefined;

function packageVersion(packageJson: string): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

/** PGlite's version (from its package.json, found through its entry point) and pgwarden core's. */
export function toolVersions(): { pglite: string; pgwarden: string } {
  if (!versions) {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    let dir = dirname(entry);
    while (!existsSync(join(dir, 'package.json')) || !dir.endsWith(join('@electric-sql', 'pglite'))) {
      if (dirname(dir) === dir) break;
      dir = dirname(dir);
    }
    versions = {
      pglite: packageVersion(join(dir, 'package.json')),
      pgwarden: packageVersion(new URL('../../package.json', import.meta.url).pathname),
    };
  }
  return versions;
}

/**
 * `extensions`: the bundles asked for besides those the files create (which follow from the files'
 * text, so a warm hit needs no parse; the entry lists the whole set to load the dump with).
 */
export function shadowCacheKey(
  files: readonly Pick<ShadowSourceFile, 'relPath' | 'text'>[],
  preset: string,
  extensions: readonly string[] = [],
  { pglite, pgwarden }: { pglite: string; pgwarden: string } = toolVersions(),
): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ format: CACHE_FORMAT, snapshot: CATALOG_SNAPSHOT_VERSION, preset, extensions, available: PGLITE_EXTENSIONS, pglite, pgwarden }));
  for (const file of files) {
    hash.update('\u0000file\u0000').update(file.relPath).update('\u0000').update(file.text);
  }
  return hash.digest('hex');
}

/** Key of the empty shadow with a preset applied (what every cold build starts from). */
export function baseCacheKey(preset: string): string {
  const { pglite, pgwarden } = toolVersions();
  const presetText = preset === 'none' ? '' : presetSql(preset as PresetName);
  return createHash('sha256').update(JSON.stringify({ format: CACHE_FORMAT, preset, presetText, extensions: PGLITE_EXTENSIONS, pglite, pgwarden })).digest('hex');
}

export function readBaseDump(cacheDir: string, key: string): Blob | undefined {
  const path = join(cacheDir, `base-${key}.tar`);
  try {
    return existsSync(path) ? new Blob([readFileSync(path)]) : undefined;
  } catch {
    return undefined;
  }
}

export async function writeBaseDump(cacheDir: string, key: string, dump: Blob): Promise<void> {
  mkdirSync(cacheDir, { recursive: true });
  writeAtomically(join(cacheDir, `base-${key}.tar`), new Uint8Array(await dump.arrayBuffer()));
}

function entryPaths(cacheDir: string, key: string): { dump: string; meta: string } {
  return { dump: join(cacheDir, `shadow-${key}.tar`), meta: join(cacheDir, `shadow-${key}.json`) };
}

export function readCachedBuild(cacheDir: string, key: string): { dump: Blob; build: CachedBuild } | undefined {
  const paths = entryPaths(cacheDir, key);
  if (!existsSync(paths.meta) || !existsSync(paths.dump)) return undefined;
  try {
    const build = JSON.parse(readFileSync(paths.meta, 'utf8')) as CachedBuild;
    const dump = new Blob([readFileSync(paths.dump)]);
    markUsed(paths.dump);
    return { dump, build };
  } catch {
    return undefined; // unreadable entry: rebuild and overwrite it
  }
}

/** The entry's last use, which pruning goes by (a read-only cache folder simply keeps its entries). */
function markUsed(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // not ours to change: nothing is pruned that we cannot mark either
  }
}

function writeAtomically(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Shadow entries kept per cache folder (the most recently used): a few branches' schemas, about 30 MB each for the demo. */
export const KEPT_SHADOW_ENTRIES = 4;

export async function writeCachedBuild(cacheDir: string, key: string, dump: Blob, build: CachedBuild): Promise<void> {
  mkdirSync(cacheDir, { recursive: true });
  const paths = entryPaths(cacheDir, key);
  writeAtomically(paths.dump, new Uint8Array(await dump.arrayBuffer()));
  writeAtomically(paths.meta, JSON.stringify(build));
  pruneShadowEntries(cacheDir);
}

/**
 * Removes all but the KEPT_SHADOW_ENTRIES most recently used shadow entries, and the data
 * directories of earlier cache formats (gzip tars). A reader that loses an entry to this rebuilds it.
 */
function pruneShadowEntries(cacheDir: string): void {
  const names = readdirSync(cacheDir);
  for (const name of names) {
    const legacy = /^(shadow|base)-[0-9a-f]{64}\.tar\.gz$/.test(name);
    // An entry's JSON is written after its data directory: one without it is an earlier format's.
    const orphan = /^shadow-[0-9a-f]{64}\.json$/.test(name) && !names.includes(name.replace(/\.json$/, '.tar'));
    if (legacy || orphan) rmSync(join(cacheDir, name), { force: true });
  }
  const entries = names
    .filter((name) => /^shadow-[0-9a-f]{64}\.tar$/.test(name))
    .map((name) => ({ key: name.slice('shadow-'.length, -'.tar'.length), written: statSync(join(cacheDir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.written - a.written);
  for (const { key } of entries.slice(KEPT_SHADOW_ENTRIES)) {
    const paths = entryPaths(cacheDir, key);
    rmSync(paths.meta, { force: true });
    rmSync(paths.dump, { force: true });
  }
}

/** Adds the built schema's snapshot to a stored entry (whose data directory is unchanged). */
export function writeCachedSnapshot(cacheDir: string, key: string, build: CachedBuild, snapshot: CatalogSnapshot): void {
  const paths = entryPaths(cacheDir, key);
  if (!existsSync(paths.dump)) return;
  writeAtomically(paths.meta, JSON.stringify({ ...build, snapshot }));
}
