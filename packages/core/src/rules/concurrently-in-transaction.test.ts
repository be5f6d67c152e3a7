import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const ID = 'concurrently-in-transaction';
const NO_TRANSACTION = header({ extra: '-- pgwarden:no-transaction\n' });
const lint = (sql: string, postgresVersion = 15) => runRule(ID, sql, { config: { postgresVersion } });

describe(ID, () => {
  it('accepts concurrent statements in a no-transaction file', async () => {
    const sql = `${NO_TRANSACTION}
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_owner_idx ON public.documents (owner_id);
DROP INDEX CONCURRENTLY IF EXISTS documents_old_idx;
REINDEX INDEX CONCURRENTLY documents_owner_idx;
VACUUM ANALYZE public.documents;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS note text;
SET lock_timeout = '2s';
`;
    expect(await lint(sql)).toEqual([]);
  });

  it('reports CREATE INDEX CONCURRENTLY in a transactional file', async () => {
    const findings = await lint(`${header()}\nCREATE INDEX CONCURRENTLY IF NOT EXISTS documents_owner_idx ON public.documents (owner_id);\n`);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: ID,
        severity: 'error',
        line: 21,
        column: 1,
        message: 'CREATE INDEX CONCURRENTLY documents_owner_idx cannot run inside a transaction block, and pgwarden runs this file in one',
      }),
    ]);
    expect(findings[0]!.hint).toContain('add "-- pgwarden:no-transaction" to the header');
  });

  it.each([
    ['DROP INDEX CONCURRENTLY IF EXISTS a_idx', 'DROP INDEX CONCURRENTLY a_idx'],
    ['REINDEX TABLE CONCURRENTLY documents', 'REINDEX CONCURRENTLY'],
    ['REINDEX DATABASE app', 'REINDEX DATABASE'],
    ['VACUUM documents', 'VACUUM'],
    ['CREATE DATABASE analytics', 'CREATE DATABASE'],
    ["ALTER SYSTEM SET work_mem = '64MB'", 'ALTER SYSTEM'],
    ['ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY', 'DETACH PARTITION CONCURRENTLY'],
    ['CLUSTER', 'CLUSTER without a table name'],
  ])('reports %s', async (sql, what) => {
    const findings = await lint(`${sql};`);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toBe(`${what} cannot run inside a transaction block, and pgwarden runs this file in one`);
  });

  it('lets ANALYZE, CLUSTER <table> and plain CREATE INDEX run in a transaction', async () => {
    expect(await lint('ANALYZE documents; CLUSTER documents USING documents_pkey; CREATE INDEX IF NOT EXISTS i ON documents (a);')).toEqual([]);
  });

  it('is version-aware for ALTER TYPE ... ADD VALUE', async () => {
    const sql = "ALTER TYPE status ADD VALUE IF NOT EXISTS 'archived';";
    expect((await lint(sql, 11))[0]!.message).toBe('ALTER TYPE status ADD VALUE (before PostgreSQL 12) cannot run inside a transaction block, and pgwarden runs this file in one');
    expect(await lint(sql, 12)).toEqual([]);
  });

  it('reports the use of a new enum value in the same transaction (PG 12+)', async () => {
    const sql = "ALTER TYPE status ADD VALUE IF NOT EXISTS 'archived';\nUPDATE documents SET status = 'archived' WHERE deleted_at IS NOT NULL;";
    const findings = await lint(sql, 15);
    expect(findings).toEqual([
      expect.objectContaining({
        line: 2,
        message: `"UPDATE documents SET status = 'archived' WHERE deleted_at..." uses 'archived', the value added to status on line 1 in the same transaction: Postgres rejects it ("unsafe use of new value") until that transaction commits`,
      }),
    ]);
    expect(await lint(`${NO_TRANSACTION}${sql}`)).toEqual([]);
    expect(await lint("ALTER TYPE status ADD VALUE IF NOT EXISTS 'archived';\nUPDATE documents SET status = 'done';")).toEqual([]);
  });

  it('reports concurrent statements inside a DO block even in a no-transaction file', async () => {
    const findings = await lint(`${NO_TRANSACTION}DO $$\nBEGIN\n  CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON documents (a);\nEND $$;\n`);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line: 23, column: 3 });
    expect(findings[0]!.message).toBe('CREATE INDEX CONCURRENTLY i cannot run inside a DO block or function: Postgres rejects it there even in a no-transaction file');
  });

  it('reports concurrent statements between an explicit BEGIN and COMMIT', async () => {
    const findings = await lint(`${NO_TRANSACTION}BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON documents (a);\nCOMMIT;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS j ON documents (b);\n`);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('and the BEGIN on line 21 opens one');
  });

  it('warns about statements in a no-transaction file that are not re-runnable', async () => {
    const sql = `${NO_TRANSACTION}
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_owner_idx ON documents (owner_id);
ALTER TABLE documents ADD CONSTRAINT documents_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id);
INSERT INTO audit (what) VALUES ('indexed');
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'r') THEN CREATE ROLE r; END IF; END $$;
DO $$ BEGIN CREATE ROLE s; END $$;
`;
    const findings = await lint(sql);
    expect(findings.map((finding) => [finding.line, finding.severity])).toEqual([
      [23, 'warning'],
      [24, 'warning'],
      [26, 'warning'],
    ]);
    expect(findings[0]!.message).toBe(
      '"ALTER TABLE documents ADD CONSTRAINT documents_owner_fk FOREIGN KEY (owner_id..." is not re-runnable, and in a no-transaction file every statement commits on its own: if a later statement fails, it stays applied and the next run fails on it',
    );
  });
});
