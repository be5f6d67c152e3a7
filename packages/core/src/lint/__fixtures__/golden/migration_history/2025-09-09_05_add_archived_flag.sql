-- ============================================================================
-- Migration 5: Add archived flag to patients
-- Date: 2025-09-09
-- Issue: Archived patients appear in search
--
-- PROBLEM:
-- Search lists patients who left the practice years ago.
-- Staff scroll past them every day.
--
-- SOLUTION:
-- Add patients.archived (default false) and filter on it.
--
-- AFFECTED TABLES: patients
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/02_profiles.sql (Line 7: patients.archived added)
--
-- DOWNSTREAM UPDATES:
--   - [ ] TypeScript types updated
--   - [N/A] Bridge schemas (no AI use)
-- ============================================================================

ALTER TABLE public.patients ADD COLUMN IF NOT EXISTS archived boolean NOT NULL DEFAULT false;

-- Verification Query (optional)
-- SELECT count(*) FROM public.patients WHERE archived IS NULL;
