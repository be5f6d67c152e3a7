/*
 * CommonJS (a .cts file, emitted as dist/bundles.cjs) for the CommonJS bin (bin.cts).
 *
 * The CLI as bundled files (built by tools/build/bundles.mjs after tsc), so that Node loads one
 * script instead of the CLI's and core's ES modules, and compiles it from V8's code cache instead
 * of from source:
 * - the lint bundle (dist/lint.bundle.cjs): `pgwarden lint`, the commit hook's command, with only
 *   what lint needs (no other command, no shadow database, no database driver);
 * - the commands bundle (dist/cli.bundle.cjs): every other command, and `lint --deep`, which loads
 *   the shadow database. Its npm packages (pg, PGlite) stay outside and load as they would from dist/.
 * Beside each, its code cache (.v8cache) and a manifest (.json, written last) listing the dist/ files
 * the bundle was built from and the sizes of those, of the bundle and of the cache. The bin runs a
 * bundle only while every one of them exists, has its recorded size and is not newer than the
 * manifest: a `tsc -b` that rewrites any of them without new bundles, or an edit, sends the command
 * back to dist/, so old code never runs. Stat calls only (about 1 ms): hashing the files cost 10-25 ms,
 * most of what a bundle saves. In a packed tarball npm gives every file the same time, and `prepack`
 * rebuilt the bundles from the packed dist/.
 *
 * Why CommonJS scripts run through node:vm: Node 20 takes a code cache only for a vm.Script, not
 * for an ES module. V8 checks the cache against its own version, its flags and the source's length
 * and rejects a mismatch (the script then compiles from source, as without a cache); the manifest's
 * sizes and times cover an edit of the same length.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/** The three files of one bundle, in the CLI's dist/. */
export interface BundleFiles {
  readonly script: string;
  readonly codeCache: string;
  readonly manifest: string;
}

export const LINT_BUNDLE: BundleFiles = { script: 'lint.bundle.cjs', codeCache: 'lint.bundle.v8cache', manifest: 'lint.bundle.json' };
export const COMMANDS_BUNDLE: BundleFiles = { script: 'cli.bundle.cjs', codeCache: 'cli.bundle.v8cache', manifest: 'cli.bundle.json' };
/** The bundles by the name the build passes to its code-cache run (tools/build/bundle-code-cache.mjs). */
export const BUNDLES: Readonly<Record<'lint' | 'commands', BundleFiles>> = { lint: LINT_BUNDLE, commands: COMMANDS_BUNDLE };

/** A fresh bundle to run: the absolute paths of its script and its code cache. */
export interface RunnableBundle {
  readonly script: string;
  readonly codeCache: string;
}

/**
 * V8 flags the bin sets before it loads anything. The SQL parser is WASM:
 * - --liftoff-only: by default V8 recompiles its hot functions with TurboFan in the background and
 *   the process then waits for those compiles before it can exit (about 65 ms of a 230 ms one-file
 *   lint, docs/benchmarks.md); the baseline compiler alone parses a migration history just as fast.
 * - --wasm-lazy-validation: V8 compiles the parser's functions on first call, and this validates each
 *   one then instead of all 1.7 MB up front (3% of a one-file lint's instructions); a function is
 *   still validated before it runs.
 * The build writes the code caches under the same flags, since V8 rejects a cache made under others.
 */
export const CLI_V8_FLAGS = '--liftoff-only --wasm-lazy-validation';

interface SizedFile {
  path: string;
  size: number;
}

export interface BundleManifest {
  /** The files the bundle was built from, relative to the bundle's folder (core's through `../../core/dist/`), and their sizes. */
  inputs: SizedFile[];
  /** The bundle and its code cache as the build wrote them. */
  outputs: SizedFile[];
}

/** What a bundle exports: cli.ts's entry. */
export interface CliEntry {
  start(argv: string[]): void;
}

/**
 * The bundle a command line runs from: lint (without --deep) from the lint bundle, any other command
 * from the commands bundle. The usage and the version need neither (dist/ loads two modules for them).
 */
export function bundleOf(argv: readonly string[]): BundleFiles | undefined {
  const args = argv.filter((arg) => arg !== '--debug');
  const name = args[0];
  if (!name || name.startsWith('-') || name === 'help') return undefined;
  return name === 'lint' && !args.includes('--deep') ? LINT_BUNDLE : COMMANDS_BUNDLE;
}

