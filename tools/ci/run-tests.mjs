#!/usr/bin/env node
// The README's test command: build the packages (integration tests run the real binary),
// then run every vitest suite and print a plain closing line that CI can read.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: false });

const build = run('npx', ['tsc', '-b', 'packages/core', 'packages/cli', 'packages/nx', 'packages/db-types', 'packages/example-consumer']);
if (build.status !== 0) process.exit(build.status ?? 1);
// The bundle `pgwarden lint` runs from (the bin falls back to dist/ when it is stale): tests run what users run.
const bundle = run(process.execPath, ['tools/build/bundles.mjs']);
if (bundle.status !== 0) process.exit(bundle.status ?? 1);

const dir = mkdtempSync(join(tmpdir(), 'pgwarden-vitest-'));
const report = join(dir, 'report.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const result = run('npx', args);
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = json.numPendingTests + json.numTodoTests;
  console.log(`tests: ${json.numPassedTests} passed, ${json.numFailedTests} failed, ${skipped} skipped`);
} catch {
  console.log('tests: no report was written');
}
rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);
