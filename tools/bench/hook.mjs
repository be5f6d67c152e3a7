#!/usr/bin/env node
// The commit hook with one staged migration: the workspace's own lint-staged configuration
// (`pgwarden lint --hook --since HEAD <files>`) against the same configuration with squawk's
// npm bin in pgwarden's place, in one real temporary git repository, interleaved. Same git, same
// lint-staged, same staged file: the difference is the linter. Goal: pgwarden within 1.1x.
// The linters are also timed alone on the same staged file. The file is one both linters pass:
// a failing task makes lint-staged restore the stashed state, which is work of its own.
//
//   node tools/bench/hook.mjs [--runs 15 --file migration_history/2025-08-19_17_add_lab_results_reference_range_check.sql]
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, hookWorkspace, machineInfo, markdownTable, measureInterleaved, parseOptions, pgwardenBin, ratio, ROOT } from './lib.mjs';
import { squawkPaths } from './lint.mjs';

const opts = parseOptions(process.argv.slice(2), { runs: 15, file: 'migration_history/2025-08-19_17_add_lab_results_reference_range_check.sql' });
const bin = pgwardenBin();
const squawk = squawkPaths();
const { dir, git } = hookWorkspace();

try {
  // The same configuration with squawk's npm bin (its Node entry, as npm links it) in pgwarden's place.
  const config = readFileSync(join(ROOT, '.lintstagedrc.mjs'), 'utf8');
  const squawkConfig = config.replace('pgwarden lint --hook --since HEAD', JSON.stringify(squawk.nodeEntry).slice(1, -1));
  if (squawkConfig === config) throw new Error('.lintstagedrc.mjs no longer runs "pgwarden lint --hook --since HEAD": update tools/bench/hook.mjs');
  writeFileSync(join(dir, 'lintstaged.squawk.mjs'), squawkConfig);
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
  git('init', '-q');
  git('config', 'user.email', 'bench@example.invalid');
  git('config', 'user.name', 'bench');
  git('config', 'commit.gpgsign', 'false');
  git('add', '-A');
  git('commit', '-q', '-m', 'bench base');

  let edits = 0;
  const stage = () => {
    appendFileSync(join(dir, opts.file), `\n-- bench edit ${++edits}\n`);
    git('add', opts.file);
  };
  const reset = () => git('reset', '-q', '--hard', 'HEAD');
  const env = { ...process.env, FORCE_COLOR: '0' };
  const ok = [0];
  const hook = (config) => ['--no-install', 'lint-staged', '--diff-filter=ACMRD', ...(config ? ['--config', config] : [])];
  const before = machineInfo();
  const results = measureInterleaved(
    [
      { name: 'lint-staged + pgwarden (the workspace config)', cmd: 'npx', args: hook(), cwd: dir, env, expect: ok, before: stage, after: reset },
      { name: 'lint-staged + squawk Node entry (same config)', cmd: 'npx', args: hook('lintstaged.squawk.mjs'), cwd: dir, env, expect: ok, before: stage, after: reset },
      { name: 'pgwarden lint --hook --since HEAD <file> alone', cmd: process.execPath, args: [bin, 'lint', '--hook', '--since', 'HEAD', opts.file], cwd: dir, env, expect: ok, before: stage, after: reset },
      { name: 'squawk Node entry <file> alone', cmd: squawk.nodeEntry, args: [opts.file], cwd: dir, env, expect: ok, before: stage, after: reset },
    ],
    { runs: opts.runs, warmup: 2 },
  );
  const after = machineInfo();
  console.log(`Load average before/after: ${before.loadavg} / ${after.loadavg}; ${before.nproc} CPU, Node ${before.node}, squawk ${squawk.version}; ${opts.runs} interleaved runs.\n`);
  console.log(
    markdownTable(
      ['command', 'median', 'p90', 'min', 'pgwarden / squawk'],
      results.map((result, index) => [result.name, fmt(result.median), fmt(result.p90), fmt(result.min), index % 2 === 0 ? ratio(result.median, results[index + 1].median) : '']),
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
