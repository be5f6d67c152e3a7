#!/usr/bin/env node
// pgwarden lint vs squawk (native binary and its Node entry), process wall time.
//
//   node tools/bench/lint.mjs [--runs 20] [--warmup 2] [--file migration_history/....sql]
//                             [--hook true|false] [--nx true|false] [--json out.json]
//
// Every command runs from the workspace root, as lint-staged runs it, so pgwarden reads the
// whole history for its cross-file rules even when given one file. Commands are interleaved
// round-robin (see lib.mjs) and their output goes to /dev/null.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, hookWorkspace, machineInfo, markdownTable, measureInterleaved, parseOptions, pgwardenBin, ratio, ROOT, timeOnce } from './lib.mjs';

export const DEFAULTS = {
  runs: 20,
  warmup: 2,
  // A typical change migration: new table, indexes, trigger, RLS and policies (4.5 kB, 60 lines).
  file: 'migration_history/2025-04-14_12_create_patient_reported_outcomes.sql',
  hook: true,
  hookRuns: 10,
  nx: true,
  nxRuns: 3,
  json: '',
};

export const SQUAWK_VERSION = '2.66.0';
const PEERS = join(ROOT, 'tools/bench/.peers');

/** squawk-cli installed directly under `base`/node_modules (no lookup in parent folders), at the pinned version. */
function resolveSquawk(base) {
  const pkgPath = join(base, 'node_modules/squawk-cli/package.json');
  if (!existsSync(pkgPath)) return undefined;
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  return pkg.version === SQUAWK_VERSION ? { require: createRequire(pkgPath), pkgPath, pkg } : undefined;
}

/**
 * squawk-cli is not a dependency of the workspace (its lockfile entries for other platforms break
 * `npm ci`): use the workspace's copy when it is the pinned version, else install it once into
 * tools/bench/.peers/ (git-ignored) with npm, which fetches only this platform's binary.
 */
export function squawkPaths() {
  let found = resolveSquawk(ROOT) ?? resolveSquawk(PEERS);
  if (!found) {
    process.stderr.write(`lint: installing squawk-cli@${SQUAWK_VERSION} into tools/bench/.peers/ ...\n`);
    mkdirSync(PEERS, { recursive: true });
    if (!existsSync(join(PEERS, 'package.json'))) writeFileSync(join(PEERS, 'package.json'), '{ "private": true }\n');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--save-exact', `squawk-cli@${SQUAWK_VERSION}`], { cwd: PEERS, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`npm install squawk-cli@${SQUAWK_VERSION} failed:\n${result.stderr}`);
    found = resolveSquawk(PEERS);
    if (!found) throw new Error(`squawk-cli@${SQUAWK_VERSION} is still not resolvable from ${PEERS}`);
  }
  const { require, pkgPath, pkg } = found;
  const nodeEntry = join(pkgPath, '..', typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.squawk);
  // js/index.js resolves the platform package's binary; its own bin script spawns that binary.
  const native = require(join(pkgPath, '..', 'js/index.js')).getBinaryPath();
  return { version: pkg.version, nodeEntry, native, from: relative(ROOT, pkgPath) };
}

