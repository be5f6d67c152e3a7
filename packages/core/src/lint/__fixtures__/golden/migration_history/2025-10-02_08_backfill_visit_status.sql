-- ============================================================================
-- Migration: Backfill visit status
-- Date: 2025-10-02
-- Issue: Old visits have no status
--
-- PROBLEM: Visits before September have status NULL in the export.
-- SOLUTION: Backfill from the check-in time, then check.
-- AFFECTED TABLES: visits
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [N/A] no schema change (data only)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [ ] TypeScript types updated (if applicable)
-- ============================================================================

UPDATE public.visits SET status = 'completed'
 WHERE status IS NULL AND checked_in_at IS NOT NULL;

DO $$
DECLARE
  remaining integer;
BEGIN
  SELECT count(*) INTO remaining FROM public.visits WHERE status IS NULL;
  IF remaining > 0 THEN
    RAISE EXCEPTION 'backfill incomplete: % visits without status', remaining;
  END IF;
END $$;
