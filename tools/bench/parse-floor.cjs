#!/usr/bin/env node
// The parser floor of a lint: Node, libpg-query loaded as pgwarden's bin loads it (a CommonJS entry,
// the same V8 flags, require() of its CommonJS build), and each named file parsed once, nothing else.
// What pgwarden lint costs above this is its own work; what this costs above squawk is the price of
// a per-process WASM parser.
//
//   node tools/bench/parse-floor.cjs FILE...
const { readFileSync } = require('node:fs');
const { setFlagsFromString } = require('node:v8');
const { CLI_V8_FLAGS } = require('../../packages/cli/dist/bundles.cjs');

setFlagsFromString(CLI_V8_FLAGS);
const parser = require('libpg-query');
parser.loadModule().then(() => {
  let statements = 0;
  for (const file of process.argv.slice(2)) {
    try {
      statements += parser.parseSync(readFileSync(file, 'utf8')).stmts?.length ?? 0;
    } catch {
      // a file that does not parse still cost its parse
    }
  }
  if (statements === 0) {
    console.error('parse-floor: no statement parsed: name SQL files');
    process.exitCode = 2;
  }
});
