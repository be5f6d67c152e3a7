#!/usr/bin/env node
// Shadow build of a generated schema (300 tables, about 10,000 lines in 8 files, supabase preset):
//
//   pgwarden cold   buildShadow() with an empty .pgwarden/cache (PGlite initdb, preset, every
//                   statement in its own savepoint, source map, dump stored)
//   pgwarden warm   buildShadow() with the cache entry present (loads the dumped data directory)
//   replay (peer)   Prisma-style replay on PGlite without cache: a fresh PGlite, the preset, then
//                   exec() of each file in order, as `prisma migrate diff --from-migrations` does
//                   against its shadow database
//
// Each run is a fresh Node process (spawn to exit), interleaved round-robin, as the other benchmarks.
//
//   node tools/bench/shadow.mjs [--runs 5] [--warmup 1] [--tables 300] [--demo]
//
// --demo uses this workspace's current_schema/ instead of the generated schema.
//
// Needs a build: npx tsc -b packages/core
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmt, machineInfo, markdownTable, measureInterleaved, parseOptions, ratio, ROOT } from './lib.mjs';

const SHADOW_DIST = join(ROOT, 'packages/core/dist/shadow/index.js');

/** 300 tables in 8 domain files: columns, checks, foreign keys to earlier tables, indexes, RLS, policies, functions, comments. */
export function generateSchema(dir, tables = 300) {
  mkdirSync(join(dir, 'current_schema'), { recursive: true });
  const files = 8;
  const perFile = Math.ceil(tables / files);
  let lines = 0;
  for (let f = 0; f < files; f++) {
    const out = [`-- ${String(f + 1).padStart(2, '0')}_domain_${f + 1}.sql: generated for the shadow benchmark`, ''];
    if (f === 0) {
      out.push('CREATE EXTENSION IF NOT EXISTS pgcrypto;', 'CREATE EXTENSION IF NOT EXISTS pg_trgm;', '');
      out.push(
        'CREATE OR REPLACE FUNCTION public.touch_updated_at()',
        'RETURNS trigger',
        'LANGUAGE plpgsql',
        'AS $$',
        'BEGIN',
        '  NEW.updated_at := now();',
        '  RETURN NEW;',
        'END',
        '$$;',
        '',
      );
    }
    for (let t = f * perFile; t < Math.min(tables, (f + 1) * perFile); t++) {
      const name = `entity_${t}`;
      const parent = t > 0 ? `entity_${t - 1}` : undefined;
      out.push(
        `-- ${name} -----------------------------------------------------------------`,
        `CREATE TABLE IF NOT EXISTS public.${name} (`,
        '  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),',
        '  owner_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,',
        parent ? `  parent_id uuid REFERENCES public.${parent} (id) ON DELETE SET NULL,` : '  parent_id uuid,',
        '  title text NOT NULL,',
        "  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),",
        '  amount numeric(12, 2) NOT NULL DEFAULT 0 CHECK (amount >= 0),',
        "  details jsonb NOT NULL DEFAULT '{}'::jsonb,",
        '  tags text[] NOT NULL DEFAULT ARRAY[]::text[],',
        '  created_at timestamptz NOT NULL DEFAULT now(),',
        '  updated_at timestamptz NOT NULL DEFAULT now()',
        ');',
        '',
        `CREATE INDEX IF NOT EXISTS ${name}_owner_idx ON public.${name} (owner_id);`,
        `CREATE INDEX IF NOT EXISTS ${name}_status_idx ON public.${name} (status) WHERE status <> 'archived';`,
        `CREATE INDEX IF NOT EXISTS ${name}_title_trgm_idx ON public.${name} USING gin (title gin_trgm_ops);`,
        '',
        `ALTER TABLE public.${name} ENABLE ROW LEVEL SECURITY;`,
        `DROP POLICY IF EXISTS ${name}_owner_select ON public.${name};`,
        `CREATE POLICY ${name}_owner_select ON public.${name} FOR SELECT TO authenticated USING (owner_id = auth.uid());`,
        `DROP POLICY IF EXISTS ${name}_owner_write ON public.${name};`,
        `CREATE POLICY ${name}_owner_write ON public.${name} FOR ALL TO authenticated`,
        '  USING (owner_id = auth.uid()) WITH CHECK (owner_id = auth.uid());',
        '',
        `CREATE TRIGGER ${name}_touch BEFORE UPDATE ON public.${name}`,
        '  FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();',
        '',
        `COMMENT ON TABLE public.${name} IS 'Generated entity ${t}.';`,
        `COMMENT ON COLUMN public.${name}.details IS 'Free-form attributes.';`,
        '',
        `CREATE OR REPLACE FUNCTION public.${name}_total(p_owner uuid)`,
        'RETURNS numeric',
        'LANGUAGE sql',
        'STABLE',
        'AS $$',
        `  SELECT coalesce(sum(amount), 0) FROM public.${name} WHERE owner_id = p_owner AND status <> 'archived'`,
        '$$;',
        '',
      );
    }
    writeFileSync(join(dir, 'current_schema', `${String(f + 1).padStart(2, '0')}_domain_${f + 1}.sql`), out.join('\n'));
    lines += out.length;
  }
  return { tables, files, lines };
}

