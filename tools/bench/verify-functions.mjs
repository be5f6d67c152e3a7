#!/usr/bin/env node
// Time of verifyFunctions() over generated PL/pgSQL functions (5 statements each, one ambiguous
// name), for 50 and 200 functions, on three set-ups: PGlite (builtin engine), PostgreSQL with
// plpgsql_check, and PostgreSQL with the builtin engine. Uses the built core (npx tsc -b packages/core).
//
//   node tools/bench/verify-functions.mjs [--runs 3] [--counts 50,200] [--url postgres://postgres@127.0.0.1:5432/postgres]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { ROOT, parseOptions, stats, fmt } from './lib.mjs';

const opts = parseOptions(process.argv.slice(2), { runs: 3, counts: '50,200', url: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
const core = (path) => import(pathToFileURL(join(ROOT, 'packages/core/dist', path)).href);
const { openDatabase } = await core('db/index.js');
const { verifyFunctions } = await core('verify/index.js');

function schemaSql(n) {
  const parts = ['CREATE TABLE public.items (id int PRIMARY KEY, label text, qty int, owner uuid);', 'CREATE TABLE public.moves (item_id int, delta int, at timestamptz DEFAULT now());'];
  for (let i = 0; i < n; i++) {
    parts.push(`CREATE FUNCTION public.move_${i}(p_id int, p_delta int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  qty int;
BEGIN
  SELECT i.qty INTO qty FROM public.items i WHERE i.id = p_id;
  IF qty + p_delta < 0 THEN RAISE EXCEPTION 'not enough items %', p_id; END IF;
  UPDATE public.items SET qty = qty + p_delta WHERE id = p_id;
  INSERT INTO public.moves (item_id, delta) VALUES (p_id, p_delta);
  RETURN qty + p_delta;
END;
$$;`);
  }
  return parts.join('\n');
}

async function measure(label, open, engine, n) {
  const samples = [];
  let last;
  for (let run = 0; run < opts.runs; run++) {
    const db = await open();
    try {
      const session = await db.session();
      await session.exec(schemaSql(n));
      const start = performance.now();
      last = await verifyFunctions(db, { schemas: ['public'], engine });
      samples.push(performance.now() - start);
      await session.close();
    } finally {
      await db.close();
    }
  }
  const s = stats(samples);
  console.log(`| ${label} | ${n} | ${fmt(s.median)} | ${fmt(s.min)} | ${last.checked} | ${last.defects.length} | ${last.counts.prepared} | ${last.counts.plpgsqlCheckCalls} |`);
}

const admin = new pg.Client({ connectionString: opts.url });
await admin.connect();
let dbCounter = 0;
async function serverDb() {
  const name = `pgw_bench_verify_${process.pid}_${dbCounter++}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(opts.url);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  return {
    session: () => db.session(),
    close: async () => {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
    kind: db.kind,
  };
}

console.log('| set-up | functions | median | min | checked | defects | prepared | plpgsql_check calls |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const n of String(opts.counts).split(',').map(Number)) {
  await measure('PGlite, builtin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgw-bench-verify-'));
    const db = await openDatabase({ embeddedDir: dir });
    return { session: () => db.session(), close: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); }, kind: db.kind };
  }, 'builtin', n);
  await measure('PostgreSQL 15, plpgsql_check', serverDb, 'plpgsql_check', n);
  await measure('PostgreSQL 15, builtin', serverDb, 'builtin', n);
}
await admin.end();
