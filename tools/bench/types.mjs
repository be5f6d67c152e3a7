#!/usr/bin/env node
// `pgwarden types` (supabase format) vs @supabase/postgrest-typegen 0.2.2 on generated schemas
// of 200 and 1,000 tables in the same real database. Both run in this process on one pg
// connection, interleaved, after warm-up runs; each run is the whole job (introspect the
// database, generate the text: postgrest-typegen includes its oxfmt pass, which is how it ships).
//
//   node tools/bench/types.mjs [--runs 7] [--sizes 200,1000] [--url postgres://postgres@127.0.0.1:5432/postgres] [--json out.json]
//
// Needs a build (npx tsc -b packages/core) and PostgreSQL on 127.0.0.1:5432 (trust auth).
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { introspect } from '@supabase/postgrest-typegen/introspection';
import { generateTypescript, sortGeneratorMetadata } from '@supabase/postgrest-typegen/generation';
import { introspectCatalog } from '../../packages/core/dist/catalog/introspect.js';
import { openDatabase } from '../../packages/core/dist/db/index.js';
import { generateSupabaseTypes, traceViewSources } from '../../packages/core/dist/typegen/index.js';
import { fmt, machineInfo, markdownTable, parseOptions, ratio, stats } from './lib.mjs';

const opts = parseOptions(process.argv.slice(2), { runs: 7, sizes: '200,1000', url: 'postgres://postgres@127.0.0.1:5432/postgres', json: '' });

/** A schema of `tables` tables: enums, identity and generated columns, foreign keys, views and functions. */
export function generatedSchema(tables) {
  const sql = ["CREATE TYPE public.state AS ENUM ('new', 'active', 'closed', 'archived');", 'CREATE TYPE public.point2 AS (x float8, y float8);'];
  for (let i = 0; i < tables; i++) {
    const ref = i > 0 ? `,\n  parent_id bigint REFERENCES public.t${i - 1} (id)` : '';
    sql.push(`CREATE TABLE public.t${i} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  uid uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  name varchar(80) NOT NULL,
  note text,
  amount numeric(10,2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
  state public.state NOT NULL DEFAULT 'new',
  tags text[] NOT NULL DEFAULT '{}',
  data jsonb,
  location public.point2,
  created_at timestamptz NOT NULL DEFAULT now(),
  name_length integer GENERATED ALWAYS AS (length(name)) STORED${ref}
);`);
    if (i % 10 === 0) sql.push(`CREATE VIEW public.v${i} AS SELECT id, uid, name, state, amount * 2 AS doubled FROM public.t${i};`);
    if (i % 20 === 0) {
      sql.push(`CREATE FUNCTION public.f${i}(p_state public.state, p_limit int DEFAULT 10) RETURNS SETOF public.t${i} LANGUAGE sql STABLE AS 'SELECT * FROM public.t${i} WHERE state = p_state LIMIT p_limit';`);
      sql.push(`CREATE FUNCTION public.g${i}(p_id bigint) RETURNS TABLE(id bigint, total numeric) LANGUAGE sql STABLE AS 'SELECT id, amount FROM public.t${i} WHERE id = p_id';`);
    }
  }
  return sql.join('\n');
}

async function withDatabase(url, name, fn) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.query(`CREATE DATABASE "${name}"`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  try {
    return await fn(target.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

async function benchSize(url, tables, runs) {
  return withDatabase(url, `pgw_bench_types_${tables}`, async (dbUrl) => {
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query(generatedSchema(tables));
    const database = await openDatabase({ url: dbUrl });
    const session = await database.session();
    let oursText = '';
    let theirsText = '';
    // Each run also records its two phases: reading the catalog, and snapshot -> text.
    const phases = { oursIntrospect: [], oursGenerate: [], theirsIntrospect: [], theirsGenerate: [] };
    const ours = async () => {
      const start = performance.now();
      const snapshot = await introspectCatalog(session, { includeSchemas: ['public'] });
      const read = performance.now();
      oursText = generateSupabaseTypes(snapshot, await traceViewSources(snapshot), { schemas: ['public'] });
      phases.oursIntrospect.push(read - start);
      phases.oursGenerate.push(performance.now() - read);
    };
    const theirs = async () => {
      const start = performance.now();
      const metadata = await introspect(client, { includedSchemas: ['public'] });
      const read = performance.now();
      theirsText = await generateTypescript(sortGeneratorMetadata(metadata), { detectOneToOneRelationships: true, postgrestVersion: '12' });
      phases.theirsIntrospect.push(read - start);
      phases.theirsGenerate.push(performance.now() - read);
    };
    const samples = { ours: [], theirs: [] };
    const time = async (fn) => {
      const start = performance.now();
      await fn();
      return performance.now() - start;
    };
    for (let i = 0; i < 2; i++) {
      await ours();
      await theirs();
    }
    for (let i = 0; i < runs; i++) {
      // Alternate which goes first so neither always runs on a warmer cache.
      if (i % 2 === 0) {
        samples.ours.push(await time(ours));
        samples.theirs.push(await time(theirs));
      } else {
        samples.theirs.push(await time(theirs));
        samples.ours.push(await time(ours));
      }
    }
    await session.close();
    await database.close();
    await client.end();
    const median = (list) => stats(list.slice(2)).median; // phases of the measured runs (warm-ups left out)
    return {
      tables,
      ours: stats(samples.ours),
      theirs: stats(samples.theirs),
      phases: Object.fromEntries(Object.entries(phases).map(([name, list]) => [name, median(list)])),
      identical: oursText === theirsText,
      bytes: oursText.length,
    };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();

async function main() {
  const before = machineInfo();
  const results = [];
  for (const size of String(opts.sizes).split(',').map(Number)) results.push(await benchSize(opts.url, size, Number(opts.runs)));
  const after = machineInfo();

  console.log(
    [
      `# pgwarden types vs @supabase/postgrest-typegen 0.2.2 (supabase format, ${opts.runs} runs each after 2 warm-ups)`,
      '',
      `Machine: ${before.nproc} CPU (${before.cpuModel}), Node ${before.node}, PostgreSQL ${before.postgres ?? 'n/a'}; load ${before.loadavg} / ${after.loadavg}.`,
      '',
      markdownTable(
        ['tables', 'pgwarden median', 'pgwarden min', 'postgrest-typegen median', 'postgrest-typegen min', 'pgwarden / postgrest-typegen', 'same text'],
        results.map((r) => [String(r.tables), fmt(r.ours.median), fmt(r.ours.min), fmt(r.theirs.median), fmt(r.theirs.min), ratio(r.ours.median, r.theirs.median), r.identical ? 'yes' : 'no']),
      ),
      '',
      'Medians by phase (read the catalog / snapshot to text):',
      '',
      markdownTable(
        ['tables', 'pgwarden introspectCatalog', 'pgwarden generate', 'postgrest-typegen introspect', 'postgrest-typegen generate + oxfmt', 'generate ratio'],
        results.map((r) => [String(r.tables), fmt(r.phases.oursIntrospect), fmt(r.phases.oursGenerate), fmt(r.phases.theirsIntrospect), fmt(r.phases.theirsGenerate), ratio(r.phases.oursGenerate, r.phases.theirsGenerate)]),
      ),
    ].join('\n'),
  );
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ before, after, results }, null, 2));
}
