import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'dynamic-execute';

const migration = (sql: string) => `${header()}\n${sql}`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** A DO block running `body` with a text variable t read from the catalog (not a constant), and a record r. */
const inDo = (body: string) => migration(`DO $$
DECLARE
  t text;
  v_sql text;
  r record;
BEGIN
  SELECT table_name INTO t FROM information_schema.tables WHERE table_schema = 'public' LIMIT 1;
${body}
END $$;
`);

describe('dynamic-execute', () => {
  it('warns on EXECUTE of a concatenated string, at the expression, naming it', async () => {
    const text = inDo(`  EXECUTE 'DROP TABLE public.' || t;`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'warning', ...at(text, "'DROP TABLE public.' || t") });
    expect(findings[0].message).toBe(
      `EXECUTE of a string built at run time ('DROP TABLE public.' || t): a value spliced into it can change the statement (SQL injection) (in the DO block on line ${at(text, 'DO $$').line})`,
    );
    expect(findings[0].hint).toContain('%I for identifiers and %L for literals');
  });

  it('warns on format() with %s of a non-constant, or without a constant format string', async () => {
    const text = inDo(`  EXECUTE format('DELETE FROM public.%s WHERE id = 1', t);
  EXECUTE format(v_sql, t);
  EXECUTE format(VARIADIC ARRAY['SELECT 1']);
  EXECUTE format('ALTER TABLE %I ADD COLUMN %s', t, t || ' text');`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message.replace(/ \(in the DO block.*/, '')])).toEqual([
      [at(text, "format('DELETE").line, "EXECUTE of a string built at run time (format('DELETE FROM public.%s WHERE id = 1', t)): format() puts an argument into the statement unquoted with %s; use %I (identifier) or %L (literal)"],
      [at(text, 'format(v_sql').line, 'EXECUTE of a string built at run time (format(v_sql, t)): format() without a constant format string can produce any statement'],
      [at(text, 'format(VARIADIC').line, "EXECUTE of a string built at run time (format(VARIADIC ARRAY['SELECT 1'])): format() without a constant format string can produce any statement"],
      [at(text, "format('ALTER TABLE %I ADD").line, "EXECUTE of a string built at run time (format('ALTER TABLE %I ADD COLUMN %s', t, t || ' text')): format() puts an argument into the statement unquoted with %s; use %I (identifier) or %L (literal)"],
    ]);
  });

  it('warns on a variable built unsafely, a parameter, and FOR/RETURN QUERY/OPEN ... EXECUTE, in function bodies too', async () => {
    const text = migration(`CREATE OR REPLACE FUNCTION public.purge(p_table text, p_where text) RETURNS SETOF record LANGUAGE plpgsql AS $fn$
DECLARE
  v_sql text;
  r record;
  c refcursor;
BEGIN
  v_sql := 'DELETE FROM ' || p_table || ' WHERE ' || p_where;
  EXECUTE v_sql;
  EXECUTE p_where;
  FOR r IN EXECUTE 'SELECT * FROM ' || p_table LOOP
    RETURN NEXT r;
  END LOOP;
  RETURN QUERY EXECUTE 'SELECT * FROM ' || p_table;
  OPEN c FOR EXECUTE 'SELECT * FROM ' || p_table;
END;
$fn$;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => finding.line)).toEqual([
      at(text, 'EXECUTE v_sql').line,
      at(text, 'EXECUTE p_where').line,
      at(text, 'FOR r IN EXECUTE').line,
      at(text, 'RETURN QUERY EXECUTE').line,
      at(text, 'OPEN c FOR EXECUTE').line,
    ]);
    expect(findings[0].message).toContain('(in the body of public.purge on line');
  });

  it('the safe idioms stay clean: constant strings, format() with %I/%L (and %s of a constant), quote_ident/quote_literal, USING, safely built variables', async () => {
    const text = inDo(`  EXECUTE 'ANALYZE public.appointments';
  EXECUTE format('ALTER TABLE public.%I ADD COLUMN IF NOT EXISTS %I text', t, 'note');
  EXECUTE format('UPDATE public.%I SET note = %L WHERE id = $1', t, 'checked') USING 42;
  EXECUTE format('CREATE INDEX IF NOT EXISTS %1$I ON public.%2$I (%3$I) %4$s', t || '_idx', t, 'created_at', 'WITH (fillfactor = 90)');
  EXECUTE format('SELECT %*s, %-10L, 100%%', 5, 'x', t);
  EXECUTE 'DROP TABLE IF EXISTS public.' || quote_ident(t) || ' CASCADE';
  EXECUTE 'COMMENT ON TABLE public.' || quote_ident(t) || ' IS ' || quote_literal(t);
  EXECUTE concat('VACUUM ', quote_ident(t));
  EXECUTE 'SELECT count(*) FROM public.appointments WHERE clinic_id = $1' INTO r USING t;
  v_sql := format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
  EXECUTE v_sql;
  v_sql := v_sql || format('; ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', t);
  EXECUTE v_sql;
  FOR r IN EXECUTE format('SELECT id FROM public.%I', t) LOOP
    NULL;
  END LOOP;`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('a variable assigned only constants is a constant', async () => {
    const text = migration(`DO $$
DECLARE
  t text := 'appointments';
BEGIN
  IF random() > 2 THEN
    t := 'visits';
  END IF;
  EXECUTE 'ANALYZE public.' || t;
END $$;
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('a variable is judged per body: a safe assignment in another function does not vouch for it', async () => {
    const text = migration(`CREATE OR REPLACE FUNCTION public.a() RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE v_sql text;
BEGIN
  v_sql := format('ANALYZE %I', 'x');
  EXECUTE v_sql;
END;
$fn$;
CREATE OR REPLACE FUNCTION public.b(v_sql text) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE v_sql;
END;
$fn$;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => finding.line)).toEqual([text.split('\n').findIndex((line, index) => index > at(text, 'public.b(').line && line.includes('EXECUTE v_sql')) + 1]);
  });

  it('can be suppressed with a reason', async () => {
    const text = inDo(`  -- pgwarden-ignore dynamic-execute -- t comes from the constant list above, never from input
  EXECUTE 'ANALYZE public.' || t;`);
    expect(await runRule([RULE, 'unused-ignore'], text)).toEqual([]);
  });
});
