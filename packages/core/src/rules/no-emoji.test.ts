import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'no-emoji';

const migration = (sql: string) => `${header()}\n${sql}`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('no-emoji', () => {
  it('reports an emoji check mark in a trailing comment at its exact position', async () => {
    const text = migration('ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer; -- \u2705 tested\n');
    const findings = await runRule(RULE, text);
    const { line, column } = at(text, '\u2705');
    expect(findings).toEqual([
      {
        file: 'migration_history/2025-10-08_18_add_processing_time_minutes.sql',
        line,
        column,
        endLine: line,
        endColumn: column + 1,
        rule: RULE,
        severity: 'error',
        message: 'emoji U+2705 in a migration file',
        hint: 'write it in words: [X] for done, "OK", "->" for arrows',
      },
    ]);
  });

  it('counts columns in string characters after non-ASCII text, and spans astral emoji', async () => {
    const text = migration("COMMENT ON TABLE public.patients IS 'Zoé → Müller 🚀 done';\n");
    const findings = await runRule(RULE, text);
    const { line, column } = at(text, '🚀');
    expect(findings.map((finding) => [finding.line, finding.column, finding.endColumn, finding.message])).toEqual([
      [line, column, column + 2, 'emoji U+1F680 in a migration file'],
    ]);
  });

  it('reports emoji in the header too', async () => {
    const text = migration('SELECT 1;\n').replace('[X] Bridge schemas', '\u2714 Bridge schemas');
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message])).toEqual([[at(text, '\u2714').line, 'emoji U+2714 in a migration file']]);
  });

  it('reports an emoji with its variation selector once', async () => {
    const text = migration('-- \u26A0\uFE0F locks the table\nSELECT 1;\n');
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.column, finding.endColumn, finding.message])).toEqual([[4, 6, 'emoji U+26A0 in a migration file']]);
  });

  it('reports a ZWJ sequence and a flag as one emoji each', async () => {
    const text = migration('-- reviewed by \u{1F468}\u200D\u2695\uFE0F in \u{1F1E9}\u{1F1EA}\nSELECT 1;\n');
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => finding.message)).toEqual(['emoji U+1F468 in a migration file', 'emoji U+1F1E9 in a migration file']);
  });

  it('accepts other non-ASCII text: accents, arrows, plain check marks, copyright and trademark signs', async () => {
    const text = migration(`-- Reviewed by Zoé Müller: ✓ verified, status → done, ↔ both ways, 37.5 °C
-- © 2025 Northwind Health; Vitals™ is a trademark
COMMENT ON COLUMN public.vitals.temperature IS 'Body temperature in °C';
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('can be suppressed for one statement', async () => {
    const text = migration("-- pgwarden-ignore no-emoji -- the label is shown in the app as is\nINSERT INTO public.badges (code, label) VALUES ('star', '\u2B50 Star patient') ON CONFLICT DO NOTHING;\n");
    expect(await runRule(RULE, text)).toEqual([]);
  });
});
