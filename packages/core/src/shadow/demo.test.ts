/*
 * The demo: this workspace's current_schema/ builds with no failed statement and no finding,
 * on PGlite and on the real PostgreSQL 15, and the temporary server database is dropped after.
 */
import { describe, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { serverAvailable, TEST_DATABASE_URL } from '../runner/__fixtures__/test-db.js';
import { buildShadow } from './build.js';
import { findSource } from './lookup.js';

const WORKSPACE = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const hasServer = await serverAvailable('shadow on PostgreSQL 15');

async function shadowDatabasesOfThisProcess(): Promise<string[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`pgwarden_shadow_${process.pid}_%`]);
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

describe('the demo current_schema/', () => {
  it('builds on PGlite with zero failed statements and no finding', async () => {
    const shadow = await buildShadow({ root: WORKSPACE, cache: false });
    try {
      expect(shadow.kind).toBe('pglite');
      expect(shadow.findings).toEqual([]);
      expect(shadow.stats.failedStatements).toBe(0);
      expect(shadow.stats.files).toBe(8);
      expect(shadow.stats.statements).toBeGreaterThan(400);
      expect(findSource(shadow.sourceMap, 'public.organizations', 'table')).toMatchObject({ file: 'current_schema/01_foundations.sql' });
    } finally {
      await shadow.close();
    }
  }, 300_000);

  it.runIf(hasServer)('builds on PostgreSQL 15 in a temporary database, which close() drops', async () => {
    const shadow = await buildShadow({ root: WORKSPACE, url: TEST_DATABASE_URL });
    let name: string[] = [];
    try {
      expect(shadow.kind).toBe('pg');
      expect(shadow.cache).toBe('off');
      expect(shadow.findings).toEqual([]);
      expect(shadow.stats.failedStatements).toBe(0);
      name = await shadowDatabasesOfThisProcess();
      expect(name).toHaveLength(1);
      const session = await shadow.database.session();
      const { rows } = await session.query<{ version: string }>('SHOW server_version_num');
      expect(Number(Object.values(rows[0]!)[0])).toBeGreaterThanOrEqual(150000);
      await session.close();
    } finally {
      await shadow.close();
    }
    expect(await shadowDatabasesOfThisProcess()).toEqual([]);
  }, 300_000);

  it.runIf(hasServer)('drops the temporary database when the build throws (the session dies mid-build)', async () => {
    await expect(buildShadow({ root: FIXTURES, schemaDir: 'server-crash', url: TEST_DATABASE_URL })).rejects.toThrow(/terminat|connection/i);
    expect(await shadowDatabasesOfThisProcess()).toEqual([]);
  }, 120_000);

  it.runIf(hasServer)('reports the same root causes on the server as on PGlite', async () => {
    const shadow = await buildShadow({ root: FIXTURES, schemaDir: 'fk-cycle', url: TEST_DATABASE_URL });
    try {
      expect(shadow.findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual(['fk-cycle/01_org.sql:3 shadow-fk-cycle']);
      expect(shadow.stats.failedStatements).toBe(0);
    } finally {
      await shadow.close();
    }
  }, 120_000);
});
