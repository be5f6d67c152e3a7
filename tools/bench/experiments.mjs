#!/usr/bin/env node
// Measures proposed startup fixes without changing product code: the same built CLI run with
// V8 settings applied from a preload (exactly what a one-line change at the top of bin.ts would do),
// and the cost of loading libpg-query with import() vs require().
//
//   node tools/bench/experiments.mjs [--runs 20] [--target one|history]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, markdownTable, measureInterleaved, parseOptions, pgwardenBin, ratio, ROOT, stats } from './lib.mjs';
import { squawkPaths } from './lint.mjs';

const opts = parseOptions(process.argv.slice(2), {
  runs: 20,
  target: 'one',
  file: 'migration_history/2025-04-14_12_create_patient_reported_outcomes.sql',
});
const bin = pgwardenBin();
const node = process.execPath;
const paths = opts.target === 'one' ? [opts.file] : [];
const preload = (flags) => ['--import', `data:text/javascript,import v8 from 'node:v8'; v8.setFlagsFromString('${flags}');`];
const squawk = squawkPaths();
const history = readdirSync(join(ROOT, 'migration_history'))
  .filter((name) => name.endsWith('.sql'))
  .sort()
  .map((name) => `migration_history/${name}`);

const variants = [
  { name: 'pgwarden lint, as built', args: [bin, 'lint', ...paths] },
  { name: "+ v8.setFlagsFromString('--liftoff-only') before the parser loads", args: [...preload('--liftoff-only'), bin, 'lint', ...paths] },
  { name: "+ v8.setFlagsFromString('--wasm-tiering-budget=1000000000')", args: [...preload('--wasm-tiering-budget=1000000000'), bin, 'lint', ...paths] },
  { name: 'squawk Node entry', args: [squawk.nodeEntry, ...(paths.length ? paths : history)] },
  { name: 'node -e 0', args: ['-e', '0'] },
].map((variant) => ({ ...variant, cmd: node, expect: [0, 1] }));

const results = measureInterleaved(variants, { runs: opts.runs, warmup: 2 });
const base = results[0];
console.log(
  markdownTable(
    ['variant', 'median', 'p90', 'min', 'vs as built', 'vs squawk Node'],
    results.map((r) => [r.name, fmt(r.median), fmt(r.p90), fmt(r.min), ratio(r.median, base.median), ratio(r.median, results[3].median)]),
  ),
);

// import() of a CommonJS package goes through the ESM loader and cjs-module-lexer; require() does not.
const probe = (how) =>
  `const t = performance.now(); ${
    how === 'require' ? "(await import('node:module')).createRequire(process.cwd() + '/package.json')('libpg-query');" : "await import('libpg-query');"
  } console.log(performance.now() - t);`;
const loadTimes = {};
for (let i = 0; i < opts.runs; i++) {
  for (const how of ['import', 'require']) {
    const r = spawnSync(node, ['--input-type=module', '-e', probe(how)], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    (loadTimes[how] ??= []).push(Number(r.stdout));
  }
}
console.log('');
console.log(
  markdownTable(
    ['loading libpg-query JS (in-process, fresh process each)', 'median', 'min'],
    Object.entries(loadTimes).map(([how, values]) => [how === 'import' ? "await import('libpg-query')" : "createRequire(...)('libpg-query')", fmt(stats(values).median), fmt(stats(values).min)]),
  ),
);

