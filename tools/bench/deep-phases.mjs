#!/usr/bin/env node
// Where the time of a warm `pgwarden lint --deep <one demo migration>` goes, phase by phase, with
// the CPU time (user + system) of each phase beside its wall time: on a shared machine the wall
// time is inflated by the other jobs, the CPU time much less. Each run is a fresh process (so the
// first catalog query pays its warm-up as in the CLI) that performs deep lint's steps in its order:
//
//   imports              core modules and libpg-query
//   shadow from cache    buildShadow() on a warm cache: read the entry, start PGlite on the stored data directory
//   snapshot before      builtSnapshot(): the stored snapshot (no query when the cache has it)
//   apply                the migration, statement by statement in savepoints
//   snapshot after       workspaceSnapshot() (full catalog introspection)
//   apply again          idempotency proof
//   snapshot again       idempotency proof
//   rollback + reapply   rollback script, then the migration again (rollback proof, roll forward)
//   snapshot reapplied   rollback proof
//
//   node --liftoff-only tools/bench/deep-phases.mjs [--runs 5] [--file migration_history/....sql]
//
// (--liftoff-only: as the CLI sets it in bin.cts.) Runs in a copy of the demo; the first run builds the cache.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { machineInfo, parseOptions, ROOT } from './lib.mjs';

const DEFAULTS = { runs: 5, file: 'migration_history/2025-09-09_19_restrict_clinical_notes_update_policy.sql' };

async function child(dir, file) {
  const phases = [];
  let wall = performance.now();
  let cpu = process.cpuUsage();
  const lap = (name) => {
    const used = process.cpuUsage(cpu);
    phases.push({ name, wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 });
    wall = performance.now();
    cpu = process.cpuUsage();
  };
  const core = (path) => import(pathToFileURL(join(ROOT, 'packages/core/dist', path)).href);
  const { loadConfig } = await core('config/index.js');
  const { buildShadow, shadowOptionsFromConfig, workspaceSnapshot } = await core('shadow/index.js');
  const { applyParsedFiles } = await core('shadow/apply.js');
  const { readSqlFiles } = await core('shadow/schema-files.js');
  const { parseSql, loadParser } = await core('sql/index.js');
  const { parseMigration } = await core('migration/index.js');
  await loadParser();
  lap('imports');
  const config = loadConfig({ cwd: dir });
  const preset = config.shadow.preset ?? config.preset;
  const shadow = await buildShadow(shadowOptionsFromConfig(config));
  lap(`shadow from cache (${shadow.cache})`);
  await shadow.builtSnapshot();
  lap('snapshot before');
  const [source] = await readSqlFiles(dir, [file]);
  await applyParsedFiles(shadow, [source]);
  lap('apply');
  await workspaceSnapshot(shadow.database, preset);
  lap('snapshot after');
  await applyParsedFiles(shadow, [source]);
  lap('apply again');
  await workspaceSnapshot(shadow.database, preset);
  lap('snapshot again');
  const migration = parseMigration({ path: join(dir, file), relPath: file, text: readFileSync(join(dir, file), 'utf8') });
  if (migration.rollback) {
    await applyParsedFiles(shadow, [{ relPath: file, text: migration.rollback.text, parsed: parseSql(migration.rollback.text) }]);
    await applyParsedFiles(shadow, [source]);
    lap('rollback + reapply');
    await workspaceSnapshot(shadow.database, preset);
    lap('snapshot reapplied');
  }
  await shadow.close();
  lap('close');
  process.stdout.write(JSON.stringify(phases));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const opts = parseOptions(process.argv.slice(2), DEFAULTS);
  const dir = mkdtempSync(join(tmpdir(), 'pgwarden-bench-deep-phases-'));
  for (const path of ['current_schema', 'migration_history', 'pgwarden.config.json']) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  const before = machineInfo();
  const runs = [];
  try {
    for (let run = -1; run < opts.runs; run++) {
      const result = spawnSync(process.execPath, ['--liftoff-only', process.argv[1], '--child', dir, opts.file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (result.status !== 0) throw new Error(`phase run exited ${result.status}`);
      if (run >= 0) runs.push(JSON.parse(result.stdout)); // run -1 builds the cache
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const after = machineInfo();
  console.log(`Machine: ${before.nproc} CPU, Node ${before.node}; load average ${before.loadavg} before / ${after.loadavg} after; ${opts.runs} runs, medians`);
  console.log('| phase | wall | CPU (user + sys) |\n|---|---:|---:|');
  for (const [position, { name }] of runs[0].entries()) {
    console.log(`| ${name} | ${median(runs.map((phases) => phases[position].wall)).toFixed(0)} ms | ${median(runs.map((phases) => phases[position].cpu)).toFixed(0)} ms |`);
  }
  const total = (key) => median(runs.map((phases) => phases.reduce((sum, phase) => sum + phase[key], 0)));
  console.log(`| total | ${total('wall').toFixed(0)} ms | ${total('cpu').toFixed(0)} ms |`);
}
