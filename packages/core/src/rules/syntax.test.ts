import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'syntax';

const migration = (sql: string) => `${header()}\n${sql}`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('syntax', () => {
  it('accepts valid SQL, including DO blocks and functions', async () => {
    const text = migration(`ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'documents_processing_time_check') THEN
    ALTER TABLE public.documents ADD CONSTRAINT documents_processing_time_check CHECK (processing_time_minutes >= 0);
  END IF;
END $$;
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('reports ADD CONSTRAINT IF NOT EXISTS at the clause, with the DO-block guard as the hint', async () => {
    const text = migration(`ALTER TABLE public.appointments
  ADD CONSTRAINT IF NOT EXISTS appointments_time_check CHECK (ends_at > starts_at);
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', ...at(text, 'IF NOT EXISTS') });
    expect(findings[0].message).toContain('ADD CONSTRAINT has no IF NOT EXISTS form');
    expect(findings[0].message).not.toMatch(/syntax error: syntax error/);
    expect(findings[0].hint).toContain("SELECT 1 FROM pg_constraint WHERE conname = 'appointments_time_check'");
    expect(findings[0].hint).toContain('ADD CONSTRAINT appointments_time_check CHECK (ends_at > starts_at);');
  });

  it('reports CREATE POLICY IF NOT EXISTS with the DROP POLICY IF EXISTS hint', async () => {
    const text = migration('CREATE POLICY IF NOT EXISTS notes_owner ON public.care_notes FOR SELECT TO authenticated USING (auth.uid() = patient_id);\n');
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('CREATE POLICY has no IF NOT EXISTS form');
    expect(findings[0].hint).toContain('DROP POLICY IF EXISTS notes_owner ON public.care_notes;');
  });

  it('reports each failing statement once and keeps checking the statements after it', async () => {
    const text = migration(`CREATE TABLE IF NOT EXISTS public.clinics (id uuid PRIMARY KEY,);
ALTER TABLE public.clinics ADD COLUMN IF NOT EXISTS name text;
ALTER TABLE public.clinics ADD COLUM timezone text;
`);
    // "ADD COLUM timezone" reads as ADD [COLUMN] colum timezone: the parser stumbles on "text".
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.column])).toEqual([
      [at(text, ',);').line, at(text, ',);').column + 1],
      [at(text, 'COLUM ').line, at(text, 'timezone text;').column + 'timezone '.length],
    ]);
    expect(findings[0].message).toBe('syntax error at or near ")"');
  });

  it('gives positions in string characters after multi-byte text', async () => {
    const text = migration("COMMENT ON TABLE public.patients IS 'Zoé → Müller';\nSELEC 1;\n");
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.column])).toEqual([[at(text, 'SELEC').line, 1]]);
  });

  it('reports an error inside a DO block at the token the message names', async () => {
    const text = migration(`DO $$
BEGIN
  DELETE FORM public.documents WHERE processing_time_minutes < 0;
END $$;
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, ...at(text, 'FORM') });
    expect(findings[0].message).toBe('DO block: syntax error at or near "FORM"');
  });

  it('reports an ambiguous error inside a DO block once, within the block', async () => {
    const text = migration(`DO $$
BEGIN
  UPDATE public.documents SET processing_time_minutes = = 0;
END $$;
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0].line).toBeGreaterThanOrEqual(at(text, 'DO $$').line);
    expect(findings[0].line).toBeLessThanOrEqual(at(text, 'END $$').line);
    expect(findings[0].message).toBe('DO block: syntax error at or near "="');
  });
});
