-- ============================================================================
-- Migration: Drop legacy visit note column
-- Date: 2025-10-24
-- Issue: Two places for notes
--
-- PROBLEM: visits.legacy_note duplicates visit_notes.
-- SOLUTION: Drop the column after the copy in migration 9.
-- AFFECTED TABLES: visits
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/03_clinical_core.sql (Lines 2-10: visits.legacy_note dropped)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

ALTER TABLE public.visits DROP COLUMN IF EXISTS legacy_note;
