/*
 * The `lint` command as one bundled file (dist/lint.bundle.cjs, built by tools/build/bundle-lint.mjs
 * after tsc): Node loads one script instead of the CLI's and core's 112 modules, and compiles it from
 * V8's code cache (dist/lint.bundle.v8cache, written by the build) instead of from source. The
 * manifest beside them (dist/lint.bundle.json, written last) lists the dist/ files the bundle was
 * built from and the sizes of those, of the bundle and of the cache. The bin runs the bundle only
 * while every one of them exists, has its recorded size and is not newer than the manifest: a
 * `tsc -b` that rewrites any of them without a new bundle, or an edit, sends lint back to dist/, so
 * old code never runs. Stat calls only (about 1 ms): hashing the 112 files cost 10-25 ms, most of
 * what the bundle saves. In a packed tarball npm gives every file the same time, and `prepack`
 * rebuilt the bundle from the packed dist/.
 *
 * Why a CommonJS script run through node:vm: Node 20 takes a code cache only for a vm.Script, not
 * for an ES module. V8 checks the cache against its own version, its flags and the source's length
 * and rejects a mismatch (the script then compiles from source, as without a cache); the manifest's
 * sizes and times cover an edit of the same length.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

export const LINT_BUNDLE = 'lint.bundle.cjs';
export const LINT_BUNDLE_CODE_CACHE = 'lint.bundle.v8cache';
export const LINT_BUNDLE_MANIFEST = 'lint.bundle.json';

/**
 * V8 flags the bin sets before it loads anything. The SQL parser is WASM:
 * - --liftoff-only: by default V8 recompiles its hot functions with TurboFan in the background and
 *   the process then waits for those compiles before it can exit (about 65 ms of a 230 ms one-file
 *   lint, docs/benchmarks.md); the baseline compiler alone parses a migration history just as fast.
 * - --wasm-lazy-validation: V8 compiles the parser's functions on first call, and this validates each
 *   one then instead of all 1.7 MB up front (3% of a one-file lint's instructions); a function is
 *   still validated before it runs.
 * The build writes the code cache under the same flags, since V8 rejects a cache made under others.
 */
export const CLI_V8_FLAGS = '--liftoff-only --wasm-lazy-validation';

interface SizedFile {
  path: string;
  size: number;
}

export interface LintBundleManifest {
  /** The files the bundle was built from, relative to the bundle's folder (core's through `../../core/dist/`), and their sizes. */
  inputs: SizedFile[];
  /** The bundle and its code cache as the build wrote them. */
  outputs: SizedFile[];
}

/** What the bundle exports: cli.ts's entry. */
export interface CliEntry {
  start(argv: string[]): void;
}

/**
 * The bundle's path when this command line can run from it and it is fresh; otherwise undefined.
 * `lint --deep` loads the shadow database code from dist/, so it runs from dist/ altogether.
 */
export function lintBundleFor(argv: readonly string[], dir: URL = new URL('.', import.meta.url)): string | undefined {
  const args = argv.filter((arg) => arg !== '--debug');
  if (args[0] !== 'lint' || args.includes('--deep') || process.env.PGWARDEN_NO_BUNDLE === '1') return undefined;
  return lintBundleIsFresh(dir) ? join(fileURLToPath(dir), LINT_BUNDLE) : undefined;
}

/** Whether the bundle in `dir` and its code cache were built from the files now beside them (false when anything is missing). */
export function lintBundleIsFresh(dir: URL): boolean {
  try {
    // Plain paths: a URL per stat call costs four times the stat itself.
    const base = fileURLToPath(dir);
    const manifestPath = join(base, LINT_BUNDLE_MANIFEST);
    const builtAt = statSync(manifestPath).mtimeMs;
    const { inputs, outputs } = JSON.parse(readFileSync(manifestPath, 'utf8')) as LintBundleManifest;
    if (!Array.isArray(inputs) || inputs.length === 0 || !Array.isArray(outputs) || outputs.length === 0) return false;
    return [...inputs, ...outputs].every(({ path, size }) => {
      const stats = statSync(join(base, path));
      return stats.size === size && stats.mtimeMs <= builtAt;
    });
  } catch {
    return false;
  }
}

/** Compiles the bundle as Node compiles a CommonJS file, from `cachedData` when V8 accepts it. */
function compileLintBundle(bundlePath: string, cachedData?: Buffer): { script: Script; run(): CliEntry } {
  // The wrapper and 'use strict' on the first line: line numbers in stacks stay the file's.
  const source = `(function (exports, require, module, __filename, __dirname) { 'use strict'; ${readFileSync(bundlePath, 'utf8')}\n})`;
  const script = new Script(source, { filename: bundlePath, cachedData });
  return {
    script,
    run() {
      const module = { exports: {} as CliEntry };
      const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
      wrapper.call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
      return module.exports;
    },
  };
}

/**
 * Loads the bundle at `bundlePath` (from lintBundleFor) with its code cache. Undefined when it cannot
 * load (a truncated copy): dist/ holds the same code, so that is no reason to fail.
 */
export function loadLintBundle(bundlePath: string): CliEntry | undefined {
  try {
    const cachedData = readFileSync(join(dirname(bundlePath), LINT_BUNDLE_CODE_CACHE));
    const entry = compileLintBundle(bundlePath, cachedData).run();
    return typeof entry.start === 'function' ? entry : undefined;
  } catch {
    return undefined;
  }
}

/**
 * For the build (tools/build/lint-code-cache.mjs): runs `argv` from the bundle compiled from source
 * and writes V8's code cache as the process exits, so that the cache holds every function the run
 * compiled, not only the outer script (measured in instructions: a one-file lint 11% cheaper than
 * the ES module bundle, against 5% with the outer script alone; docs/benchmarks.md).
 */
export function runLintBundleWritingCodeCache(dir: URL, argv: string[]): void {
  const base = fileURLToPath(dir);
  const built = compileLintBundle(join(base, LINT_BUNDLE));
  const entry = built.run();
  process.on('exit', () => writeFileSync(join(base, LINT_BUNDLE_CODE_CACHE), built.script.createCachedData()));
  entry.start(argv);
}

/** Whether V8 in this process takes the code cache beside the bundle (it rejects one made under other flags or another V8). */
export function lintBundleCodeCacheAccepted(dir: URL): boolean {
  const base = fileURLToPath(dir);
  return !compileLintBundle(join(base, LINT_BUNDLE), readFileSync(join(base, LINT_BUNDLE_CODE_CACHE))).script.cachedDataRejected;
}

/** Writes the manifest for a bundle and code cache just built from `inputs` (paths relative to `dir`); call it after both are written. */
export function writeLintBundleManifest(dir: URL, inputs: readonly string[]): void {
  const sized = (path: string): SizedFile => ({ path, size: statSync(new URL(path, dir)).size });
  const manifest: LintBundleManifest = { inputs: inputs.map(sized), outputs: [LINT_BUNDLE, LINT_BUNDLE_CODE_CACHE].map(sized) };
  writeFileSync(new URL(LINT_BUNDLE_MANIFEST, dir), `${JSON.stringify(manifest, null, 2)}\n`);
}
