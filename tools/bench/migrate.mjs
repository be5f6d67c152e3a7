#!/usr/bin/env node
// pgwarden migrate vs a psql loop vs a minimal `pg` script (the floor), 200 small migrations
// applied to a fresh database each run; plus the embedded PGlite figures.
//
//   node tools/bench/migrate.mjs [--runs 5] [--warmup 1] [--count 200] [--url postgres://postgres@127.0.0.1:5432/postgres]
//                                [--embedded true|false] [--embedded-runs 3] [--json out.json]
//
// Databases are created and dropped outside the timed section. Only 127.0.0.1 is contacted.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { fmt, machineInfo, markdownTable, parseOptions, pgwardenBin, ratio, ROOT, stats, timeOnce } from './lib.mjs';

export const DEFAULTS = {
  runs: 5,
  warmup: 1,
  count: 200,
  url: 'postgres://postgres@127.0.0.1:5432/postgres',
  embedded: true,
  embeddedRuns: 3,
  json: '',
};

const RULE = `-- ${'='.repeat(76)}`;

/** A temporary workspace: config, current_schema/01_bench.sql, and `count` convention-conforming migrations. */
export function makeWorkspace(count) {
  const dir = mkdtempSync(join(tmpdir(), 'pgwarden-bench-migrate-'));
  mkdirSync(join(dir, 'migration_history'));
  mkdirSync(join(dir, 'current_schema'));
  writeFileSync(
    join(dir, 'pgwarden.config.json'),
    JSON.stringify({ environments: { local: { approvals: 0 } }, embeddedDir: '.pgwarden/local' }, null, 2) + '\n',
  );
  const schemaLines = ['-- Benchmark tables (source of truth for tools/bench/migrate.mjs).'];
  const files = [];
  const base = Date.UTC(2025, 0, 1);
  for (let i = 1; i <= count; i++) {
    const nnn = String(i).padStart(3, '0');
    const table = `bench_${nnn}`;
    schemaLines.push(`CREATE TABLE IF NOT EXISTS public.${table} (id bigint PRIMARY KEY, v text); ALTER TABLE public.${table} ENABLE ROW LEVEL SECURITY;`);
    const line = schemaLines.length;
    const date = new Date(base + (i - 1) * 86_400_000).toISOString().slice(0, 10);
    const name = `${date}_${nnn}_create_${table}.sql`;
    const text = [
      RULE,
      `-- Migration: Create ${table}`,
      `-- Date: ${date}`,
      '-- Issue: benchmark of pgwarden migrate (tools/bench/migrate.mjs)',
      '--',
      `-- PROBLEM: The benchmark needs ${count} small migrations.`,
      `-- SOLUTION: Create ${table} with row level security enabled.`,
      `-- AFFECTED TABLES: ${table}`,
      '--',
      '-- SOURCE OF TRUTH SCHEMA UPDATED:',
      `--   [X] current_schema/01_bench.sql (Line ${line}: ${table} table)`,
      '--',
      '-- DOWNSTREAM UPDATES:',
      '--   [N/A] Bridge schemas updated (if applicable)',
      '--   [N/A] TypeScript types updated (if applicable)',
      '--',
      '-- MIGRATION EXECUTED:',
      '--   [ ] Not yet executed',
      RULE,
      '',
      `CREATE TABLE IF NOT EXISTS public.${table} (id bigint PRIMARY KEY, v text);`,
      '-- pgwarden-ignore rls-on-new-table -- deny-all: benchmark table, no API access',
      `ALTER TABLE public.${table} ENABLE ROW LEVEL SECURITY;`,
      '',
    ].join('\n');
    const path = join(dir, 'migration_history', name);
    writeFileSync(path, text);
    files.push(path);
  }
  writeFileSync(join(dir, 'current_schema', '01_bench.sql'), schemaLines.join('\n') + '\n');
  return { dir, files };
}

function loadPg() {
  return createRequire(join(ROOT, 'packages/core/package.json'))('pg');
}

export function assertLocal(url) {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`the benchmark talks to 127.0.0.1 only, not ${host}`);
}

