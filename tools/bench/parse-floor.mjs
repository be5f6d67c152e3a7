#!/usr/bin/env node
// The parser floor of a lint: Node, libpg-query loaded as pgwarden's bin loads it (the same V8
// flags, require() of its CommonJS build), and each named file parsed once, nothing else. What
// pgwarden lint costs above this is its own work; what this costs above squawk is the price of a
// per-process WASM parser.
//
//   node tools/bench/parse-floor.mjs FILE...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { CLI_V8_FLAGS } from '../../packages/cli/dist/lint-bundle.js';

setFlagsFromString(CLI_V8_FLAGS);
const parser = createRequire(import.meta.url)('libpg-query');
await parser.loadModule();
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
  process.exit(2);
}
