/*
 * The bundles' guard: the bin runs dist/lint.bundle.cjs (and dist/cli.bundle.cjs) only while the dist/ files it was built
 * from, the bundle and its code cache are unchanged, so a `tsc -b` without a new bundle can never
 * run old code. Real files in a temporary folder laid out as packages/cli/dist beside packages/core/dist.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleFor, bundleIsFresh, COMMANDS_BUNDLE, LINT_BUNDLE as LINT, writeBundleManifest } from './bundles.cjs';

const LINT_BUNDLE = LINT.script;
const LINT_BUNDLE_CODE_CACHE = LINT.codeCache;
const LINT_BUNDLE_MANIFEST = LINT.manifest;
const lintBundleIsFresh = (dir: URL) => bundleIsFresh(dir, LINT);
const writeLintBundleManifest = (dir: URL, inputs: string[]) => writeBundleManifest(dir, LINT, inputs);

let root: string;
let dist: string;
let distUrl: URL;
const INPUTS = ['cli.js', 'commands/lint.js', '../../core/dist/lint/engine.js'];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pgwarden-lint-bundle-'));
  dist = join(root, 'packages/cli/dist');
  mkdirSync(join(dist, 'commands'), { recursive: true });
  mkdirSync(join(root, 'packages/core/dist/lint'), { recursive: true });
  for (const input of INPUTS) writeFileSync(join(dist, input), `// ${input}\nexport const x = 1;\n`);
  writeFileSync(join(dist, LINT_BUNDLE), '// the bundle\n');
  writeFileSync(join(dist, LINT_BUNDLE_CODE_CACHE), 'V8 code cache');
  distUrl = pathToFileURL(`${dist}/`);
  writeLintBundleManifest(distUrl, INPUTS);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** What bundleFor gives for a fresh lint bundle in `dist`: its script and its code cache. */
const lintBundleHere = () => ({ script: join(dist, LINT_BUNDLE), codeCache: join(dist, LINT_BUNDLE_CODE_CACHE) });

/** Moves a file's modification time `seconds` past the manifest's, as a later tsc run would. */
function rewriteLater(path: string, text: string, seconds = 5): void {
  writeFileSync(path, text);
  const later = statSync(join(dist, LINT_BUNDLE_MANIFEST)).mtimeMs / 1000 + seconds;
  utimesSync(path, later, later);
}

