// Shared helpers for the benchmarks: process wall-time measurement, statistics, machine facts,
// markdown tables. No dependencies beyond Node itself.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A temporary copy of the demo workspace as the commit hook sees it (history, schema, config,
 * lint-staged config, package.json; node_modules linked) and a `git` that runs in it and throws on
 * failure. The caller removes `dir`.
 */
export function hookWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'pgwarden-bench-hook-'));
  const git = (...args) => {
    const result = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  };
  try {
    for (const entry of ['migration_history', 'current_schema', 'pgwarden.config.json', '.lintstagedrc.mjs', 'package.json']) {
      cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, git };
}

/** The `pgwarden` binary as npm links it (package.json "bin"), run with this Node. */
export function pgwardenBin() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.pgwarden;
  const path = join(ROOT, 'packages/cli', bin);
  const dist = join(ROOT, 'packages/cli/dist/bin.cjs');
  if (!existsSync(dist)) {
    throw new Error(`${dist} is missing: build first (npx tsc -b packages/core packages/cli packages/nx)`);
  }
  return path;
}

/**
 * Runs one command once and returns its wall time in ms (spawn to exit, as seen by the parent).
 * stdout and stderr go to /dev/null, as with hyperfine; `expect` checks the exit status.
 */
export function timeOnce({ cmd, args = [], cwd = ROOT, env, expect = [0] }) {
  const start = performance.now();
  const result = spawnSync(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (result.error) throw result.error;
  if (!expect.includes(result.status)) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${result.status ?? result.signal} (expected ${expect.join('/')})\n${String(result.stderr).slice(0, 2000)}`);
  }
  return ms;
}

/**
 * Measures several commands side by side: `warmup` untimed rounds, then `runs` timed rounds.
 * Commands are interleaved (round-robin, order rotated each round) so that background load
 * on the machine hits every command alike instead of whichever happened to run during it.
 */
export function measureInterleaved(commands, { runs, warmup = 2, onRound } = {}) {
  const samples = commands.map(() => []);
  for (let round = -warmup; round < runs; round++) {
    for (let k = 0; k < commands.length; k++) {
      const index = (k + Math.max(round, 0)) % commands.length;
      const command = commands[index];
      command.before?.();
      const ms = command.time ? command.time() : timeOnce(command);
      command.after?.();
      if (round >= 0) samples[index].push(ms);
    }
    onRound?.(round);
  }
  return commands.map((command, index) => ({ name: command.name, ...stats(samples[index]) }));
}

export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => {
    // Linear interpolation between closest ranks.
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  };
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  return { runs: sorted.length, median: at(0.5), p90: at(0.9), min: sorted[0], max: sorted[sorted.length - 1], mean, samples };
}

export const fmt = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
export const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

export function markdownTable(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

function sh(cmd, args) {
  const result = spawnSync(cmd, args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export function machineInfo() {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux
  }
  let load;
  try {
    load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    load = undefined;
  }
  return {
    nproc: sh('nproc', []) ?? String(cpus().length),
    cpuModel,
    memoryGiB: (totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    postgres: sh('psql', ['-X', '-At', '-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-c', 'show server_version']),
    psql: sh('psql', ['--version']),
    loadavg: load,
  };
}

/** `--runs N` / `--warmup N` / `--json FILE` style options. */
export function parseOptions(argv, defaults) {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) continue;
    const key = match[1].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    const value = match[2] ?? (argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true');
    options[key] = typeof defaults[key] === 'number' ? Number(value) : value === 'true' ? true : value === 'false' ? false : value;
  }
  return options;
}
