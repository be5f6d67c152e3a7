#!/usr/bin/env node
// Builds the CLI's bundles (packages/cli/src/bundles.cts) from the dist/ files tsc just wrote, each a
// CommonJS script with V8's code cache and the manifest the bin checks before it runs it (the input
// files and the outputs, with their sizes):
// - packages/cli/dist/lint.bundle.cjs: `pgwarden lint` (the CLI's start-up, the lint command, core's
//   config, migration, sql, lint and rules code); its code cache comes from linting a workspace;
// - packages/cli/dist/cli.bundle.cjs: every command; its code cache from `pgwarden --help`.
// Run after `tsc -b` (`npm run build` and `npm test` do both); a bundle older than dist/ is never run.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';

const option = (name) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : resolve(process.argv[at + 1]);
};
// --root DIR: bundle another copy of the workspace's packages (the bundle test builds one in a temporary folder).
const ROOT = option('--root') ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// --workspace DIR: the workspace whose whole history the lint code cache's run lints (default: ROOT, the demo).
const WORKSPACE = option('--workspace') ?? ROOT;
const DIST = join(ROOT, 'packages/cli/dist');
const { BUNDLES, CLI_V8_FLAGS, bundleCodeCacheAccepted, writeBundleManifest } = await import(pathToFileURL(join(DIST, 'bundles.cjs')).href);
// V8 takes a code cache only under the flags it was made with: the bin's.
setFlagsFromString(CLI_V8_FLAGS);
const entry = join(DIST, 'cli.js');
if (!existsSync(entry)) {
  console.error(`bundles: ${entry} is missing: run tsc -b packages/core packages/cli first`);
  process.exit(1);
}

const BUILTINS = [/^node:/, new RegExp(`^(?:${builtinModules.join('|')})$`)];
// Every npm package stays outside: it loads as it would from dist/.
const NPM_PACKAGES = [/^(?![./@]|@pgwarden\/)/, /^@(?!pgwarden\/)/];

// Each module keeps its own dist/ file as import.meta.url, relative to the bundle (so an installed
// copy, where core and cli are siblings, resolves it too): the lint verdict cache stamps the code that
// holds it, and a verdict stored from one bundle (`lint --cache`) must have the key the migrate gate
// computes from another bundle or from dist/. Paths beside it (../package.json, the presets,
// libpg-query) resolve as from dist/.
const BUNDLE_URL = '__pgwardenBundleUrl';
const moduleUrlAsInDist = {
  name: 'module-url-as-in-dist',
  transform(code, id) {
    if (!code.includes('import.meta.url') || id.startsWith('\0')) return null;
    const fromDist = relative(DIST, id).split(sep).join('/');
    return { code: code.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromDist)}, ${BUNDLE_URL}).href`), map: null };
  },
};

const dir = pathToFileURL(DIST + sep);

/** Builds one bundle (BUNDLES[name]), its code cache (from running `codeCacheArgs` in `codeCacheCwd`) and, last, its manifest. */
async function buildBundle(name, { keepOutside, codeCacheArgs, codeCacheCwd }) {
  const files = BUNDLES[name];
  rmSync(join(DIST, files.manifest), { force: true }); // no manifest while the bundle is being rewritten: the bin uses dist/
  rmSync(join(DIST, files.codeCache), { force: true });
  const build = await rolldown({
    input: entry,
    platform: 'node',
    external: (id) => keepOutside.some((pattern) => pattern.test(id)),
    plugins: [moduleUrlAsInDist],
    logLevel: 'warn',
  });
  const { output } = await build.write({
    file: join(DIST, files.script),
    format: 'cjs',
    intro: `const ${BUNDLE_URL} = require("node:url").pathToFileURL(__filename);`,
    dynamicImportInCjs: false,
    codeSplitting: false,
    sourcemap: false,
  });
  await build.close();

  const [chunk] = output;
  const inputs = chunk.moduleIds
    .filter((id) => !id.startsWith('\0'))
    .map((id) => relative(DIST, id).split(sep).join('/'))
    .sort();
  // core/generated/: the config validator generated from the JSON Schema (plain JavaScript, beside dist/).
  const outsideDist = inputs.filter((input) => !/^(?:\.\.\/\.\.\/core\/(?:dist|generated)\/|[^.])/.test(input));
  if (outsideDist.length) {
    console.error(`bundles: ${files.script}: inputs outside packages/cli/dist, packages/core/{dist,generated}: ${outsideDist.join(', ')}`);
    process.exit(1);
  }
  // A bundle runs in a vm.Script, which has no loader for import() without --experimental-vm-modules:
  // external dynamic imports are require() calls, which load ES modules since Node 20.19 (package.json "engines").
  const dynamicImports = [...chunk.code.matchAll(/\bimport\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]);
  if (dynamicImports.length) {
    console.error(`bundles: ${files.script}: dynamic imports the bundle cannot run: ${dynamicImports.join(', ')}`);
    process.exit(1);
  }
  // The code cache: a run from the bundle (its output and exit code do not matter, only which functions it compiled).
  spawnSync(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'bundle-code-cache.mjs'), DIST, name, ...codeCacheArgs], { cwd: codeCacheCwd, stdio: 'ignore' });
  if (!existsSync(join(DIST, files.codeCache)) || !bundleCodeCacheAccepted(dir, files)) {
    console.error(`bundles: no code cache V8 accepts came out of running ${codeCacheArgs.join(' ')} from ${files.script}`);
    process.exit(1);
  }
  writeBundleManifest(dir, files, inputs);
  console.error(`bundles: ${relative(ROOT, join(DIST, files.script))} from ${inputs.length} modules`);
}

rmSync(join(DIST, 'lint.bundle.js'), { force: true }); // the ES module bundle of earlier builds
// Whatever lint reaches only on request stays outside: other commands (the bin sends only `lint` to
// it), the shadow database of --deep, and every npm package.
await buildBundle('lint', {
  keepOutside: [...BUILTINS, /^\.\/commands\/(?!lint\.js$)/, /^@pgwarden\/core\/impact\//, ...NPM_PACKAGES],
  codeCacheArgs: ['lint'],
  codeCacheCwd: WORKSPACE,
});
await buildBundle('commands', { keepOutside: [...BUILTINS, ...NPM_PACKAGES], codeCacheArgs: ['--help'], codeCacheCwd: ROOT });
