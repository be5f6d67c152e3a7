import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'role-password-literal';

const migration = (sql: string) => `${header()}\n${sql}`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('role-password-literal', () => {
  it('reports a PASSWORD literal in CREATE ROLE, CREATE USER and ALTER ROLE/USER, at PASSWORD, never printing it', async () => {
    const text = migration(`CREATE ROLE reporting_bot LOGIN PASSWORD 'Tr0ub4dor&3';
CREATE USER etl_loader WITH ENCRYPTED PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy';
ALTER ROLE reporting_bot WITH PASSWORD 'n3w-s3cret' VALID UNTIL '2026-01-01';
ALTER USER CURRENT_USER PASSWORD 'md5d41d8cd98f00b204e9800998ecf8427e';
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.column, finding.severity, finding.message])).toEqual([
      [at(text, "PASSWORD 'Tr0").line, at(text, "PASSWORD 'Tr0").column, 'error', 'CREATE ROLE reporting_bot sets a PASSWORD literal: the secret (or its hash) is committed to git with the migration'],
      [at(text, 'ENCRYPTED').line, at(text, 'ENCRYPTED').column, 'error', 'CREATE USER etl_loader sets a PASSWORD literal: the secret (or its hash) is committed to git with the migration'],
      [at(text, "PASSWORD 'n3w").line, at(text, "PASSWORD 'n3w").column, 'error', 'ALTER ROLE reporting_bot sets a PASSWORD literal: the secret (or its hash) is committed to git with the migration'],
      [at(text, "PASSWORD 'md5").line, at(text, "PASSWORD 'md5").column, 'error', 'ALTER ROLE CURRENT_USER sets a PASSWORD literal: the secret (or its hash) is committed to git with the migration'],
    ]);
    const printed = JSON.stringify(findings);
    for (const secret of ['Tr0ub4dor', 'SCRAM-SHA-256', 'n3w-s3cret', 'md5d41d8']) expect(printed).not.toContain(secret);
    expect(findings[0].hint).toContain('PASSWORD NULL');
  });

  it('finds it in DO blocks (a constant EXECUTE included) and function bodies', async () => {
    const text = migration(`DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reporting_bot') THEN
    CREATE ROLE reporting_bot LOGIN PASSWORD 'hunter2';
  END IF;
  EXECUTE 'ALTER ROLE etl_loader PASSWORD ''hunter3''';
END $$;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => finding.line)).toEqual([at(text, "PASSWORD 'hunter2'").line, at(text, 'hunter3').line]);
    expect(findings[0].message).toContain('(in the DO block on line');
    expect(JSON.stringify(findings)).not.toContain('hunter');
  });

  it('near misses stay clean: PASSWORD NULL, roles without a password, other options, the word in strings', async () => {
    const text = migration(`CREATE ROLE reporting_bot NOLOGIN;
ALTER ROLE reporting_bot PASSWORD NULL;
CREATE USER etl_loader WITH LOGIN CONNECTION LIMIT 2;
ALTER ROLE etl_loader VALID UNTIL 'infinity';
ALTER ROLE etl_loader SET statement_timeout = '30s';
ALTER ROLE etl_loader RENAME TO etl_bot;
COMMENT ON ROLE etl_bot IS 'PASSWORD ''x'' is set by ops';
UPDATE public.app_users SET password_hash = crypt('changeme', gen_salt('bf')) WHERE false;
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('can be suppressed with a reason', async () => {
    const text = migration(`-- pgwarden-ignore role-password-literal -- throwaway role of the local demo database only, no real data
CREATE ROLE demo_reader LOGIN PASSWORD 'demo';
`);
    expect(await runRule([RULE, 'unused-ignore'], text)).toEqual([]);
  });
});
