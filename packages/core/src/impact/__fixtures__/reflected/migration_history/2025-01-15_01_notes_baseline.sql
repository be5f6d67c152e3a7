-- ============================================================================
-- Migration: Notes baseline
-- Date: 2025-01-15
-- AFFECTED TABLES: notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/01_notes.sql (Lines 2-7: notes table)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- ============================================================================

CREATE TABLE IF NOT EXISTS public.notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  author text NOT NULL,
  signed boolean NOT NULL DEFAULT false
);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS notes_update_any ON public.notes;
CREATE POLICY notes_update_any ON public.notes FOR UPDATE USING (true);
