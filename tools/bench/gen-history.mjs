#!/usr/bin/env node
// Generates a workspace with a long migration history in the shape of the demo, for the
// whole-history lint benchmark: the demo's current_schema/ and config, and `--files` migrations
// made by cycling through the demo's 19 (baselines, then changes), with dates and sequence
// numbers continuing and, from the second cycle on, the tables each file creates renamed with a
// `_c<cycle>` suffix throughout the cycle so that the schema model keeps growing.
// With `--pending N`, every file but the last N records its execution ("[X] Executed ..." in
// MIGRATION EXECUTED), as a real history does: the lint then judges those by the integrity rules
// only. Without it, every file is pending, as in the demo: the most work a history can ask for.
//
//   node tools/bench/gen-history.mjs --files 90 --out /tmp/history-90 [--pending 5]
//
// Prints the folder, the file count and the total size. 90 files are about 0.8 MB.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseOptions, ROOT } from './lib.mjs';

const CREATE_TABLE = /\bCREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:\w+\.)?(\w+)/gi;

export function generateHistory({ files, out, pending = files }) {
  const dir = resolve(out);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'migration_history'), { recursive: true });
  cpSync(join(ROOT, 'current_schema'), join(dir, 'current_schema'), { recursive: true });
  cpSync(join(ROOT, 'pgwarden.config.json'), join(dir, 'pgwarden.config.json'));
  const templates = readdirSync(join(ROOT, 'migration_history'))
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({ slug: name.replace(/^\d{4}-\d{2}-\d{2}_\d+_/, ''), text: readFileSync(join(ROOT, 'migration_history', name), 'utf8') }));
  const tables = [...new Set(templates.flatMap(({ text }) => [...text.matchAll(CREATE_TABLE)].map((match) => match[1])))];
  const day = 24 * 3600 * 1000;
  const start = Date.UTC(2020, 0, 1);
  let bytes = 0;
  for (let index = 0; index < files; index++) {
    const cycle = Math.floor(index / templates.length);
    const template = templates[index % templates.length];
    const date = new Date(start + index * day).toISOString().slice(0, 10);
    let text = template.text.replace(/^(--\s*Date:\s*)\d{4}-\d{2}-\d{2}/m, `$1${date}`);
    if (cycle > 0) {
      for (const table of tables) text = text.replace(new RegExp(`\\b${table}\\b`, 'g'), `${table}_c${cycle}`);
    }
    if (index < files - pending) {
      const executed = text.replace(/^(--\s*)\[ \] Not yet executed/m, `$1[X] Executed ${date} (production)`);
      if (executed === text) throw new Error(`${template.slug}: no "[ ] Not yet executed" line to tick`);
      text = executed;
    }
    const name = `${date}_${String(index + 1).padStart(2, '0')}_${template.slug}`;
    writeFileSync(join(dir, 'migration_history', name), text);
    bytes += statSync(join(dir, 'migration_history', name)).size;
  }
  return { dir, files, bytes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const opts = parseOptions(process.argv.slice(2), { files: 90, out: '', pending: -1 });
  if (!opts.out) throw new Error('--out <folder> is required');
  const pending = Number(opts.pending) >= 0 ? Number(opts.pending) : Number(opts.files);
  const { dir, files, bytes } = generateHistory({ files: Number(opts.files), out: opts.out, pending });
  console.log(`${dir}: ${files} migrations, ${(bytes / 1024 / 1024).toFixed(2)} MB`);
}
