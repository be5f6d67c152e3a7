#!/usr/bin/env node
// Header parsing on pathological 10 MB files: wall time at 2.5 MB and at 10 MB (in-process, the
// fastest of --runs) and the ratio; linear growth is 4x, quadratic 16x. The suite checks the same
// shapes for growth at small sizes (parse-migration.test.ts); these are the large-size figures.
//
//   node tools/bench/header.mjs [--runs 2 --size-mb 10]
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT, fmt, machineInfo, markdownTable, parseOptions } from './lib.mjs';

const opts = parseOptions(process.argv.slice(2), { runs: 2, sizeMb: 10 });
const { parseMigration } = await import(join(ROOT, 'packages/core/dist/migration/parse-migration.js'));
const fixture = readFileSync(join(ROOT, 'packages/core/src/migration/__fixtures__/2025-10-08_18_add_processing_time_minutes.sql'), 'utf8');
const rule = `-- ${'='.repeat(20)}\n`;
const shapes = {
  'random bytes': (size) => randomBytes(size).toString('latin1'),
  'real files repeated': (size) => fixture.repeat(Math.ceil(size / fixture.length)),
  'source-of-truth line of refs': (size) => `${rule}-- SOURCE OF TRUTH SCHEMA UPDATED: ${'[X]a.sql (Line 1, '.repeat(size / 20)}\n`,
  'source-of-truth bullets': (size) => `${rule}-- SOURCE OF TRUTH SCHEMA UPDATED:\n${'--   [X] 03_core.sql (Lines 12-40, 55: table x; Line 7: y)\n'.repeat(size / 58)}`,
  'execution line of boxes': (size) => `${rule}-- MIGRATION EXECUTED: ${'[X]'.repeat(size / 3)}\n`,
  'execution records': (size) => `${rule}-- MIGRATION EXECUTED:\n${'--   [X] production 2025-10-11 by bob (9000 ms)\n'.repeat(size / 48)}`,
};
const parse = (text) => parseMigration({ path: '/r/migration_history/2025-10-08_18_x.sql', relPath: 'migration_history/2025-10-08_18_x.sql', text });
const fastest = (text) => {
  let best = Infinity;
  for (let run = 0; run < opts.runs; run++) {
    const started = performance.now();
    parse(text);
    best = Math.min(best, performance.now() - started);
  }
  return best;
};
const before = machineInfo();
const large = opts.sizeMb * 1024 * 1024;
const rows = [];
for (const [name, make] of Object.entries(shapes)) {
  const small = fastest(make(large / 4));
  const big = fastest(make(large));
  rows.push([name, fmt(small), fmt(big), `${(big / small).toFixed(2)}x`]);
}
const after = machineInfo();
console.log(`Load average before/after: ${before.loadavg} / ${after.loadavg}; ${before.nproc} CPU, Node ${before.node}.\n`);
console.log(markdownTable(['header shape', `${opts.sizeMb / 4} MB`, `${opts.sizeMb} MB`, 'growth (linear 4x)'], rows));