describe('bundle guard', () => {
  it('runs the bundle for lint while every input is as it was built', () => {
    expect(lintBundleIsFresh(distUrl)).toBe(true);
    expect(bundleFor(['lint'], distUrl)).toEqual(lintBundleHere());
    expect(bundleFor(['--debug', 'lint', 'migration_history/x.sql', '--since', 'HEAD'], distUrl)).toEqual(lintBundleHere());
  });

  it('near miss: other commands, and lint --deep (the shadow database), never use it: they run from the commands bundle', () => {
    expect(bundleFor(['migrate'], distUrl)).toBeUndefined();
    expect(bundleFor(['check', 'lint'], distUrl)).toBeUndefined();
    expect(bundleFor(['lint', '--deep'], distUrl)).toBeUndefined();
    expect(bundleFor([], distUrl)).toBeUndefined();
    // Once the commands bundle is there too, those run from it, and lint still from its own.
    writeFileSync(join(dist, COMMANDS_BUNDLE.script), '// the commands bundle\n');
    writeFileSync(join(dist, COMMANDS_BUNDLE.codeCache), 'V8 code cache');
    writeBundleManifest(distUrl, COMMANDS_BUNDLE, INPUTS);
    for (const argv of [['migrate'], ['check', 'lint'], ['lint', '--deep'], ['--debug', 'lint', '--deep']]) expect(bundleFor(argv, distUrl)).toEqual({ script: join(dist, COMMANDS_BUNDLE.script), codeCache: join(dist, COMMANDS_BUNDLE.codeCache) });
    // The usage and the version run from dist/, which loads two modules for them.
    for (const argv of [[], ['--help'], ['help'], ['--version'], ['-v'], ['--debug']]) expect(bundleFor(argv, distUrl)).toBeUndefined();
    expect(bundleFor(['lint'], distUrl)).toEqual(lintBundleHere());
    // Each guard covers its own bundle: a rewritten commands bundle sends only the other commands to dist/.
    rewriteLater(join(dist, COMMANDS_BUNDLE.script), '// the commands bundlE\n');
    expect(bundleFor(['migrate'], distUrl)).toBeUndefined();
    expect(bundleFor(['lint'], distUrl)).toEqual(lintBundleHere());
  });

  it('PGWARDEN_NO_BUNDLE=1 runs dist/', () => {
    process.env.PGWARDEN_NO_BUNDLE = '1';
    try {
      expect(bundleFor(['lint'], distUrl)).toBeUndefined();
    } finally {
      delete process.env.PGWARDEN_NO_BUNDLE;
    }
  });

  it('is stale once tsc rewrites an input, even with the same size', () => {
    rewriteLater(join(root, 'packages/core/dist/lint/engine.js'), '// ../../core/dist/lint/engine.js\nexport const y = 2;\n');
    expect(statSync(join(root, 'packages/core/dist/lint/engine.js')).size).toBe(
      Buffer.byteLength('// ../../core/dist/lint/engine.js\nexport const x = 1;\n'),
    );
    expect(lintBundleIsFresh(distUrl)).toBe(false);
    expect(bundleFor(['lint'], distUrl)).toBeUndefined();
  });

  it('is stale once the bundle is rewritten after the manifest, even with the same size', () => {
    rewriteLater(join(dist, LINT_BUNDLE), '// the bundl!\n');
    expect(lintBundleIsFresh(distUrl)).toBe(false);
  });

  it('is stale when the code cache changes size, even with an old time', () => {
    writeFileSync(join(dist, LINT_BUNDLE_CODE_CACHE), 'another V8 code cache');
    utimesSync(join(dist, LINT_BUNDLE_CODE_CACHE), 1, 1);
    expect(lintBundleIsFresh(distUrl)).toBe(false);
  });

  it('is stale when an input changes size, even with an old time (a copy that kept times)', () => {
    writeFileSync(join(dist, 'commands/lint.js'), '// changed\n');
    utimesSync(join(dist, 'commands/lint.js'), 1, 1);
    expect(lintBundleIsFresh(distUrl)).toBe(false);
  });

  it('is stale when an input, the bundle, its code cache or the manifest is missing', () => {
    rmSync(join(dist, 'cli.js'));
    expect(lintBundleIsFresh(distUrl)).toBe(false);
    writeFileSync(join(dist, 'cli.js'), '// cli.js\nexport const x = 1;\n');
    writeLintBundleManifest(distUrl, INPUTS);
    expect(lintBundleIsFresh(distUrl)).toBe(true);
    rmSync(join(dist, LINT_BUNDLE));
    expect(lintBundleIsFresh(distUrl)).toBe(false);
    writeFileSync(join(dist, LINT_BUNDLE), '// the bundle\n');
    writeLintBundleManifest(distUrl, INPUTS);
    expect(lintBundleIsFresh(distUrl)).toBe(true);
    rmSync(join(dist, LINT_BUNDLE_CODE_CACHE));
    expect(lintBundleIsFresh(distUrl)).toBe(false);
    writeFileSync(join(dist, LINT_BUNDLE_CODE_CACHE), 'V8 code cache');
    rmSync(join(dist, LINT_BUNDLE_MANIFEST));
    expect(lintBundleIsFresh(distUrl)).toBe(false);
  });

  it('is stale with the manifest of an earlier build, which listed no outputs', () => {
    writeFileSync(join(dist, LINT_BUNDLE_MANIFEST), JSON.stringify({ inputs: INPUTS.map((path) => ({ path, size: statSync(join(dist, path)).size })) }));
    expect(lintBundleIsFresh(distUrl)).toBe(false);
  });

  it('is fresh in an installed package, where npm gives every file the same time', () => {
    for (const path of [...INPUTS.map((input) => join(dist, input)), join(dist, LINT_BUNDLE), join(dist, LINT_BUNDLE_CODE_CACHE), join(dist, LINT_BUNDLE_MANIFEST)]) utimesSync(path, 499162500, 499162500);
    expect(lintBundleIsFresh(distUrl)).toBe(true);
  });
});
