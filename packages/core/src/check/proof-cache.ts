/**
 * What `check` learns from a shadow of current_schema/ (its catalog snapshot, the build's findings
 * and source map, the function verifier's result) is a pure function of the schema files, the
 * preset, the verifier engine and the tool versions. Kept beside the shadow cache under
 * `.pgwarden/cache/`, it lets a warm `check` of an unchanged schema skip the database entirely.
 * PGlite shadows only: a server shadow (`shadow.url`) may change under us, so it is not cached.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogSnapshot } from '../catalog/types.js';
import { shadowCacheKey } from '../shadow/cache.js';
import type { ShadowBuildStats, ShadowFinding, SourceMapEntry } from '../shadow/types.js';
import type { VerifyResult } from '../verify/types.js';

/** Bumped when what is stored, or how any of it is computed, changes. */
const FORMAT = 1;

export interface ProvedSchema {
  snapshot: CatalogSnapshot;
  shadowFindings: ShadowFinding[];
  sourceMap: SourceMapEntry[];
  stats: ShadowBuildStats;
  verify: VerifyResult;
}

export function proofCacheKey(files: readonly { relPath: string; text: string }[], preset: string, engine: string): string {
  return createHash('sha256').update(JSON.stringify({ format: FORMAT, shadow: shadowCacheKey(files, preset), engine })).digest('hex');
}

export function readProof(cacheDir: string, key: string): ProvedSchema | undefined {
  const path = join(cacheDir, `check-${key}.json`);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ProvedSchema;
  } catch {
    return undefined; // unreadable entry: prove again and overwrite it
  }
}

export function writeProof(cacheDir: string, key: string, proof: ProvedSchema): void {
  mkdirSync(cacheDir, { recursive: true });
  const path = join(cacheDir, `check-${key}.json`);
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(proof));
    renameSync(temporary, path);
  } catch {
    rmSync(temporary, { force: true }); // a cache that cannot be written is only slower
  }
}
