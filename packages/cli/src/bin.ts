#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { lintBundleFor } from './lint-bundle.js';

// The SQL parser is WASM. By default V8 recompiles its hot functions with TurboFan in the
// background and the process then waits for those compiles before it can exit: about 65 ms of
// a 230 ms one-file lint (docs/benchmarks.md). The baseline compiler alone parses a migration
// history just as fast. Set before anything loads the parser; the flag exists in Node 20's V8.
setFlagsFromString('--liftoff-only');

const argv = process.argv.slice(2);
// `lint` (the commit hook's command) loads one bundled file instead of 112 modules, when that
// bundle was built from exactly the dist/ files beside it; anything else runs dist/ as tsc built it.
const bundle = lintBundleFor(argv);
// A bundle that cannot load (a truncated copy) is no reason to fail: dist/ holds the same code.
const { start } = (await (bundle ? import(bundle).catch(() => import('./cli.js')) : import('./cli.js'))) as typeof import('./cli.js');
start(argv);
