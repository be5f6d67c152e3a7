#!/usr/bin/env node
// `npm run bench`: both benchmarks, then one markdown report on stdout.
//
//   npm run bench [-- --runs-lint 20 --runs-migrate 5 --embedded-runs 3 --hook false --nx false --json out.json]
//
// Needs a build (npx tsc -b packages/core packages/cli packages/nx) and PostgreSQL on
// 127.0.0.1:5432 (trust auth, user postgres) for the migrate part; --migrate false skips it.
import { writeFileSync } from 'node:fs';
import { benchLint, DEFAULTS as LINT_DEFAULTS, lintMarkdown } from './lint.mjs';
import { benchMigrate, DEFAULTS as MIGRATE_DEFAULTS, migrateMarkdown } from './migrate.mjs';
import { machineInfo, parseOptions } from './lib.mjs';

const opts = parseOptions(process.argv.slice(2), {
  runsLint: LINT_DEFAULTS.runs,
  runsMigrate: MIGRATE_DEFAULTS.runs,
  embeddedRuns: MIGRATE_DEFAULTS.embeddedRuns,
  hook: LINT_DEFAULTS.hook,
  nx: LINT_DEFAULTS.nx,
  migrate: true,
  url: MIGRATE_DEFAULTS.url,
  json: '',
});

const before = machineInfo();
const lint = await benchLint({ ...LINT_DEFAULTS, runs: opts.runsLint, hook: opts.hook, nx: opts.nx });
const migrate = opts.migrate ? await benchMigrate({ ...MIGRATE_DEFAULTS, runs: opts.runsMigrate, embeddedRuns: opts.embeddedRuns, url: opts.url }) : undefined;
const after = machineInfo();

const out = [
  '# pgwarden benchmarks',
  '',
  `Machine: ${before.nproc} CPU (${before.cpuModel}), ${before.memoryGiB} GiB RAM, Node ${before.node}, PostgreSQL ${before.postgres ?? 'n/a'}.`,
  `Load average before/after: ${before.loadavg} / ${after.loadavg} (1, 5, 15 min).`,
  '',
  '## Lint: pgwarden vs squawk (process wall time)',
  '',
  lintMarkdown(lint),
];
if (migrate) out.push('', `## Migrate: ${migrate.count} small migrations into a fresh database`, '', migrateMarkdown(migrate));
console.log(out.join('\n'));
if (opts.json) writeFileSync(opts.json, JSON.stringify({ before, after, lint, migrate }, null, 2));
