import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'alter-system';

const migration = (sql: string) => `${header()}\n${sql}`;
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('alter-system', () => {
  it('reports ALTER SYSTEM SET, RESET and RESET ALL', async () => {
    const text = migration(`ALTER SYSTEM SET work_mem = '256MB';
ALTER SYSTEM RESET statement_timeout;
ALTER SYSTEM RESET ALL;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.severity, finding.message])).toEqual([
      [lineOf(text, 'SET work_mem'), 'error', 'ALTER SYSTEM on work_mem changes the configuration of the whole server (postgresql.auto.conf), for every database, and no rollback undoes it'],
      [lineOf(text, 'RESET statement'), 'error', 'ALTER SYSTEM on statement_timeout changes the configuration of the whole server (postgresql.auto.conf), for every database, and no rollback undoes it'],
      [lineOf(text, 'RESET ALL'), 'error', 'ALTER SYSTEM RESET ALL changes the configuration of the whole server (postgresql.auto.conf), for every database, and no rollback undoes it'],
    ]);
    expect(findings[0].hint).toContain('ALTER DATABASE ... SET');
  });

  it('finds it in DO blocks and function bodies', async () => {
    const text = migration(`DO $$
BEGIN
  EXECUTE 'ALTER SYSTEM SET log_statement = ''all''';
END $$;
CREATE OR REPLACE FUNCTION public.tune() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  ALTER SYSTEM SET max_parallel_workers = 2;
END;
$fn$;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => finding.line)).toEqual([lineOf(text, "EXECUTE 'ALTER SYSTEM"), lineOf(text, 'ALTER SYSTEM SET max_parallel')]);
    expect(findings[1].message).toContain('(in the body of public.tune on line');
  });

  it('near misses stay clean: settings scoped to a database, role, function or transaction', async () => {
    const text = migration(`ALTER DATABASE postgres SET statement_timeout = '30s';
ALTER ROLE authenticated SET statement_timeout = '8s';
ALTER FUNCTION public.tune() SET work_mem = '64MB';
SET LOCAL lock_timeout = '5s';
SELECT set_config('app.system', 'on', true);
COMMENT ON TABLE public.documents IS 'ALTER SYSTEM is done by operators';
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('can be suppressed with a reason', async () => {
    const text = migration(`-- pgwarden-ignore alter-system -- self-hosted cluster owned by this service, change OPS-77
ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';
`);
    expect(await runRule([RULE, 'unused-ignore'], text)).toEqual([]);
  });
});
