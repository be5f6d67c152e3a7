#!/usr/bin/env node
// Writes tools/ci/test-durations.json from the durations vitest stored for the last run
// (node_modules/.vite/vitest/<hash>/results.json): the order a clean clone starts its test files in
// (see test-sequencer.ts). Run it after a full `npm test`, preferably on a quiet machine.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const cacheRoot = 'node_modules/.vite/vitest';
const results = readdirSync(cacheRoot).flatMap((dir) => {
  try {
    return JSON.parse(readFileSync(join(cacheRoot, dir, 'results.json'), 'utf8')).results;
  } catch {
    return [];
  }
});
if (results.length === 0) {
  console.error(`save-test-durations: no results.json under ${cacheRoot}: run the suite first`);
  process.exit(1);
}
const seconds = Object.fromEntries(
  results
    .map(([key, { duration }]) => [key.slice(key.indexOf(':') + 1), Math.round(duration / 100) / 10])
    .sort(([a, da], [b, db]) => db - da || a.localeCompare(b)),
);
const note = 'Seconds per test file in one full run (vitest results cache): only their order matters. Written by tools/ci/save-test-durations.mjs.';
writeFileSync('tools/ci/test-durations.json', `${JSON.stringify({ note, seconds }, null, 2)}\n`);
console.log(`save-test-durations: ${results.length} files written to tools/ci/test-durations.json`);
