#!/usr/bin/env node
// Where the time of `pgwarden lint <one file>` goes. Each run is a fresh process that performs the
// CLI's steps one at a time, in the CLI's order, with a clock between them:
//
//   node startup         process start (performance.timeOrigin) to the first line of this script
//   CLI + core modules   the static import graph of `pgwarden lint` (cli main + lint command + core)
//   libpg-query JS       import('libpg-query'): its CommonJS glue
//   libpg-query WASM     loadModule(): read, compile and instantiate the 1.7 MB WASM parser
//   config               loadConfig()
//   rule modules         loadRules(): the dynamic imports of every enabled rule
//   history              discover + read + parse the header of every migration (cross-file rules)
//   parse target (cold)  parseSql() of the linted file, first call into the parser
//   rules (cold)         lint(paths: [file]) minus a warm repeat of history + parse
//
//   node tools/bench/breakdown.mjs [--runs 15] [--file migration_history/....sql]
//
// With --migrate, the same for `pgwarden migrate --database-url ... --preset none --no-finalize`
// over the benchmark's 200 generated migrations (fresh database each run):
//
//   node startup, CLI + core modules (migrate command graph), config + history (read + headers),
//   lint gate (lint() of every file: loads libpg-query and the rules, parses everything),
//   runner (migrate(): connect, lock, history table, 200 transactions), close
//
//   node tools/bench/breakdown.mjs --migrate [--runs 5] [--count 200]
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const firstLine = performance.now();

async function child(file) {
  const { ROOT } = await import('./lib.mjs');
  const dist = (path) => pathToFileURL(join(ROOT, path)).href;
  const phases = { 'node startup': firstLine };
  let t = performance.now();
  const lap = (name) => {
    const now = performance.now();
    phases[name] = now - t;
    t = now;
  };
  await import(dist('packages/cli/dist/main.js'));
  await import(dist('packages/cli/dist/commands/lint.js'));
  const core = {
    config: await import(dist('packages/core/dist/config/index.js')),
    lint: await import(dist('packages/core/dist/lint/index.js')),
    migration: await import(dist('packages/core/dist/migration/index.js')),
    sql: await import(dist('packages/core/dist/sql/index.js')),
    registry: await import(dist('packages/core/dist/rules/registry.js')),
  };
  lap('CLI + core modules');
  const lib = await import(pathToFileURL(join(ROOT, 'node_modules/libpg-query/wasm/index.cjs')).href);
  lap('libpg-query JS');
  await lib.loadModule();
  lap('libpg-query WASM');
  await core.sql.loadParser(); // same module instance: returns at once, parseSql is now usable
  const config = core.config.loadConfig({});
  lap('config');
  await core.registry.loadRules(core.lint.enabledRuleIds(config));
  lap('rule modules');
  const target = resolve(ROOT, file);
  const history = async () => {
    const paths = await core.migration.discoverMigrations(resolve(config.root, config.migrationsDir));
    for (const path of paths) {
      const source = core.migration.readSourceFile(path);
      if (source.ok) core.migration.parseMigration({ path, relPath: core.lint.toRelPath(config.root, path), text: source.text });
    }
  };
  await history();
  lap('history (19 files: read + header)');
  const text = core.migration.readSourceFile(target).text;
  core.sql.parseSql(text);
  lap('parse target (cold)');
  const before = performance.now();
  await core.lint.lint(config, { paths: [target] });
  const lintMs = performance.now() - before;
  t = performance.now();
  await history();
  core.sql.parseSql(text);
  const warm = performance.now() - t;
  phases['rules (cold)'] = lintMs - warm;
  phases['(lint() call, for reference)'] = lintMs;
  phases['(history + parse, warm)'] = warm;
  process.stdout.write(JSON.stringify(phases));
}

async function childMigrate(url) {
  const { ROOT } = await import('./lib.mjs');
  const dist = (path) => pathToFileURL(join(ROOT, path)).href;
  const phases = { 'node startup': firstLine };
  let t = performance.now();
  const lap = (name) => {
    const now = performance.now();
    phases[name] = now - t;
    t = now;
  };
  await import(dist('packages/cli/dist/main.js'));
  await import(dist('packages/cli/dist/commands/migrate.js'));
  const shared = await import(dist('packages/cli/dist/commands/shared.js'));
  const { lint } = await import(dist('packages/core/dist/lint/index.js'));
  const { migrate } = await import(dist('packages/core/dist/runner/index.js'));
  lap('CLI + core modules (migrate graph)');
  const { config, target, history } = await shared.prepareDatabaseCommand({ 'database-url': url });
  lap('config + history (read + headers)');
  const { findings } = await lint(config);
  const lintErrors = new Map();
  for (const finding of findings.filter((item) => item.severity === 'error')) lintErrors.set(finding.file, [finding.message]);
  lap('lint gate (parser + rules load, all files)');
  const db = await shared.openTarget(target);
  const result = await migrate({
    db,
    migrations: history.migrations,
    envName: target.envName,
    environment: target.environment,
    config,
    lintErrors,
    dryRun: false,
    finalize: false,
    appliedBy: 'bench',
    toolVersion: 'bench',
    onProgress: () => {},
  });
  lap('runner (connect, lock, history table, transactions)');
  await db.close();
  lap('close');
  if (!result.ok || result.applied.length !== history.migrations.length) throw new Error(`migrate failed: ${JSON.stringify(result.failed.concat(result.refused)).slice(0, 500)}`);
  process.stdout.write(JSON.stringify(phases));
}