/** The bundle this command line runs from when that bundle is fresh; otherwise undefined (dist/ runs). */
export function bundleFor(argv: readonly string[], dir: URL = pathToFileURL(`${__dirname}${sep}`)): RunnableBundle | undefined {
  if (process.env.PGWARDEN_NO_BUNDLE === '1') return undefined;
  const files = bundleOf(argv);
  if (!files || !bundleIsFresh(dir, files)) return undefined;
  const base = fileURLToPath(dir);
  return { script: join(base, files.script), codeCache: join(base, files.codeCache) };
}

/** Whether the bundle in `dir` and its code cache were built from the files now beside them (false when anything is missing). */
export function bundleIsFresh(dir: URL, files: BundleFiles): boolean {
  try {
    // Plain paths: a URL per stat call costs four times the stat itself.
    const base = fileURLToPath(dir);
    const manifestPath = join(base, files.manifest);
    const builtAt = statSync(manifestPath).mtimeMs;
    const { inputs, outputs } = JSON.parse(readFileSync(manifestPath, 'utf8')) as BundleManifest;
    if (!Array.isArray(inputs) || inputs.length === 0 || !Array.isArray(outputs) || outputs.length === 0) return false;
    return [...inputs, ...outputs].every(({ path, size }) => {
      const stats = statSync(join(base, path));
      return stats.size === size && stats.mtimeMs <= builtAt;
    });
  } catch {
    return false;
  }
}

/**
 * `require` for a bundle's npm packages: from the CLI's folder, else from core's, which declares
 * most of them (pg, PGlite): an install that does not hoist them finds them under core.
 */
function bundleRequire(bundlePath: string): NodeJS.Require {
  const fromCli = createRequire(bundlePath);
  let fromCore: NodeJS.Require | undefined;
  const load = (id: string): unknown => {
    try {
      return fromCli(id);
    } catch (error) {
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
      fromCore ??= createRequire(join(dirname(bundlePath), '../../core/dist/index.js'));
      return fromCore(id);
    }
  };
  return Object.assign(load, fromCli);
}

/** Compiles a bundle as Node compiles a CommonJS file, from `cachedData` when V8 accepts it. */
function compileBundle(bundlePath: string, cachedData?: Buffer): { script: Script; run(): CliEntry } {
  // The wrapper and 'use strict' on the first line: line numbers in stacks stay the file's.
  const source = `(function (exports, require, module, __filename, __dirname) { 'use strict'; ${readFileSync(bundlePath, 'utf8')}\n})`;
  const script = new Script(source, { filename: bundlePath, cachedData });
  return {
    script,
    run() {
      const module = { exports: {} as CliEntry };
      const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
      wrapper.call(module.exports, module.exports, bundleRequire(bundlePath), module, bundlePath, dirname(bundlePath));
      return module.exports;
    },
  };
}

/**
 * Loads a bundle (from bundleFor) with its code cache. Undefined when it cannot load (a truncated
 * copy): dist/ holds the same code, so that is no reason to fail.
 */
export function loadBundle(bundle: RunnableBundle): CliEntry | undefined {
  try {
    const entry = compileBundle(bundle.script, readFileSync(bundle.codeCache)).run();
    return typeof entry.start === 'function' ? entry : undefined;
  } catch {
    return undefined;
  }
}

/**
 * For the build (tools/build/bundle-code-cache.mjs): runs `argv` from the bundle compiled from source
 * and writes V8's code cache as the process exits, so that the cache holds every function the run
 * compiled, not only the outer script (measured in instructions: a one-file lint 11% cheaper than
 * the ES module bundle, against 5% with the outer script alone; docs/benchmarks.md).
 */
export function runBundleWritingCodeCache(dir: URL, files: BundleFiles, argv: string[]): void {
  const base = fileURLToPath(dir);
  const built = compileBundle(join(base, files.script));
  const entry = built.run();
  process.on('exit', () => writeFileSync(join(base, files.codeCache), built.script.createCachedData()));
  entry.start(argv);
}

/** Whether V8 in this process takes the code cache beside the bundle (it rejects one made under other flags or another V8). */
export function bundleCodeCacheAccepted(dir: URL, files: BundleFiles): boolean {
  const base = fileURLToPath(dir);
  return !compileBundle(join(base, files.script), readFileSync(join(base, files.codeCache))).script.cachedDataRejected;
}

/** Writes the manifest for a bundle and code cache just built from `inputs` (paths relative to `dir`); call it after both are written. */
export function writeBundleManifest(dir: URL, files: BundleFiles, inputs: readonly string[]): void {
  const sized = (path: string): SizedFile => ({ path, size: statSync(new URL(path, dir)).size });
  const manifest: BundleManifest = { inputs: inputs.map(sized), outputs: [files.script, files.codeCache].map(sized) };
  writeFileSync(new URL(files.manifest, dir), `${JSON.stringify(manifest, null, 2)}\n`);
}
