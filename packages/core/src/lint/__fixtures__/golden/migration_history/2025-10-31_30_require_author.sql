-- ============================================================================
-- Migration: Require a note author
-- Date: 2025-10-31
-- Issue: Notes without author
--
-- PROBLEM: The old importer wrote notes without author.
-- SOLUTION: Backfill and require author_id.
-- AFFECTED TABLES: visit_notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/03_clinical_core.sql (Line 19: visit_notes.author_id NOT NULL)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

UPDATE public.visit_notes SET author_id = '00000000-0000-0000-0000-000000000000' WHERE author_id IS NULL;
ALTER TABLE public.visit_notes ALTER COLUMN author_id SET NOT NULL;

-- VERIFY: SELECT count(*) = 0 FROM public.visit_notes WHERE author_id IS NULL
