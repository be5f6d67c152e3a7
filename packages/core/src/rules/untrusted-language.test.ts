import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'untrusted-language';

const migration = (sql: string) => `${header()}\n${sql}`;
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('untrusted-language', () => {
  it('reports installing an untrusted language, by CREATE LANGUAGE or CREATE EXTENSION', async () => {
    const text = migration(`CREATE LANGUAGE plpython3u;
CREATE EXTENSION IF NOT EXISTS plperlu;
CREATE EXTENSION pltclu WITH SCHEMA pg_catalog;
CREATE OR REPLACE LANGUAGE plsh HANDLER plsh_handler;
CREATE TRUSTED LANGUAGE plr HANDLER plr_call_handler;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.severity, finding.message])).toEqual([
      [lineOf(text, 'CREATE LANGUAGE plpython3u'), 'error', "CREATE EXTENSION plpython3u installs an untrusted language: its functions run code with full access to the server's files, network and processes"],
      [lineOf(text, 'plperlu'), 'error', "CREATE EXTENSION plperlu installs an untrusted language: its functions run code with full access to the server's files, network and processes"],
      [lineOf(text, 'pltclu'), 'error', "CREATE EXTENSION pltclu installs an untrusted language: its functions run code with full access to the server's files, network and processes"],
      [lineOf(text, 'plsh'), 'error', "CREATE LANGUAGE plsh installs an untrusted language: its functions run code with full access to the server's files, network and processes"],
      [lineOf(text, 'CREATE TRUSTED'), 'error', "CREATE TRUSTED LANGUAGE plr installs an untrusted language: its functions run code with full access to the server's files, network and processes"],
    ]);
  });

  it('reports functions, procedures and DO blocks in untrusted languages, C and internal', async () => {
    const text = migration(`CREATE OR REPLACE FUNCTION public.ocr_page(p_path text) RETURNS text LANGUAGE plpython3u AS $py$
import subprocess
return subprocess.check_output(['tesseract', p_path, '-'])
$py$;
CREATE OR REPLACE PROCEDURE public.rotate_logs() LANGUAGE plperlu AS $pl$ system('logrotate -f /etc/logrotate.conf'); $pl$;
CREATE OR REPLACE FUNCTION public.fast_hash(bytea) RETURNS int4 LANGUAGE c STRICT AS 'hashlib', 'fast_hash';
CREATE OR REPLACE FUNCTION public.my_textin(cstring) RETURNS text LANGUAGE internal AS 'textin';
DO LANGUAGE plpython3u $py$ import os; os.system('id') $py$;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message])).toEqual([
      [lineOf(text, 'public.ocr_page'), "function public.ocr_page in the untrusted language plpython3u runs code with full access to the server's files, network and processes"],
      [lineOf(text, 'public.rotate_logs'), "procedure public.rotate_logs in the untrusted language plperlu runs code with full access to the server's files, network and processes"],
      [lineOf(text, 'public.fast_hash'), 'function public.fast_hash in the untrusted language c runs native code inside the server process'],
      [lineOf(text, 'public.my_textin'), 'function public.my_textin in the untrusted language internal runs native code inside the server process'],
      [lineOf(text, 'DO LANGUAGE'), "DO block in the untrusted language plpython3u runs code with full access to the server's files, network and processes"],
    ]);
  });

  it('finds a function created by EXECUTE of a constant string in a DO block', async () => {
    const text = migration(`DO $$
BEGIN
  EXECUTE 'CREATE FUNCTION public.shell(cmd text) RETURNS text LANGUAGE plpython3u AS ''import os; return os.popen(cmd).read()''';
END $$;
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0].line).toBe(lineOf(text, "EXECUTE 'CREATE"));
    expect(findings[0].message).toContain('function public.shell in the untrusted language plpython3u');
    expect(findings[0].message).toContain('(in the DO block on line');
  });

  it('near misses stay clean: trusted languages, ordinary extensions, DROP and ALTER', async () => {
    const text = migration(`CREATE EXTENSION IF NOT EXISTS plperl;
CREATE EXTENSION IF NOT EXISTS pltcl;
CREATE EXTENSION IF NOT EXISTS plv8;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;
CREATE TRUSTED LANGUAGE plsample HANDLER plsample_call_handler;
CREATE OR REPLACE FUNCTION public.bmi(weight_kg numeric, height_cm numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT round(weight_kg / ((height_cm / 100.0) ^ 2), 1) $$;
CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE OR REPLACE FUNCTION public.slugify(t text) RETURNS text LANGUAGE plperl AS $pl$ my ($t) = @_; $t =~ s/\\W+/-/g; return lc $t; $pl$;
DROP FUNCTION IF EXISTS public.ocr_page(text);
DROP EXTENSION IF EXISTS plpython3u;
DO $$ BEGIN RAISE NOTICE 'plpython3u is not used'; END $$;
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('can be suppressed with a reason', async () => {
    const text = migration(`-- pgwarden-ignore untrusted-language -- self-hosted analytics cluster, approved by security in SEC-160
CREATE OR REPLACE FUNCTION public.ocr_page(p_path text) RETURNS text LANGUAGE plpython3u AS $py$ return p_path $py$;
`);
    expect(await runRule([RULE, 'unused-ignore'], text)).toEqual([]);
  });
});
