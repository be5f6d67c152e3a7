import { describe, expect, it } from 'vitest';
import { runRule } from './__fixtures__/run-rule.js';

const ID = 'table-rewrite';
const SCHEMA = {
  'current_schema/03_clinical_core.sql': `CREATE TABLE public.documents (
  id int PRIMARY KEY,
  title varchar(100),
  summary varchar(200),
  code char(4),
  amount numeric(10,2),
  created_at timestamp,
  seen_at timestamptz(3),
  tags varchar(20)[]
);
CREATE FUNCTION public.next_code() RETURNS text LANGUAGE sql AS 'select 1';
CREATE FUNCTION public.tenant() RETURNS text LANGUAGE sql STABLE AS 'select 1';
`,
};
const lint = (sql: string, postgresVersion = 15, options: { history?: Record<string, string> } = {}) =>
  runRule(ID, sql, { config: { postgresVersion }, files: SCHEMA, history: options.history });

describe(ID, () => {
  it('reports a STORED generated column', async () => {
    const findings = await lint("SELECT 1;\nALTER TABLE public.documents ADD COLUMN IF NOT EXISTS label text GENERATED ALWAYS AS (title || ' ' || code) STORED;");
    expect(findings).toEqual([
      expect.objectContaining({
        rule: ID,
        severity: 'warning',
        line: 2,
        column: 1,
        message:
          'ADD COLUMN label ... GENERATED ALWAYS AS (...) STORED computes and stores the value for every existing row: public.documents is rewritten in full (indexes rebuilt too) under an ACCESS EXCLUSIVE lock',
      }),
    ]);
    expect(findings[0]!.hint).toContain('add a plain nullable column, backfill it in batches');
  });

  it('tells volatile defaults from stable ones (PG 11+)', async () => {
    expect(await lint("ALTER TABLE documents ADD COLUMN a timestamptz DEFAULT now(), ADD COLUMN b text DEFAULT 'x', ADD COLUMN c jsonb DEFAULT '{}'::jsonb, ADD COLUMN d timestamptz DEFAULT CURRENT_TIMESTAMP, ADD COLUMN e text DEFAULT tenant();")).toEqual([]);
    for (const fn of ['gen_random_uuid()', 'random()', 'clock_timestamp()', 'uuid_generate_v4()', 'extensions.uuid_generate_v4()', 'next_code()']) {
      const findings = await lint(`ALTER TABLE documents ADD COLUMN x text DEFAULT ${fn};`);
      expect(findings, fn).toHaveLength(1);
      expect(findings[0]!.message).toContain('has a volatile DEFAULT');
    }
  });

  it('says "may" for a default calling a function whose volatility is unknown', async () => {
    const [finding] = await lint('ALTER TABLE documents ADD COLUMN x text DEFAULT mystery();');
    expect(finding!.message).toContain("calling mystery(), whose volatility pgwarden does not know");
    expect(finding!.message).toContain('(a rewrite holds an ACCESS EXCLUSIVE lock on documents for its whole duration)');
  });

  it('reports any non-null DEFAULT before PostgreSQL 11', async () => {
    const sql = 'ALTER TABLE documents ADD COLUMN IF NOT EXISTS reviewed boolean NOT NULL DEFAULT false;';
    expect(await lint(sql, 11)).toEqual([]);
    const [finding] = await lint(sql, 10);
    expect(finding!.message).toContain('ADD COLUMN reviewed with a DEFAULT writes the default into every existing row before PostgreSQL 11 (target: 10)');
    expect(await lint('ALTER TABLE documents ADD COLUMN note text DEFAULT NULL;', 10)).toEqual([]);
  });

  it('reports identity and serial columns', async () => {
    expect(await lint('ALTER TABLE documents ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;')).toHaveLength(1);
    expect((await lint('ALTER TABLE documents ADD COLUMN n bigserial;'))[0]!.message).toContain('bigserial fills every existing row');
  });

  it.each([
    ['title TYPE text', undefined],
    ['title TYPE varchar(200)', undefined],
    ['title TYPE varchar', undefined],
    ['amount TYPE numeric(12,2)', undefined],
    ['amount TYPE numeric', undefined],
    ['seen_at TYPE timestamptz(6)', undefined],
    ['title TYPE varchar(50)', 'from varchar(100)) adds a length limit'],
    ['amount TYPE numeric(10,3)', 'changes the scale'],
    ['id TYPE bigint', 'ALTER COLUMN id TYPE bigint (from integer) is not binary-coercible'],
    ['code TYPE text', 'from char(4)) is not binary-coercible'],
    ['tags TYPE text[]', 'is not binary-coercible'],
    ['title TYPE text USING upper(title)', 'with a USING expression'],
  ])('ALTER COLUMN %s', async (change, message) => {
    const findings = await lint(`ALTER TABLE public.documents ALTER COLUMN ${change};`);
    if (message === undefined) expect(findings).toEqual([]);
    else expect(findings[0]?.message).toContain(message);
  });

  it('knows timestamp -> timestamptz depends on the TimeZone from PG 12', async () => {
    expect((await lint('ALTER TABLE documents ALTER COLUMN created_at TYPE timestamptz;', 13))[0]!.message).toContain('unless the session TimeZone is UTC');
    expect((await lint('ALTER TABLE documents ALTER COLUMN created_at TYPE timestamptz;', 11))[0]!.message).toContain('a rewrite before PostgreSQL 12');
  });

  it('follows type changes made earlier in the history and in the same file', async () => {
    const history = { '2025-10-01_10_widen_title.sql': 'ALTER TABLE public.documents ALTER COLUMN title TYPE text;' };
    expect((await lint('ALTER TABLE documents ALTER COLUMN title TYPE varchar(100);', 15, { history }))[0]!.message).toContain('(from text) adds a length limit');
    const sameFile = 'ALTER TABLE documents ADD COLUMN IF NOT EXISTS score int;\nALTER TABLE documents ALTER COLUMN score TYPE bigint;';
    expect((await lint(sameFile)).map((finding) => finding.line)).toEqual([2]);
  });

  it('orders the history by version, not by path: a base table in an archive folder is earlier', async () => {
    const history = {
      'archive/2025-01-02_01_create_visit_notes.sql': 'CREATE TABLE public.visit_notes (id uuid PRIMARY KEY, body varchar(200));',
      // Later by version although "2025-..." sorts before "archive/..." as a path: it must not count as earlier.
      '2099-01-01_99_future.sql': 'ALTER TABLE public.visit_notes ALTER COLUMN body TYPE text;',
    };
    const [finding] = await lint('ALTER TABLE visit_notes ALTER COLUMN body TYPE varchar(100);', 15, { history });
    expect(finding!.message).toContain('(from varchar(200))');
  });

  it('says "may" when the current column type is unknown', async () => {
    const [finding] = await lint('ALTER TABLE other ALTER COLUMN name TYPE text;');
    expect(finding!.message).toContain(
      "ALTER COLUMN name TYPE text rewrites every row unless the column's current type is binary-coercible to text (e.g. varchar(n) to text): pgwarden found no earlier definition of name",
    );
  });

  it.each([
    ['ALTER TABLE documents SET LOGGED', 'SET LOGGED writes a new copy of the table'],
    ['ALTER TABLE documents SET UNLOGGED', 'SET UNLOGGED'],
    ['VACUUM FULL documents', 'VACUUM FULL writes a new copy of each table: documents is rewritten'],
    ['VACUUM (FULL, ANALYZE)', 'every table of the database'],
    ['CLUSTER documents USING documents_pkey', 'CLUSTER writes a new copy of the table in index order'],
  ])('reports %s', async (sql, message) => {
    const findings = await lint(`${sql};`);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain(message);
  });

  it('skips tables created in the same file', async () => {
    const sql = `CREATE TABLE IF NOT EXISTS notes (id int, body varchar(10));
ALTER TABLE notes ADD COLUMN IF NOT EXISTS uid uuid DEFAULT gen_random_uuid();
ALTER TABLE notes ALTER COLUMN id TYPE bigint;
VACUUM FULL notes;`;
    expect(await lint(sql)).toEqual([]);
  });

  it('checks statements inside DO blocks', async () => {
    const findings = await lint("DO $$\nBEGIN\n  ALTER TABLE documents ADD COLUMN uid uuid DEFAULT gen_random_uuid();\nEXCEPTION WHEN duplicate_column THEN NULL;\nEND $$;");
    expect(findings.map((finding) => [finding.line, finding.column])).toEqual([[3, 3]]);
  });
});
