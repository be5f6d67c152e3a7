/*
 * The `lint` command as one bundled file (dist/lint.bundle.js, built by tools/build/bundle-lint.mjs
 * after tsc): Node loads one module instead of the CLI's and core's 112. The manifest beside it
 * (dist/lint.bundle.json, written last) lists the dist/ files the bundle was built from with their
 * sizes. The bin runs the bundle only while every one of them exists, has its recorded size and is
 * not newer than the manifest: a `tsc -b` that rewrites any of them without a new bundle, or an
 * edit, sends lint back to dist/, so old code never runs. Stat calls only (about 1 ms): hashing the
 * 112 files cost 10-25 ms, most of what the bundle saves. In a packed tarball npm gives every file
 * the same time, and `prepack` rebuilt the bundle from the packed dist/.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LINT_BUNDLE = 'lint.bundle.js';
export const LINT_BUNDLE_MANIFEST = 'lint.bundle.json';

export interface LintBundleManifest {
  /** The files the bundle was built from, relative to the bundle's folder (core's through `../../core/dist/`), and their sizes. */
  inputs: { path: string; size: number }[];
}

/**
 * The bundle's URL when this command line can run from it and it is fresh; otherwise undefined.
 * `lint --deep` loads the shadow database code from dist/, so it runs from dist/ altogether.
 */
export function lintBundleFor(argv: readonly string[], dir: URL = new URL('.', import.meta.url)): string | undefined {
  const args = argv.filter((arg) => arg !== '--debug');
  if (args[0] !== 'lint' || args.includes('--deep') || process.env.PGWARDEN_NO_BUNDLE === '1') return undefined;
  return lintBundleIsFresh(dir) ? new URL(LINT_BUNDLE, dir).href : undefined;
}

/** Whether the bundle in `dir` was built from the files now beside it (false when anything is missing). */
export function lintBundleIsFresh(dir: URL): boolean {
  try {
    // Plain paths: a URL per stat call costs four times the stat itself.
    const base = fileURLToPath(dir);
    const manifestPath = join(base, LINT_BUNDLE_MANIFEST);
    const builtAt = statSync(manifestPath).mtimeMs;
    statSync(join(base, LINT_BUNDLE));
    const { inputs } = JSON.parse(readFileSync(manifestPath, 'utf8')) as LintBundleManifest;
    if (!Array.isArray(inputs) || inputs.length === 0) return false;
    return inputs.every(({ path, size }) => {
      const stats = statSync(join(base, path));
      return stats.size === size && stats.mtimeMs <= builtAt;
    });
  } catch {
    return false;
  }
}

/** Writes the manifest for a bundle just built from `inputs` (paths relative to `dir`); call it after the bundle is written. */
export function writeLintBundleManifest(dir: URL, inputs: readonly string[]): void {
  const manifest: LintBundleManifest = { inputs: inputs.map((path) => ({ path, size: statSync(new URL(path, dir)).size })) };
  writeFileSync(new URL(LINT_BUNDLE_MANIFEST, dir), `${JSON.stringify(manifest, null, 2)}\n`);
}
