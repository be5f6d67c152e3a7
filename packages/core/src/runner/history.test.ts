/** The history row written with inlined literals must survive any text a user or file name brings. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/index.js';
import type { Database, DbSession } from '../db/types.js';
import { quoteLiteral } from '../sql/quote.js';
import { createTestDatabase, serverAvailable, type TestDatabase } from './__fixtures__/test-db.js';
import { ensureHistory, readHistory, recordApplied } from './history.js';

const TRICKY = ["plain", "o'brien", 'back\\slash', "both \\' quote", 'new\nline', 'unicode → é ✓', '$$dollar$$', ''];

const enabled = await serverAvailable('runner/history.test.ts');

describe.skipIf(!enabled)('history rows on a real server', () => {
  let testDb: TestDatabase;
  let db: Database;
  let session: DbSession;

  beforeAll(async () => {
    testDb = await createTestDatabase('history');
    db = await openDatabase({ url: testDb.url });
    session = await db.session();
  });
  afterAll(async () => {
    await session?.close();
    await db?.close();
    await testDb?.drop();
  });

  it.each(['on', 'off'])('quoteLiteral round-trips tricky text with standard_conforming_strings = %s', async (setting) => {
    await session.exec(`SET standard_conforming_strings = ${setting}`);
    for (const value of TRICKY) {
      const { rows } = await session.query<{ value: string }>(`SELECT ${quoteLiteral(value)} AS value`);
      expect(rows[0].value).toBe(value);
    }
    await session.exec('RESET standard_conforming_strings');
  });

  it('recordApplied writes the row and runs the trailing SQL in the same round trip', async () => {
    await ensureHistory(session);
    await session.exec('BEGIN');
    await recordApplied(
      session,
      {
        version: '2025-10-08_18',
        name: "2025-10-08_18_o'brien.sql",
        checksum: 'a'.repeat(64),
        startedAt: new Date('2025-10-08T10:00:00Z'),
        appliedBy: 'dr\\smith',
        toolVersion: '0.1.0',
        durationMs: 12.6,
        statementsApplied: null,
        statementHashes: ["x'y"],
      },
      'COMMIT',
    );
    const { rows: open } = await session.query<{ state: string }>("SELECT CASE WHEN now() = statement_timestamp() THEN 'idle' ELSE 'in transaction' END AS state");
    expect(open[0].state).toBe('idle'); // the COMMIT ran: a new statement starts a new transaction
    const rows = await readHistory(session);
    const row = rows.find((entry) => entry.version === '2025-10-08_18');
    expect(row).toMatchObject({ name: "2025-10-08_18_o'brien.sql", status: 'applied', appliedBy: 'dr\\smith', durationMs: 13 });
    expect(row?.startedAt.toISOString()).toBe('2025-10-08T10:00:00.000Z');
  });
});
