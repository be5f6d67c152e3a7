-- ============================================================================
-- Migration: Add a title to notes
-- Date: 2025-03-01
-- AFFECTED TABLES: notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/01_notes.sql (Line 5: notes.title)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- ============================================================================

ALTER TABLE public.notes ADD COLUMN IF NOT EXISTS title text;

-- Rollback Script:
-- ALTER TABLE public.notes DROP COLUMN IF EXISTS title;
