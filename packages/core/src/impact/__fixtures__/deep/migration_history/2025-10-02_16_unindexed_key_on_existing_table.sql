-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-02
-- ============================================================================

COMMENT ON TABLE public.visits IS 'Visits of patients';

ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS referred_by uuid REFERENCES public.patients(id);

-- Rollback Script:
-- ALTER TABLE public.visits DROP COLUMN IF EXISTS referred_by;
-- COMMENT ON TABLE public.visits IS NULL;
