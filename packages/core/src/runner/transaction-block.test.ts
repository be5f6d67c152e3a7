/** Which no-transaction statements run in a transaction with their progress row, and which must run alone. */
import { describe, expect, it } from 'vitest';
import { parseMigration } from '../migration/index.js';
import { renderMigration } from './__fixtures__/migrations.js';
import { splitStatements } from './statements.js';
import { concurrentIndexTarget, runsOutsideTransaction } from './transaction-block.js';

async function statementsOf(body: string) {
  const file = '2025-01-01_01_x.sql';
  const migration = parseMigration({ path: `/x/${file}`, relPath: file, text: renderMigration({ file, body, noTransaction: true }) });
  const split = await splitStatements(migration);
  if ('error' in split) throw new Error(split.error);
  return split.statements;
}

describe('runsOutsideTransaction', () => {
  it.each([
    ['CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON app.t (a);', 'CREATE INDEX CONCURRENTLY'],
    ['DROP INDEX CONCURRENTLY IF EXISTS app.i;', 'DROP INDEX CONCURRENTLY'],
    ['REINDEX INDEX CONCURRENTLY app.i;', 'REINDEX CONCURRENTLY'],
    ['REINDEX TABLE CONCURRENTLY app.t;', 'REINDEX CONCURRENTLY'],
    ['VACUUM (ANALYZE) app.t;', 'VACUUM'],
    ["ALTER SYSTEM SET work_mem = '64MB';", 'ALTER SYSTEM'],
    ['CREATE DATABASE reporting;', 'CREATE DATABASE'],
    ['ALTER TABLE app.p DETACH PARTITION app.p1 CONCURRENTLY;', 'DETACH PARTITION CONCURRENTLY'],
    ['CALL app.backfill_in_batches();', 'CALL'],
    ['DO $$ BEGIN PERFORM 1; COMMIT; END $$;', 'a DO block that commits'],
    ['CLUSTER;', 'CLUSTER of every table'],
  ])('%s runs alone (%s)', async (sql, why) => {
    const [statement] = await statementsOf(sql);
    expect(runsOutsideTransaction(statement!, 150000)).toBe(why);
  });

  it.each([
    'CREATE INDEX IF NOT EXISTS i ON app.t (a);',
    'DROP INDEX IF EXISTS app.i;',
    'REINDEX INDEX app.i;',
    'ANALYZE app.t;',
    'INSERT INTO app.t VALUES (1);',
    "ALTER TYPE app.status ADD VALUE IF NOT EXISTS 'quarantined';",
    'ALTER TABLE app.p DETACH PARTITION app.p1;',
    'DO $$ BEGIN PERFORM 1; END $$;',
    'CLUSTER app.t USING t_pkey;',
    "UPDATE app.t SET note = 'commit later';",
  ])('%s runs in a transaction with its progress row', async (sql) => {
    const [statement] = await statementsOf(sql);
    expect(runsOutsideTransaction(statement!, 150000)).toBeUndefined();
  });

  it('ALTER TYPE ... ADD VALUE runs alone before PostgreSQL 12 only', async () => {
    const [statement] = await statementsOf("ALTER TYPE app.status ADD VALUE 'x';");
    expect(runsOutsideTransaction(statement!, 110005)).toBe('ALTER TYPE ... ADD VALUE before PostgreSQL 12');
    expect(runsOutsideTransaction(statement!, 120000)).toBeUndefined();
  });
});

describe('concurrentIndexTarget', () => {
  it('names what a concurrent build can leave invalid, and nothing for other statements', async () => {
    const statements = await statementsOf(
      [
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS docs_patient ON app.documents (patient_id);',
        'CREATE INDEX CONCURRENTLY ON documents (id);',
        'REINDEX INDEX CONCURRENTLY app.docs_patient;',
        'REINDEX TABLE CONCURRENTLY app.documents;',
        'CREATE INDEX docs_plain ON app.documents (id);',
      ].join('\n'),
    );
    expect(statements.map(concurrentIndexTarget)).toEqual([
      { schema: 'app', relation: 'documents', kind: 'create', index: 'docs_patient' },
      { schema: undefined, relation: 'documents', kind: 'create', index: undefined },
      { schema: 'app', relation: 'docs_patient', kind: 'reindex-index' },
      { schema: 'app', relation: 'documents', kind: 'reindex-table' },
      undefined,
    ]);
  });
});
