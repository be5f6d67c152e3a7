import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'psql-meta-command';

const migration = (sql: string) => `${header()}\n${sql}`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('psql-meta-command', () => {
  it('reports \\echo at its line, with the RAISE NOTICE hint', async () => {
    const text = migration(`\\echo 'Adding processing_time_minutes...'
ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', ...at(text, '\\echo') });
    expect(findings[0].message).toBe('psql meta-command \\echo is not SQL and fails outside psql');
    expect(findings[0].hint).toBe('remove it, or turn it into a comment (-- ...) or RAISE NOTICE inside a DO block');
  });

  it('reports other meta-commands, indented ones included, and does not turn them into syntax errors', async () => {
    const text = migration(`\\set ON_ERROR_STOP on
  \\i current_schema/02_profiles.sql
ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;
`);
    const findings = await runRule([RULE, 'syntax'], text);
    expect(findings.map((finding) => [finding.rule, finding.line, finding.column, finding.message])).toEqual([
      [RULE, at(text, '\\set').line, 1, 'psql meta-command \\set is not SQL and fails outside psql'],
      [RULE, at(text, '\\i').line, 3, 'psql meta-command \\i is not SQL and fails outside psql'],
    ]);
    expect(findings[1].hint).toBe('remove it: pgwarden runs plain SQL over a connection, not through psql');
  });

  it('does not mistake backslashes inside strings or dollar-quoted bodies for meta-commands', async () => {
    const text = migration(`COMMENT ON TABLE public.documents IS '
\\echo is not a command inside a string';
DO $$
BEGIN
  RAISE NOTICE '%', E'\\\\n';
END $$;
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('accepts a file without meta-commands', async () => {
    expect(await runRule(RULE, migration('ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;\n'))).toEqual([]);
  });
});
