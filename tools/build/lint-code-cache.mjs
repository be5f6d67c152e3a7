#!/usr/bin/env node
// Writes packages/cli/dist/lint.bundle.v8cache: runs `pgwarden lint ARGS...` from the freshly built
// bundle in the current folder (a workspace) under the bin's V8 flags, and saves V8's code cache as
// the process exits (packages/cli/src/lint-bundle.ts). Called by bundle-lint.mjs.
//   node tools/build/lint-code-cache.mjs DIST_DIR [ARGS...]
import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';

const [dist, ...args] = process.argv.slice(2);
const dir = pathToFileURL(resolve(dist) + sep);
const { CLI_V8_FLAGS, runLintBundleWritingCodeCache } = await import(new URL('lint-bundle.js', dir).href);
setFlagsFromString(CLI_V8_FLAGS);
runLintBundleWritingCodeCache(dir, ['lint', ...args]);
