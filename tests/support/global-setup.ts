/**
 * Once per `vitest run`: a folder for shadow-cache entries that test files share (see
 * shared-shadow-cache.ts). It starts empty; the first file that needs an entry builds it there.
 * Each project (vitest.config.ts) runs this set-up: the first creates the folder, the others are
 * given the same one, so the demo's shadow is built once for the whole run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    sharedShadowCache: string;
  }
}

const KEY = 'PGWARDEN_TEST_SHARED_SHADOW_CACHE';

export default function setup(project: TestProject): () => void {
  const existing = process.env[KEY];
  const dir = existing ?? mkdtempSync(join(tmpdir(), 'pgwarden-shared-shadow-cache-'));
  process.env[KEY] = dir;
  project.provide('sharedShadowCache', dir);
  return () => {
    if (existing !== undefined) return;
    delete process.env[KEY];
    rmSync(dir, { recursive: true, force: true });
  };
}
