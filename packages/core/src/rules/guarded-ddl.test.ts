import { describe, expect, it } from 'vitest';
import { runRule } from './__fixtures__/run-rule.js';

const ID = 'guarded-ddl';
const lint = (sql: string, postgresVersion = 15) => runRule(ID, sql, { config: { postgresVersion } });

describe(ID, () => {
  it('accepts a preceding DROP ... IF EXISTS of the same object', async () => {
    const sql = `
DROP POLICY IF EXISTS "Users see own" ON public.documents;
CREATE POLICY "Users see own" ON public.documents FOR SELECT USING (auth.uid() = owner_id);
ALTER TABLE public.documents DROP CONSTRAINT IF EXISTS documents_title_check;
ALTER TABLE public.documents ADD CONSTRAINT documents_title_check CHECK (length(title) > 0);
ALTER TABLE documents DROP CONSTRAINT IF EXISTS documents_owner_fk, ADD CONSTRAINT documents_owner_fk FOREIGN KEY (owner_id) REFERENCES auth.users (id);
DROP TRIGGER IF EXISTS set_updated ON documents;
CREATE TRIGGER set_updated BEFORE UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION touch();
DROP TYPE IF EXISTS mood;
CREATE TYPE mood AS ENUM ('ok', 'sad');
DROP PUBLICATION IF EXISTS changes;
CREATE PUBLICATION changes FOR TABLE documents;
DROP EVENT TRIGGER IF EXISTS audit_ddl;
CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE FUNCTION audit();
`;
    expect(await lint(sql, 13)).toEqual([]);
  });

  it('accepts statements inside a DO-block existence guard or exception handler', async () => {
    const sql = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'documents_title_check') THEN
    ALTER TABLE documents ADD CONSTRAINT documents_title_check CHECK (length(title) > 0);
  END IF;
END $$;
DO $$ BEGIN CREATE TYPE mood AS ENUM ('ok'); EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reporting') THEN CREATE ROLE reporting; END IF; END $$;
`;
    expect(await lint(sql)).toEqual([]);
  });

  it('reports CREATE POLICY with the DROP POLICY IF EXISTS to write', async () => {
    const findings = await lint('SELECT 1;\nCREATE POLICY "Users see own" ON public.documents\n  FOR SELECT USING (auth.uid() = owner_id);');
    expect(findings).toEqual([
      expect.objectContaining({
        rule: ID,
        severity: 'error',
        line: 2,
        column: 1,
        message: 'CREATE POLICY "Users see own" ON public.documents has no IF NOT EXISTS form: it fails when the migration runs a second time',
        hint: 'put "DROP POLICY IF EXISTS "Users see own" ON public.documents;" right before it',
      }),
    ]);
  });

  it('does not accept a DROP of a policy on another table', async () => {
    const sql = 'DROP POLICY IF EXISTS p ON other;\nCREATE POLICY p ON documents USING (true);';
    expect((await lint(sql)).map((finding) => finding.line)).toEqual([2]);
  });

  it('reports ADD CONSTRAINT with the pg_constraint guard filled in', async () => {
    const [finding] = await lint('ALTER TABLE public.documents ADD CONSTRAINT documents_title_check CHECK (length(title) > 0);');
    expect(finding!.message).toBe(
      'ALTER TABLE public.documents ADD CONSTRAINT documents_title_check has no IF NOT EXISTS form: it fails when the migration runs a second time (ADD CONSTRAINT IF NOT EXISTS is not valid Postgres)',
    );
    expect(finding!.hint).toBe(
      "guard it: DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'documents_title_check' AND conrelid = 'public.documents'::regclass) THEN " +
        'ALTER TABLE public.documents ADD CONSTRAINT documents_title_check CHECK (length(title) > 0); END IF; END $$; ' +
        'Or run "ALTER TABLE public.documents DROP CONSTRAINT IF EXISTS documents_title_check;" first',
    );
  });

  it('reports unnamed constraints, which duplicate or fail on a second run', async () => {
    const findings = await lint('ALTER TABLE documents ADD CHECK (size > 0), ADD PRIMARY KEY (id);');
    expect(findings.map((finding) => finding.message)).toEqual([
      'ALTER TABLE documents adds an unnamed CHECK constraint: every run adds another copy of it',
      'ALTER TABLE documents ADD PRIMARY KEY fails when the migration runs a second time (the table already has a primary key)',
    ]);
    expect(findings[0]!.hint).toContain('ADD CONSTRAINT documents_size_check');
  });

  it.each([
    ["CREATE TYPE public.mood AS ENUM ('ok', 'sad')", 'CREATE TYPE public.mood (enum type) has no IF NOT EXISTS form', "IF to_regtype('public.mood') IS NULL THEN CREATE TYPE public.mood AS ENUM ('ok', 'sad'); END IF;"],
    ['CREATE TYPE address AS (street text)', 'CREATE TYPE address (composite type)', "to_regtype('address') IS NULL"],
    ['CREATE DOMAIN email AS text', 'CREATE DOMAIN email (domain)', "to_regtype('email') IS NULL"],
    ['CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE FUNCTION audit()', 'CREATE EVENT TRIGGER audit_ddl', 'DROP EVENT TRIGGER IF EXISTS audit_ddl;'],
    ['CREATE PUBLICATION changes FOR TABLE documents', 'CREATE PUBLICATION changes', "NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'changes')"],
    ['CREATE ROLE reporting NOLOGIN', 'CREATE ROLE reporting', "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reporting') THEN CREATE ROLE reporting NOLOGIN; END IF;"],
    ['CREATE CAST (text AS mood) WITH INOUT', 'CREATE CAST (text AS mood)', 'DROP CAST IF EXISTS (text AS mood);'],
    ['ALTER TABLE documents RENAME CONSTRAINT a TO b', 'RENAME CONSTRAINT a TO b fails when the migration runs a second time', "conname = 'a' AND conrelid = 'documents'::regclass"],
    ['ALTER INDEX documents_a_idx RENAME TO documents_b_idx', 'ALTER INDEX documents_a_idx RENAME TO documents_b_idx fails', 'ALTER INDEX IF EXISTS documents_a_idx RENAME TO documents_b_idx'],
    ["ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy'", "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy' fails", "enumtypid = 'mood'::regtype AND enumlabel = 'sad'"],
    ['ALTER TYPE mood RENAME TO feeling', 'ALTER TYPE mood RENAME TO feeling fails', "to_regtype('mood') IS NOT NULL"],
    ['ALTER FUNCTION app.f() RENAME TO g', 'ALTER FUNCTION app.f RENAME TO g fails', "proname = 'f' AND pronamespace = 'app'::regnamespace"],
    ['ALTER TRIGGER tg ON documents RENAME TO tg2', 'ALTER TRIGGER tg ON documents RENAME TO tg2 fails', "tgname = 'tg' AND tgrelid = 'documents'::regclass"],
    ['ALTER DOMAIN email ADD CONSTRAINT email_check CHECK (VALUE LIKE \'%@%\')', 'ALTER DOMAIN email ADD CONSTRAINT email_check', "contypid = 'email'::regtype"],
  ])('reports %s', async (sql, message, hint) => {
    const findings = await lint(`${sql};`);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain(message);
    expect(findings[0]!.hint).toContain(hint);
  });

  it('accepts re-runnable renames of indexes, views and sequences with IF EXISTS', async () => {
    expect(await lint('ALTER INDEX IF EXISTS a RENAME TO b; ALTER VIEW IF EXISTS v RENAME TO w; ALTER SEQUENCE IF EXISTS s RENAME TO t;')).toEqual([]);
  });

  it('leaves RENAME COLUMN and RENAME of tables to idempotent-alter-column', async () => {
    expect(await lint('ALTER TABLE t RENAME COLUMN a TO b; ALTER TABLE t RENAME TO u;')).toEqual([]);
  });

  it('reports CREATE TRIGGER before PostgreSQL 14 only (OR REPLACE exists from 14)', async () => {
    const sql = 'CREATE TRIGGER set_updated BEFORE UPDATE ON public.documents FOR EACH ROW EXECUTE FUNCTION touch();';
    const [finding] = await lint(sql, 13);
    expect(finding!.message).toBe(
      'CREATE TRIGGER set_updated ON public.documents fails when the migration runs a second time: CREATE OR REPLACE TRIGGER needs PostgreSQL 14 (target: 13)',
    );
    expect(finding!.hint).toBe('put "DROP TRIGGER IF EXISTS set_updated ON public.documents;" right before it');
    expect(await lint(sql, 14)).toEqual([]);
    expect(await lint('CREATE CONSTRAINT TRIGGER c AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();', 15)).toHaveLength(1);
  });

  it('reports CREATE OR REPLACE TRIGGER when the target is before PostgreSQL 14', async () => {
    const sql = 'CREATE OR REPLACE TRIGGER tg BEFORE UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION touch();';
    const [finding] = await lint(sql, 13);
    expect(finding!.message).toBe('CREATE OR REPLACE TRIGGER tg ON documents needs PostgreSQL 14 (target: 13): it is a syntax error there');
    expect(finding!.hint).toBe('write "DROP TRIGGER IF EXISTS tg ON documents;" followed by a plain CREATE TRIGGER');
    expect(await lint(sql, 14)).toEqual([]);
  });

  it('reports an unguarded statement inside a DO block at its own position', async () => {
    const findings = await lint("DO $$\nBEGIN\n  CREATE TYPE mood AS ENUM ('ok');\nEND $$;");
    expect(findings.map((finding) => [finding.line, finding.column])).toEqual([[3, 3]]);
  });
});
