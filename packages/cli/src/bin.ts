#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { bundleFor, CLI_V8_FLAGS, loadBundle } from './bundles.js';

// Set before anything loads the SQL parser (why: bundles.ts).
setFlagsFromString(CLI_V8_FLAGS);

const argv = process.argv.slice(2);
// One bundled file instead of the CLI's and core's modules (lint has a bundle of its own, the commit
// hook's command), when that bundle was built from exactly the dist/ files beside it; otherwise
// dist/ as tsc built it.
const bundle = bundleFor(argv);
const { start } = (bundle && loadBundle(bundle)) || ((await import('./cli.js')) as typeof import('./cli.js'));
start(argv);
