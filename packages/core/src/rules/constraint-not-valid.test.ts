import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const ID = 'constraint-not-valid';
const lint = (sql: string) => runRule(ID, sql);

describe(ID, () => {
  it('accepts NOT VALID constraints and constraints attached USING INDEX', async () => {
    const sql = `
ALTER TABLE public.documents ADD CONSTRAINT documents_owner_fk FOREIGN KEY (owner_id) REFERENCES auth.users (id) NOT VALID;
ALTER TABLE public.documents ADD CONSTRAINT documents_size_check CHECK (size >= 0) NOT VALID;
ALTER TABLE public.documents ADD CONSTRAINT documents_slug_key UNIQUE USING INDEX documents_slug_key;
ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS reviewer uuid REFERENCES auth.users (id);
`;
    expect(await lint(sql)).toEqual([]);
  });

  it('reports a FOREIGN KEY without NOT VALID, naming both tables', async () => {
    const findings = await lint('SELECT 1;\nALTER TABLE public.documents\n  ADD CONSTRAINT documents_owner_fk FOREIGN KEY (owner_id) REFERENCES auth.users (id);');
    expect(findings).toEqual([
      expect.objectContaining({
        rule: ID,
        severity: 'warning',
        line: 2,
        column: 1,
        message:
          'ADD CONSTRAINT documents_owner_fk FOREIGN KEY on public.documents without NOT VALID checks every existing row while holding SHARE ROW EXCLUSIVE locks on public.documents and auth.users: writes to both wait',
      }),
    ]);
    expect(findings[0]!.hint).toContain('"ALTER TABLE public.documents VALIDATE CONSTRAINT documents_owner_fk;"');
  });

  it('reports a CHECK without NOT VALID', async () => {
    const [finding] = await lint('ALTER TABLE documents ADD CONSTRAINT documents_size_check CHECK (size >= 0);');
    expect(finding!.message).toBe(
      'ADD CONSTRAINT documents_size_check CHECK on documents without NOT VALID checks every existing row while holding an ACCESS EXCLUSIVE lock on documents: reads and writes wait',
    );
  });

  it('does not accept a VALIDATE after a constraint that was not added NOT VALID', async () => {
    const findings = await lint('ALTER TABLE documents ADD CONSTRAINT c CHECK (size >= 0);\nALTER TABLE documents VALIDATE CONSTRAINT c;');
    expect(findings.map((finding) => finding.line)).toEqual([1]);
  });

  it('reports VALIDATE in the same transaction as ADD ... NOT VALID, but not in a no-transaction file', async () => {
    const sql = 'ALTER TABLE documents ADD CONSTRAINT c CHECK (size >= 0) NOT VALID;\nALTER TABLE documents VALIDATE CONSTRAINT c;';
    const [finding] = await lint(sql);
    expect(finding!.line).toBe(2);
    expect(finding!.message).toBe(
      'VALIDATE CONSTRAINT c on documents runs in the same transaction as its ADD CONSTRAINT ... NOT VALID (line 1): the ACCESS EXCLUSIVE (reads and writes wait) lock taken by ADD is held while every row is validated, so NOT VALID gains nothing',
    );
    expect(await lint(`${header({ extra: '-- pgwarden:no-transaction\n' })}${sql}`)).toEqual([]);
    // Validating a constraint added by an earlier migration is the recommended second step.
    expect(await lint('ALTER TABLE documents VALIDATE CONSTRAINT c;')).toEqual([]);
  });

  it('suggests a concurrently built index for UNIQUE and PRIMARY KEY', async () => {
    const [unique] = await lint('ALTER TABLE public.documents ADD CONSTRAINT documents_slug_key UNIQUE (slug);');
    expect(unique!.message).toBe(
      'ADD CONSTRAINT documents_slug_key UNIQUE on public.documents builds its unique index while holding an ACCESS EXCLUSIVE lock on public.documents: reads and writes wait for the whole build',
    );
    expect(unique!.hint).toBe(
      'first "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS documents_slug_key ON public.documents (slug);" in a "-- pgwarden:no-transaction" migration, ' +
        'then "ALTER TABLE public.documents ADD CONSTRAINT documents_slug_key UNIQUE USING INDEX documents_slug_key;"',
    );
    const [primary] = await lint('ALTER TABLE events ADD PRIMARY KEY (id);');
    expect(primary!.hint).toContain('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS events_id_pkey ON events (id)');
    expect(primary!.hint).toContain('make the columns NOT NULL first');
  });

  it('skips tables created in the same file', async () => {
    const sql = `CREATE TABLE IF NOT EXISTS notes (id int, owner uuid);
ALTER TABLE notes ADD CONSTRAINT notes_owner_fk FOREIGN KEY (owner) REFERENCES auth.users (id);
ALTER TABLE notes ADD CONSTRAINT notes_pkey PRIMARY KEY (id);`;
    expect(await lint(sql)).toEqual([]);
  });

  it('checks guarded DO blocks too (the guard makes it re-runnable, not cheap)', async () => {
    const sql = `DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'c') THEN
    ALTER TABLE documents ADD CONSTRAINT c CHECK (size >= 0);
  END IF;
END $$;`;
    const findings = await lint(sql);
    expect(findings.map((finding) => [finding.line, finding.column])).toEqual([[4, 5]]);
  });

  it('reports ALTER DOMAIN ADD CONSTRAINT without NOT VALID', async () => {
    const [finding] = await lint("ALTER DOMAIN email ADD CONSTRAINT email_at CHECK (VALUE LIKE '%@%');");
    expect(finding!.message).toContain('checks every column of type email in every table');
  });
});
