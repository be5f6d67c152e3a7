/**
 * The server side of a runner suite on a real PostgreSQL: a database of its own, a Database on it
 * and an admin client, opened before the suite's tests and dropped after them together with the
 * workspaces the suite made.
 */
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase } from '../../db/index.js';
import type { Database } from '../../db/types.js';
import { Workspace } from './migrations.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

export interface RunnerSuite {
  readonly db: Database;
  readonly admin: pg.Client;
  /** The test database's URL, for clients of a test's own. */
  readonly url: string;
  /** A new workspace on a clean slate: no runner history, `schema` dropped and created again, then `setupSql`. */
  fresh(schema?: string, setupSql?: string): Promise<Workspace>;
}

/** Call at the top of a `describe`: its beforeAll and afterAll hooks belong to that suite. */
export function runnerSuite(prefix: string): RunnerSuite {
  let testDb: TestDatabase | undefined;
  let db: Database | undefined;
  let admin: pg.Client | undefined;
  const workspaces: Workspace[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase(prefix);
    db = await openDatabase({ url: testDb.url });
    admin = await testDb.admin();
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
    for (const workspace of workspaces) workspace.cleanup();
  });

  return {
    get db() {
      return db!;
    },
    get admin() {
      return admin!;
    },
    get url() {
      return testDb!.url;
    },
    async fresh(schema = 'app', setupSql = '') {
      await admin!.query(`DROP SCHEMA IF EXISTS pgwarden CASCADE; DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; ${setupSql}`);
      const workspace = new Workspace();
      workspaces.push(workspace);
      return workspace;
    },
  };
}
