import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const ID = 'index-concurrently';
const NO_TRANSACTION = header({ extra: '-- pgwarden:no-transaction\n' });
const lint = (sql: string, postgresVersion = 15, files?: Record<string, string>) => runRule(ID, sql, { config: { postgresVersion }, files });

describe(ID, () => {
  it('accepts CONCURRENTLY forms', async () => {
    const sql = `${NO_TRANSACTION}
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_owner_idx ON public.documents (owner_id);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS documents_slug_key ON public.documents (slug);
DROP INDEX CONCURRENTLY IF EXISTS documents_old_idx;
REINDEX INDEX CONCURRENTLY documents_owner_idx;
`;
    expect(await lint(sql)).toEqual([]);
  });

  it('reports CREATE INDEX on an existing table with the concurrent statement to write', async () => {
    const findings = await lint('CREATE UNIQUE INDEX documents_slug_key ON public.documents (slug);');
    expect(findings).toEqual([
      expect.objectContaining({
        rule: ID,
        severity: 'warning',
        line: 1,
        column: 1,
        message: 'CREATE UNIQUE INDEX documents_slug_key on public.documents without CONCURRENTLY blocks every write to public.documents (SHARE lock) until the whole index is built',
        hint:
          'write "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS documents_slug_key ON public.documents (slug)"; ' +
          'CONCURRENTLY cannot run inside a transaction: put it in its own migration with "-- pgwarden:no-transaction" in the header',
      }),
    ]);
  });

  it('says so when the file already runs without a transaction', async () => {
    const [finding] = await lint(`${NO_TRANSACTION}\nCREATE INDEX IF NOT EXISTS documents_owner_idx ON documents (owner_id);\n`);
    expect(finding!.line).toBe(22);
    expect(finding!.hint).toBe(
      'write "CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_owner_idx ON documents (owner_id)"; this file already runs without a transaction ("-- pgwarden:no-transaction")',
    );
  });

  it('skips tables and indexes created in the same file', async () => {
    const sql = `CREATE TABLE IF NOT EXISTS notes (id int, owner uuid);
CREATE INDEX IF NOT EXISTS notes_owner_idx ON notes (owner);
DROP INDEX IF EXISTS notes_owner_idx;
DO $$ BEGIN CREATE TABLE IF NOT EXISTS tags (id int); END $$;
CREATE UNIQUE INDEX IF NOT EXISTS tags_id_key ON tags (id);`;
    expect(await lint(sql)).toEqual([]);
  });

  it('reports DROP INDEX without CONCURRENTLY, naming the table when known', async () => {
    const files = { 'current_schema/03_clinical_core.sql': 'CREATE TABLE documents (id int);\nCREATE INDEX documents_old_idx ON documents (id);\n' };
    const [finding] = await lint('DROP INDEX IF EXISTS documents_old_idx, other_idx CASCADE;', 15, files);
    expect(finding!.message).toBe('DROP INDEX documents_old_idx, other_idx without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on public.documents: every read and write waits');
    expect(finding!.hint).toContain('"DROP INDEX CONCURRENTLY IF EXISTS documents_old_idx;" "DROP INDEX CONCURRENTLY IF EXISTS other_idx;" (one index per statement) (CONCURRENTLY does not support CASCADE)');
  });

  it('explains partitioned tables, where CONCURRENTLY is not supported', async () => {
    const files = { 'current_schema/08_job_coordination.sql': 'CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);\n' };
    const [finding] = await lint('CREATE INDEX IF NOT EXISTS events_at_idx ON events (at);', 15, files);
    expect(finding!.message).toContain('on partitioned table events blocks writes to every partition');
    expect(finding!.hint).toContain('ON ONLY events');
  });

  it('reports REINDEX without CONCURRENTLY with a version-aware hint', async () => {
    expect((await lint('REINDEX TABLE documents;', 12))[0]!.hint).toContain('REINDEX TABLE CONCURRENTLY documents');
    expect((await lint('REINDEX INDEX documents_idx;', 11))[0]!.hint).toContain('REINDEX CONCURRENTLY needs PostgreSQL 12 (target: 11)');
  });

  it('tells to move a CREATE INDEX out of a DO block', async () => {
    const [finding] = await lint('DO $$\nBEGIN\n  CREATE INDEX IF NOT EXISTS d_idx ON documents (a);\nEND $$;');
    expect([finding!.line, finding!.column]).toEqual([3, 3]);
    expect(finding!.hint).toContain('move it out of the DO block');
  });
});
