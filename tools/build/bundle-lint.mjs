#!/usr/bin/env node
// Builds packages/cli/dist/lint.bundle.js: `pgwarden lint` as one ES module (the CLI's start-up,
// the lint command, core's config, migration, sql, lint and rules code), from the dist/ files tsc
// just wrote. Then writes the manifest the bin checks before it runs the bundle
// (packages/cli/src/lint-bundle.ts): the input files and their digest. Run after `tsc -b`
// (`npm run build` and `npm test` do both); a bundle older than dist/ is never run.
import { existsSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';

// --root DIR: bundle another copy of the workspace's packages (the bundle test builds one in a temporary folder).
const rootFlag = process.argv.indexOf('--root');
const ROOT = rootFlag === -1 ? resolve(dirname(fileURLToPath(import.meta.url)), '../..') : resolve(process.argv[rootFlag + 1]);
const DIST = join(ROOT, 'packages/cli/dist');
const { LINT_BUNDLE, LINT_BUNDLE_MANIFEST, writeLintBundleManifest } = await import(pathToFileURL(join(DIST, 'lint-bundle.js')).href);
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
const build = await rolldown({
  input: entry,
  platform: 'node',
  external: (id) => KEEP_OUTSIDE.some((pattern) => pattern.test(id)),
  logLevel: 'warn',
});
const { output } = await build.write({ file: join(DIST, LINT_BUNDLE), format: 'esm', codeSplitting: false, sourcemap: false });
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
writeLintBundleManifest(pathToFileURL(DIST + sep), inputs);
console.error(`bundle-lint: ${relative(ROOT, join(DIST, LINT_BUNDLE))} from ${inputs.length} modules`);
