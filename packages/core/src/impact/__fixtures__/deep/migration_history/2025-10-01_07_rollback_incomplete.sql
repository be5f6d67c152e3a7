-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-01
-- ============================================================================

ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS room text;
ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS floor integer;

-- Rollback Script:
-- ALTER TABLE public.visits DROP COLUMN IF EXISTS room;
