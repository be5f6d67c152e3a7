/**
 * Real-server test support. Suites read TEST_DATABASE_URL (default: the local trust-auth
 * server), create their own uniquely named database and drop it afterwards. When no server
 * answers, a suite is skipped with one console line, unless PGWARDEN_REQUIRE_DB=1 (CI),
 * in which case the probe throws and the suite fails.
 */

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../../db/url.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let probe: Promise<string | undefined> | undefined;

/** undefined when the server answers, else why not. */
function probeServer(): Promise<string | undefined> {
  probe ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (err) {
      return (err as Error).message || String((err as { code?: string }).code);
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return probe;
}

/** True when the real-server suite can run; prints the one skip line otherwise. */
export async function serverAvailable(suite: string): Promise<boolean> {
  const reason = await probeServer();
  if (reason === undefined) return true;
  if (process.env.PGWARDEN_REQUIRE_DB === '1') {
    throw new Error(`${suite}: a PostgreSQL server is required (PGWARDEN_REQUIRE_DB=1) but ${redactUrl(TEST_DATABASE_URL)} did not answer: ${reason}`);
  }
  console.warn(
    `[skipped] ${suite}: no PostgreSQL at ${redactUrl(TEST_DATABASE_URL)} (${reason}); start one or set TEST_DATABASE_URL to run it`,
  );
  return false;
}

export interface TestDatabase {
  name: string;
  url: string;
  /** A raw pg client on the test database (for setup and assertions); closed by drop(). */
  admin(): Promise<pg.Client>;
  drop(): Promise<void>;
}

export function urlForDatabase(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function serverClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, application_name: 'pgwarden-test' });
  await client.connect();
  return client;
}

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `pgw_${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`.toLowerCase();
  const server = await serverClient();
  try {
    await server.query(`CREATE DATABASE "${name}"`);
  } finally {
    await server.end();
  }
  const url = urlForDatabase(name);
  const clients: pg.Client[] = [];
  return {
    name,
    url,
    async admin() {
      const client = new pg.Client({ connectionString: url, application_name: 'pgwarden-test' });
      client.on('error', () => {});
      await client.connect();
      clients.push(client);
      return client;
    },
    async drop() {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
      const s = await serverClient();
      try {
        await s.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await s.end();
      }
    },
  };
}
