-- ============================================================================
-- Migration: Index notes by visit
-- Date: 2025-10-30
-- Issue: Opening a visit is slow
--
-- PROBLEM: Notes are found by a sequential scan.
-- SOLUTION: Index visit_notes.visit_id.
-- AFFECTED TABLES: visit_notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/03_clinical_core.sql (Line 23: visit_notes_visit_idx)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

CREATE INDEX IF NOT EXISTS visit_notes_visit_idx ON public.visit_notes (visit_id);
