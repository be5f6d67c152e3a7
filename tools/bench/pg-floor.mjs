#!/usr/bin/env node
// The floor for `migrate`: one `pg` connection, each file in its own BEGIN/COMMIT, nothing else.
//   node tools/bench/pg-floor.mjs DATABASE_URL FILE...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const pg = createRequire(join(ROOT, 'packages/core/package.json'))('pg');
const [url, ...files] = process.argv.slice(2);
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  for (const file of files) {
    const sql = readFileSync(file, 'utf8');
    await client.query('BEGIN');
    try {
      await client.query(sql);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw new Error(`${file}: ${error.message}`);
    }
  }
} finally {
  await client.end();
}
