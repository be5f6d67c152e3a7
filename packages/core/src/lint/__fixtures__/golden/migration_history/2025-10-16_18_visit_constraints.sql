-- ============================================================================
-- Migration: Constraints on visits
-- Date: 2025-10-16
-- Issue: Invalid rows from the old importer
--
-- PROBLEM: Negative durations and unknown statuses were imported.
-- SOLUTION: Add duration_minutes with a check, and a status check.
-- AFFECTED TABLES: visits, visit_notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/03_clinical_core.sql (Line 8: visits.status check)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
--
-- LOCKING CONSIDERATION:
--   ALTER TABLE takes ACCESS EXCLUSIVE on visits and visit_notes: run at night.
-- ============================================================================

ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS duration_minutes integer;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'visits_duration_check') THEN
    ALTER TABLE public.visits ADD CONSTRAINT visits_duration_check CHECK (duration_minutes >= 0) NOT VALID;
  END IF;
END $$;

ALTER TABLE public.visit_notes ALTER COLUMN body SET DEFAULT '';

-- VERIFY: SELECT count(*) = 1 FROM pg_constraint WHERE conname = 'visits_duration_check'
