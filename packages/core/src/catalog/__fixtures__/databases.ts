/**
 * Databases for catalog tests: a fresh PGlite instance (in memory) or a uniquely named database on
 * the real server (TEST_DATABASE_URL), each with `exec` for fixture SQL and a DbSession to introspect.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Extensions } from '@electric-sql/pglite';
import type { DbSession } from '../../db/types.js';
import { createTestDatabase } from '../../runner/__fixtures__/test-db.js';
import { presetSql } from '../../shadow/presets.js';

export interface FixtureDatabase {
  session: DbSession;
  /** Server databases: the URL (without password) of the test database. */
  url?: string;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

/** The supabase preset, then current_schema/*.sql of this repository in file order (the demo schema). */
export function demoSchemaSql(): string[] {
  const dir = join(ROOT, 'current_schema');
  const files = readdirSync(dir).filter((name) => name.endsWith('.sql')).sort();
  return [presetSql('supabase'), ...files.map((name) => readFileSync(join(dir, name), 'utf8'))];
}

export async function pgliteDatabase(): Promise<FixtureDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const extensions: Record<string, unknown> = {};
  for (const name of ['pgcrypto', 'uuid_ossp', 'pg_trgm', 'btree_gin']) {
    extensions[name] = ((await import(`@electric-sql/pglite/contrib/${name}`)) as Record<string, unknown>)[name];
  }
  const db = await PGlite.create({ extensions: extensions as Extensions });
  const session: DbSession = {
    async query<T>(sql: string, params?: unknown[]) {
      const result = await db.query<T>(sql, params);
      return { rows: result.rows, rowCount: result.rows.length, fields: result.fields.map((f) => f.name) };
    },
    exec: async (sql) => void (await db.exec(sql)),
    close: async () => {},
  };
  return { session, exec: session.exec, close: () => db.close() };
}

export async function serverDatabase(prefix: string): Promise<FixtureDatabase> {
  const database = await createTestDatabase(prefix);
  const client = await database.admin();
  const session: DbSession = {
    async query<T>(sql: string, params?: unknown[]) {
      const result = await client.query(sql, params);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? 0, fields: result.fields.map((f) => f.name) };
    },
    exec: async (sql) => void (await client.query(sql)),
    close: async () => {},
  };
  return { session, url: database.url, exec: session.exec, close: () => database.drop() };
}