export async function benchLint(options = DEFAULTS) {
  const opts = { ...DEFAULTS, ...options };
  const bin = pgwardenBin();
  const squawk = squawkPaths();
  const historyDir = join(ROOT, 'migration_history');
  const history = readdirSync(historyDir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => `migration_history/${name}`);
  const node = process.execPath;
  // squawk exits 1 when it has findings; pgwarden exits 1 on errors. 2 (usage/config) is a failure.
  const ok = [0, 1];

  const one = [
    { name: 'pgwarden lint (1 file)', cmd: node, args: [bin, 'lint', opts.file], expect: ok },
    { name: 'squawk native (1 file)', cmd: squawk.native, args: [opts.file], expect: ok },
    { name: 'squawk Node entry (1 file)', cmd: node, args: [squawk.nodeEntry, opts.file], expect: ok },
    { name: 'node -e 0 (Node startup floor)', cmd: node, args: ['-e', '0'] },
    { name: 'parser floor: Node + libpg-query + the file parsed (parse-floor.cjs)', cmd: node, args: [join(ROOT, 'tools/bench/parse-floor.cjs'), opts.file], expect: [0] },
  ];
  const all = [
    { name: `pgwarden lint (history, ${history.length} files)`, cmd: node, args: [bin, 'lint'], expect: ok },
    { name: `squawk native (${history.length} files)`, cmd: squawk.native, args: history, expect: ok },
    { name: `squawk Node entry (${history.length} files)`, cmd: node, args: [squawk.nodeEntry, ...history], expect: ok },
  ];

  // Sanity: what each tool says about the file (not timed).
  const outputs = {};
  for (const command of [...one.slice(0, 3), ...all]) {
    const result = spawnSync(command.cmd, command.args, { cwd: ROOT, encoding: 'utf8' });
    if (!command.expect.includes(result.status)) throw new Error(`${command.name}: exit ${result.status}\n${result.stderr}`);
    const lines = `${result.stdout}${result.stderr}`.trim().split('\n');
    outputs[command.name] = { status: result.status, last: lines[lines.length - 1].replace(/\x1b\[[0-9;]*m/g, '') };
  }

  process.stderr.write(`lint: ${opts.runs} runs + ${opts.warmup} warm-ups, one file...\n`);
  const oneResults = measureInterleaved(one, { runs: opts.runs, warmup: opts.warmup });
  process.stderr.write(`lint: whole history...\n`);
  const allResults = measureInterleaved(all, { runs: opts.runs, warmup: opts.warmup });

  const context = [];
  if (opts.hook) {
    process.stderr.write(`lint: lint-staged in a temporary repository (${opts.hookRuns} runs)...\n`);
    context.push(...benchHook(bin, opts));
  }
  if (opts.nx) {
    process.stderr.write(`lint: nx boot (${opts.nxRuns} runs)...\n`);
    context.push(
      ...measureInterleaved(
        [
          {
            name: 'npx nx show projects (NX_DAEMON=false)',
            cmd: 'npx',
            args: ['--no-install', 'nx', 'show', 'projects'],
            env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
          },
        ],
        { runs: opts.nxRuns, warmup: 1 },
      ),
    );
  }

  const result = {
    squawk,
    file: opts.file,
    historyFiles: history.length,
    outputs,
    one: oneResults,
    all: allResults,
    context,
    goal: {
      description: 'one file through pgwarden lint within 1.5x of squawk Node entry (median wall time)',
      ratio: oneResults[0].median / oneResults[2].median,
      met: oneResults[0].median / oneResults[2].median <= 1.5,
    },
  };
  return result;
}

/**
 * The pre-commit path without git commit itself: a temporary repository holding a copy of the
 * demo workspace (node_modules linked), one migration modified and staged, then the hook's
 * command `npx --no-install lint-staged` (which runs `pgwarden lint --since HEAD <file>`).
 */
function benchHook(bin, opts) {
  const { dir, git } = hookWorkspace();
  try {
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
    git('init', '-q');
    git('config', 'user.email', 'bench@example.invalid');
    git('config', 'user.name', 'bench');
    git('config', 'commit.gpgsign', 'false');
    git('add', '-A');
    git('commit', '-q', '-m', 'bench base');
    const target = join(dir, opts.file);
    let n = 0;
    const stage = () => {
      appendFileSync(target, `\n-- bench edit ${++n}\n`);
      git('add', opts.file);
    };
    const reset = () => git('reset', '-q', '--hard', 'HEAD');
    const env = { ...process.env, FORCE_COLOR: '0' };
    return measureInterleaved(
      [
        { name: 'hook: npx --no-install lint-staged (1 staged file)', cmd: 'npx', args: ['--no-install', 'lint-staged'], cwd: dir, env, before: stage, after: reset },
        { name: 'hook: pgwarden lint --since HEAD (same file, direct)', cmd: process.execPath, args: [bin, 'lint', '--since', 'HEAD', opts.file], cwd: dir, env, expect: [0, 1], before: stage, after: reset },
      ],
      { runs: opts.hookRuns, warmup: 1 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function lintMarkdown(result) {
  const [pg1, sqn1, sqj1, nodeFloor, parserFloor] = result.one;
  const [pgA, sqnA, sqjA] = result.all;
  const row = (r, pg) => [r.name, fmt(r.median), fmt(r.p90), fmt(r.min), pg ? ratio(pg.median, r.median) : ''];
  const rows = [
    row(pg1),
    row(sqj1, pg1),
    row(sqn1, pg1),
    row(nodeFloor, pg1),
    row(parserFloor, pg1),
    [`parser floor / squawk Node entry`, '', '', '', ratio(parserFloor.median, sqj1.median)],
    row(pgA),
    row(sqjA, pgA),
    row(sqnA, pgA),
    ...result.context.map((r) => row(r)),
  ];
  const goal = `Goal: one file through pgwarden lint within 1.5x of squawk's Node entry: ${result.goal.ratio.toFixed(2)}x, ${result.goal.met ? 'MET' : 'NOT MET'}.`;
  return `${markdownTable(['command', 'median', 'p90', 'min', 'pgwarden / this'], rows)}\n\n${goal}\n(${pg1.runs} timed runs per command after the warm-ups, interleaved; file: ${result.file}; squawk-cli ${result.squawk.version} from ${result.squawk.from})`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const opts = parseOptions(process.argv.slice(2), DEFAULTS);
  const info = machineInfo();
  const result = await benchLint(opts);
  console.log(`Machine: ${info.nproc} CPU ${info.cpuModel}, ${info.memoryGiB} GiB, Node ${info.node}, load ${info.loadavg}\n`);
  console.log(lintMarkdown(result));
  for (const [name, out] of Object.entries(result.outputs)) console.log(`  ${name}: exit ${out.status}, "${out.last}"`);
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ info, ...result }, null, 2));
}
