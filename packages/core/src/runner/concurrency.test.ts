/** Reliability 2: two runners started together, 20 times: every migration applied exactly once, both succeed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { openDatabase } from '../db/index.js';
import type { Database } from '../db/types.js';
import { createTestDatabase, serverAvailable, type TestDatabase } from './__fixtures__/test-db.js';
import { Workspace } from './__fixtures__/migrations.js';
import { migrate } from './migrate.js';

const enabled = await serverAvailable('runner/concurrency.test.ts');

describe.skipIf(!enabled)('two concurrent runners', () => {
  let testDb: TestDatabase;
  let runners: Database[];
  let admin: pg.Client;
  let ws: Workspace;

  beforeAll(async () => {
    ws = new Workspace();
    testDb = await createTestDatabase('concurrency');
    // Two Database objects: separate connections, as two processes would have.
    runners = [await openDatabase({ url: testDb.url }), await openDatabase({ url: testDb.url })];
    admin = await testDb.admin();
  });
  afterAll(async () => {
    await Promise.all((runners ?? []).map((r) => r.close()));
    await testDb?.drop();
    ws?.cleanup();
  });

  it('applies every migration exactly once, 20 rounds in a row, and both runners succeed', async () => {
    const migrations = ws.write(
      ...Array.from({ length: 5 }, (_, i) => ({
        file: `2025-01-0${i + 1}_0${i + 1}_step.sql`,
        // Every run of a body leaves a row: a double apply would show as a count above 1.
        body: `CREATE TABLE IF NOT EXISTS public.runs (version text);\nINSERT INTO public.runs VALUES ('${i + 1}');\nSELECT pg_sleep(0.005);`,
      })),
    );
    for (let round = 0; round < 20; round++) {
      await admin.query('DROP SCHEMA IF EXISTS pgwarden CASCADE; DROP TABLE IF EXISTS public.runs');
      const results = await Promise.all(
        runners.map((db, i) =>
          migrate({ db, migrations, envName: 'test', environment: { approvals: 0 }, appliedBy: `runner${i}`, toolVersion: 'test' }),
        ),
      );
      expect(results.map((r) => r.ok)).toEqual([true, true]);
      const appliedVersions = results.flatMap((r) => r.applied.map((a) => a.version)).sort();
      expect(appliedVersions).toEqual(migrations.map((m) => m.name.version).sort());
      const runs = await admin.query('SELECT version, count(*)::int AS n FROM public.runs GROUP BY version ORDER BY version');
      expect(runs.rows).toEqual(['1', '2', '3', '4', '5'].map((version) => ({ version, n: 1 })));
      const history = await admin.query(`SELECT count(*)::int AS n FROM pgwarden.migration_history WHERE status = 'applied'`);
      expect(history.rows[0].n).toBe(5);
    }
  });
});
