-- ============================================================================
-- Migration: Restrict note updates to the unsigned author
-- Date: 2025-02-01
-- AFFECTED TABLES: notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/01_notes.sql (Lines 9-10: policy replaced)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- ============================================================================

DROP POLICY IF EXISTS notes_update_any ON public.notes;
DROP POLICY IF EXISTS notes_update_author_unsigned ON public.notes;
CREATE POLICY notes_update_author_unsigned ON public.notes
  FOR UPDATE USING (author = current_user AND NOT signed);

-- Rollback Script:
-- DROP POLICY IF EXISTS notes_update_author_unsigned ON public.notes;
-- DROP POLICY IF EXISTS notes_update_any ON public.notes;
-- CREATE POLICY notes_update_any ON public.notes FOR UPDATE USING (true);
