#!/usr/bin/env node
/*
 * CommonJS (a .cts file, emitted as dist/bin.cjs), like the bundles it runs: a process started from a
 * CommonJS entry never starts Node's ES module loader unless it falls back to dist/ (10 ms of a 180 ms
 * one-file lint).
 */
import { setFlagsFromString } from 'node:v8';
import { bundleFor, CLI_V8_FLAGS, loadBundle } from './bundles.cjs';

// Set before anything loads the SQL parser (why: bundles.cts).
setFlagsFromString(CLI_V8_FLAGS);

const argv = process.argv.slice(2);
// One bundled file instead of the CLI's and core's modules (lint has a bundle of its own, the commit
// hook's command), when that bundle was built from exactly the dist/ files beside it; otherwise
// dist/ as tsc built it.
const bundle = bundleFor(argv);
const entry = bundle ? loadBundle(bundle) : undefined;
if (entry) entry.start(argv);
else void import('./cli.js').then((cli) => cli.start(argv));