function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(url, sql) {
  const pg = loadPg();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Tables created by the run and history rows written (to prove each contender did the work). */
async function verify(url, count, expectHistory) {
  const tables = await adminQuery(url, `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'bench\\_%' AND rowsecurity`);
  if (tables.rows[0].n !== count) throw new Error(`expected ${count} bench tables with RLS, found ${tables.rows[0].n}`);
  if (expectHistory) {
    const rows = await adminQuery(url, `SELECT count(*)::int AS n FROM pgwarden.migration_history WHERE status = 'applied'`);
    if (rows.rows[0].n !== count) throw new Error(`expected ${count} applied history rows, found ${rows.rows[0].n}`);
  }
}

export async function benchMigrate(options = DEFAULTS) {
  const opts = { ...DEFAULTS, ...options };
  assertLocal(opts.url);
  const bin = pgwardenBin();
  const { dir, files } = makeWorkspace(opts.count);
  const floor = fileURLToPath(new URL('./pg-floor.mjs', import.meta.url));
  const psqlLoop = 'for f in "$@"; do psql -X -q -v ON_ERROR_STOP=1 -1 -f "$f" "$DB_URL" >/dev/null || exit 1; done';
  const prefix = `bench_pgw_${process.pid}`;
  let seq = 0;

  const contenders = [
    {
      // Steady state: the files were linted with `pgwarden lint --cache` before (once, below), so the
      // gate reads their verdicts from .pgwarden/cache/ (migrate itself only reads that cache).
      name: `A: pgwarden migrate --database-url (${opts.count} files; lint --cache ran before)`,
      history: true,
      command: (url) => ({ cmd: process.execPath, args: [bin, 'migrate', '--database-url', url, '--preset', 'none', '--no-finalize'], cwd: dir }),
    },
    {
      name: `A0: same, no lint verdicts stored`,
      history: true,
      before: () => renameSync(join(dir, '.pgwarden', 'cache'), join(dir, '.pgwarden', 'cache-aside')),
      after: () => renameSync(join(dir, '.pgwarden', 'cache-aside'), join(dir, '.pgwarden', 'cache')),
      command: (url) => ({ cmd: process.execPath, args: [bin, 'migrate', '--database-url', url, '--preset', 'none', '--no-finalize'], cwd: dir }),
    },
    {
      name: `B: psql -1 -f loop (${opts.count} files)`,
      command: (url) => ({ cmd: 'bash', args: ['-c', psqlLoop, 'psql-loop', ...files], cwd: dir, env: { ...process.env, DB_URL: url } }),
    },
    {
      name: `C: minimal pg script, floor (${opts.count} files)`,
      command: (url) => ({ cmd: process.execPath, args: [floor, url, ...files], cwd: dir }),
    },
  ];
  timeOnce({ cmd: process.execPath, args: [bin, 'lint', '--cache'], cwd: dir });
  const samples = contenders.map(() => []);
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  try {
    for (let round = -opts.warmup; round < opts.runs; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const index = (k + Math.max(round, 0)) % contenders.length;
        const contender = contenders[index];
        const db = `${prefix}_${++seq}`;
        await adminQuery(opts.url, `CREATE DATABASE ${db}`);
        const url = withDatabase(opts.url, db);
        contender.before?.();
        try {
          const ms = timeOnce(contender.command(url));
          await verify(url, opts.count, contender.history);
          if (round >= 0) samples[index].push(ms);
        } finally {
          contender.after?.();
          await adminQuery(opts.url, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
        }
      }
      process.stderr.write(`migrate: round ${round < 0 ? `warm-up ${round + opts.warmup + 1}` : round + 1} done\n`);
    }
    const server = contenders.map((contender, index) => ({ name: contender.name, ...stats(samples[index]) }));

    let embedded;
    if (opts.embedded) embedded = await benchEmbedded(opts, dir, bin);

    const [a, a0, b, c] = server;
    return {
      load: { before: loadBefore, after: loadavg().map((n) => n.toFixed(2)).join(' ') },
      count: opts.count,
      server,
      embedded,
      goals: {
        floor: { description: 'A within 1.25x of C (minimal pg script)', ratio: a.median / c.median, met: a.median / c.median <= 1.25 },
        floorCold: { description: 'A0 (no stored lint verdicts) / C', ratio: a0.median / c.median, met: a0.median / c.median <= 1.25 },
        psql: { description: 'A faster than B (psql loop)', ratio: a.median / b.median, met: a.median < b.median },
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Embedded PGlite: `pgwarden migrate` without a URL into a fresh embedded directory each run,
 * and, separately, what opening a fresh PGlite costs (instance creation, through pgwarden's own
 * adapter so the same extensions load) and reopening an existing one.
 */
async function benchEmbedded(opts, dir, bin) {
  const migrateMs = [];
  const openFresh = [];
  const reopen = [];
  const noop = [];
  const probe = join(tmpdir(), `pgwarden-bench-probe-${process.pid}.mjs`);
  writeFileSync(
    probe,
    [
      `import { performance } from 'node:perf_hooks';`,
      `const { openDatabase } = await import(${JSON.stringify(join(ROOT, 'packages/core/dist/db/index.js'))});`,
      `const t0 = performance.now();`,
      `const db = await openDatabase({ embeddedDir: process.argv[2] });`,
      `const t1 = performance.now();`,
      `await db.close();`,
      `console.log(JSON.stringify({ openMs: t1 - t0 }));`,
    ].join('\n'),
  );
  try {
    for (let round = 0; round < opts.embeddedRuns; round++) {
      const embeddedDir = join(dir, '.pgwarden');
      rmSync(embeddedDir, { recursive: true, force: true });
      const start = performance.now();
      const result = spawnSync(process.execPath, [bin, 'migrate', '--preset', 'none', '--no-finalize'], { cwd: dir, encoding: 'utf8' });
      migrateMs.push(performance.now() - start);
      if (result.status !== 0) throw new Error(`embedded migrate failed: ${result.stdout}\n${result.stderr}`);
      if (!result.stdout.includes(`${opts.count} applied`)) throw new Error(`embedded migrate did not apply ${opts.count}: ${result.stdout.split('\n').slice(-3).join(' ')}`);
      // A second run with nothing to do: opening an existing embedded database + checks.
      noop.push(timeOnce({ cmd: process.execPath, args: [bin, 'migrate', '--preset', 'none', '--no-finalize'], cwd: dir }));

      const fresh = join(dir, `.probe-${round}`);
      const open1 = spawnSync(process.execPath, [probe, fresh], { encoding: 'utf8' });
      if (open1.status !== 0) throw new Error(open1.stderr);
      openFresh.push(JSON.parse(open1.stdout).openMs);
      const open2 = spawnSync(process.execPath, [probe, fresh], { encoding: 'utf8' });
      if (open2.status !== 0) throw new Error(open2.stderr);
      reopen.push(JSON.parse(open2.stdout).openMs);
      rmSync(fresh, { recursive: true, force: true });
      process.stderr.write(`migrate: embedded round ${round + 1} done\n`);
    }
  } finally {
    rmSync(probe, { force: true });
  }
  return [
    { name: `A': pgwarden migrate, embedded PGlite, fresh dir (${opts.count} files)`, ...stats(migrateMs) },
    { name: `A': pgwarden migrate, embedded PGlite, nothing pending (${opts.count} applied)`, ...stats(noop) },
    { name: 'PGlite instance creation (fresh dir, in-process open)', ...stats(openFresh) },
    { name: 'PGlite open of an existing dir (in-process)', ...stats(reopen) },
  ];
}

export function migrateMarkdown(result) {
  const [a, a0, b, c] = result.server;
  const rows = [
    [a.name, fmt(a.median), fmt(a.p90), fmt(a.min), ''],
    [a0.name, fmt(a0.median), fmt(a0.p90), fmt(a0.min), `${ratio(a.median, a0.median)} (A0 / C: ${ratio(a0.median, c.median)})`],
    [b.name, fmt(b.median), fmt(b.p90), fmt(b.min), ratio(a.median, b.median)],
    [c.name, fmt(c.median), fmt(c.p90), fmt(c.min), ratio(a.median, c.median)],
    ...(result.embedded ?? []).map((r) => [r.name, fmt(r.median), fmt(r.p90), fmt(r.min), '']),
  ];
  const { floor, floorCold, psql } = result.goals;
  return [
    markdownTable(['command', 'median', 'p90', 'min', 'A / this'], rows),
    '',
    `Goal: ${floor.description}: ${floor.ratio.toFixed(2)}x, ${floor.met ? 'MET' : 'NOT MET'}.`,
    `For reference: ${floorCold.description}: ${floorCold.ratio.toFixed(2)}x.`,
    `Goal: ${psql.description}: ${psql.ratio.toFixed(2)}x, ${psql.met ? 'MET' : 'NOT MET'}.`,
    `(${a.runs} timed runs per contender after the warm-up, interleaved, fresh database each; embedded: ${result.embedded?.[0].runs ?? 0} runs; load average ${result.load.before} before, ${result.load.after} after)`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const opts = parseOptions(process.argv.slice(2), DEFAULTS);
  const info = machineInfo();
  const result = await benchMigrate(opts);
  console.log(`Machine: ${info.nproc} CPU ${info.cpuModel}, ${info.memoryGiB} GiB, Node ${info.node}, PostgreSQL ${info.postgres}, load ${info.loadavg}\n`);
  console.log(migrateMarkdown(result));
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ info, ...result }, null, 2));
}