async function parentMigrate(opts) {
  const { fmt, markdownTable, pgwardenBin, ROOT, stats, timeOnce } = await import('./lib.mjs');
  const { assertLocal, makeWorkspace } = await import('./migrate.mjs');
  assertLocal(opts.url);
  const pg = (await import('node:module')).createRequire(join(ROOT, 'packages/core/package.json'))('pg');
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: opts.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const { rmSync } = await import('node:fs');
  const { dir } = makeWorkspace(opts.count);
  const self = fileURLToPath(import.meta.url);
  const bin = pgwardenBin();
  const samples = {};
  const wall = [];
  const sums = [];
  let seq = 0;
  let floorLoop;
  try {
    for (let round = -1; round < opts.runs; round++) {
      for (const mode of ['cli', 'child', 'floor-loop']) {
        const db = `bench_pgw_bd_${process.pid}_${++seq}`;
        await admin(`CREATE DATABASE ${db}`);
        const u = new URL(opts.url);
        u.pathname = `/${db}`;
        try {
          if (mode === 'floor-loop') {
            // The floor's transaction loop alone, in this process: what the runner phase compares with.
            const { readdirSync, readFileSync } = await import('node:fs');
            const names = readdirSync(join(dir, 'migration_history')).sort();
            const client = new pg.Client({ connectionString: u.toString() });
            await client.connect();
            const t0 = performance.now();
            for (const name of names) {
              await client.query('BEGIN');
              await client.query(readFileSync(join(dir, 'migration_history', name), 'utf8'));
              await client.query('COMMIT');
            }
            const ms = performance.now() - t0;
            await client.end();
            if (round >= 0) (floorLoop ??= []).push(ms);
          } else if (mode === 'cli') {
            const ms = timeOnce({ cmd: process.execPath, args: [bin, 'migrate', '--database-url', u.toString(), '--preset', 'none', '--no-finalize'], cwd: dir });
            if (round >= 0) wall.push(ms);
          } else {
            const result = spawnSync(process.execPath, [self, '--child-migrate', u.toString()], { cwd: dir, encoding: 'utf8' });
            if (result.status !== 0) throw new Error(result.stderr);
            if (round < 0) continue;
            let sum = 0;
            for (const [name, ms] of Object.entries(JSON.parse(result.stdout))) {
              (samples[name] ??= []).push(ms);
              sum += ms;
            }
            sums.push(sum);
          }
        } finally {
          await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const wallMedian = stats(wall).median;
  const rows = Object.entries(samples).map(([name, values]) => [name, fmt(stats(values).median), `${((100 * stats(values).median) / wallMedian).toFixed(0)}%`]);
  rows.push(['sum of the phases above', fmt(stats(sums).median), `${((100 * stats(sums).median) / wallMedian).toFixed(0)}%`]);
  rows.push([`\`pgwarden migrate\` process wall time (same rounds, ${opts.count} files)`, fmt(wallMedian), '100%']);
  rows.push([`for comparison: the floor's BEGIN/file/COMMIT loop alone, in-process (${opts.count} files)`, fmt(stats(floorLoop).median), `${((100 * stats(floorLoop).median) / wallMedian).toFixed(0)}%`]);
  console.log(markdownTable([`phase (median of ${opts.runs} fresh processes)`, 'time', 'of wall'], rows));
  return { rows, wallMedian };
}

async function parent(argv) {
  const { fmt, markdownTable, parseOptions, pgwardenBin, ROOT, stats, timeOnce } = await import('./lib.mjs');
  const opts = parseOptions(argv, {
    runs: 15,
    warmup: 2,
    file: 'migration_history/2025-04-14_12_create_patient_reported_outcomes.sql',
    migrate: false,
    count: 200,
    url: 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  if (opts.migrate) return parentMigrate({ ...opts, runs: argv.includes('--runs') ? opts.runs : 5 });
  const self = fileURLToPath(import.meta.url);
  const bin = pgwardenBin();
  const samples = {};
  const wall = [];
  const sums = [];
  for (let round = -opts.warmup; round < opts.runs; round++) {
    const cli = timeOnce({ cmd: process.execPath, args: [bin, 'lint', opts.file], expect: [0, 1] });
    const result = spawnSync(process.execPath, [self, '--child', opts.file], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
    if (round < 0) continue;
    wall.push(cli);
    const phases = JSON.parse(result.stdout);
    let sum = 0;
    for (const [name, ms] of Object.entries(phases)) {
      (samples[name] ??= []).push(ms);
      if (!name.startsWith('(')) sum += ms;
    }
    sums.push(sum);
  }
  const wallMedian = stats(wall).median;
  if (process.env.BENCH_DEBUG) console.error(wall.map((x) => x.toFixed(0)).join(" "));
  const rows = Object.entries(samples).map(([name, values]) => {
    const s = stats(values);
    return [name, fmt(s.median), name.startsWith('(') ? '' : `${((100 * s.median) / wallMedian).toFixed(0)}%`];
  });
  rows.push(['sum of the phases above', fmt(stats(sums).median), `${((100 * stats(sums).median) / wallMedian).toFixed(0)}%`]);
  const rest = wallMedian - stats(sums).median;
  rows.push(['remainder: output, exit (waits for V8 background compile jobs), spawn', fmt(rest), `${((100 * rest) / wallMedian).toFixed(0)}%`]);
  rows.push(['`pgwarden lint <file>` process wall time (same rounds)', fmt(wallMedian), '100%']);
  console.log(markdownTable(['phase (median of ' + opts.runs + ' fresh processes)', 'time', 'of wall'], rows));
  return { rows, wallMedian };
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else if (process.argv[2] === '--child-migrate') await childMigrate(process.argv[3]);
else if (process.argv[1] === fileURLToPath(import.meta.url)) await parent(process.argv.slice(2));
