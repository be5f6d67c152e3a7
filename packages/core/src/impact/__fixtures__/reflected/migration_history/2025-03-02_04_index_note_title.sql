-- ============================================================================
-- Migration: Index note titles
-- Date: 2025-03-02
-- AFFECTED TABLES: notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/01_notes.sql (Line 11: notes_title_idx)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- ============================================================================

CREATE INDEX IF NOT EXISTS notes_title_idx ON public.notes (title);

-- Rollback Script:
-- DROP INDEX IF EXISTS public.notes_title_idx;
