#!/usr/bin/env node
// `pgwarden check` on the demo workspace, cold (no shadow cache) and warm, next to its peer: a
// Prisma-style shadow replay (a fresh PGlite instance, the preset and current_schema/ executed
// file by file, no cache, no checks), which is what a tool without pgwarden's cache pays for
// the build alone.
//
//   node tools/bench/check.mjs [--runs 5]
//
// Runs in a copy of the demo (a git repository in a temporary folder), so the workspace's own
// .pgwarden/cache is left alone. Needs a build (npx tsc -b packages/core packages/cli).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { machineInfo, measureInterleaved, parseOptions, pgwardenBin, ROOT } from './lib.mjs';

export const DEFAULTS = { runs: 5 };

function demoCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'pgwarden-bench-check-'));
  for (const path of ['current_schema', 'migration_history', 'pgwarden.config.json']) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  writeFileSync(join(dir, '.gitignore'), '.pgwarden/\n');
  const git = (...args) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'demo');
  return dir;
}

// The peer: what a Prisma-style shadow replay costs on PGlite (instance, preset, files; nothing cached, nothing checked).
const REPLAY = `
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const core = ${JSON.stringify(pathToFileURL(join(ROOT, 'packages/core/dist/')).href)};
const { createPgliteTarget } = await import(core + 'shadow/target.js');
const { presetSql } = await import(core + 'shadow/presets.js');
const dir = process.argv[1];
const files = readdirSync(join(dir, 'current_schema')).filter((n) => n.endsWith('.sql')).sort().map((name) => readFileSync(join(dir, 'current_schema', name), 'utf8'));
// Only the extensions the schema creates are registered, as the shadow does.
const extensions = [...files.join(' ').matchAll(/CREATE EXTENSION IF NOT EXISTS "?([a-z_-]+)"?/gi)].map((match) => match[1]);
const target = await createPgliteTarget(undefined, extensions);
const session = await target.database.session();
await session.exec(presetSql('supabase'));
for (const text of files) await session.exec(text);
await target.dispose();
`;

export async function benchCheck({ runs }) {
  const dir = demoCopy();
  const bin = pgwardenBin();
  try {
    const results = measureInterleaved(
      [
        { name: 'pgwarden check, cold (no shadow cache)', cmd: process.execPath, args: [bin, 'check'], cwd: dir, before: () => rmSync(join(dir, '.pgwarden'), { recursive: true, force: true }) },
        { name: 'pgwarden check, warm', cmd: process.execPath, args: [bin, 'check'], cwd: dir },
        { name: 'peer: Prisma-style replay on PGlite, no cache', cmd: process.execPath, args: ['--input-type=module', '-e', REPLAY, dir], cwd: dir },
      ],
      { runs, warmup: 1 },
    );
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function checkMarkdown(results) {
  const peer = results[2].median;
  const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
  return [
    '| command | median | p90 | min | / peer |',
    '|---|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.name} | ${fmt(r.median)} | ${fmt(r.p90)} | ${fmt(r.min)} | ${(r.median / peer).toFixed(2)}x |`),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const opts = parseOptions(process.argv.slice(2), DEFAULTS);
  const before = machineInfo();
  const results = await benchCheck(opts);
  const after = machineInfo();
  console.log(`Machine: ${before.nproc} CPU (${before.cpuModel}), Node ${before.node}; load ${before.loadavg} / ${after.loadavg}`);
  console.log(checkMarkdown(results));
}
