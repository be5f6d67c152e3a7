/**
 * The demo's built shadow, shared by the test files that need it. Building current_schema/ of the
 * demo on PGlite (a fresh instance, the Supabase preset, eight schema files) is the slowest step of
 * several suites and gives the same entry every time: the shadow cache is content-addressed (schema
 * files, preset, extensions, PGlite and pgwarden versions), so the entry one file builds is the one
 * every other would build. The first caller builds it with pgwarden's own buildShadow into a folder
 * made once per run (global-setup.ts), under a lock that other processes wait on; each caller then
 * copies the entries into its workspace's `.pgwarden/cache/`, where pgwarden looks them up by key.
 * The cold build itself stays proved: it is this build, and shadow/demo.test.ts and
 * shadow/cache.test.ts build without a seeded cache.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { loadConfig } from '../../packages/core/src/config/load.js';
import { buildShadow, shadowOptionsFromConfig } from '../../packages/core/src/shadow/build.js';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** A build on a loaded 2-core machine takes a minute or two; waiting longer means the builder died. */
const WAIT_MS = 600_000;

async function sharedEntries(): Promise<string> {
  const shared = inject('sharedShadowCache');
  const entries = join(shared, 'demo');
  const ready = join(shared, 'demo.ready');
  const lock = join(shared, 'demo.lock');
  for (const started = Date.now(); !existsSync(ready); ) {
    try {
      mkdirSync(lock); // atomic: exactly one process builds
    } catch {
      if (Date.now() - started > WAIT_MS) throw new Error(`the shared demo shadow in ${shared} was not built within ${WAIT_MS / 1000} s`);
      await sleep(250);
      continue;
    }
    try {
      const workspace = mkdtempSync(join(tmpdir(), 'pgwarden-shared-demo-'));
      try {
        for (const entry of ['current_schema', 'pgwarden.config.json']) cpSync(join(REPO_ROOT, entry), join(workspace, entry), { recursive: true });
        const demo = await buildShadow(shadowOptionsFromConfig(loadConfig({ cwd: workspace })));
        await demo.close();
        // The base of preset "none" too (an empty schema folder: only its base dump is of use).
        mkdirSync(join(workspace, 'empty'));
        const bare = await buildShadow({ root: workspace, schemaDir: 'empty', preset: 'none' });
        await bare.close();
        cpSync(join(workspace, '.pgwarden', 'cache'), entries, { recursive: true });
      } finally {
        rmSync(workspace, { recursive: true, force: true });
      }
      writeFileSync(ready, '');
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return entries;
}

/**
 * Copies the shared shadow entries into `root/.pgwarden/cache/`: the demo's built current_schema/
 * (used while the workspace's schema files are the demo's) and the bases (Supabase preset, and
 * none) every cold build of another schema starts from.
 */
export async function seedShadowCache(root: string): Promise<void> {
  const entries = await sharedEntries();
  const cache = join(root, '.pgwarden', 'cache');
  mkdirSync(cache, { recursive: true });
  for (const name of readdirSync(entries)) if (/^(base|shadow)-/.test(name)) cpSync(join(entries, name), join(cache, name));
}
