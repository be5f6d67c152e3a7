#!/usr/bin/env node
// Builds packages/cli/dist/lint.bundle.cjs: `pgwarden lint` as one CommonJS script (the CLI's
// start-up, the lint command, core's config, migration, sql, lint and rules code), from the dist/
// files tsc just wrote, and V8's code cache for it. Then writes the manifest the bin checks before it
// runs the bundle (packages/cli/src/lint-bundle.ts): the input files and the outputs, with their
// sizes. Run after `tsc -b` (`npm run build` and `npm test` do both); a bundle older than dist/ is
// never run.
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
// --workspace DIR: the workspace whose whole history the code cache's run lints (default: ROOT, the demo).
const WORKSPACE = option('--workspace') ?? ROOT;
const DIST = join(ROOT, 'packages/cli/dist');
const { CLI_V8_FLAGS, LINT_BUNDLE, LINT_BUNDLE_CODE_CACHE, LINT_BUNDLE_MANIFEST, lintBundleCodeCacheAccepted, writeLintBundleManifest } = await import(
  pathToFileURL(join(DIST, 'lint-bundle.js')).href
);
// V8 takes a code cache only under the flags it was made with: the bin's.
setFlagsFromString(CLI_V8_FLAGS);
const entry = join(DIST, 'cli.js');
if (!existsSync(entry)) {
  console.error(`bundle-lint: ${entry} is missing: run tsc -b packages/core packages/cli first`);
  process.exit(1);
}

// Whatever lint reaches only on request stays outside: other commands (never run from the bundle:
// the bin sends only `lint` to it), the shadow database of --deep, and every npm package.
const KEEP_OUTSIDE = [/^node:/, new RegExp(`^(?:${builtinModules.join('|')})$`), /^\.\/commands\/(?!lint\.js$)/, /^@pgwarden\/core\/impact\//, /^(?![./@]|@pgwarden\/)/, /^@(?!pgwarden\/)/];

const manifestPath = join(DIST, LINT_BUNDLE_MANIFEST);
rmSync(manifestPath, { force: true }); // no manifest while the bundle is being rewritten: the bin uses dist/
rmSync(join(DIST, 'lint.bundle.js'), { force: true }); // the ES module bundle of earlier builds
rmSync(join(DIST, LINT_BUNDLE_CODE_CACHE), { force: true });
// Each module keeps its own dist/ file as import.meta.url, relative to the bundle (so an installed
// copy, where core and cli are siblings, resolves it too): the lint verdict cache stamps the code that
// holds it, and a verdict stored by the bundle (`lint --cache`) must have the key the migrate gate,
// which runs core from dist/, computes. Paths beside it (../package.json, libpg-query) resolve as from dist/.
const BUNDLE_URL = '__pgwardenBundleUrl';
const moduleUrlAsInDist = {
  name: 'module-url-as-in-dist',
  transform(code, id) {
    if (!code.includes('import.meta.url') || id.startsWith('\0')) return null;
    const fromDist = relative(DIST, id).split(sep).join('/');
    return { code: code.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromDist)}, ${BUNDLE_URL}).href`), map: null };
  },
};
const build = await rolldown({
  input: entry,
  platform: 'node',
  external: (id) => KEEP_OUTSIDE.some((pattern) => pattern.test(id)),
  plugins: [moduleUrlAsInDist],
  logLevel: 'warn',
});
const { output } = await build.write({
  file: join(DIST, LINT_BUNDLE),
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
  console.error(`bundle-lint: inputs outside packages/cli/dist, packages/core/{dist,generated}: ${outsideDist.join(', ')}`);
  process.exit(1);
}
// The bundle runs in a vm.Script, which has no loader for import() without --experimental-vm-modules:
// external dynamic imports (the shadow database code of a hook that turns deep) are require() calls,
// which load ES modules since Node 20.19 (package.json "engines").
const dynamicImports = [...chunk.code.matchAll(/\bimport\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]);
if (dynamicImports.length) {
  console.error(`bundle-lint: dynamic imports the bundle cannot run: ${dynamicImports.join(', ')}`);
  process.exit(1);
}
// The code cache: a lint of the workspace's history run from the bundle (its findings and exit code
// do not matter, only which functions it compiled).
spawnSync(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'lint-code-cache.mjs'), DIST], { cwd: WORKSPACE, stdio: 'ignore' });
const dir = pathToFileURL(DIST + sep);
if (!existsSync(join(DIST, LINT_BUNDLE_CODE_CACHE)) || !lintBundleCodeCacheAccepted(dir)) {
  console.error(`bundle-lint: no code cache V8 accepts came out of linting ${WORKSPACE} from the bundle`);
  process.exit(1);
}
writeLintBundleManifest(dir, inputs);
console.error(`bundle-lint: ${relative(ROOT, join(DIST, LINT_BUNDLE))} from ${inputs.length} modules`);
