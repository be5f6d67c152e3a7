-- ============================================================================
-- Migration: Add check-in time to visits
-- Date: 2025-09-05
-- Issue: Front desk cannot record arrival
--
-- PROBLEM: Arrival time is written in a free-text note.
-- SOLUTION: Add visits.checked_in_at and backfill it from the notes → timestamptz.
-- AFFECTED TABLES: visits
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/03_clinical_core.sql (Line 7: visits.checked_in_at added)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS checked_in_at timestamptz;

UPDATE public.visits
   SET checked_in_at = scheduled_at
 WHERE checked_in_at IS NULL AND status = 'arrived';

-- VERIFY: SELECT count(*) = 0 FROM public.visits WHERE status = 'arrived' AND checked_in_at IS NULL

-- Rollback Script (if needed)
-- ALTER TABLE public.visits DROP COLUMN IF EXISTS checked_in_at;
