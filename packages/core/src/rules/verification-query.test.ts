import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'verification-query';

const migration = (sql: string) => `${header()}\n${sql}`;

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

const BACKFILL = `-- Durée → minutes, arrondie
UPDATE public.documents
   SET processing_time_minutes = round(extract(epoch FROM processed_at - uploaded_at) / 60)
 WHERE processing_time_minutes IS NULL AND processed_at IS NOT NULL;
`;

describe('verification-query', () => {
  it('accepts a backfill with a VERIFY query, continued over indented lines', async () => {
    const text = migration(`${BACKFILL}
-- VERIFY: SELECT count(*) = 0 FROM public.documents
--   WHERE processing_time_minutes IS NULL AND processed_at IS NOT NULL
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('accepts the template\'s Verification Query section with a commented SELECT, and a SELECT under such a comment', async () => {
    const section = migration(`${BACKFILL}
-- Verification Query (optional)
-- SELECT COUNT(*) FROM documents WHERE processing_time_minutes IS NULL;

-- Rollback Script (if needed)
-- /* UPDATE public.documents SET processing_time_minutes = NULL; */
`);
    expect(await runRule(RULE, section)).toEqual([]);
    const prose = migration(`${BACKFILL}
-- VERIFICATION QUERIES:
-- Expect no row left without a duration:
-- SELECT id FROM documents
--  WHERE processing_time_minutes IS NULL AND processed_at IS NOT NULL;
`);
    expect(await runRule(RULE, prose)).toEqual([]);
    const active = migration(`${BACKFILL}
-- Verification query
SELECT count(*) FROM public.documents WHERE processing_time_minutes IS NULL AND processed_at IS NOT NULL;
`);
    expect(await runRule(RULE, active)).toEqual([]);
  });

  it('accepts a DO block that checks and raises, but not one that only notices', async () => {
    const checking = migration(`${BACKFILL}
DO $$
DECLARE
  remaining integer;
BEGIN
  SELECT count(*) INTO remaining FROM public.documents WHERE processing_time_minutes IS NULL AND processed_at IS NOT NULL;
  IF remaining > 0 THEN
    RAISE EXCEPTION 'backfill incomplete: % documents left', remaining;
  END IF;
END $$;
`);
    expect(await runRule(RULE, checking)).toEqual([]);
    const noticing = migration(`${BACKFILL}
DO $$
BEGIN
  IF (SELECT count(*) FROM public.documents WHERE processing_time_minutes IS NULL) > 0 THEN
    RAISE NOTICE 'some documents have no duration';
  END IF;
END $$;
`);
    expect((await runRule(RULE, noticing)).map((finding) => finding.message)).toEqual(['no verification query, but this migration runs UPDATE documents']);
  });

  it('asks for a VERIFY query on a data write, as info, at the statement', async () => {
    // Near miss: the template's section still holding its placeholder query checks nothing.
    const text = migration(`${BACKFILL}
-- Verification Query (optional)
-- SELECT COUNT(*) FROM table_name WHERE condition;
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'info', ...at(text, 'UPDATE public.documents') });
    expect(findings[0].message).toBe('no verification query, but this migration runs UPDATE documents');
    expect(findings[0].hint).toContain('"-- VERIFY: SELECT count(*) = 0 FROM documents WHERE <rows still to fix>;"');
  });

  it('asks for one when columns or constraints are added to an existing table, listing them', async () => {
    const text = migration(`ALTER TABLE public.documents ADD COLUMN IF NOT EXISTS processing_time_minutes integer;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'documents_processing_time_check') THEN
    ALTER TABLE public.documents ADD CONSTRAINT documents_processing_time_check CHECK (processing_time_minutes >= 0) NOT VALID;
  END IF;
END $$;
ALTER TABLE public.care_plans ALTER COLUMN patient_id SET NOT NULL;
INSERT INTO public.document_types (code, label) VALUES ('ordonnance', 'Ordonnance médicale') ON CONFLICT (code) DO NOTHING;
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'info', ...at(text, 'ALTER TABLE public.documents ADD COLUMN') });
    expect(findings[0].message).toBe(
      'no verification query, but this migration runs ADD COLUMN documents.processing_time_minutes, ADD CONSTRAINT documents_processing_time_check ON documents, SET NOT NULL on care_plans.patient_id and 1 more',
    );
    expect(findings[0].hint).toContain("column_name = 'processing_time_minutes'");
  });

  it('finds a write inside a DO block, at the nested statement', async () => {
    const text = migration(`DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'documents' AND column_name = 'status') THEN
    DELETE FROM public.documents WHERE status = 'duplicate';
  END IF;
END $$;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.column, finding.message])).toEqual([
      [at(text, 'DELETE FROM').line, at(text, 'DELETE FROM').column, 'no verification query, but this migration runs DELETE FROM documents'],
    ]);
  });

  it('does not ask for one for new tables, policies, indexes or writes inside function bodies', async () => {
    const text = migration(`CREATE TABLE IF NOT EXISTS public.care_plan_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  care_plan_id uuid NOT NULL REFERENCES public.care_plans (id),
  body text NOT NULL
);
ALTER TABLE public.care_plan_notes ADD COLUMN IF NOT EXISTS author_id uuid;
ALTER TABLE public.care_plan_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Authors read their notes" ON public.care_plan_notes FOR SELECT TO authenticated USING (author_id = auth.uid());
CREATE INDEX IF NOT EXISTS idx_care_plan_notes_plan ON public.care_plan_notes (care_plan_id);
CREATE OR REPLACE FUNCTION public.log_note() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
  INSERT INTO public.audit_events (entity, entity_id) VALUES ('care_plan_note', NEW.id);
  RETURN NEW;
END;
$$;
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('reports a VERIFY query that does not parse, as an error on its line', async () => {
    const text = migration(`${BACKFILL}
-- VERIFY: SELECT count(*) = 0 FROM public.documents WHERE processing_time_minutes IS NULL AND
`);
    const findings = await runRule(RULE, text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', ...at(text, 'VERIFY:') });
    expect(findings[0].message).toMatch(/^VERIFY query does not parse: syntax error at end of input/);
  });

  it('reports a VERIFY query that is not a single read-only SELECT', async () => {
    const text = migration(`${BACKFILL}
-- VERIFY: UPDATE public.documents SET processing_time_minutes = 0 WHERE processing_time_minutes IS NULL
`);
    const update = await runRule(RULE, text);
    expect(update.map((finding) => [finding.line, finding.column, finding.severity, finding.message])).toEqual([
      [at(text, 'VERIFY:').line, at(text, 'VERIFY:').column, 'error', 'VERIFY query is an UPDATE statement: it must be a single read-only SELECT'],
    ]);

    const two = await runRule(RULE, migration(`${BACKFILL}\n-- VERIFY: SELECT 1; SELECT 2\n`));
    expect(two.map((finding) => finding.message)).toEqual(['VERIFY query holds 2 statements: it must be a single read-only SELECT']);

    const cte = await runRule(
      RULE,
      migration(`${BACKFILL}\n-- VERIFY: WITH fixed AS (UPDATE public.documents SET processing_time_minutes = 0 RETURNING id) SELECT count(*) = 0 FROM fixed\n`),
    );
    expect(cte.map((finding) => finding.message)).toEqual(['VERIFY query modifies data in its WITH clause (fixed): it must be a single read-only SELECT']);

    const into = await runRule(RULE, migration(`${BACKFILL}\n-- VERIFY: SELECT count(*) INTO TEMP verify_count FROM public.documents\n`));
    expect(into.map((finding) => finding.message)).toEqual(['VERIFY query is a SELECT INTO, which creates a table: it must be a single read-only SELECT']);
  });

  it('keeps the VERIFY errors even when the rule is configured as a warning', async () => {
    const text = migration(`${BACKFILL}\n-- VERIFY: DELETE FROM public.documents\n`);
    const findings = await runRule(RULE, text, { config: { rules: { 'verification-query': 'warning' } } });
    expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([
      ['error', 'VERIFY query is a DELETE statement: it must be a single read-only SELECT'],
    ]);
  });
});
