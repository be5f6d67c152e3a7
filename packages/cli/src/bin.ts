#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { CLI_V8_FLAGS, lintBundleFor, loadLintBundle } from './lint-bundle.js';

// Set before anything loads the SQL parser (why: lint-bundle.ts).
setFlagsFromString(CLI_V8_FLAGS);

const argv = process.argv.slice(2);
// `lint` (the commit hook's command) loads one bundled file instead of 112 modules, when that
// bundle was built from exactly the dist/ files beside it; anything else runs dist/ as tsc built it.
const bundle = lintBundleFor(argv);
const { start } = (bundle && loadLintBundle(bundle)) || ((await import('./cli.js')) as typeof import('./cli.js'));
start(argv);
