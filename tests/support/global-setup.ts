/**
 * Once per `vitest run`: a folder for shadow-cache entries that test files share (see
 * shared-shadow-cache.ts). It starts empty; the first file that needs an entry builds it there.
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

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'pgwarden-shared-shadow-cache-'));
  project.provide('sharedShadowCache', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
