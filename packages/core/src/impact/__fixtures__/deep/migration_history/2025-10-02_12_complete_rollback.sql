-- ============================================================================
-- Migration: Fixture
-- Date: 2025-10-02
-- ============================================================================

ALTER TABLE public.patients ADD COLUMN IF NOT EXISTS nickname text;

-- Rollback Script:
-- ALTER TABLE public.patients DROP COLUMN IF EXISTS nickname;
