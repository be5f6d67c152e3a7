#!/usr/bin/env node
// Whole-history lint on generated histories in the shape of the demo (gen-history.mjs):
// pgwarden vs squawk's native binary on the same files, process wall time and peak RSS, and the
// growth from a real-size history to 1,000 migrations (goal: at most 12x). Every generated file is
// pending, as in the demo; one more row lints the real-size history as a real one stands, every
// file but the last `--pending` recording its execution (integrity rules only for those).
//
//   node tools/bench/history.mjs [--runs 5 --small 86 --large 1000 --large-runs 2 --pending 5]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateHistory } from './gen-history.mjs';
import { fmt, machineInfo, markdownTable, measureInterleaved, parseOptions, pgwardenBin, ratio } from './lib.mjs';
import { squawkPaths } from './lint.mjs';

const opts = parseOptions(process.argv.slice(2), { runs: 5, small: 86, large: 1000, largeRuns: 2, pending: 5 });
const bin = pgwardenBin();
const squawk = squawkPaths();
const node = process.execPath;
const ok = [0, 1];

/** Peak resident set of one run, in MB (GNU time). */
function peakRssMb(cmd, args, cwd) {
  const result = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const kb = Number(result.stderr.trim().split('\n').at(-1));
  return Number.isFinite(kb) ? kb / 1024 : NaN;
}

const before = machineInfo();
const histories = [opts.small, opts.large].map((files) => generateHistory({ files, out: join(tmpdir(), `pgwarden-bench-history-${files}`) }));
const files = (dir) => readdirSync(join(dir, 'migration_history')).sort().map((name) => `migration_history/${name}`);
const commands = (history) => [
  { name: `pgwarden lint, ${history.files} files (${(history.bytes / 1024 / 1024).toFixed(2)} MB)`, cmd: node, args: [bin, 'lint'], cwd: history.dir, expect: ok },
  { name: `squawk native, ${history.files} files`, cmd: squawk.native, args: files(history.dir), cwd: history.dir, expect: ok },
];
const executed = generateHistory({ files: opts.small, out: join(tmpdir(), `pgwarden-bench-history-${opts.small}-executed`), pending: opts.pending });
const small = measureInterleaved(commands(histories[0]), { runs: opts.runs, warmup: 1 });
const [realistic, realisticPeer] = measureInterleaved(commands(executed), { runs: opts.runs, warmup: 1 });
const large = measureInterleaved(commands(histories[1]), { runs: opts.largeRuns, warmup: 0 });
// The parser floor on the real-size history: Node + libpg-query parsing each file once (parse-floor.cjs).
const floor = measureInterleaved(
  [
    { name: `parser floor, ${histories[0].files} files`, cmd: node, args: [join(import.meta.dirname, 'parse-floor.cjs'), ...files(histories[0].dir)], cwd: histories[0].dir, expect: [0] },
    { name: `squawk native, ${histories[0].files} files`, cmd: squawk.native, args: files(histories[0].dir), cwd: histories[0].dir, expect: ok },
  ],
  { runs: opts.runs, warmup: 1 },
);
const rss = [...commands(histories[0]), ...commands(histories[1])].map((command) => peakRssMb(command.cmd, command.args, command.cwd));
const after = machineInfo();

const rows = [...small, ...large].map((result, index) => [
  result.name,
  fmt(result.median),
  fmt(result.min),
  `${rss[index].toFixed(0)} MB`,
  index % 2 === 0 ? ratio(result.median, [...small, ...large][index + 1].median) : '',
]);
console.log(`Load average before/after: ${before.loadavg} / ${after.loadavg}; ${before.nproc} CPU, Node ${before.node}, squawk ${squawk.version}.`);
console.log(`${opts.runs} interleaved runs for ${opts.small} files, ${opts.largeRuns} for ${opts.large}.\n`);
console.log(markdownTable(['command', 'median', 'min', 'peak RSS', 'pgwarden / squawk native'], rows));
console.log(`\nParser floor (Node + libpg-query, each of the ${opts.small} files parsed once, nothing else): ${fmt(floor[0].median)} against squawk native ${fmt(floor[1].median)} in the same rounds: ${ratio(floor[0].median, floor[1].median)}; pgwarden lint is ${ratio(small[0].median, floor[0].median)} of it.`);
console.log(`\nThe same ${opts.small} files with all but the last ${opts.pending} executed (a real history's shape): pgwarden ${fmt(realistic.median)} against squawk native ${fmt(realisticPeer.median)} in the same rounds: ${ratio(realistic.median, realisticPeer.median)}.`);
console.log(`\nGrowth ${opts.small} -> ${opts.large} files: pgwarden ${ratio(large[0].median, small[0].median)} (goal at most 12x), squawk ${ratio(large[1].median, small[1].median)}.`);
