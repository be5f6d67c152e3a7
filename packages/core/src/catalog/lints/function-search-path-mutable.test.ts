import { describe, expect, it } from 'vitest';
import { lintDatabase } from './__fixtures__/lint-database.js';

const ID = 'function-search-path-mutable';
const { lint } = lintDatabase(ID);

const definer = (name: string, setting: string) => `
  CREATE FUNCTION public.${name}(p_id uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER ${setting}
  AS $$ SELECT p_id = auth.uid() $$;`;

describe(ID, () => {
  it('reports a SECURITY DEFINER function without search_path, with the ALTER that fixes it', async () => {
    const findings = await lint(definer('is_self', ''));
    expect(findings).toEqual([
      {
        rule: ID,
        severity: 'error',
        object: { kind: 'function', key: 'public.is_self(uuid)' },
        message: "SECURITY DEFINER function public.is_self(uuid) has no fixed search_path: it runs with the privileges of postgres and resolves names with the caller's search_path",
        hint: "ALTER FUNCTION public.is_self(uuid) SET search_path = ''; and schema-qualify every name in its body (or SET search_path = public, pg_temp)",
      },
    ]);
  });

  it('reports a SECURITY DEFINER procedure in any schema', async () => {
    const findings = await lint('CREATE SCHEMA jobs; CREATE PROCEDURE jobs.sweep(VARIADIC ids int[]) LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN END $$;');
    expect(findings.map((finding) => [finding.object.key, finding.hint])).toEqual([
      ['jobs.sweep(integer[])', "ALTER PROCEDURE jobs.sweep(VARIADIC integer[]) SET search_path = ''; and schema-qualify every name in its body (or SET search_path = public, pg_temp)"],
    ]);
  });

  it("stays clean: SET search_path = '', a trusted list, a later ALTER FUNCTION ... SET, a SECURITY INVOKER function", async () => {
    expect(
      await lint(`
        ${definer('a', "SET search_path = ''")}
        ${definer('b', 'SET search_path = public, pg_temp')}
        ${definer('c', '')}
        ALTER FUNCTION public.c(uuid) SET search_path = '';
        CREATE FUNCTION public.d() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
      `),
    ).toEqual([]);
  });

  it('ignores other settings that are not search_path', async () => {
    const findings = await lint(definer('e', 'SET statement_timeout = 1000'));
    expect(findings.map((finding) => finding.object.key)).toEqual(['public.e(uuid)']);
  });
});
