/*
 * Ctrl-C during a server build: the temporary database is dropped before the process exits
 * (exit code 130). Runs the built core (packages/core/dist) in a child process, as the CLI
 * tests do: build first (npx tsc -b packages/core).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { serverAvailable, TEST_DATABASE_URL } from '../runner/__fixtures__/test-db.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(HERE, '../../dist/shadow/index.js');
const hasServer = await serverAvailable('shadow SIGINT on PostgreSQL 15');

async function databasesOf(pid: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`pgwarden_shadow_${pid}_%`]);
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

describe('shadow on a server', () => {
  it.runIf(hasServer)('drops its temporary database on SIGINT and exits 130', async () => {
    expect(existsSync(DIST), `${DIST} is missing: npx tsc -b packages/core`).toBe(true);
    const script = `
      const { buildShadow } = await import(${JSON.stringify(pathToFileURL(DIST).href)});
      await buildShadow({ root: ${JSON.stringify(join(HERE, '__fixtures__'))}, schemaDir: 'slow', url: ${JSON.stringify(TEST_DATABASE_URL)} });
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait until the temporary database exists and the build is inside pg_sleep.
    let created: string[] = [];
    for (let attempt = 0; attempt < 600 && created.length === 0; attempt++) {
      created = await databasesOf(child.pid!);
      if (created.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(created).toHaveLength(1);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await databasesOf(child.pid!)).toEqual([]);
  }, 120_000);
});
