/*
 * The cache: a second build of the same files loads the stored data directory with the same
 * findings and source map; changing a file (or the preset) changes the key and rebuilds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildShadow } from './build.js';
import { KEPT_SHADOW_ENTRIES, readCachedBuild, shadowCacheKey, toolVersions, writeCachedBuild } from './cache.js';
import { workspaceSnapshot } from './snapshot.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const root = mkdtempSync(join(tmpdir(), 'pgwarden-shadow-cache-'));
cpSync(join(FIXTURES, 'forward-same-file'), join(root, 'current_schema'), { recursive: true });

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('shadow cache', () => {
  it('misses, then hits with the same findings and source map, then misses when a file changes', async () => {
    const cold = await buildShadow({ root });
    const coldSnapshot = await cold.builtSnapshot();
    expect(coldSnapshot.tables.map((table) => table.key)).toContain('public.notes');
    const coldResult = { findings: cold.findings, sourceMap: cold.sourceMap, stats: cold.stats };
    await cold.close();
    expect(cold.cache).toBe('miss');
    const stored = readdirSync(join(root, '.pgwarden/cache')).sort();
    expect(stored).toEqual(expect.arrayContaining([`shadow-${cold.cacheKey}.json`, `shadow-${cold.cacheKey}.tar`]));
    expect(stored.filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const warm = await buildShadow({ root });
    try {
      expect(warm.cache).toBe('hit');
      expect(warm.cacheKey).toBe(cold.cacheKey);
      expect({ findings: warm.findings, sourceMap: warm.sourceMap, stats: warm.stats }).toEqual(coldResult);
      // The loaded database is the built one.
      const session = await warm.database.session();
      const { rows } = await session.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_policies WHERE tablename = 'notes'");
      expect(rows[0]!.n).toBe(2);
      // The snapshot kept in the entry is the one the loaded database gives (the cold build stored it when asked).
      expect(await warm.builtSnapshot()).toEqual(await workspaceSnapshot(warm.database, 'supabase'));
    } finally {
      await warm.close();
    }

    appendFileSync(join(root, 'current_schema/01_access.sql'), '\nCREATE TABLE public.tags (id integer PRIMARY KEY);\n');
    const changed = await buildShadow({ root });
    try {
      expect(changed.cache).toBe('miss');
      expect(changed.cacheKey).not.toBe(cold.cacheKey);
      expect(changed.sourceMap.some((entry) => entry.key === 'public.tags')).toBe(true);
    } finally {
      await changed.close();
    }
  }, 300_000);

  it('keys on the files, their names and the preset', () => {
    const files = [{ relPath: 'current_schema/01.sql', text: 'CREATE TABLE a (id int);' }];
    const key = shadowCacheKey(files, 'supabase');
    expect(shadowCacheKey([{ ...files[0]! }], 'supabase')).toBe(key);
    expect(shadowCacheKey(files, 'none')).not.toBe(key);
    expect(shadowCacheKey([{ ...files[0]!, text: 'CREATE TABLE a (id bigint);' }], 'supabase')).not.toBe(key);
    expect(shadowCacheKey([{ ...files[0]!, relPath: 'current_schema/02.sql' }], 'supabase')).not.toBe(key);
    expect(shadowCacheKey(files, 'supabase', ['vector'])).not.toBe(key);
    // Another pgwarden (or PGlite) version builds and snapshots with other code: another entry.
    expect(shadowCacheKey(files, 'supabase', [], toolVersions())).toBe(key);
    expect(shadowCacheKey(files, 'supabase', [], { ...toolVersions(), pgwarden: '0.0.0-other' })).not.toBe(key);
    expect(shadowCacheKey(files, 'supabase', [], { ...toolVersions(), pglite: '0.0.0-other' })).not.toBe(key);
  });

  it('keeps the most recently used entries and drops earlier formats when it stores one', async () => {
    const cacheDir = join(root, 'prune-cache');
    mkdirSync(cacheDir, { recursive: true });
    const key = (n: number) => n.toString(16).padStart(64, '0');
    // Five older entries, written one minute apart, and a gzip entry of cache format 1 with its JSON.
    for (let n = 1; n <= 5; n++) {
      for (const ext of ['tar', 'json']) {
        const path = join(cacheDir, `shadow-${key(n)}.${ext}`);
        writeFileSync(path, ext === 'json' ? '{}' : 'data');
        utimesSync(path, new Date(2026, 0, 1, 0, n), new Date(2026, 0, 1, 0, n));
      }
    }
    writeFileSync(join(cacheDir, `shadow-${key(9)}.tar.gz`), 'old');
    writeFileSync(join(cacheDir, `shadow-${key(9)}.json`), '{}');
    writeFileSync(join(cacheDir, `base-${key(9)}.tar.gz`), 'old');
    writeFileSync(join(cacheDir, 'check-unrelated.json'), '{}');
    // The oldest entry is read (a warm hit): it becomes the most recently used of the five.
    expect(readCachedBuild(cacheDir, key(1))).toBeDefined();

    await writeCachedBuild(cacheDir, key(6), new Blob(['new']), { findings: [], sourceMap: [], stats: { files: 0, statements: 0, failedStatements: 0, recoveredStatements: 0, executions: 0, retryPasses: 0 }, extensions: [] });

    const kept = [6, 1, 5, 4].slice(0, KEPT_SHADOW_ENTRIES).flatMap((n) => [`shadow-${key(n)}.json`, `shadow-${key(n)}.tar`]);
    expect(readdirSync(cacheDir).sort()).toEqual(['check-unrelated.json', ...kept].sort());
  });
});
