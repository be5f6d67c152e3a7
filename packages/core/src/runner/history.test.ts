/** The history row written with inlined literals must survive any text a user or file name brings. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/index.js';
import type { Database, DbSession } from '../db/types.js';
import { quoteLiteral } from '../sql/quote.js';
import { createTestDatabase, serverAvailable, type TestDatabase } from './__fixtures__/test-db.js';
import { APPLIED_MEANWHILE_STATE, ensureHistory, progressRowSql, readHistory, recordApplied, recordAppliedSql, recordRunning } from './history.js';

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

  it('recordApplied writes the row once: a second record of an applied migration writes nothing and says so', async () => {
    await ensureHistory(session);
    const entry = {
      version: '2025-10-08_18',
      name: "2025-10-08_18_o'brien.sql",
      checksum: 'a'.repeat(64),
      startedAt: new Date('2025-10-08T10:00:00Z'),
      appliedBy: 'dr\\smith',
      toolVersion: '0.1.0',
      durationMs: 12.6,
      statementsApplied: null,
    };
    expect(await recordApplied(session, entry)).toBe(true);
    expect(await recordApplied(session, { ...entry, appliedBy: 'someone else' })).toBe(false);
    const rows = await readHistory(session);
    const row = rows.find((e) => e.version === '2025-10-08_18');
    expect(row).toMatchObject({ name: "2025-10-08_18_o'brien.sql", status: 'applied', appliedBy: 'dr\\smith', durationMs: 13, attempts: 1 });
    expect(row?.startedAt.toISOString()).toBe('2025-10-08T10:00:00.000Z');
  });

  it('recordAppliedSql (values inlined, sent with COMMIT) writes tricky text exactly, and raises instead of writing a second time', async () => {
    await ensureHistory(session);
    for (const [i, text] of TRICKY.entries()) {
      const entry = {
        version: `2025-12-0${i}_0${i}`,
        name: `2025-12-0${i}_0${i}_${text}.sql`,
        checksum: 'c'.repeat(64),
        startedAt: new Date('2025-12-01T10:00:00.123Z'),
        appliedBy: text,
        toolVersion: `${text}0.1`,
        durationMs: 7.4,
        statementsApplied: null,
      };
      await session.exec(`BEGIN; ${recordAppliedSql(entry)};\nCOMMIT`);
      const row = (await readHistory(session)).find((r) => r.version === entry.version);
      expect(row).toMatchObject({ name: entry.name, status: 'applied', appliedBy: text, toolVersion: `${text}0.1`, durationMs: 7, statementsApplied: null });
      expect(row?.startedAt.toISOString()).toBe('2025-12-01T10:00:00.123Z');
      await expect(session.exec(`BEGIN; ${recordAppliedSql({ ...entry, appliedBy: 'second' })};\nCOMMIT`)).rejects.toMatchObject({ code: APPLIED_MEANWHILE_STATE });
      await session.exec('ROLLBACK');
      expect((await readHistory(session)).find((r) => r.version === entry.version)?.appliedBy).toBe(text);
    }
  });

  it('progress rows with tricky file names are read back as the executed prefix of a running file', async () => {
    await ensureHistory(session);
    for (const [i, name] of TRICKY.entries()) {
      const key = { version: `2025-11-0${i}_0${i}`, name: `2025-11-0${i}_0${i}_${name}.sql` };
      expect(await recordRunning(session, { ...key, checksum: 'b'.repeat(64), startedAt: new Date(), appliedBy: name, toolVersion: 't', resumeFrom: 0 })).toBe(true);
      await session.exec(progressRowSql(key, 1, `h1${name}`));
      await session.exec(progressRowSql(key, 2, `h2${name}`));
      const row = (await readHistory(session)).find((r) => r.version === key.version)!;
      expect(row).toMatchObject({ name: key.name, status: 'running', statementsApplied: 2, statementHashes: [`h1${name}`, `h2${name}`] });
    }
  });

  it('upgrades a layout 1 history: a partial run keeps its executed prefix as progress rows', async () => {
    const other = await createTestDatabase('history_upgrade');
    const admin = await other.admin();
    try {
      await admin.query(`
        CREATE SCHEMA pgwarden;
        CREATE TABLE pgwarden.history_meta (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), layout_version integer NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(), upgraded_at timestamptz);
        INSERT INTO pgwarden.history_meta (layout_version) VALUES (1);
        CREATE TABLE pgwarden.migration_history (version text NOT NULL, name text NOT NULL, checksum text NOT NULL,
          status text NOT NULL CHECK (status IN ('applied', 'failed', 'running')), started_at timestamptz NOT NULL, finished_at timestamptz,
          duration_ms integer, applied_by text NOT NULL, tool_version text NOT NULL, statements_applied integer,
          statement_hashes jsonb NOT NULL DEFAULT '[]'::jsonb, attempts integer NOT NULL DEFAULT 1, error text, PRIMARY KEY (version, name));
        CREATE TABLE pgwarden.repair_log (id bigserial PRIMARY KEY, version text NOT NULL, name text NOT NULL, old_checksum text NOT NULL,
          new_checksum text NOT NULL, repaired_by text NOT NULL, reason text NOT NULL, repaired_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO pgwarden.migration_history (version, name, checksum, status, started_at, applied_by, tool_version, statements_applied, statement_hashes)
        VALUES ('2025-01-01_01', '2025-01-01_01_a.sql', 'c', 'running', now(), 'x', 't', 2, '["h1", "h2"]'),
               ('2025-01-02_02', '2025-01-02_02_b.sql', 'c', 'applied', now(), 'x', 't', 3, '["h1", "h2", "h3"]');`);
      const upgraded = await openDatabase({ url: other.url });
      const s = await upgraded.session();
      try {
        expect((await readHistory(s))[0]).toMatchObject({ statementsApplied: 2, statementHashes: ['h1', 'h2'] }); // read-only: layout 1 as is
        await ensureHistory(s);
        const rows = await readHistory(s);
        expect(rows.map((r) => [r.status, r.statementsApplied, r.statementHashes])).toEqual([
          ['running', 2, ['h1', 'h2']],
          ['applied', 3, []],
        ]);
        const { rows: meta } = await s.query('SELECT layout_version FROM pgwarden.history_meta');
        expect(meta).toEqual([{ layout_version: 2 }]);
      } finally {
        await s.close();
        await upgraded.close();
      }
    } finally {
      await other.drop();
    }
  });
});
