-- ============================================================================
-- Migration: Archive columns on history tables
-- Date: 2025-10-06
-- Issue: Archived rows are deleted
--
-- PROBLEM: Deleting rows loses the audit trail.
-- SOLUTION: Add an archived flag to every history table.
-- AFFECTED TABLES: visits, visit_notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [N/A] history tables are not in current_schema
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
--
-- MIGRATION STRATEGY:
--   - loop over the history tables
--   - add the column where it is missing
-- ============================================================================

DO $$
DECLARE
  tbl text;
BEGIN
  FOREACH tbl IN ARRAY ARRAY['visits', 'visit_notes'] LOOP
    EXECUTE format('ALTER TABLE public.%I ADD COLUMN IF NOT EXISTS archived boolean NOT NULL DEFAULT false', tbl);
  END LOOP;
END $$;
