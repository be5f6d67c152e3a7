#!/usr/bin/env node
// Writes a bundle's V8 code cache (packages/cli/dist/*.bundle.v8cache): runs `pgwarden ARGS...` from
// the freshly built bundle in the current folder (a workspace) under the bin's V8 flags, and saves
// V8's code cache as the process exits (packages/cli/src/bundles.cts). Called by bundles.mjs.
//   node tools/build/bundle-code-cache.mjs DIST_DIR lint|commands [ARGS...]
import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';

const [dist, which, ...args] = process.argv.slice(2);
const dir = pathToFileURL(resolve(dist) + sep);
const { BUNDLES, CLI_V8_FLAGS, runBundleWritingCodeCache } = await import(new URL('bundles.cjs', dir).href);
setFlagsFromString(CLI_V8_FLAGS);
runBundleWritingCodeCache(dir, BUNDLES[which], args);
