-- ============================================================================
-- Migration: Fixture (near miss: the table already lacked row level security)
-- Date: 2025-10-02
-- ============================================================================

ALTER TABLE public.legacy_settings ADD COLUMN IF NOT EXISTS label text;

-- Rollback Script:
-- ALTER TABLE public.legacy_settings DROP COLUMN IF EXISTS label;
