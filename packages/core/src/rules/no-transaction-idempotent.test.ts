import { describe, expect, it } from 'vitest';
import { header, runRule } from './__fixtures__/run-rule.js';

const RULE = 'no-transaction-idempotent';

const noTransaction = (sql: string) => `${header({ extra: '-- pgwarden:no-transaction\n' })}\n${sql}`;
const transactional = (sql: string) => `${header()}\n${sql}`;
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('no-transaction-idempotent', () => {
  it('warns on an UPDATE that adds to the column it sets (applied twice, it adds twice)', async () => {
    const text = noTransaction(`UPDATE public.clinics SET visit_count = visit_count + 1 WHERE id = 7;
UPDATE public.documents d SET tags = d.tags || ARRAY['migrated'], updated_at = now();
UPDATE public.patients SET flags = array_append(flags, 'reviewed');
UPDATE public.invoices SET total_cents = coalesce(total_cents, 0) * 100;
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.severity, finding.message])).toEqual([
      [lineOf(text, 'visit_count'), 'warning', 'UPDATE public.clinics SET visit_count = ... adds to the current visit_count: in a no-transaction file a rerun after a crash can apply it twice'],
      [lineOf(text, 'SET tags'), 'warning', 'UPDATE public.documents SET tags = ... adds to the current tags: in a no-transaction file a rerun after a crash can apply it twice'],
      [lineOf(text, 'array_append'), 'warning', 'UPDATE public.patients SET flags = ... adds to the current flags: in a no-transaction file a rerun after a crash can apply it twice'],
      [lineOf(text, 'total_cents'), 'warning', 'UPDATE public.invoices SET total_cents = ... adds to the current total_cents: in a no-transaction file a rerun after a crash can apply it twice'],
    ]);
    expect(findings[0].hint).toContain('set the final value');
  });

  it('warns on an upsert that adds to the stored value, a CIC IF NOT EXISTS without a DROP before it, and SELECT nextval', async () => {
    const text = noTransaction(`INSERT INTO public.daily_counts AS c (day, n) VALUES (current_date, 1) ON CONFLICT (day) DO UPDATE SET n = c.n + EXCLUDED.n;
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_created_at_idx ON public.documents (created_at);
SELECT nextval('public.invoice_number_seq');
`);
    const findings = await runRule(RULE, text);
    expect(findings.map((finding) => [finding.line, finding.message])).toEqual([
      [lineOf(text, 'INSERT INTO'), 'INSERT INTO public.daily_counts ... ON CONFLICT DO UPDATE SET n = ... adds to the stored n: in a no-transaction file a rerun after a crash can apply it twice'],
      [
        lineOf(text, 'CREATE INDEX'),
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_created_at_idx: a build interrupted by a crash leaves an INVALID index of that name, which IF NOT EXISTS skips when the file runs again',
      ],
      [lineOf(text, 'nextval'), 'SELECT nextval(...) advances the sequence again each time the statement reruns after a crash'],
    ]);
    expect(findings[1].hint).toBe('put "DROP INDEX CONCURRENTLY IF EXISTS public.documents_created_at_idx;" right before it, so that a rerun removes a half-built index and builds it again');
  });

  it('checks statements in DO blocks (a completed block reruns whole)', async () => {
    const text = noTransaction(`DO $$
BEGIN
  UPDATE public.clinics SET visit_count = visit_count + 1;
END $$;
`);
    expect((await runRule(RULE, text)).map((finding) => finding.line)).toEqual([lineOf(text, 'UPDATE public')]);
  });

  it('near misses stay clean: values that do not accumulate, a DROP before the CIC, guards, setval', async () => {
    const text = noTransaction(`UPDATE public.patients SET display_name = lower(display_name), email = trim(email);
UPDATE public.clinics SET visit_count = greatest(visit_count, 0), capacity = coalesce(capacity, 10);
UPDATE public.clinics SET visit_count = (SELECT count(*) FROM public.visits v WHERE v.clinic_id = clinics.id);
UPDATE public.documents SET status = 'archived' WHERE status = 'done';
UPDATE public.invoices SET total_cents = subtotal_cents + tax_cents;
INSERT INTO public.daily_counts (day, n) VALUES (current_date, 1) ON CONFLICT (day) DO UPDATE SET n = EXCLUDED.n;
DROP INDEX CONCURRENTLY IF EXISTS public.documents_created_at_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_created_at_idx ON public.documents (created_at);
REINDEX INDEX CONCURRENTLY public.documents_title_idx;
SELECT setval('public.invoice_number_seq', 1000);
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM public.migration_marks WHERE mark = 'visits-bumped') THEN
    UPDATE public.clinics SET visit_count = visit_count + 1;
  END IF;
END $$;
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('says nothing about a transactional file: it never reruns in part', async () => {
    const text = transactional(`UPDATE public.clinics SET visit_count = visit_count + 1;
SELECT nextval('public.invoice_number_seq');
`);
    expect(await runRule(RULE, text)).toEqual([]);
  });

  it('can be suppressed with a reason', async () => {
    const text = noTransaction(`-- pgwarden-ignore no-transaction-idempotent -- the counter is recomputed nightly; a double bump is harmless
UPDATE public.clinics SET visit_count = visit_count + 1 WHERE id = 7;
`);
    expect(await runRule([RULE, 'unused-ignore'], text)).toEqual([]);
  });
});
