-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-02
-- ============================================================================

ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS ward text;

-- Rollback Script:
-- ALTER TABLE public.visits DROP COLUMN IF EXISTS ward;
-- DROP INDEX public.visits_ward_idx;
