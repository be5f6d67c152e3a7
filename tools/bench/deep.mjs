#!/usr/bin/env node
// `pgwarden lint --deep` on one demo migration, cold (no shadow cache: current_schema/ built and
// dumped) and warm (the cached build loaded), median of several runs, against the goal of the
// issue (one migration under 1.5 s warm on an idle machine). Also `plan` on the same file, warm.
//
//   node tools/bench/deep.mjs [--runs 5] [--file migration_history/2025-09-09_19_restrict_clinical_notes_update_policy.sql]
//
// Runs in a copy of the demo, so the workspace's own .pgwarden/cache is left alone. Needs a build
// (npx tsc -b packages/core packages/cli). Prints the load average before and after: on a shared
// machine the figures are upper bounds.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmt, machineInfo, measureInterleaved, parseOptions, pgwardenBin, ROOT } from './lib.mjs';

export const DEFAULTS = { runs: 5, file: 'migration_history/2025-09-09_19_restrict_clinical_notes_update_policy.sql' };
const GOAL_WARM_MS = 1500;

export async function benchDeep({ runs, file }) {
  const dir = mkdtempSync(join(tmpdir(), 'pgwarden-bench-deep-'));
  for (const path of ['current_schema', 'migration_history', 'pgwarden.config.json']) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  const bin = pgwardenBin();
  try {
    return measureInterleaved(
      [
        { name: 'lint --deep, cold shadow (no cache)', cmd: process.execPath, args: [bin, 'lint', '--deep', file], cwd: dir, expect: [0], before: () => rmSync(join(dir, '.pgwarden'), { recursive: true, force: true }) },
        { name: 'lint --deep, warm shadow', cmd: process.execPath, args: [bin, 'lint', '--deep', file], cwd: dir, expect: [0], goal: GOAL_WARM_MS },
        { name: 'lint (no --deep), for reference', cmd: process.execPath, args: [bin, 'lint', file], cwd: dir, expect: [0] },
        { name: 'plan --format json, warm shadow', cmd: process.execPath, args: [bin, 'plan', file, '--format', 'json'], cwd: dir, expect: [0] },
      ],
      { runs, warmup: 1 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function deepMarkdown(results) {
  const goal = (r) => (r.name.includes('warm') && r.name.startsWith('lint') ? `${fmt(GOAL_WARM_MS)} (${r.median <= GOAL_WARM_MS ? 'met' : 'not met'})` : '');
  return [
    '| command | median | p90 | min | goal |',
    '|---|---:|---:|---:|---|',
    ...results.map((r) => `| ${r.name} | ${fmt(r.median)} | ${fmt(r.p90)} | ${fmt(r.min)} | ${goal(r)} |`),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const opts = parseOptions(process.argv.slice(2), DEFAULTS);
  const before = machineInfo();
  const results = await benchDeep(opts);
  const after = machineInfo();
  console.log(`Machine: ${before.nproc} CPU (${before.cpuModel}), Node ${before.node}; load average ${before.loadavg} before / ${after.loadavg} after`);
  console.log(`File: ${opts.file}, ${opts.runs} runs each (interleaved), 1 warm-up round`);
  console.log(deepMarkdown(results));
}
