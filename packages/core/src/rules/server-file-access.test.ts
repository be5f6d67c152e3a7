import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'server-file-access';

const migration = (sql: string) => `${header()}\n${sql}`;

/** 1-based line and column of the first occurrence of `needle`. */
function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('server-file-access', () => {
  it('reports COPY to and from a server file, naming the path', async () => {
    const text = migration(`COPY public.documents TO '/tmp/documents.csv' WITH (FORMAT csv);
COPY public.icd10_codes (code, label) FROM '/var/lib/postgresql/icd10.csv' WITH (FORMAT csv, HEADER);
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.severity, finding.message])).toEqual([
      [at(text, 'COPY public.documents').line, 'error', "COPY ... TO '/tmp/documents.csv' writes a file on the database server with the server's privileges"],
      [at(text, 'COPY public.icd10').line, 'error', "COPY ... FROM '/var/lib/postgresql/icd10.csv' reads a file of the database server with the server's privileges"],
    ]);
    expect(findings[0].hint).toContain('TO STDOUT');
    expect(findings[1].hint).toContain('FROM STDIN');
  });

  it('reports lo_import, lo_export and pg_read_file calls at the call, unqualified or in pg_catalog', async () => {
    const text = migration(`SELECT lo_export(loid, '/tmp/scan.pdf') FROM public.document_blobs WHERE id = 1;
INSERT INTO public.document_blobs (loid) VALUES (pg_catalog.lo_import('/etc/passwd'));
SELECT pg_read_file('/etc/hostname');
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.column, finding.message])).toEqual([
      [at(text, 'lo_export').line, at(text, 'lo_export').column, "lo_export() writes a large object to a file on the database server with the server's privileges"],
      [at(text, 'pg_catalog.lo_import').line, at(text, 'pg_catalog.lo_import').column, "lo_import() reads a file of the database server into a large object with the server's privileges"],
      [at(text, 'pg_read_file').line, at(text, 'pg_read_file').column, "pg_read_file() reads a file of the database server with the server's privileges"],
    ]);
    expect(findings[0].hint).toContain('\\lo_export');
  });

  it('finds them in DO blocks and function bodies: PERFORM, assignments, declarations, SELECT INTO, EXECUTE of a constant', async () => {
    const text = migration(`DO $$
DECLARE
  v_oid oid := lo_import('/etc/ssl/private/server.key');
BEGIN
  PERFORM lo_export(v_oid, '/tmp/key');
END $$;

CREATE OR REPLACE FUNCTION public.attach_scan(p_path text) RETURNS oid LANGUAGE plpgsql SET search_path = '' AS $fn$
DECLARE
  v_oid oid;
BEGIN
  v_oid := lo_import(p_path);
  SELECT lo_export(v_oid, '/tmp/copy') INTO v_oid;
  EXECUTE 'COPY public.documents FROM ''/tmp/documents.csv''';
  RETURN v_oid;
END;
$fn$;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message.replace(/ with the server's privileges.*/, '')])).toEqual([
      [at(text, "lo_import('/etc").line, 'lo_import() reads a file of the database server into a large object'],
      [at(text, 'PERFORM lo_export').line, 'lo_export() writes a large object to a file on the database server'],
      [at(text, 'v_oid := lo_import').line, 'lo_import() reads a file of the database server into a large object'],
      [at(text, "SELECT lo_export(v_oid, '/tmp/copy')").line, 'lo_export() writes a large object to a file on the database server'],
      [at(text, "EXECUTE 'COPY").line, "COPY ... FROM '/tmp/documents.csv' reads a file of the database server"],
    ]);
    expect(findings[1].message).toContain('(in the DO block on line');
    expect(findings[2].message).toContain('(in the body of public.attach_scan on line');
  });

  it('finds them in LANGUAGE sql function bodies, string and BEGIN ATOMIC, reported at the function', async () => {
    const text = migration(`CREATE OR REPLACE FUNCTION public.read_key() RETURNS text LANGUAGE sql AS $$
  SELECT pg_read_file('/etc/ssl/private/server.key')
$$;
CREATE OR REPLACE FUNCTION public.import_scan(p_path text) RETURNS oid LANGUAGE sql
BEGIN ATOMIC
  SELECT lo_import(p_path);
END;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message])).toEqual([
      [at(text, 'CREATE OR REPLACE FUNCTION public.read_key').line, `pg_read_file() reads a file of the database server with the server's privileges (in the body of public.read_key on line ${at(text, 'public.read_key').line}, run each time it is called)`],
      [at(text, 'lo_import(p_path)').line, "lo_import() reads a file of the database server into a large object with the server's privileges"],
    ]);
  });

  it('near misses stay clean: STDIN/STDOUT, PROGRAM (another rule), other large-object functions, same-named functions elsewhere, strings', async () => {
    const text = migration(`COPY public.documents TO STDOUT;
COPY public.documents FROM STDIN WITH (FORMAT csv);
COPY (SELECT 1) TO PROGRAM 'true';
SELECT lo_create(0), lo_unlink(42), lo_get(42), lo_from_bytea(0, '\\x00'::bytea);
SELECT reports.lo_export(1, 'summary');
SELECT public.lo_export_summary();
COMMENT ON FUNCTION public.attach_scan(text) IS 'never use lo_import(''/x'') here';
DO $$
BEGIN
  PERFORM lo_unlink(42);
  RAISE NOTICE 'lo_export is not called: %', 'pg_read_file';
END $$;
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('can be suppressed with a reason, at a statement or a PERFORM inside a DO block', async () => {
    const text = migration(`-- pgwarden-ignore server-file-access -- reference data shipped with the server image, reviewed in SEC-150
COPY public.icd10_codes (code, label) FROM '/opt/reference/icd10.csv' WITH (FORMAT csv);
DO $$
BEGIN
  -- pgwarden-ignore server-file-access -- lab export folder mounted read-only, SEC-151
  PERFORM lo_import('/mnt/lab/ref.pdf');
END $$;
`);
    expect(await runRule([RULE, 'unused-ignore'], text)).toEqual([]);
  });
});
