-- ============================================================================
-- Migration: Keep visit_notes.updated_at current
-- Date: 2025-10-07
-- Issue: updated_at never changes
--
-- PROBLEM: Edits to a note keep the creation time.
-- SOLUTION: Add updated_at and a trigger; probe it with a test row.
-- AFFECTED TABLES: visit_notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/03_clinical_core.sql (Line 21: visit_notes.updated_at added)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

ALTER TABLE public.visit_notes ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();
DROP TRIGGER IF EXISTS visit_notes_touch ON public.visit_notes;
CREATE TRIGGER visit_notes_touch BEFORE UPDATE ON public.visit_notes
  FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

DO $$
DECLARE
  probe uuid;
BEGIN
  INSERT INTO public.visit_notes (visit_id, author_id, body)
  SELECT id, gen_random_uuid(), 'probe' FROM public.visits LIMIT 1
  RETURNING id INTO probe;
  UPDATE public.visit_notes SET body = 'probe 2' WHERE id = probe;
  IF NOT EXISTS (SELECT 1 FROM public.visit_notes WHERE id = probe AND updated_at > created_at) THEN
    RAISE EXCEPTION 'trigger did not touch updated_at';
  END IF;
  DELETE FROM public.visit_notes WHERE id = probe;
END $$;
