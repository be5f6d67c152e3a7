/** Invalid indexes a concurrent build leaves, found on a real server (pg_index.indisvalid). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { openDatabase } from '../db/index.js';
import type { Database, DbSession } from '../db/types.js';
import { createTestDatabase, serverAvailable, type TestDatabase } from './__fixtures__/test-db.js';
import { invalidIndexesFor } from './index-validity.js';

const enabled = await serverAvailable('runner/index-validity.test.ts');

describe.skipIf(!enabled)('invalidIndexesFor', () => {
  let testDb: TestDatabase;
  let db: Database;
  let session: DbSession;
  let admin: pg.Client;

  beforeAll(async () => {
    testDb = await createTestDatabase('indexes');
    db = await openDatabase({ url: testDb.url });
    session = await db.session();
    admin = await testDb.admin();
    await admin.query(`
      CREATE SCHEMA app;
      CREATE TABLE app.docs (id int, patient_id int);
      CREATE INDEX docs_patient ON app.docs (patient_id);
      CREATE INDEX docs_patient_ccnew ON app.docs (patient_id);
      CREATE INDEX docs_id ON app.docs (id);
      CREATE TABLE app.other (id int);
      CREATE INDEX other_id ON app.other (id);
      UPDATE pg_index SET indisvalid = false
       WHERE indexrelid IN ('app.docs_patient_ccnew'::regclass, 'app.docs_id'::regclass, 'app.other_id'::regclass);`);
  });
  afterAll(async () => {
    await session?.close();
    await db?.close();
    await testDb?.drop();
  });

  it('CREATE INDEX: the named index only, or any invalid index of the table when unnamed', async () => {
    expect(await invalidIndexesFor(session, { schema: 'app', relation: 'docs', kind: 'create', index: 'docs_id' })).toEqual(['app.docs_id']);
    expect(await invalidIndexesFor(session, { schema: 'app', relation: 'docs', kind: 'create', index: 'docs_patient' })).toEqual([]);
    expect(await invalidIndexesFor(session, { schema: 'app', relation: 'docs', kind: 'create' })).toEqual(['app.docs_id', 'app.docs_patient_ccnew']);
  });

  it('REINDEX INDEX CONCURRENTLY: the index and its _ccnew/_ccold copies, not the other indexes of the table', async () => {
    expect(await invalidIndexesFor(session, { schema: 'app', relation: 'docs_patient', kind: 'reindex-index' })).toEqual(['app.docs_patient_ccnew']);
  });

  it('REINDEX TABLE CONCURRENTLY: every invalid index of that table; a table that does not exist has none', async () => {
    expect(await invalidIndexesFor(session, { schema: 'app', relation: 'docs', kind: 'reindex-table' })).toEqual(['app.docs_id', 'app.docs_patient_ccnew']);
    expect(await invalidIndexesFor(session, { schema: 'app', relation: 'missing', kind: 'reindex-table' })).toEqual([]);
  });
});