function copyDemo(root) {
  cpSync(join(ROOT, 'current_schema'), join(root, 'current_schema'), { recursive: true });
  const names = readdirSync(join(root, 'current_schema')).filter((name) => name.endsWith('.sql'));
  const lines = names.reduce((sum, name) => sum + readFileSync(join(root, 'current_schema', name), 'utf8').split('\n').length, 0);
  const tables = names.reduce((sum, name) => sum + (readFileSync(join(root, 'current_schema', name), 'utf8').match(/CREATE TABLE/gi) ?? []).length, 0);
  return { tables, files: names.length, lines };
}

async function child(mode, root) {
  if (mode === 'replay') {
    const { PGlite } = await import('@electric-sql/pglite');
    const { loadPgliteExtensions } = await import(pathToFileURL(join(ROOT, 'packages/core/dist/shadow/extensions.js')).href);
    const dir = join(root, 'current_schema');
    const texts = readdirSync(dir).filter((name) => name.endsWith('.sql')).sort().map((name) => readFileSync(join(dir, name), 'utf8'));
    // The same extension bundles the shadow registers: those the files create.
    const names = texts.flatMap((text) => [...text.matchAll(/CREATE EXTENSION (?:IF NOT EXISTS )?"?([\w-]+)"?/gi)].map((match) => match[1]));
    const db = await PGlite.create({ extensions: await loadPgliteExtensions(names) });
    await db.exec(readFileSync(join(ROOT, 'packages/core/presets/supabase.sql'), 'utf8'));
    for (const text of texts) await db.exec(text);
    await db.close();
    return;
  }
  const { buildShadow } = await import(pathToFileURL(SHADOW_DIST).href);
  if (mode === 'cold') rmSync(join(root, '.pgwarden/cache'), { recursive: true, force: true });
  const shadow = await buildShadow({ root });
  const expected = mode === 'cold' ? 'miss' : 'hit';
  if (shadow.cache !== expected) throw new Error(`expected a cache ${expected}, got ${shadow.cache}`);
  if (shadow.stats.failedStatements !== 0) throw new Error(`${shadow.stats.failedStatements} statements failed: ${JSON.stringify(shadow.findings.slice(0, 3))}`);
  await shadow.close();
}

function runChild(mode, root) {
  const start = performance.now();
  const result = spawnSync(process.execPath, [process.argv[1], '--child', mode, '--root', root], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${mode} run failed: ${String(result.stderr).slice(0, 2000)}`);
  return ms;
}

const opts = parseOptions(process.argv.slice(2), { runs: 5, warmup: 1, tables: 300, child: '', root: '', generate: '', demo: false });
if (opts.generate) {
  // Only write the schema (for profiling by hand): node tools/bench/shadow.mjs --generate DIR
  console.log(generateSchema(opts.generate, opts.tables));
} else if (opts.child) {
  await child(opts.child, opts.root);
} else {
  if (!existsSync(SHADOW_DIST)) throw new Error(`${SHADOW_DIST} is missing: build first (npx tsc -b packages/core)`);
  const root = mkdtempSync(join(tmpdir(), 'pgwarden-bench-shadow-'));
  try {
    const schema = opts.demo ? copyDemo(root) : generateSchema(root, opts.tables);
    // One untimed cold build so the warm runs find the entry (cold runs delete it and rebuild it).
    runChild('cold', root);
    const results = measureInterleaved(
      [
        { name: 'pgwarden shadow, cold cache', time: () => runChild('cold', root) },
        { name: 'pgwarden shadow, warm cache', time: () => runChild('warm', root) },
        { name: 'replay on PGlite, no cache (peer)', time: () => runChild('replay', root) },
      ],
      { runs: opts.runs, warmup: opts.warmup },
    );
    const [cold, warm, replay] = results;
    const info = machineInfo();
    console.log(`Shadow build${opts.demo ? ' of the demo current_schema/' : ''}: ${schema.tables} tables, ${schema.lines} lines in ${schema.files} files (supabase preset).`);
    console.log(`Machine: ${info.nproc} CPU, Node ${info.node}, load average ${info.loadavg}. ${opts.runs} runs each, interleaved, fresh process per run.`);
    console.log('');
    console.log(
      markdownTable(
        ['', 'median', 'p90', 'min', 'peer', 'ratio (peer / this)'],
        results.map((r) => [r.name, fmt(r.median), fmt(r.p90), fmt(r.min), fmt(replay.median), ratio(replay.median, r.median)]),
      ),
    );
    console.log('');
    console.log(`warm vs cold: ${ratio(cold.median, warm.median)} faster`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
