import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'unused-ignore';

const migration = (sql: string) => `${header()}\n${sql}`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

const ADD_COLUMN = 'ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;\n';

describe('unused-ignore', () => {
  it('lets an ignore silence the finding of the statement below it, and reports nothing', async () => {
    const text = migration(`-- pgwarden-ignore transaction-control -- applied by hand through psql during the incident
BEGIN;
${ADD_COLUMN}COMMIT;
`);
    const findings = await runRule(['transaction-control', RULE], text);
    // BEGIN is silenced; COMMIT, which has no ignore, is still reported.
    expect(findings.map((finding) => [finding.rule, finding.line])).toEqual([['transaction-control', at(text, 'COMMIT').line]]);
  });

  it('binds the ignore to the next statement only', async () => {
    const text = migration(`-- pgwarden-ignore transaction-control -- the next statement only
${ADD_COLUMN}BEGIN;
`);
    const findings = await runRule(['transaction-control', RULE], text);
    expect(findings.map((finding) => [finding.rule, finding.severity, finding.line, finding.message])).toEqual([
      [RULE, 'warning', at(text, '-- pgwarden-ignore').line, 'pgwarden-ignore transaction-control silences nothing here'],
      ['transaction-control', 'error', at(text, 'BEGIN').line, 'BEGIN without a COMMIT after it: psql would roll the whole file back at its end, so it is unclear whether the file means to apply: add COMMIT; at the end, or remove the BEGIN'],
    ]);
  });

  it('reports an unknown rule id as an error, at the comment', async () => {
    const text = migration(`-- pgwarden-ignore transaction-controll -- typo
BEGIN;
`);
    const findings = await runRule(['transaction-control', RULE], text);
    // The position of the directive word, after "-- ".
    const comment = at(text, 'pgwarden-ignore transaction-controll');
    expect(findings.map((finding) => [finding.rule, finding.severity, finding.line, finding.column, finding.message])).toEqual([
      [RULE, 'error', comment.line, comment.column, 'pgwarden-ignore names unknown rule "transaction-controll"'],
      ['transaction-control', 'error', at(text, 'BEGIN').line, 1, 'BEGIN without a COMMIT after it: psql would roll the whole file back at its end, so it is unclear whether the file means to apply: add COMMIT; at the end, or remove the BEGIN'],
    ]);
    expect(findings[0].hint).toBe('use a rule id listed in docs/rules/');
  });

  it('reports an ignore that names no rule', async () => {
    const text = migration(`-- pgwarden-ignore -- just in case
${ADD_COLUMN}`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([['error', 'pgwarden-ignore names no rule']]);
  });

  it('judges each listed rule separately', async () => {
    const text = migration(`-- pgwarden-ignore transaction-control, no-emoji -- legacy wrapper
BEGIN;
`);
    const findings = await runRule(['transaction-control', 'no-emoji', RULE], text);
    expect(findings.map((finding) => [finding.rule, finding.message])).toEqual([[RULE, 'pgwarden-ignore no-emoji silences nothing here']]);
  });

  it('does not judge rules that are not running (turned off or not selected)', async () => {
    const text = migration(`-- pgwarden-ignore no-emoji -- the label is shown as is
${ADD_COLUMN}`);
    expect(await runRule(['transaction-control', RULE], text)).toEqual([]);
  });

  it('reports a statement-level ignore with no statement after it', async () => {
    const text = migration(`${ADD_COLUMN}-- pgwarden-ignore transaction-control -- left over
`);
    const findings = await runRule(['transaction-control', RULE], text);
    expect(findings.map((finding) => finding.message)).toEqual([
      'pgwarden-ignore transaction-control silences nothing here',
      'pgwarden-ignore is not followed by a statement',
    ]);
  });

  it('applies a file-level ignore to the whole file, and reports it when it silences nothing', async () => {
    const wrapped = migration(`-- pgwarden-ignore-file transaction-control -- imported from the legacy runner, which needs explicit transactions
BEGIN;
${ADD_COLUMN}COMMIT;
`);
    expect(await runRule(['transaction-control', RULE], wrapped)).toEqual([]);

    const clean = migration(`-- pgwarden-ignore-file transaction-control -- no longer needed
${ADD_COLUMN}`);
    const findings = await runRule(['transaction-control', RULE], clean);
    expect(findings.map((finding) => [finding.line, finding.severity, finding.message])).toEqual([
      [at(clean, '-- pgwarden-ignore-file').line, 'warning', 'pgwarden-ignore transaction-control silences nothing here'],
    ]);
  });

  it('follows the configured severity for unused ignores, but unknown ids stay errors', async () => {
    const text = migration(`-- pgwarden-ignore transaction-control, not-a-rule -- stale
${ADD_COLUMN}`);
    const findings = await runRule(['transaction-control', RULE], text, { config: { rules: { [RULE]: 'info' } } });
    expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([
      ['info', 'pgwarden-ignore transaction-control silences nothing here'],
      ['error', 'pgwarden-ignore names unknown rule "not-a-rule"'],
    ]);
  });

  it('accepts function verifier ids inside a function body (the verifier judges them), but not their typos', async () => {
    const text = migration(`CREATE OR REPLACE FUNCTION public.user_orders(p_user uuid) RETURNS TABLE (id int, amount numeric)
LANGUAGE plpgsql AS $$
BEGIN
  -- pgwarden-ignore function-ambiguous-column -- the OUT columns are the table's, by design
  RETURN QUERY SELECT id, amount FROM public.orders WHERE user_id = p_user;
  -- pgwarden-ignore function-ambiguos-column -- typo
  RETURN QUERY SELECT id, amount FROM public.orders WHERE user_id = p_user;
END;
$$;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message])).toEqual([
      [at(text, '-- pgwarden-ignore function-ambiguos-column').line, 'pgwarden-ignore names unknown rule "function-ambiguos-column"'],
      // Lint sees only the DDL and DML of a body, so for a lint comment RETURN QUERY is no statement.
      [at(text, '-- pgwarden-ignore function-ambiguos-column').line, 'pgwarden-ignore is not followed by a statement'],
    ]);
  });
});
